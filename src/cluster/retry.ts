import { setTimeout as sleepFor } from "node:timers/promises";
import { ClusterUnreachableError } from "../errors.js";
import { ApiServerError } from "./api-server-error.js";
import type { ApiResponse } from "./kube-api-client.js";

/**
 * How idempotent reads (GET, LIST, discovery) are retried, after client-go's rest client
 * (k8s.io/client-go/rest/with_retry.go, request.go): statuses that say "try again" and connections that broke
 * mid-answer are retried with capped exponential backoff and jitter, honouring the server's Retry-After;
 * 401, 403, 404 and every other answer are final. helm-drift never writes, so every request is a read.
 */
export interface RetryPolicy {
  /** Tries per request, the first one included. */
  attempts: number;
  /** Wait before the first retry; doubled for each further one. */
  baseDelayMs: number;
  /** The backoff never grows past this. */
  maxDelayMs: number;
  /** A longer Retry-After is cut to this (a server asking for an hour must not stall a check for an hour). */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  attempts: 5,
  baseDelayMs: 250,
  maxDelayMs: 4_000,
  maxRetryAfterMs: 10_000,
};

/** Time and chance, passed in so tests run without waiting. */
export interface RetryClock {
  /** Resolves after `ms`; rejects with the signal's reason when it is aborted first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** A number in [0, 1) for jitter. */
  random(): number;
}

export const systemClock: RetryClock = {
  sleep: (ms, signal) => sleepFor(ms, undefined, { signal }),
  random: Math.random,
};

/** 429 Too Many Requests, and the 5xx statuses a server or proxy uses for "not now" (client-go retries these). */
const RETRIED_STATUSES = new Set([429, 500, 502, 503, 504]);

/**
 * A request that failed without an answer. `retryable`: the connection broke or the body was cut short (an
 * idempotent read may be sent again); false for what another try cannot change (refused, DNS, TLS).
 * `truncated`: the server answered but the body ended early.
 */
export class TransportError extends ClusterUnreachableError {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly truncated: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * The run's `--timeout` passed. Ends the run (it is a ClusterUnreachableError, so fatal) with one line naming
 * what was still being read.
 */
export class DeadlineExceededError extends ClusterUnreachableError {}

/**
 * Retry-After in milliseconds: delay-seconds (RFC 9110 §10.2.3) or an HTTP date; null when absent or unusable.
 */
export function retryAfterMs(header: string | undefined, now: number = Date.now()): number | null {
  if (header === undefined) return null;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/** The wait before retry number `retry` (1-based): Retry-After when given (capped), else backoff with jitter. */
export function retryDelayMs(
  policy: RetryPolicy,
  retry: number,
  retryAfter: number | null,
  random: () => number,
): number {
  if (retryAfter !== null) return Math.min(retryAfter, policy.maxRetryAfterMs);
  const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  // "Equal jitter": at least half the backoff, so clients that failed together do not retry together.
  return Math.round(backoff / 2 + (random() * backoff) / 2);
}

/**
 * A 200 whose body is not a JSON object with a `kind`: every answer of the API server to a GET has one (an
 * object, a List, an APIResourceList, a Status), so this is a garbled answer (a body cut short, a proxy's page).
 */
function isGarbled(response: ApiResponse): boolean {
  const body = response.body;
  return (
    response.status === 200 &&
    (typeof body !== "object" ||
      body === null ||
      Array.isArray(body) ||
      typeof (body as { kind?: unknown }).kind !== "string")
  );
}

function isRetriedAnswer(response: ApiResponse): boolean {
  return RETRIED_STATUSES.has(response.status) || isGarbled(response);
}

export interface RetryContext {
  policy: RetryPolicy;
  clock: RetryClock;
  /** Aborted when the run's `--timeout` passes; its reason is thrown. */
  signal?: AbortSignal;
}

/**
 * Sends `GET path` until it gets a final answer or runs out of tries. Returns the last answer (a 503 after
 * the last try is returned, for the caller to report with the object it concerns), with `attempts` set. A
 * connection that keeps breaking throws the TransportError of the last try, naming the path and the tries;
 * a body cut short every time throws ApiServerError for this path only.
 */
export async function getWithRetries(
  path: string,
  send: () => Promise<ApiResponse>,
  context: RetryContext,
): Promise<ApiResponse> {
  const { policy, clock, signal } = context;
  for (let attempt = 1; ; attempt++) {
    signal?.throwIfAborted();
    let retryAfter: number | null = null;
    try {
      const response = await send();
      if (!isRetriedAnswer(response) || attempt >= policy.attempts) return { ...response, attempts: attempt };
      retryAfter = retryAfterMs(response.retryAfter);
    } catch (error) {
      signal?.throwIfAborted();
      if (!(error instanceof TransportError && error.retryable)) throw error;
      if (attempt >= policy.attempts) throw exhausted(error, path, attempt);
    }
    try {
      await clock.sleep(retryDelayMs(policy, attempt, retryAfter, clock.random), signal);
    } catch (error) {
      signal?.throwIfAborted();
      throw error;
    }
  }
}

function exhausted(error: TransportError, path: string, attempts: number): Error {
  const tries = `GET ${path}, tried ${attempts} times`;
  if (error.truncated) return new ApiServerError(`${error.message} (${tries})`, { cause: error });
  return new TransportError(`${error.message} (${tries})`, false, false, { cause: error });
}
