import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { ApiServerError } from "../../../src/cluster/api-server-error.js";
import { KubeApiClient } from "../../../src/cluster/kube-api-client.js";
import { KubeClusterReader } from "../../../src/cluster/kube-cluster-reader.js";
import { DEFAULT_RETRY_POLICY, DeadlineExceededError, type RetryClock } from "../../../src/cluster/retry.js";
import { checkReleases } from "../../../src/core/check-releases.js";
import { exitCodeFor } from "../../../src/core/exit-code.js";
import { ClusterUnreachableError } from "../../../src/errors.js";
import type { DriftReport } from "../../../src/model/report.js";
import { givenShopRelease } from "../../helpers/given-release.js";
import { FAULTS, type Fault, type FaultServer, MANIFEST, PATHS, startFaultServer } from "./fault-server.js";

/** Sleeps recorded, not waited for. */
function recordingClock(): RetryClock & { waits: number[] } {
  const waits: number[] = [];
  return {
    waits,
    sleep: async (ms) => {
      waits.push(ms);
    },
    random: () => 0.5,
  };
}

let server: FaultServer;
let clock: ReturnType<typeof recordingClock>;
beforeEach(async () => {
  server = await startFaultServer();
  clock = recordingClock();
});
afterEach(() => server.close());

const api = () => new KubeApiClient(server.kubeConfig, { timeoutMs: 300, clock });

async function check(): Promise<DriftReport> {
  return checkReleases(givenShopRelease(MANIFEST), {
    reader: new KubeClusterReader(api()),
    now: () => new Date(0),
  });
}

const TRIES = DEFAULT_RETRY_POLICY.attempts;
/** Retried faults (all but 401 and 403): one of them is absorbed by a retry. */
const RETRIED: Fault[] = FAULTS.filter((fault) => fault !== "401" && fault !== "403");
/** Faults that broke the connection itself: still there after every try, they end the run (exit 1). */
const CONNECTION: Fault[] = ["reset", "stall"];

describe("without a fault both objects are in sync (the answer every fault is held to)", () => {
  test("InSync, exit 0, one request per path", async () => {
    const report = await check();
    expect(report.releases[0]?.status).toBe("InSync");
    expect(report.releases[0]?.resources.map((r) => r.status)).toEqual(["InSync", "InSync"]);
    expect(exitCodeFor(report, "low")).toBe(0);
    expect(server.hits.get(PATHS.discovery)).toBe(1);
  });
});

describe.each([
  ["discovery", PATHS.discovery],
  ["object GET", PATHS.get],
] as const)("a fault on %s (%s)", (_, path) => {
  test.each(RETRIED)("one %s: retried, the same answer as without it", async (fault) => {
    const baseline = await check();
    server.hits.clear();
    server.inject(path, fault, 1);
    const report = await check();
    expect(report).toEqual(baseline);
    expect(exitCodeFor(report, "low")).toBe(0);
    expect(server.hits.get(path)).toBe(2);
    expect(clock.waits).toEqual([fault === "429" ? 1000 : 188]);
  });

  test.each(RETRIED.filter((fault) => !CONNECTION.includes(fault)))(
    "%s every time: the Role is Unreadable naming the path, never Missing; Incomplete, exit 1 even with --fail-on critical",
    async (fault) => {
      server.inject(path, fault, Infinity);
      const report = await check();
      const [configMap, role] = report.releases[0]?.resources ?? [];
      expect(configMap?.status).toBe("InSync");
      expect(role?.status).toBe("Unreadable");
      expect(role?.reason?.code).toBe("read-failed");
      expect(role?.reason && "detail" in role.reason ? role.reason.detail : "").toContain(`GET ${path}`);
      expect(report.releases[0]?.status).toBe("Incomplete");
      expect(exitCodeFor(report, "critical")).toBe(1);
      expect(server.hits.get(path)).toBe(TRIES);
    },
  );

  test.each(CONNECTION)("%s every time: the run ends, naming the path and the tries", async (fault) => {
    server.inject(path, fault, Infinity);
    const error = await check().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClusterUnreachableError);
    expect((error as Error).message).toMatch(
      new RegExp(
        `^cannot reach the API server at ${server.url}: .* \\(GET ${path}, tried ${TRIES} times\\)$`,
      ),
    );
    expect(server.hits.get(path)).toBe(TRIES);
  });

  test("401: not retried; the run ends (the credentials will not work for anything else either)", async () => {
    server.inject(path, "401", 1);
    await expect(check()).rejects.toThrow(
      new ClusterUnreachableError(
        `unauthorized: the API server at ${server.url} did not accept the credentials (HTTP 401)`,
      ),
    );
    expect(server.hits.get(path)).toBe(1);
  });

  test("403: not retried; the Role is Unreadable (forbidden), never Missing; Incomplete, exit 1", async () => {
    server.inject(path, "403", 1);
    const report = await check();
    const role = report.releases[0]?.resources[1];
    expect(role?.status).toBe("Unreadable");
    expect(role?.reason).toEqual(
      path === PATHS.get
        ? { code: "forbidden", detail: `forbidden: User "drift" cannot get path "${path}"` }
        : {
            code: "forbidden",
            detail: `cannot tell whether the cluster serves rbac.authorization.k8s.io/v1: forbidden: User "drift" cannot get path "${path}"`,
          },
    );
    expect(report.releases[0]?.status).toBe("Incomplete");
    expect(exitCodeFor(report, "critical")).toBe(1);
    expect(server.hits.get(path)).toBe(1);
  });
});

describe("a fault on a LIST (GET /api/v1/namespaces/shop/configmaps)", () => {
  const scope = { apiVersion: "v1", kind: "ConfigMap", namespace: "shop" };
  const list = () => new KubeClusterReader(api()).list(scope);

  test.each(RETRIED)("one %s: retried, the same page as without it", async (fault) => {
    const baseline = await list();
    expect(baseline.status === "listed" && baseline.items.map((item) => item.metadata.name)).toEqual([
      "settings",
    ]);
    server.inject(PATHS.list, fault, 1);
    await expect(list()).resolves.toEqual(baseline);
  });

  test.each(RETRIED.filter((fault) => !CONNECTION.includes(fault)))(
    "%s every time: ApiServerError naming the path, never an empty list",
    async (fault) => {
      server.inject(PATHS.list, fault, Infinity);
      const error = await list().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApiServerError);
      expect((error as Error).message).toContain(`GET ${PATHS.list}`);
    },
  );

  test.each(CONNECTION)("%s every time: the run ends, naming the path and the tries", async (fault) => {
    server.inject(PATHS.list, fault, Infinity);
    const error = await list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClusterUnreachableError);
    expect((error as Error).message).toContain(`(GET ${PATHS.list}, tried ${TRIES} times)`);
  });

  test("401: not retried; the run ends", async () => {
    server.inject(PATHS.list, "401", 1);
    await expect(list()).rejects.toBeInstanceOf(ClusterUnreachableError);
    expect(server.hits.get(PATHS.list)).toBe(1);
  });

  test("403: forbidden with the server's words, not retried", async () => {
    server.inject(PATHS.list, "403", 1);
    await expect(list()).resolves.toEqual({
      status: "forbidden",
      reason: `forbidden: User "drift" cannot get path "${PATHS.list}"`,
    });
    expect(server.hits.get(PATHS.list)).toBe(1);
  });
});

describe("Retry-After and the run's deadline", () => {
  test("a Retry-After of an hour is cut to the policy's cap", async () => {
    const capped = new KubeApiClient(server.kubeConfig, {
      clock,
      retry: { ...DEFAULT_RETRY_POLICY, maxRetryAfterMs: 2_000 },
    });
    server.inject(PATHS.discovery, "429", 2);
    await expect(capped.getJson(PATHS.discovery)).resolves.toMatchObject({ status: 200, attempts: 3 });
    expect(clock.waits).toEqual([1000, 1000]);
  });

  test("aborting the deadline ends a request in flight with the deadline's error; pending() named it", async () => {
    const deadline = new AbortController();
    const client = new KubeApiClient(server.kubeConfig, { signal: deadline.signal, clock });
    server.inject(PATHS.get, "stall", Infinity);
    const reading = client.getJson(PATHS.get);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(client.pending()).toEqual([PATHS.get]);
    const error = new DeadlineExceededError("the check did not finish within --timeout 1s");
    deadline.abort(error);
    await expect(reading).rejects.toBe(error);
    expect(client.pending()).toEqual([]);
  });
});

describe("a body cut short under its full Content-Length, then the connection closed", () => {
  test("is retried at once, not after the 30 s per-request timeout", async () => {
    // The default per-request timeout (30 s): only a read that fails when the socket closes ends in time.
    const client = new KubeApiClient(server.kubeConfig, { clock });
    server.inject(PATHS.get, "truncated-length", 1);
    const started = performance.now();
    const answer = await client.getJson(PATHS.get);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(answer).toMatchObject({ status: 200, attempts: 2, body: { kind: "Role" } });
    expect(clock.waits).toEqual([188]);
  });

  test("every time: the read fails as cut short, naming the path, after every try and no timeout", async () => {
    const client = new KubeApiClient(server.kubeConfig, { clock });
    server.inject(PATHS.get, "truncated-length", Infinity);
    const started = performance.now();
    const error = await client.getJson(PATHS.get).catch((e: unknown) => e);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(error).toBeInstanceOf(ApiServerError);
    expect((error as Error).message).toBe(
      `the API server at ${server.url} closed the connection before the whole answer arrived ` +
        `(GET ${PATHS.get}, tried ${TRIES} times)`,
    );
  });
});
