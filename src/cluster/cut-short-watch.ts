import http, { type Agent, type ClientRequest, type IncomingMessage } from "node:http";
import https from "node:https";

/**
 * Why a response body ended early: the server (or a proxy) closed the connection before the whole answer
 * arrived, with the Content-Length still promising more.
 */
export class CutShortError extends Error {
  readonly code = "ERR_STREAM_PREMATURE_CLOSE";
  constructor() {
    super("Premature close");
  }
}

/**
 * An agent that behaves as `agent` but aborts `controller` with a CutShortError when a response's connection
 * closes before its body is complete. client-node reads bodies with node-fetch 2.7.0, which notices such a close
 * only for a chunked body (its `fixResponseChunkedTransferBadEnding`, node-fetch/node-fetch#1064): with a
 * Content-Length, it pipes the response into a stream that never ends, so the read waited for the 30 s
 * per-request timeout instead of being retried at once (node-fetch/node-fetch#980 asks for the length check).
 *
 * The agent is a view of `agent` (`Object.create`): sockets, pools and TLS options stay `agent`'s own; only
 * `addRequest`, which every request passes through, is wrapped to watch the response.
 */
export function watchingAgent(agent: Agent | undefined, url: string, controller: AbortController): Agent {
  const base = agent ?? (url.startsWith("https:") ? https.globalAgent : http.globalAgent);
  const watching = Object.create(base) as Agent & {
    addRequest(request: ClientRequest, options: unknown): void;
  };
  const addRequest = (base as unknown as typeof watching).addRequest;
  watching.addRequest = (request: ClientRequest, options: unknown) => {
    request.once("response", (response: IncomingMessage) => {
      response.once("close", () => {
        if (!response.complete) controller.abort(new CutShortError());
      });
    });
    addRequest.call(base, request, options);
  };
  return watching;
}
