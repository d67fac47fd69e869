/**
 * The fault matrix of test/unit/cluster/api-faults.test.ts, against the real kube-apiserver: a proxy on
 * 127.0.0.1 (fault-proxy.ts) forwards the built CLI's requests — and helm's, under `--desired-from helm` — to
 * the real API server and injects one fault into the first matching request (once) or every one (always).
 * Each run must give the same answer as the run without a fault (the same JSON report apart from
 * generatedAt, the same exit code), or exit 1 naming what it could not read; never a different answer.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { isDeepStrictEqual } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import type { DriftReport } from "../../src/model/report.js";
import {
  FAULTS,
  type Fault,
  FaultProxy,
  type FaultRule,
  serverCertificate,
  type TlsFiles,
} from "./fault-proxy.js";
import {
  cluster,
  clusterBin,
  freshNamespaceTimed,
  helmDriftTimed,
  kubectlTimed,
  okTimed,
  type Result,
  repoPath,
  uninstallRelease,
} from "./harness.js";

const RELEASE = "fm";
const DEPLOYMENT = `${RELEASE}-webapp`;
/**
 * The whole run's limit. The per-request timeout is 30 s and has no flag, so a stalled request ends the run
 * at --timeout, naming the request (exit 1); 15 s keeps the stall cases short.
 */
const RUN_TIMEOUT = "15s";
/** helm-drift processes (each with its helm) at once: the machine has 2 cores. */
const PARALLEL = 4;

type DesiredFrom = "helm" | "secrets";
interface Target {
  name: string;
  desiredFrom: DesiredFrom;
  method: string;
  /** The path the fault applies to (a RegExp over path and query), given the namespace. */
  path: (ns: string) => RegExp;
  /** What an exit 1 must name: the request helm-drift could not read, or the helm command that failed. */
  names: (ns: string) => RegExp;
}

const regexpEscape = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

const TARGETS: Target[] = [
  {
    name: "discovery",
    desiredFrom: "secrets",
    method: "GET",
    path: () => /^\/apis\/apps\/v1(\?|$)/,
    names: () => /\/apis\/apps\/v1\b/,
  },
  {
    name: "object GET",
    desiredFrom: "secrets",
    method: "GET",
    path: (ns) =>
      new RegExp(`^${regexpEscape(`/apis/apps/v1/namespaces/${ns}/deployments/${DEPLOYMENT}`)}(\\?|$)`),
    names: (ns) => new RegExp(regexpEscape(`/apis/apps/v1/namespaces/${ns}/deployments/${DEPLOYMENT}`)),
  },
  {
    name: "release Secret list",
    desiredFrom: "secrets",
    method: "GET",
    path: (ns) => new RegExp(`^${regexpEscape(`/api/v1/namespaces/${ns}/secrets?`)}.*labelSelector=owner`),
    names: (ns) =>
      new RegExp(
        `${regexpEscape(`/api/v1/namespaces/${ns}/secrets`)}|cannot list Secrets in namespace "${regexpEscape(ns)}"`,
      ),
  },
  {
    name: "helm CLI",
    desiredFrom: "helm",
    method: "GET",
    // helm reads its release storage (Secrets); helm-drift itself reads none under --desired-from helm.
    path: (ns) => new RegExp(`^${regexpEscape(`/api/v1/namespaces/${ns}/secrets`)}(\\?|$)`),
    // helm reads a malformed Secret list as empty; helm-drift's own read of the storage contradicts it.
    // helm-drift's own read of the storage then also meets the fault, and names it.
    names: () =>
      /\bhelm [a-z]+( [a-z]+)? (failed\b|\(stopped\))|helm list found no release|cannot list Secrets in namespace/,
  },
];
const MODES = { once: 1, always: Number.POSITIVE_INFINITY } as const;
type Mode = keyof typeof MODES;

type Outcome = "same answer" | "exit 1 naming the read" | "different answer" | "no end by --timeout";

interface Case {
  target: Target;
  fault: Fault;
  mode: Mode;
}
const CASES: Case[] = TARGETS.flatMap((target) =>
  FAULTS.flatMap((fault) => (Object.keys(MODES) as Mode[]).map((mode) => ({ target, fault, mode }))),
);

/** The JSON report without what changes from run to run. */
function answerOf(result: Result): unknown {
  if (result.stdout.trim() === "") return null;
  const report = JSON.parse(result.stdout) as { generatedAt?: unknown; desiredFrom?: unknown };
  // The same answer whichever source read it: the two modes' baselines are compared too.
  const { generatedAt: _when, desiredFrom: _source, ...rest } = report;
  return rest;
}

/**
 * Whether an exit 1 says what could not be read: its error line names the request (or the helm command), or
 * says the credentials were refused (401 ends the run: nothing at that server can be read), or the JSON report
 * has the Deployment `Unreadable` (discovery and object GET: the objects a failed read concerns).
 */
function namesTheRead(result: Result, names: RegExp): boolean {
  if (
    names.test(result.stderr) ||
    /^helm-drift: unauthorized: the API server at \S+ did not accept/.test(result.stderr)
  )
    return true;
  if (result.stdout.trim() === "") return false;
  const report = JSON.parse(result.stdout) as DriftReport;
  return report.releases.some((release) =>
    release.resources.some(
      (resource) =>
        resource.kind === "Deployment" && resource.name === DEPLOYMENT && resource.status === "Unreadable",
    ),
  );
}

/** A small semaphore: vitest's maxConcurrency is for the whole project. */
function limiter(slots: number): <T>(work: () => Promise<T>) => Promise<T> {
  const waiting: (() => void)[] = [];
  let free = slots;
  return async (work) => {
    if (free === 0) await new Promise<void>((resolve) => waiting.push(resolve));
    else free--;
    try {
      return await work();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else free++;
    }
  };
}

describe.skipIf(!cluster.available)("the fault matrix against the real kube-apiserver", () => {
  let work: string;
  let ns: string;
  let tls: TlsFiles;
  let upstream: string;
  let kubeconfig: Record<string, unknown>;
  const baseline = new Map<DesiredFrom, Result>();
  const outcomes: { name: string; outcome: Outcome }[] = [];
  const slot = limiter(PARALLEL);

  /** Runs the check through a proxy with `rules`; returns the result and the proxy's record. */
  async function checkThrough(
    name: string,
    desiredFrom: DesiredFrom,
    rules: FaultRule[],
  ): Promise<{ result: Result; proxy: FaultProxy }> {
    const proxy = await FaultProxy.start(upstream, tls, rules);
    try {
      const config = structuredClone(kubeconfig) as { clusters: { cluster: { server: string } }[] };
      for (const entry of config.clusters) entry.cluster.server = proxy.url;
      const file = path.join(work, `${name.replace(/[^a-z0-9]+/gi, "-")}.kubeconfig`);
      writeFileSync(file, stringify(config), { mode: 0o600 });
      const result = await helmDriftTimed(
        [
          "check",
          "-n",
          ns,
          "--kubeconfig",
          file,
          "--desired-from",
          desiredFrom,
          "--timeout",
          RUN_TIMEOUT,
          "-o",
          "json",
        ],
        // --timeout plus a margin: a run still going then has not ended at its own deadline.
        { env: { KUBECONFIG: file }, timeoutMs: 35_000 },
      );
      return { result, proxy };
    } finally {
      await proxy.close();
    }
  }

  beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), "fault-matrix-"));
    const state = path.dirname(cluster.kubeconfig);
    tls = serverCertificate(path.join(state, "pki"), work);
    kubeconfig = parse(readFileSync(cluster.kubeconfig, "utf8")) as Record<string, unknown>;
    upstream = (kubeconfig as { clusters: { cluster: { server: string } }[] }).clusters[0]?.cluster
      .server as string;
    ns = await freshNamespaceTimed("fault-matrix");
    await okTimed(
      clusterBin("helm"),
      [
        "install",
        RELEASE,
        repoPath("test/e2e/charts/webapp"),
        "-n",
        ns,
        "-f",
        repoPath("test/e2e/charts/webapp/ci/drift-values.yaml"),
      ],
      { timeoutMs: 120_000 },
    );
    await kubectlTimed([
      "set",
      "image",
      "-n",
      ns,
      `deployment/${DEPLOYMENT}`,
      "webapp=docker.io/bitnami/nginx:1.27.4-debian-12-r1",
    ]);
    for (const desiredFrom of ["helm", "secrets"] as const) {
      const { result, proxy } = await checkThrough(`baseline-${desiredFrom}`, desiredFrom, []);
      console.log(`baseline ${desiredFrom}: requests through the proxy:\n  ${proxy.requests.join("\n  ")}`);
      baseline.set(desiredFrom, result);
    }
  });

  afterAll(async () => {
    if (ns) await uninstallRelease(clusterBin("helm"), RELEASE, ns);
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("without a fault: exit 2 with the one drift, the same through the proxy under both sources", () => {
    for (const desiredFrom of ["helm", "secrets"] as const) {
      const result = baseline.get(desiredFrom) as Result;
      expect({ desiredFrom, code: result.code, stderr: result.stderr }).toEqual({
        desiredFrom,
        code: 2,
        stderr: "",
      });
      const findings = JSON.stringify(answerOf(result));
      expect(findings).toContain('"code":"value-changed"');
      expect(findings).toContain("bitnami/nginx:1.27.4-debian-12-r1");
    }
    expect(answerOf(baseline.get("helm") as Result)).toEqual(answerOf(baseline.get("secrets") as Result));
  });

  it.concurrent.each(CASES.map((c) => [`${c.target.name} × ${c.fault} × ${c.mode}`, c] as const))(
    "%s",
    async (name, { target, fault, mode }) => {
      const run = await slot(() =>
        checkThrough(name, target.desiredFrom, [
          { method: target.method, path: target.path(ns), fault, count: MODES[mode] },
        ]).catch((error: Error) => error),
      );
      if (run instanceof Error) {
        // shTimed killed it: the run did not end at its own --timeout.
        outcomes.push({ name, outcome: "no end by --timeout" });
        console.log(`${name}: no end by --timeout\n  ${run.message}`);
        throw run;
      }
      const { result, proxy } = run;
      // A fault that was never injected proves nothing.
      expect(proxy.injected.length, `${name}: requests seen:\n${proxy.requests.join("\n")}`).toBeGreaterThan(
        0,
      );
      const expected = baseline.get(target.desiredFrom) as Result;
      const same = result.code === expected.code && isDeepStrictEqual(answerOf(result), answerOf(expected));
      const named = result.code === 1 && namesTheRead(result, target.names(ns));
      const outcome: Outcome = same ? "same answer" : named ? "exit 1 naming the read" : "different answer";
      outcomes.push({ name, outcome });
      console.log(
        `${name}: ${outcome} (exit ${result.code}, ${proxy.injected.length} injected)${
          outcome === "same answer" ? "" : `\n  stderr: ${result.stderr.trim()}`
        }`,
      );
      expect(
        { outcome, code: result.code, stderr: result.stderr },
        `${name}: stdout ${result.stdout.slice(0, 2000)}`,
      ).toMatchObject({ outcome: expect.not.stringMatching(/^different answer$/) });
    },
    120_000,
  );

  it("prints the matrix: no fault becomes a different answer", () => {
    const count = (outcome: Outcome) => outcomes.filter((o) => o.outcome === outcome).length;
    const figure = `fault matrix: ${TARGETS.length} targets × ${FAULTS.length} faults × ${
      Object.keys(MODES).length
    } modes = ${outcomes.length} runs: ${count("same answer")} same answer, ${count(
      "exit 1 naming the read",
    )} exit 1 naming the read, ${count("different answer")} different answers${
      count("no end by --timeout") > 0 ? `, ${count("no end by --timeout")} not ended by --timeout` : ""
    }`;
    console.log(figure);
    expect(outcomes.length).toBe(CASES.length);
    expect(
      outcomes.filter((o) => o.outcome !== "same answer" && o.outcome !== "exit 1 naming the read"),
    ).toEqual([]);
  });
});
