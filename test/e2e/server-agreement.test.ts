/**
 * helm-drift against the API server's own answer. Every drift scenario of drift-scenarios.test.ts is made
 * again in a fresh namespace; then each rendered object of the release is applied server-side as a DRY RUN
 * by a fresh field manager with force (ssa-dry-run.ts). The fields where the dry-run result differs from the
 * live object are the fields the server would change to make live match rendered: helm-drift's missing and
 * changed findings must name exactly those (a finding and a server path agree when one lies inside the other).
 *
 * Two documented differences in kind:
 * - `extra` entries (a sidecar, an env var added live) are not removed by server-side apply: another manager
 *   owns them, and an applier only removes what it owned. So an extra finding must name an entry the dry run
 *   leaves untouched, and is not compared with the server's changes.
 * - An object helm-drift reports Missing must be one the dry-run apply would create.
 */
import { afterAll, describe, expect, it, onTestFinished } from "vitest";
import type { Finding } from "../../src/model/finding.js";
import type { ReleaseReport, ResourceReport } from "../../src/model/report.js";
import { cluster, clusterBin, freshNamespaceTimed, helmDriftTimed, okTimed, parseReport } from "./harness.js";
import { installDriftRelease, makeDrift, uninstallRelease } from "./scenarios/drift-runner.js";
import { DRIFT_RELEASE, DRIFT_SCENARIOS } from "./scenarios/drift-scenarios.js";
import { pathsRelated, type ServerAnswer, serverSideApplyDryRun } from "./ssa-dry-run.js";

/** Why helm-drift and the server disagree about one object (paths only: never values, Secrets included). */
function disagreements(answer: ServerAnswer, resource: ResourceReport | undefined): string[] {
  const id = `${answer.object.kind}/${answer.object.name}`;
  if (!resource) return [`${id}: helm-drift does not report the object`];
  if (answer.created) {
    return resource.status === "Missing"
      ? []
      : [`${id}: the server would create it, helm-drift says ${resource.status}`];
  }
  if (resource.status === "Missing") return [`${id}: helm-drift says Missing, the server finds it`];
  const compared = resource.findings.filter(
    (finding) => finding.type === "missing" || finding.type === "changed",
  );
  const extras = resource.findings.filter((finding) => finding.type === "extra");
  const problems: string[] = [];
  for (const path of answer.changed) {
    if (!compared.some((finding) => pathsRelated(path, finding.path))) {
      problems.push(`${id}: the server would change ${path}, helm-drift names no finding there`);
    }
  }
  for (const finding of compared) {
    if (!answer.changed.some((path) => pathsRelated(path, finding.path))) {
      problems.push(
        `${id}: helm-drift reports ${finding.type} ${finding.path}, the server would not change it`,
      );
    }
  }
  for (const finding of extras) {
    if (answer.changed.some((path) => pathsRelated(path, finding.path))) {
      problems.push(
        `${id}: server-side apply would touch the extra entry ${finding.path}, which another manager owns`,
      );
    }
  }
  return problems;
}

function resourceFor(release: ReleaseReport, answer: ServerAnswer): ResourceReport | undefined {
  return release.resources.find(
    (resource) =>
      resource.kind === answer.object.kind &&
      resource.name === answer.object.name &&
      resource.namespace === answer.object.namespace,
  );
}

describe("the comparison itself", () => {
  const deployment = { apiVersion: "apps/v1", kind: "Deployment", namespace: "ns", name: "web" };
  const report = (
    findings: Partial<Finding>[],
    status: ResourceReport["status"] = "Drifted",
  ): ResourceReport => ({
    ...deployment,
    source: null,
    manifestLine: null,
    status,
    findings: findings.map(
      (finding): Finding => ({
        code: "value-changed",
        type: "changed",
        path: "",
        pointer: null,
        livePointer: null,
        severity: "medium",
        severityRule: "default",
        desired: null,
        live: null,
        owner: null,
        repair: "revert",
        ...finding,
      }),
    ),
    explanations: [],
    selfHealsOnUpgrade: null,
    remediation: null,
  });
  const image = "spec.template.spec.containers[name=web].image";

  it("agrees when the finding names the server's path, or a list the server changes inside", () => {
    const answer = { object: deployment, created: false, changed: [image] };
    expect(disagreements(answer, report([{ path: image }]))).toEqual([]);
    const whole = {
      object: deployment,
      created: false,
      changed: [`${image}`, "spec.template.spec.containers[name=web].args"],
    };
    expect(
      disagreements(
        whole,
        report([{ type: "missing", code: "list-missing", path: "spec.template.spec.containers" }]),
      ),
    ).toEqual([]);
  });

  it("notices a field only the server changes, a finding the server does not confirm, a wrong Missing", () => {
    const answer = { object: deployment, created: false, changed: [image, "spec.replicas"] };
    expect(disagreements(answer, report([{ path: image }, { path: "spec.paused" }]))).toEqual([
      "Deployment/web: the server would change spec.replicas, helm-drift names no finding there",
      "Deployment/web: helm-drift reports changed spec.paused, the server would not change it",
    ]);
    expect(disagreements({ ...answer, created: true, changed: [] }, report([{ path: image }]))).toEqual([
      "Deployment/web: the server would create it, helm-drift says Drifted",
    ]);
    expect(disagreements({ object: deployment, created: false, changed: [] }, report([], "Missing"))).toEqual(
      ["Deployment/web: helm-drift says Missing, the server finds it"],
    );
  });

  it("requires extra entries to be left alone by server-side apply", () => {
    const sidecar = "spec.template.spec.containers[name=sidecar]";
    const extra = report([{ type: "extra", code: "entry-extra", path: sidecar }]);
    expect(disagreements({ object: deployment, created: false, changed: [] }, extra)).toEqual([]);
    expect(
      disagreements({ object: deployment, created: false, changed: [`${sidecar}.image`] }, extra),
    ).toEqual([
      `Deployment/web: the server would change ${sidecar}.image, helm-drift names no finding there`,
      `Deployment/web: server-side apply would touch the extra entry ${sidecar}, which another manager owns`,
    ]);
  });
});

describe.skipIf(!cluster.available)("helm-drift agrees with a server-side apply dry run", () => {
  const agreed = new Map<string, boolean>(DRIFT_SCENARIOS.map((scenario) => [scenario.name, false]));

  afterAll(() => {
    const n = [...agreed.values()].filter(Boolean).length;
    console.log(`server agreement: ${n}/${agreed.size} scenarios agree`);
    expect(n).toBe(agreed.size);
  });

  it.each(DRIFT_SCENARIOS.map((scenario) => [scenario.name, scenario] as const))(
    "%s",
    async (_name, scenario) => {
      const ns = await freshNamespaceTimed("dr");
      onTestFinished(() => uninstallRelease("helm", DRIFT_RELEASE.name, ns));
      await installDriftRelease(ns);
      await makeDrift(scenario, ns);

      // helm-drift's answer and the server's, side by side (both only read).
      const [check, answers] = await Promise.all([
        helmDriftTimed(["check", DRIFT_RELEASE.name, "-n", ns, "-o", "json", "--fail-on", "info"]),
        okTimed(clusterBin("helm"), ["get", "manifest", DRIFT_RELEASE.name, "-n", ns]).then((manifest) =>
          serverSideApplyDryRun(ns, manifest),
        ),
      ]);
      expect(check.stderr).toBe("");
      const [release] = parseReport(check.stdout).releases;
      if (!release) throw new Error("the report has no release");
      expect(check.code).toBe(scenario.expected.length > 0 ? 2 : 0);

      expect(answers).toHaveLength(release.resources.length);
      // The server sees drift exactly when the scenario makes some (a control scenario makes none).
      const serverSeesDrift = answers.some((answer) => answer.created || answer.changed.length > 0);
      expect(serverSeesDrift).toBe(scenario.expected.length > 0);

      const problems = answers.flatMap((answer) => disagreements(answer, resourceFor(release, answer)));
      expect(problems).toEqual([]);
      agreed.set(scenario.name, true);
    },
  );
});
