import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createNetServer } from "node:net";
import { onTestFinished } from "vitest";
import type { RetryClock } from "../../src/cluster/retry.js";

/** What a scripted server received: one entry per request, in order. */
export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** How the server answers one request. */
export type Answer = (res: ServerResponse, req: IncomingMessage) => void;

/**
 * A real HTTP server on 127.0.0.1 that answers each request with the next of `answers` (the last repeats) and
 * records what it received (as `record` shapes it); closed when the test that started it finishes. For the report's webhook,
 * Pushgateway and API-write tests (the sinks talk to it through their real HTTP stacks).
 */
export async function scriptedServer<T = ReceivedRequest>(
  answers: readonly Answer[],
  record: (request: ReceivedRequest) => T = (request) => request as T,
): Promise<{ port: number; origin: string; received: T[] }> {
  const received: T[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      received.push(
        record({
          method: req.method ?? "",
          path: req.url ?? "",
          headers: req.headers,
          body: Buffer.concat(chunks).toString("utf8"),
        }),
      );
      answers[Math.min(received.length, answers.length) - 1]?.(res, req);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  onTestFinished(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { port: address.port, origin: `http://127.0.0.1:${address.port}`, received };
}

/** A port on 127.0.0.1 nothing listens on (it was free a moment ago): connections to it are refused. */
export async function closedPort(): Promise<number> {
  const probe = createNetServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

/** A retry clock that records the waits asked of it and never waits. */
export function recordingClock(): RetryClock & { waits: number[] } {
  const waits: number[] = [];
  return { waits, sleep: async (ms) => void waits.push(ms), random: () => 0.5 };
}
