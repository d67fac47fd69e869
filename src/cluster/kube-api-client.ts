// client-node's modules one by one, not its index: the index also loads watches, informers, metrics and
// port-forwarding, about 0.14 s of every cluster run that uses none of them (bench/cli-startup.mjs).
import type { KubeConfig } from "@kubernetes/client-node/dist/config.js";
import { createConfiguration } from "@kubernetes/client-node/dist/gen/configuration.js";
import { HttpMethod, RequestContext } from "@kubernetes/client-node/dist/gen/http/http.js";
import { KubeconfigError } from "../errors.js";
import { HELM_DRIFT_FIELD_MANAGER } from "../model/field-managers.js";
import { watchingAgent } from "./cut-short-watch.js";
import { NETWORK_PROBLEMS } from "./network-problems.js";
import {
  DEFAULT_RETRY_POLICY,
  getWithRetries,
  type RetryClock,
  type RetryPolicy,
  retryAfterMs,
  retryDelayMs,
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

/**
 * The writes of `helm-drift report` (its state ConfigMap and Events; nothing else is ever written): send a
 * JSON body, get the answer back. Only the statuses and failures that say "nothing was done, try again" are
 * retried (see KubeApiClient.sendJson).
 */
export interface KubeWriteApi {
  /** The server URL, for messages. */
  readonly server: string;
  /** `contentType` defaults to application/json (a PATCH passes application/merge-patch+json). */
  sendJson(
    method: "POST" | "PUT" | "PATCH",
    path: string,
    body: unknown,
    contentType?: string,
  ): Promise<ApiResponse>;
}

/**
 * The answers a write is sent again after: 429 (API Priority and Fairness or max-in-flight turned the request
 * away before handling it) and 503 (the server could not take it now). 500, 502 and 504 are final for writes:
 * the request may have been applied (a 504 is the API server's own timeout while the write goes on in etcd).
 */
const WRITE_RETRIED_STATUSES = new Set([429, 503]);

export interface KubeApiClientOptions {
  /** Per request: a request with no answer by then is abandoned (and retried). */
  timeoutMs?: number;
  retry?: RetryPolicy;
  clock?: RetryClock;
  /** The run's deadline (`--timeout`): aborting it ends every request and wait, throwing its reason. */
  signal?: AbortSignal;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

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
  // node-fetch's FetchError (by name: it is client-node's dependency, not helm-drift's).
  if (error instanceof Error && error.name === "FetchError") return unreachable(error.message, false);
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
 * GET requests (and the few writes of `helm-drift report`, see sendJson) through client-node's own HTTP stack,
 * so TLS, proxies and every kubeconfig auth method
 * (token, client certificate, exec plugin, OIDC) behave as in client-node. Bodies are read as raw JSON:
 * client-node's typed models drop fields they do not know and turn timestamps into Date objects. Every GET is
 * retried as src/cluster/retry.ts says; the paths being read are kept for the `--timeout` message.
 */
export class KubeApiClient implements KubeApi, KubeWriteApi {
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

  /**
   * One write, retried as GETs are (same policy, backoff, Retry-After and run signal) but only where sending it
   * again is safe: on 429 and 503, and when the connection broke or no answer came before the per-request
   * timeout (a retryable TransportError). A PUT carries the resourceVersion it read and a merge PATCH sets the
   * same fields again, so a second copy of one that did land changes nothing (the PUT then gets 409 Conflict).
   * A POST (create) that did land makes its retry fail with 409 AlreadyExists: `attempts > 1` on a 409 tells
   * the caller so, and the callers take it as done. A refused connection, DNS and TLS failures are final, as
   * for GETs. Returns the last answer with `attempts`; a connection that keeps breaking throws the
   * TransportError of the last try, naming the method, path and tries.
   */
  async sendJson(
    method: "POST" | "PUT" | "PATCH",
    path: string,
    body: unknown,
    contentType = "application/json",
  ): Promise<ApiResponse> {
    const payload = { method: HttpMethod[method], text: JSON.stringify(body), contentType };
    // Every write names helm-drift as its field manager, so managedFields says who wrote it (MANAGER_FACTS).
    const target = `${path}${path.includes("?") ? "&" : "?"}fieldManager=${HELM_DRIFT_FIELD_MANAGER}`;
    for (let attempt = 1; ; attempt++) {
      this.signal?.throwIfAborted();
      let retryAfter: number | null = null;
      try {
        const response = await this.send(target, payload);
        if (!WRITE_RETRIED_STATUSES.has(response.status) || attempt >= this.retry.attempts) {
          return { ...response, attempts: attempt };
        }
        retryAfter = retryAfterMs(response.retryAfter);
      } catch (error) {
        this.signal?.throwIfAborted();
        if (!(error instanceof TransportError && error.retryable)) throw error;
        if (attempt >= this.retry.attempts) {
          const tries = `${method} ${path}, tried ${attempt} times`;
          throw new TransportError(`${error.message} (${tries})`, false, false, { cause: error });
        }
      }
      try {
        await this.clock.sleep(retryDelayMs(this.retry, attempt, retryAfter, this.clock.random), this.signal);
      } catch (error) {
        this.signal?.throwIfAborted();
        throw error;
      }
    }
  }

  /** One request, no retry: a GET, or a write with its JSON body. */
  private async send(
    path: string,
    write?: { method: HttpMethod; text: string; contentType: string },
  ): Promise<ApiResponse> {
    const request = new RequestContext(this.server + path, write?.method ?? HttpMethod.GET);
    request.setHeaderParam("Accept", "application/json");
    if (write !== undefined) {
      request.setHeaderParam("Content-Type", write.contentType);
      request.setBody(write.text);
    }
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
