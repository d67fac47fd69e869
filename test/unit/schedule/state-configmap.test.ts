import { describe, expect, test } from "vitest";
import type { ApiResponse, KubeApi, KubeWriteApi } from "../../../src/cluster/kube-api-client.js";
import { DeadlineExceededError, TransportError } from "../../../src/cluster/retry.js";
import type { ReportState } from "../../../src/schedule/report-state.js";
import {
  ConfigMapStateStore,
  StateReadError,
  StateWriteError,
} from "../../../src/schedule/state-configmap.js";
import { statusBody } from "../../helpers/status-body.js";

const SERVER = "https://kube.example:6443";
const TARGET = { namespace: "drift", name: "helm-drift-state" };
const OBJECT_PATH = "/api/v1/namespaces/drift/configmaps/helm-drift-state";
const COLLECTION_PATH = "/api/v1/namespaces/drift/configmaps";

interface Request {
  method: string;
  path: string;
  body?: unknown;
}

/** An answer, a failure to throw, or either computed from the requests so far. */
type Reply = ApiResponse | Error | ((requests: readonly Request[]) => ApiResponse);

/** A stand-in API: answers each request with the next reply, recording the requests. */
class FakeKube implements KubeApi, KubeWriteApi {
  readonly server = SERVER;
  readonly requests: Request[] = [];
  constructor(private readonly replies: Reply[]) {}

  private next(request: Request): Promise<ApiResponse> {
    this.requests.push(request);
    const reply = this.replies.shift();
    if (reply === undefined) throw new Error(`no reply left for ${request.method} ${request.path}`);
    if (reply instanceof Error) return Promise.reject(reply);
    return Promise.resolve(typeof reply === "function" ? reply(this.requests) : reply);
  }

  getJson(path: string): Promise<ApiResponse> {
    return this.next({ method: "GET", path });
  }

  sendJson(method: "POST" | "PUT" | "PATCH", path: string, body: unknown): Promise<ApiResponse> {
    return this.next({ method, path, body });
  }

  /** The body of request `index`, which must have been sent. */
  sent(index: number): { metadata: Record<string, unknown>; data: Record<string, string> } {
    const request = this.requests[index];
    if (request === undefined) throw new Error(`no request ${index}`);
    return request.body as { metadata: Record<string, unknown>; data: Record<string, string> };
  }
}

const STATE: ReportState = {
  version: 1,
  findings: {},
  events: {},
  runs: { lastSuccess: "2026-03-02T10:00:00.000Z", failed: 2 },
};

const NEXT_STATE: ReportState = {
  version: 1,
  findings: {},
  events: {},
  runs: { lastSuccess: "2026-03-02T11:00:00.000Z", failed: 0 },
};

/** The ConfigMap as helm-drift's chart renders it (no data), after a few runs wrote their state into it. */
function configMap(data?: Record<string, string>) {
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: {
      name: TARGET.name,
      namespace: TARGET.namespace,
      resourceVersion: "4711",
      labels: { "app.kubernetes.io/managed-by": "Helm", "app.kubernetes.io/name": "helm-drift" },
      annotations: { "meta.helm.sh/release-name": "helm-drift", "meta.helm.sh/release-namespace": "drift" },
      managedFields: [{ manager: "helm", operation: "Update" }],
    },
    ...(data === undefined ? {} : { data }),
  };
}

const found = (body: unknown): ApiResponse => ({ status: 200, body, attempts: 1 });
const answer = (status: number, reason: string, message: string, attempts = 1): ApiResponse => ({
  status,
  body: statusBody(status, reason, message),
  attempts,
});
const FORBIDDEN_GET = answer(
  403,
  "Forbidden",
  'configmaps "helm-drift-state" is forbidden: User "system:serviceaccount:drift:helm-drift" cannot get resource "configmaps"',
);

describe("ConfigMapStateStore.load", () => {
  test("404: a first run, no resourceVersion", async () => {
    const api = new FakeKube([answer(404, "NotFound", 'configmaps "helm-drift-state" not found')]);
    const store = new ConfigMapStateStore(api, TARGET);
    expect(store.where).toBe("drift/helm-drift-state");
    expect(await store.load()).toEqual({
      state: null,
      firstRunReason: "no state ConfigMap drift/helm-drift-state yet",
      resourceVersion: null,
    });
    expect(api.requests).toEqual([{ method: "GET", path: OBJECT_PATH }]);
  });

  test("200 with the state: the state and the resourceVersion", async () => {
    const api = new FakeKube([found(configMap({ "state.json": JSON.stringify(STATE) }))]);
    expect(await new ConfigMapStateStore(api, TARGET).load()).toEqual({
      state: STATE,
      firstRunReason: null,
      resourceVersion: "4711",
    });
  });

  test("200 as the chart rendered it, with no data: a first run that keeps the resourceVersion", async () => {
    const api = new FakeKube([found(configMap())]);
    expect(await new ConfigMapStateStore(api, TARGET).load()).toEqual({
      state: null,
      firstRunReason: "no state in ConfigMap drift/helm-drift-state yet",
      resourceVersion: "4711",
    });
  });

  test("200 with a corrupt state: a first run saying it is unreadable", async () => {
    const api = new FakeKube([found(configMap({ "state.json": "{not json" }))]);
    expect(await new ConfigMapStateStore(api, TARGET).load()).toEqual({
      state: null,
      firstRunReason: "the state in ConfigMap drift/helm-drift-state is unreadable: not JSON",
      resourceVersion: "4711",
    });
  });

  test("403: StateReadError naming the ConfigMap and the server's reason", async () => {
    const error = await new ConfigMapStateStore(new FakeKube([FORBIDDEN_GET]), TARGET)
      .load()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StateReadError);
    expect((error as Error).message).toBe(
      "cannot read the state ConfigMap drift/helm-drift-state: the ServiceAccount may not get it (HTTP 403: " +
        'configmaps "helm-drift-state" is forbidden: User "system:serviceaccount:drift:helm-drift" cannot get ' +
        'resource "configmaps")',
    );
  });

  test("500 after the retries: StateReadError with the status, message and tries", async () => {
    const api = new FakeKube([answer(500, "InternalError", "etcdserver: request timed out", 5)]);
    await expect(new ConfigMapStateStore(api, TARGET).load()).rejects.toThrow(
      new StateReadError("drift/helm-drift-state", "HTTP 500: etcdserver: request timed out (tried 5 times)"),
    );
  });

  test("an answer that is not a ConfigMap: StateReadError", async () => {
    const api = new FakeKube([found("<html>proxy</html>")]);
    await expect(new ConfigMapStateStore(api, TARGET).load()).rejects.toThrow(
      "cannot read the state ConfigMap drift/helm-drift-state: the API server's answer is not a ConfigMap",
    );
  });

  test("the API server unreachable: StateReadError carrying the cause", async () => {
    const cause = new TransportError(
      `cannot reach the API server at ${SERVER}: connection refused`,
      false,
      false,
    );
    const error = await new ConfigMapStateStore(new FakeKube([cause]), TARGET)
      .load()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StateReadError);
    expect((error as Error).message).toBe(
      `cannot read the state ConfigMap drift/helm-drift-state: cannot reach the API server at ${SERVER}: connection refused`,
    );
    expect((error as Error).cause).toBe(cause);
  });

  test("the run's deadline passes through unchanged", async () => {
    const deadline = new DeadlineExceededError("the run's --timeout of 5m passed");
    await expect(new ConfigMapStateStore(new FakeKube([deadline]), TARGET).load()).rejects.toBe(deadline);
  });
});

describe("ConfigMapStateStore.save", () => {
  test("when there was no ConfigMap: POST one labelled managed-by helm-drift, holding the state", async () => {
    const api = new FakeKube([answer(404, "NotFound", "not found"), { status: 201, body: {}, attempts: 1 }]);
    const store = new ConfigMapStateStore(api, TARGET);
    await store.save(NEXT_STATE, await store.load());
    expect([api.requests[1]?.method, api.requests[1]?.path]).toEqual(["POST", COLLECTION_PATH]);
    const body = api.sent(1);
    expect(body.metadata).toEqual({
      name: "helm-drift-state",
      namespace: "drift",
      labels: { "app.kubernetes.io/managed-by": "helm-drift" },
    });
    expect(Object.keys(body.data)).toEqual(["state.json"]);
    expect(JSON.parse(body.data["state.json"] ?? "")).toEqual(NEXT_STATE);
  });

  test("when it exists: PUT it with its resourceVersion, Helm's labels and annotations and other data kept", async () => {
    const api = new FakeKube([
      found(configMap({ "state.json": JSON.stringify(STATE), "notes.txt": "kept" })),
      found(configMap()),
    ]);
    const store = new ConfigMapStateStore(api, TARGET);
    await store.save(NEXT_STATE, await store.load());
    expect([api.requests[1]?.method, api.requests[1]?.path]).toEqual(["PUT", OBJECT_PATH]);
    const { data, ...rest } = api.sent(1);
    const { managedFields: _, ...metadata } = configMap().metadata;
    expect(rest).toEqual({ apiVersion: "v1", kind: "ConfigMap", metadata });
    expect(data["notes.txt"]).toBe("kept");
    expect(JSON.parse(data["state.json"] ?? "")).toEqual(NEXT_STATE);
  });

  test("when it exists without data (as the chart renders it): PUT adds the data", async () => {
    const api = new FakeKube([found(configMap()), found(configMap())]);
    const store = new ConfigMapStateStore(api, TARGET);
    const loaded = await store.load();
    await store.save(NEXT_STATE, loaded);
    const put = api.sent(1);
    expect(put.metadata.resourceVersion).toBe("4711");
    expect(Object.keys(put.data)).toEqual(["state.json"]);
  });

  test("409 on the PUT: someone else changed it since this run read it", async () => {
    const api = new FakeKube([
      found(configMap({ "state.json": JSON.stringify(STATE) })),
      answer(
        409,
        "Conflict",
        "the object has been modified; please apply your changes to the latest version",
      ),
    ]);
    const store = new ConfigMapStateStore(api, TARGET);
    const error = await store.save(NEXT_STATE, await store.load()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StateWriteError);
    expect((error as Error).message).toBe(
      "cannot write the state ConfigMap drift/helm-drift-state: it was changed by someone else since this run " +
        "read it (two runs at once?)",
    );
  });

  test("409 on a POST that was retried, and the ConfigMap holds this run's state: done", async () => {
    const api = new FakeKube([
      answer(404, "NotFound", "not found"),
      answer(409, "AlreadyExists", 'configmaps "helm-drift-state" already exists', 2),
      // The re-read finds what the first try, whose answer was lost, wrote: the data this run sent.
      (requests) =>
        found(configMap((requests[1]?.body as { data: Record<string, string> } | undefined)?.data)),
    ]);
    const store = new ConfigMapStateStore(api, TARGET);
    await expect(store.save(NEXT_STATE, await store.load())).resolves.toBeUndefined();
    expect(api.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET ${OBJECT_PATH}`,
      `POST ${COLLECTION_PATH}`,
      `GET ${OBJECT_PATH}`,
    ]);
  });

  test("409 on a POST that was retried, and the ConfigMap holds another state: conflict", async () => {
    const api = new FakeKube([
      answer(404, "NotFound", "not found"),
      answer(409, "AlreadyExists", 'configmaps "helm-drift-state" already exists', 2),
      found(configMap({ "state.json": JSON.stringify(STATE) })),
    ]);
    const store = new ConfigMapStateStore(api, TARGET);
    await expect(store.save(NEXT_STATE, await store.load())).rejects.toThrow(
      "it was changed by someone else since this run read it (two runs at once?)",
    );
  });

  test("403 on the POST: the ServiceAccount may not create it; the chart creates it", async () => {
    const api = new FakeKube([
      answer(404, "NotFound", "not found"),
      answer(
        403,
        "Forbidden",
        'configmaps is forbidden: User "system:serviceaccount:drift:helm-drift" cannot create resource "configmaps"',
      ),
    ]);
    const store = new ConfigMapStateStore(api, TARGET);
    const error = await store.save(NEXT_STATE, await store.load()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StateWriteError);
    expect((error as Error).message).toBe(
      "cannot write the state ConfigMap drift/helm-drift-state: the ServiceAccount may not create it (HTTP 403: " +
        'configmaps is forbidden: User "system:serviceaccount:drift:helm-drift" cannot create resource ' +
        "\"configmaps\"); helm-drift's chart creates it, and a `helm upgrade` of helm-drift's release restores it",
    );
  });

  test("404 on the PUT: it was deleted since this run read it", async () => {
    const api = new FakeKube([found(configMap()), answer(404, "NotFound", "not found")]);
    const store = new ConfigMapStateStore(api, TARGET);
    await expect(store.save(NEXT_STATE, await store.load())).rejects.toThrow(
      new StateWriteError("drift/helm-drift-state", "it was deleted since this run read it"),
    );
  });

  test("a LoadedState this store did not read is a bug, not a write", async () => {
    const api = new FakeKube([]);
    const loaded = { state: STATE, firstRunReason: null, resourceVersion: "1" };
    await expect(new ConfigMapStateStore(api, TARGET).save(NEXT_STATE, loaded)).rejects.toThrow(
      "ConfigMapStateStore.save: the LoadedState of drift/helm-drift-state was not read by this store",
    );
    expect(api.requests).toEqual([]);
  });
});
