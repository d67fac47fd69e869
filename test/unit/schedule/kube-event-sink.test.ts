import { describe, expect, test } from "vitest";
import type { ApiResponse, KubeWriteApi } from "../../../src/cluster/kube-api-client.js";
import { DeadlineExceededError, TransportError } from "../../../src/cluster/retry.js";
import type { EventWrite } from "../../../src/schedule/event-plan.js";
import { KubeEventSink } from "../../../src/schedule/kube-event-sink.js";
import { statusBody } from "../../helpers/status-body.js";

const SERVER = "https://kube.example:6443";

interface Request {
  method: string;
  path: string;
  body: unknown;
  contentType: string | undefined;
}

/** A stand-in API answering each write with the next reply (a response, or an error to throw). */
class FakeWrites implements KubeWriteApi {
  readonly server = SERVER;
  readonly requests: Request[] = [];
  constructor(private readonly replies: (ApiResponse | Error)[]) {}

  async sendJson(
    method: "POST" | "PUT" | "PATCH",
    path: string,
    body: unknown,
    contentType?: string,
  ): Promise<ApiResponse> {
    this.requests.push({ method, path, body, contentType });
    const reply = this.replies.shift();
    if (reply === undefined) throw new Error(`no reply left for ${method} ${path}`);
    if (reply instanceof Error) throw reply;
    return reply;
  }
}

const ok = (status: number): ApiResponse => ({ status, body: { kind: "Event" }, attempts: 1 });
const refused = (status: number, reason: string, message: string, attempts = 1): ApiResponse => ({
  status,
  body: statusBody(status, reason, message),
  attempts,
});

function eventWrite(verb: "create" | "bump", name: string): EventWrite {
  return {
    verb,
    object: { apiVersion: "apps/v1", kind: "Deployment", namespace: "shop", name },
    event: {
      apiVersion: "v1",
      kind: "Event",
      metadata: { name: `${name}.drift`, namespace: "shop" },
      involvedObject: { apiVersion: "apps/v1", kind: "Deployment", namespace: "shop", name },
      reason: "DriftDetected",
      message: "1 field drifted",
      count: 3,
      type: "Warning",
    },
    patch: { count: 3, lastTimestamp: "2026-03-02T11:00:00Z", message: "1 field drifted" },
  };
}

const EVENTS = "/api/v1/namespaces/shop/events";
const MERGE_PATCH = "application/merge-patch+json";

describe("KubeEventSink", () => {
  test("create: POST the whole Event", async () => {
    const api = new FakeWrites([ok(201)]);
    const write = eventWrite("create", "web");
    expect(await new KubeEventSink(api).write([write])).toEqual({ created: 1, updated: 0, failed: [] });
    expect(api.requests).toEqual([
      { method: "POST", path: EVENTS, body: write.event, contentType: undefined },
    ]);
  });

  test("create that finds the Event there (409): merge-patches it instead", async () => {
    const api = new FakeWrites([refused(409, "AlreadyExists", 'events "web.drift" already exists'), ok(200)]);
    const write = eventWrite("create", "web");
    expect(await new KubeEventSink(api).write([write])).toEqual({ created: 0, updated: 1, failed: [] });
    expect(api.requests[1]).toEqual({
      method: "PATCH",
      path: `${EVENTS}/web.drift`,
      body: write.patch,
      contentType: MERGE_PATCH,
    });
  });

  test("create whose retry got 409: its own first try landed, so it is created", async () => {
    const api = new FakeWrites([refused(409, "AlreadyExists", 'events "web.drift" already exists', 2)]);
    expect(await new KubeEventSink(api).write([eventWrite("create", "web")])).toEqual({
      created: 1,
      updated: 0,
      failed: [],
    });
    expect(api.requests.length).toBe(1);
  });

  test("bump: merge-patch the Event", async () => {
    const api = new FakeWrites([ok(200)]);
    const write = eventWrite("bump", "web");
    expect(await new KubeEventSink(api).write([write])).toEqual({ created: 0, updated: 1, failed: [] });
    expect(api.requests).toEqual([
      { method: "PATCH", path: `${EVENTS}/web.drift`, body: write.patch, contentType: MERGE_PATCH },
    ]);
  });

  test("bump of an Event the API server expired (404): POST the whole Event", async () => {
    const api = new FakeWrites([refused(404, "NotFound", 'events "web.drift" not found'), ok(201)]);
    const write = eventWrite("bump", "web");
    expect(await new KubeEventSink(api).write([write])).toEqual({ created: 1, updated: 0, failed: [] });
    expect(api.requests[1]).toEqual({
      method: "POST",
      path: EVENTS,
      body: write.event,
      contentType: undefined,
    });
  });

  test("failures are collected with the status and the server's message, and the other writes go on", async () => {
    const api = new FakeWrites([
      refused(
        403,
        "Forbidden",
        'events is forbidden: User "system:serviceaccount:drift:helm-drift" cannot create',
      ),
      ok(200),
      refused(500, "InternalError", "etcdserver: request timed out"),
      refused(422, "Invalid", 'Event "db.drift" is invalid: involvedObject.namespace: Invalid value'),
    ]);
    const writes = [
      eventWrite("create", "web"),
      eventWrite("bump", "api"),
      eventWrite("bump", "cache"),
      eventWrite("create", "db"),
    ];
    const result = await new KubeEventSink(api).write(writes);
    expect(result).toEqual({
      created: 0,
      updated: 1,
      failed: [
        {
          write: writes[0],
          reason:
            'HTTP 403: events is forbidden: User "system:serviceaccount:drift:helm-drift" cannot create',
        },
        { write: writes[2], reason: "HTTP 500: etcdserver: request timed out" },
        {
          write: writes[3],
          reason: 'HTTP 422: Event "db.drift" is invalid: involvedObject.namespace: Invalid value',
        },
      ],
    });
  });

  test("a status with no Status body is reported by its code alone, with the tries", async () => {
    const api = new FakeWrites([{ status: 503, body: null, attempts: 5 }]);
    const write = eventWrite("create", "web");
    expect((await new KubeEventSink(api).write([write])).failed).toEqual([
      { write, reason: "HTTP 503 (tried 5 times)" },
    ]);
  });

  test("the API server unreachable: that write fails, the ones left are not sent", async () => {
    const unreachable = new TransportError(
      `cannot reach the API server at ${SERVER}: connection refused`,
      false,
      false,
    );
    const api = new FakeWrites([ok(201), unreachable]);
    const writes = [eventWrite("create", "web"), eventWrite("bump", "api"), eventWrite("create", "db")];
    expect(await new KubeEventSink(api).write(writes)).toEqual({
      created: 1,
      updated: 0,
      failed: [
        { write: writes[1], reason: `cannot reach the API server at ${SERVER}: connection refused` },
        {
          write: writes[2],
          reason: `not sent: cannot reach the API server at ${SERVER}: connection refused`,
        },
      ],
    });
    expect(api.requests.length).toBe(2);
  });

  test("the run's deadline is thrown, not collected", async () => {
    const deadline = new DeadlineExceededError("the run's --timeout of 5m passed");
    const api = new FakeWrites([deadline]);
    await expect(new KubeEventSink(api).write([eventWrite("create", "web")])).rejects.toBe(deadline);
  });

  test("an error that is not a known failure (a bug) is thrown", async () => {
    const bug = new TypeError("Cannot read properties of undefined");
    await expect(new KubeEventSink(new FakeWrites([bug])).write([eventWrite("bump", "web")])).rejects.toBe(
      bug,
    );
  });

  test("no writes: nothing sent", async () => {
    const api = new FakeWrites([]);
    expect(await new KubeEventSink(api).write([])).toEqual({ created: 0, updated: 0, failed: [] });
    expect(api.requests).toEqual([]);
  });
});
