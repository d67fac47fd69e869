import { NETWORK_PROBLEMS } from "../cluster/network-problems.js";
import {
  type RetryClock,
  type RetryPolicy,
  retryAfterMs,
  retryDelayMs,
  systemClock,
} from "../cluster/retry.js";
import type { DeliveryResult, Notifier } from "./sinks.js";
import type { WebhookFormat } from "./webhook-format.js";
import { originOf, splitCredentials } from "./webhook-url.js";

/** How a webhook POST (or a Pushgateway push) is sent and retried. */
export interface HttpSendOptions {
  /** The global fetch by default; tests pass their own. */
  fetch?: typeof fetch;
  clock?: RetryClock;
  /** The run's deadline: aborting it ends the request or the wait at once, throwing its reason. */
  signal?: AbortSignal;
  /** Per attempt: an attempt with no answer by then is abandoned (and retried). */
  timeoutMs?: number;
  /** Tries, the first one included. */
  attempts?: number;
}

export const DEFAULT_HTTP_TIMEOUT_MS = 10_000;

/** Backoff 1 s, 2 s, 4 s, 8 s (each with jitter); a Retry-After over 30 s is cut to 30 s. */
export function httpRetryPolicy(attempts: number): RetryPolicy {
  return { attempts, baseDelayMs: 1_000, maxDelayMs: 8_000, maxRetryAfterMs: 30_000 };
}

/** One request to send: `url` carries no credentials (see splitCredentials). */
export interface HttpTarget {
  url: URL;
  method: "POST" | "PUT";
  headers: Record<string, string>;
  body: string;
}

/**
 * What became of it. `problem` never holds the URL: only the status or the network failure, and the tries
 * (`HTTP 500 (tried 5 times)`, `connection refused (tried 5 times)`, `HTTP 404 (not retried)`); with
 * `refusalDetail`, the first line of a text/plain refusal follows the status (a Pushgateway explains there why
 * it rejected a push).
 */
export type HttpOutcome =
  | { ok: true; attempts: number; status: number }
  | { ok: false; attempts: number; problem: string };

/** A failed attempt: what to say, and whether another try may go better. */
interface AttemptFailure {
  problem: string;
  /** Another try may go better. A final answer's status is followed by "(not retried)". */
  retry: boolean;
  status?: number;
  retryAfter: number | null;
  detail?: string;
}

/**
 * Sends `target` until a 2xx or a final failure. Retried: 408, 429 and 5xx answers (Retry-After honoured on
 * 429 and 503), a timeout, and network failures; final: any other status (a 404 or 403 from a wrong URL will
 * not get better) and a redirect — redirects are never followed (`redirect: "error"`), as one could carry the
 * payload, or credentials, to another place. A POST that timed out may have arrived: a retry can deliver it
 * twice (at least once, rather than not at all). Nothing here ever puts the URL in a message.
 */
export async function sendWithRetries(
  target: HttpTarget,
  options: HttpSendOptions & { policy: RetryPolicy; refusalDetail?: boolean },
): Promise<HttpOutcome> {
  const send = options.fetch ?? fetch;
  const clock = options.clock ?? systemClock;
  const { signal, policy } = options;
  const timeoutMs = options.timeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS;
  for (let attempt = 1; ; attempt++) {
    signal?.throwIfAborted();
    let failure: AttemptFailure;
    try {
      const response = await send(target.url, {
        method: target.method,
        headers: target.headers,
        body: target.body,
        redirect: "error",
        signal: AbortSignal.any([AbortSignal.timeout(timeoutMs), ...(signal ? [signal] : [])]),
      });
      const detail = !response.ok && options.refusalDetail ? await textDetail(response) : undefined;
      if (detail === undefined) await response.body?.cancel().catch(() => undefined);
      if (response.ok) return { ok: true, attempts: attempt, status: response.status };
      const status = response.status;
      failure = {
        problem: `HTTP ${status}`,
        status,
        retry: status === 408 || status === 429 || status >= 500,
        retryAfter:
          status === 429 || status === 503
            ? retryAfterMs(response.headers.get("retry-after") ?? undefined)
            : null,
        ...(detail === undefined ? {} : { detail }),
      };
    } catch (error) {
      signal?.throwIfAborted();
      failure = attemptFailure(error, timeoutMs);
    }
    const detail = failure.detail === undefined ? "" : `: ${failure.detail}`;
    if (!failure.retry) {
      const final = failure.status === undefined ? "" : " (not retried)";
      return { ok: false, attempts: attempt, problem: `${failure.problem}${detail}${final}` };
    }
    if (attempt >= policy.attempts) {
      return {
        ok: false,
        attempts: attempt,
        problem: `${failure.problem}${detail} (tried ${attempt} times)`,
      };
    }
    try {
      await clock.sleep(retryDelayMs(policy, attempt, failure.retryAfter, clock.random), signal);
    } catch (error) {
      signal?.throwIfAborted();
      throw error;
    }
  }
}

/**
 * A rejected fetch as a failure that names no URL: fetch rejects with a TypeError for every network failure
 * (its cause holds the system error code), and with the timeout signal's TimeoutError. Anything else is a bug.
 */
function attemptFailure(error: unknown, timeoutMs: number): AttemptFailure {
  if (error instanceof Error && error.name === "TimeoutError") {
    return { problem: `no answer within ${timeoutMs / 1000} s`, retry: true, retryAfter: null };
  }
  if (!(error instanceof TypeError)) throw error;
  const cause = error.cause as { code?: unknown; message?: unknown } | undefined;
  if (cause?.message === "unexpected redirect") {
    return { problem: "it answered with a redirect, which is not followed", retry: false, retryAfter: null };
  }
  const code = typeof cause?.code === "string" ? cause.code : undefined;
  if (code === undefined) return { problem: "network error", retry: true, retryAfter: null };
  if (/CERT|SELF_SIGNED|UNABLE_TO_|TLS|SSL/.test(code)) {
    return { problem: `TLS error ${code}`, retry: false, retryAfter: null };
  }
  const known = NETWORK_PROBLEMS[code] ?? (/^[A-Z0-9_]+$/.test(code) ? code : "network error");
  return { problem: known, retry: true, retryAfter: null };
}

/** The first line of a text/plain body, cut to 200 characters; undefined for any other body. */
async function textDetail(response: Response): Promise<string | undefined> {
  if (!(response.headers.get("content-type") ?? "").startsWith("text/plain")) return undefined;
  const text = await response.text().catch(() => "");
  const line = text.split("\n").find((part) => part.trim() !== "");
  if (line === undefined) return undefined;
  const trimmed = line.trim();
  return trimmed.length > 200 ? `${trimmed.slice(0, 199)}…` : trimmed;
}

export interface WebhookNotifierOptions extends HttpSendOptions {
  /** Where to POST (see webhookUrlFrom); `user:password@` in it is sent as Basic authentication. */
  url: URL;
  /** Only for messages: `slack webhook at …`, or `webhook at …` (the default, for `json`). */
  format?: WebhookFormat;
}

/**
 * POSTs one JSON payload to a webhook (Slack's incoming webhooks, or any receiver taking JSON), with up to 5
 * tries by default (see sendWithRetries). The URL is never in a message: Slack's secret is its path, so the
 * description and every reason name only the scheme and host.
 */
export class WebhookNotifier implements Notifier {
  readonly description: string;
  private readonly url: URL;
  private readonly headers: Record<string, string>;
  private readonly options: HttpSendOptions;

  constructor(options: WebhookNotifierOptions) {
    const { url, format, ...send } = options;
    this.options = send;
    const split = splitCredentials(url);
    this.url = split.url;
    this.headers = {
      "content-type": "application/json",
      ...(split.authorization === null ? {} : { authorization: split.authorization }),
    };
    this.description = `${format === "slack" ? "slack webhook" : "webhook"} at ${originOf(url)}`;
  }

  async send(payload: unknown): Promise<DeliveryResult> {
    const outcome = await sendWithRetries(
      { url: this.url, method: "POST", headers: this.headers, body: JSON.stringify(payload) },
      { ...this.options, policy: httpRetryPolicy(this.options.attempts ?? 5) },
    );
    if (outcome.ok) return { ok: true, attempts: outcome.attempts };
    return { ok: false, attempts: outcome.attempts, reason: `${this.description}: ${outcome.problem}` };
  }
}
