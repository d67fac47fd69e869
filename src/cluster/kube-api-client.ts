import {
  createConfiguration,
  FetchError,
  HttpMethod,
  type KubeConfig,
  RequestContext,
} from "@kubernetes/client-node";
import { KubeconfigError } from "../errors.js";
import { watchingAgent } from "./cut-short-watch.js";
import {
  DEFAULT_RETRY_POLICY,
  getWithRetries,
  type RetryClock,
  type RetryPolicy,
  systemClock,
  TransportError,
} from "./retry.js";

/** An API server answer: the HTTP status and the body parsed as JSON (null when it is not JSON). */
export interface ApiResponse {
  status: number;
  body: unknown;
  /** The Retry-After header, when the server sent one (429, 503). */
  retryAfter?: string;
  /** How many requests it took to get this answer (retries included); absent means one. */
  attempts?: number;
}

/** The one thing helm-drift asks an API server: GET a path, get JSON back. */
export interface KubeApi {
  /** The server URL, for messages. */
  readonly server: string;
  getJson(path: string): Promise<ApiResponse>;
}

export interface KubeApiClientOptions {
  /** Per request: a request with no answer by then is abandoned (and retried). */
  timeoutMs?: number;
  retry?: RetryPolicy;
  clock?: RetryClock;
  /** The run's deadline (`--timeout`): aborting it ends every request and wait, throwing its reason. */
  signal?: AbortSignal;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

const NETWORK_PROBLEMS: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  EPIPE: "connection closed while sending the request",
  ENOTFOUND: "host name not found (DNS)",
  EAI_AGAIN: "host name lookup failed (DNS)",
  ETIMEDOUT: "connection timed out",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
};

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

/** Failures where the same GET, sent again, may well succeed: the connection broke, or the answer did not arrive. */
const RETRYABLE_CODES = new Set(["ECONNRESET", "EPIPE", "ETIMEDOUT"]);

/**
 * A failure to talk to the server at all (no HTTP status) as one line naming the server (a TransportError,
 * retryable when the connection broke, timed out or the body was cut short), or the error itself when it is
 * not a network or TLS failure (a bug: re-thrown as is).
 */
export function transportError(server: string, error: unknown): Error {
  const unreachable = (what: string, retryable: boolean) =>
    new TransportError(`cannot reach the API server at ${server}: ${what}`, retryable, false, {
      cause: error,
    });
  if (
    error instanceof Error &&
    (error.name === "AbortError" || (error as { type?: unknown }).type === "aborted")
  ) {
    return unreachable("no answer before the timeout", true);
  }
  const code = errorCode(error);
  if (code === "ERR_STREAM_PREMATURE_CLOSE") {
    return new TransportError(
      `the API server at ${server} closed the connection before the whole answer arrived`,
      true,
      true,
      { cause: error },
    );
  }
  if (code !== undefined) {
    const tls = /CERT|SELF_SIGNED|UNABLE_TO_|TLS|SSL/.test(code);
    return unreachable(
      NETWORK_PROBLEMS[code] ?? (tls ? `TLS error ${code}` : code),
      RETRYABLE_CODES.has(code),
    );
  }
  if (error instanceof FetchError) return unreachable(error.message, false);
  return error instanceof Error ? error : new Error(String(error));
}

function parseBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/**
 * GET requests through client-node's own HTTP stack, so TLS, proxies and every kubeconfig auth method
 * (token, client certificate, exec plugin, OIDC) behave as in client-node. Bodies are read as raw JSON:
 * client-node's typed models drop fields they do not know and turn timestamps into Date objects. Every GET is
 * retried as src/cluster/retry.ts says; the paths being read are kept for the `--timeout` message.
 */
export class KubeApiClient implements KubeApi {
  readonly server: string;
  private readonly http = createConfiguration().httpApi;
  private readonly timeoutMs: number;
  private readonly retry: RetryPolicy;
  private readonly clock: RetryClock;
  private readonly signal: AbortSignal | undefined;
  private readonly reading = new Map<string, number>();

  constructor(
    private readonly kubeConfig: KubeConfig,
    options: KubeApiClientOptions = {},
  ) {
    const cluster = kubeConfig.getCurrentCluster();
    if (cluster === null) throw new KubeconfigError("the current context names no cluster");
    this.server = cluster.server.replace(/\/+$/, "");
    this.timeoutMs = options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.retry = options.retry ?? DEFAULT_RETRY_POLICY;
    this.clock = options.clock ?? systemClock;
    this.signal = options.signal;
  }

  /** The paths of the GETs not answered yet (retries and waits included), oldest first. */
  pending(): string[] {
    return [...this.reading.keys()];
  }

  async getJson(path: string): Promise<ApiResponse> {
    this.reading.set(path, (this.reading.get(path) ?? 0) + 1);
    try {
      return await getWithRetries(path, () => this.send(path), {
        policy: this.retry,
        clock: this.clock,
        signal: this.signal,
      });
    } finally {
      const left = (this.reading.get(path) ?? 1) - 1;
      if (left > 0) this.reading.set(path, left);
      else this.reading.delete(path);
    }
  }

  /** One GET, no retry. */
  private async send(path: string): Promise<ApiResponse> {
    const request = new RequestContext(this.server + path, HttpMethod.GET);
    request.setHeaderParam("Accept", "application/json");
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const cutShort = new AbortController();
    request.setSignal(AbortSignal.any([timeout, cutShort.signal, ...(this.signal ? [this.signal] : [])]));
    try {
      await this.kubeConfig.applySecurityAuthentication(request);
    } catch (error) {
      const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
      throw new KubeconfigError(
        `cannot use the credentials of context "${this.kubeConfig.getCurrentContext()}": ${reason}`,
        { cause: error },
      );
    }
    // A body cut short by a closed connection fails now, not at the timeout (see watchingAgent).
    request.setAgent(watchingAgent(request.getAgent(), request.getUrl(), cutShort));
    try {
      const response = await this.http.send(request).toPromise();
      const body = parseBody(await response.body.text());
      const retryAfter = response.headers["retry-after"];
      return { status: response.httpStatusCode, body, ...(retryAfter === undefined ? {} : { retryAfter }) };
    } catch (error) {
      this.signal?.throwIfAborted();
      throw transportError(this.server, cutShort.signal.aborted ? cutShort.signal.reason : error);
    }
  }
}
