import { KubeConfig } from "@kubernetes/client-node";
import { describe, expect, test } from "vitest";
import { KubeApiClient } from "../../../src/cluster/kube-api-client.js";
import { type RetryClock, TransportError } from "../../../src/cluster/retry.js";
import { ClusterUnreachableError } from "../../../src/errors.js";
import {
  type Answer,
  closedPort,
  recordingClock,
  scriptedServer,
} from "../../helpers/scripted-http-server.js";
import { statusBodyJson } from "../../helpers/status-body.js";

/** What the stand-in API server received. */
interface Received {
  method: string;
  path: string;
  contentType: string | undefined;
  authorization: string | undefined;
  body: string;
}

const json =
  (status: number, body: string, headers: Record<string, string> = {}): Answer =>
  (res) => {
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(body);
  };
const reset: Answer = (_res, req) => req.socket.resetAndDestroy();

const CREATED = JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "state" } });
const TOO_MANY = statusBodyJson(429, "TooManyRequests", "too many requests");
const UNAVAILABLE = statusBodyJson(
  503,
  "ServiceUnavailable",
  "the server is currently unable to handle the request",
);
const INTERNAL = statusBodyJson(500, "InternalError", "etcdserver: request timed out");
const TIMEOUT = statusBodyJson(
  504,
  "Timeout",
  "the server was unable to return a response in the time allotted",
);

/** A plain-HTTP API server on 127.0.0.1 answering each request with the next of `answers` (the last repeats). */
async function apiServer(answers: Answer[]): Promise<{ server: string; received: Received[] }> {
  const { origin, received } = await scriptedServer(answers, (request) => ({
    method: request.method,
    path: request.path,
    contentType: request.headers["content-type"],
    authorization: request.headers.authorization,
    body: request.body,
  }));
  return { server: origin, received };
}

/** client-node accepts an http:// server when insecure-skip-tls-verify is set. */
function kubeConfigFor(server: string): KubeConfig {
  const config = new KubeConfig();
  config.loadFromOptions({
    clusters: [{ name: "c", server, skipTLSVerify: true }],
    users: [{ name: "u", token: "t0ken" }],
    contexts: [{ name: "ctx", cluster: "c", user: "u" }],
    currentContext: "ctx",
  });
  return config;
}

/** A clock that records the waits and never waits. */

const RETRY = { attempts: 3, baseDelayMs: 100, maxDelayMs: 1_000, maxRetryAfterMs: 5_000 };
const PATH = "/api/v1/namespaces/drift/configmaps";

function clientFor(server: string, clock: RetryClock, signal?: AbortSignal): KubeApiClient {
  return new KubeApiClient(kubeConfigFor(server), { retry: RETRY, clock, timeoutMs: 2_000, signal });
}

describe("KubeApiClient.sendJson", () => {
  test("sends the method, path (helm-drift as field manager), JSON body, content type and the kubeconfig's token", async () => {
    const { server, received } = await apiServer([json(201, CREATED)]);
    const response = await clientFor(server, recordingClock()).sendJson("POST", PATH, { data: { a: "1" } });
    expect(response).toEqual({ status: 201, body: JSON.parse(CREATED), attempts: 1 });
    expect(received).toEqual([
      {
        method: "POST",
        path: `${PATH}?fieldManager=helm-drift`,
        contentType: "application/json",
        authorization: "Bearer t0ken",
        body: '{"data":{"a":"1"}}',
      },
    ]);
  });

  test("a PATCH carries the content type it is given", async () => {
    const { server, received } = await apiServer([json(200, CREATED)]);
    const response = await clientFor(server, recordingClock()).sendJson(
      "PATCH",
      `${PATH}/state`,
      { data: { a: "2" } },
      "application/merge-patch+json",
    );
    expect(response.status).toBe(200);
    expect(received.map((r) => [r.method, r.contentType, r.body])).toEqual([
      ["PATCH", "application/merge-patch+json", '{"data":{"a":"2"}}'],
    ]);
  });

  test("429 is retried after its Retry-After, then succeeds", async () => {
    const { server, received } = await apiServer([
      json(429, TOO_MANY, { "retry-after": "2" }),
      json(201, CREATED),
    ]);
    const clock = recordingClock();
    const response = await clientFor(server, clock).sendJson("POST", PATH, {});
    expect(response.status).toBe(201);
    expect(response.attempts).toBe(2);
    expect(clock.waits).toEqual([2_000]);
    expect(received.length).toBe(2);
  });

  test("503 is retried with backoff (PUT)", async () => {
    const { server, received } = await apiServer([json(503, UNAVAILABLE), json(200, CREATED)]);
    const clock = recordingClock();
    const response = await clientFor(server, clock).sendJson("PUT", `${PATH}/state`, {});
    expect([response.status, response.attempts]).toEqual([200, 2]);
    expect(clock.waits).toEqual([75]); // equal jitter of the 100 ms backoff, random 0.5
    expect(received.map((r) => r.method)).toEqual(["PUT", "PUT"]);
  });

  test("503 every time returns the last 503 after the policy's tries", async () => {
    const { server, received } = await apiServer([json(503, UNAVAILABLE)]);
    const response = await clientFor(server, recordingClock()).sendJson("PATCH", `${PATH}/state`, {});
    expect([response.status, response.attempts]).toEqual([503, 3]);
    expect(received.length).toBe(3);
  });

  test.each([
    ["POST", 500, INTERNAL],
    ["POST", 504, TIMEOUT],
    ["PUT", 500, INTERNAL],
    ["PATCH", 504, TIMEOUT],
  ] as const)("%s answered %d is not retried: it may have been applied", async (method, status, body) => {
    const { server, received } = await apiServer([json(status, body), json(201, CREATED)]);
    const clock = recordingClock();
    const response = await clientFor(server, clock).sendJson(method, PATH, {});
    expect([response.status, response.attempts]).toEqual([status, 1]);
    expect(received.length).toBe(1);
    expect(clock.waits).toEqual([]);
  });

  test("a connection reset before the answer is retried", async () => {
    const { server, received } = await apiServer([reset, json(200, CREATED)]);
    const response = await clientFor(server, recordingClock()).sendJson("PUT", `${PATH}/state`, {});
    expect([response.status, response.attempts]).toEqual([200, 2]);
    expect(received.length).toBe(2);
  });

  test("a connection reset every time throws a TransportError naming the method, path and tries", async () => {
    const { server } = await apiServer([reset]);
    const error = await clientFor(server, recordingClock())
      .sendJson("POST", PATH, {})
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
    expect((error as Error).message).toBe(
      `cannot reach the API server at ${server}: connection reset (POST ${PATH}, tried 3 times)`,
    );
  });

  test("an answer that does not come before the per-request timeout is retried, then throws", async () => {
    const { server, received } = await apiServer([() => {}]);
    const client = new KubeApiClient(kubeConfigFor(server), {
      retry: { ...RETRY, attempts: 2 },
      clock: recordingClock(),
      timeoutMs: 200,
    });
    const error = await client.sendJson("PATCH", `${PATH}/state`, {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
    expect((error as Error).message).toBe(
      `cannot reach the API server at ${server}: no answer before the timeout (PATCH ${PATH}/state, tried 2 times)`,
    );
    expect(received.length).toBe(2);
  });

  test("a refused connection is final: not retried", async () => {
    const server = `http://127.0.0.1:${await closedPort()}`;
    const clock = recordingClock();
    const error = await clientFor(server, clock)
      .sendJson("POST", PATH, {})
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClusterUnreachableError);
    expect((error as Error).message).toBe(`cannot reach the API server at ${server}: connection refused`);
    expect(clock.waits).toEqual([]);
  });

  test("the run's signal, aborted during a wait, ends it with its reason", async () => {
    const { server, received } = await apiServer([json(503, UNAVAILABLE)]);
    const run = new AbortController();
    const deadline = new Error("the run's --timeout passed");
    const clock: RetryClock = {
      random: () => 0.5,
      sleep: (_ms, signal) =>
        new Promise<void>((_resolve, reject) => {
          signal?.addEventListener("abort", () => reject(signal.reason), { once: true });
          run.abort(deadline);
        }),
    };
    await expect(clientFor(server, clock, run.signal).sendJson("PUT", `${PATH}/state`, {})).rejects.toBe(
      deadline,
    );
    expect(received.length).toBe(1);
  });
});
