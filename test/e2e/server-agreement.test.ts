/**
 * helm-drift against the API server's own answer. Every drift scenario of drift-scenarios.test.ts is made
 * again in a fresh namespace; then each rendered object of the release is applied server-side as a DRY RUN
 * by a fresh field manager with force (ssa-dry-run.ts). The fields where the dry-run result differs from the
 * live object are the fields the server would change to make live match rendered: helm-drift's missing and
 * changed findings must name exactly those (a finding and a server path agree when one lies inside the other).
 *
 * Three documented differences in kind:
 * - `extra` entries (a sidecar, an env var added live) are not removed by server-side apply: another manager
 *   owns them, and an applier only removes what it owned. So an extra finding must name an entry the dry run
 *   leaves untouched, and is not compared with the server's changes.
 * - `added` fields (a nodeSelector, hostNetwork, an annotation someone set live that the release does not
 *   render) are not removed by server-side apply either, for the same reason: the applier never owned them.
 *   The server cannot confirm that such a field is drift — only managedFields say who set it, and
 *   drift-scenarios.test.ts checks helm-drift's reading of them exactly. What is checked here: the dry run
 *   leaves every added field untouched, and the live object read back from the server holds the reported
 *   value at the finding's livePointer (where the repair patch removes it).
 * - An object helm-drift reports Missing must be one the dry-run apply would create.
 * - An object the server refuses to apply (validation) is one helm-drift must predict `helm upgrade` fails on.
 */
import { isDeepStrictEqual } from "node:util";
import jsonPatch from "fast-json-patch";
import { afterAll, describe, expect, it, onTestFinished } from "vitest";
import type { Finding } from "../../src/model/finding.js";
import type { ReleaseReport, ResourceReport } from "../../src/model/report.js";
import {
  cluster,
  clusterBin,
  freshNamespaceTimed,
  helmDriftTimed,
  kubectlTimed,
  okTimed,
  parseReport,
} from "./harness.js";
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
  if (answer.rejected !== undefined) {
    // Applying the rendered object is refused (a renumbered Service port keeps the rendered port's name):
    // helm-drift must predict that the upgrade fails on it.
    return resource.findings.some((finding) => finding.upgrade === "fails")
      ? []
      : [
          `${id}: the server refuses the rendered object (${answer.rejected}), helm-drift predicts no failure`,
        ];
  }
  const compared = resource.findings.filter(
    (finding) => finding.type === "missing" || finding.type === "changed",
  );
  const liveOnly = resource.findings.filter(
    (finding) => finding.type === "extra" || finding.type === "added",
  );
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
  for (const finding of liveOnly) {
    if (answer.changed.some((path) => pathsRelated(path, finding.path))) {
      problems.push(
        `${id}: server-side apply would touch the ${finding.type} ${finding.path}, which another manager owns`,
      );
    }
  }
  return problems;
}

/**
 * Fields reported as added whose value the server does not hold at the finding's livePointer: each touched
 * object is read back with kubectl (not through helm-drift) and looked up by the pointer.
 */
async function addedValuesNotLive(release: ReleaseReport, namespace: string): Promise<string[]> {
  const problems: string[] = [];
  for (const resource of release.resources) {
    const added = resource.findings.filter((finding) => finding.type === "added");
    if (added.length === 0) continue;
    const object = JSON.parse(
      await kubectlTimed(["get", `${resource.kind}/${resource.name}`, "-n", namespace, "-o", "json"]),
    );
    for (const finding of added) {
      const value =
        finding.livePointer === null ? undefined : jsonPatch.getValueByPointer(object, finding.livePointer);
      // A Secret's values are masked in the report: there only the field's presence can be compared.
      const secret = resource.apiVersion === "v1" && resource.kind === "Secret";
      if (secret ? value === undefined : !isDeepStrictEqual(value, finding.live)) {
        problems.push(
          `${resource.kind}/${resource.name}: ${finding.livePointer} is not the added ${finding.path}`,
        );
      }
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
        upgrade: "restores",
        upgradeRule: "three-way-merge-resends",
        ...finding,
      }),
    ),
    explanations: [],
    healsOnUpgrade: null,
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

  it("requires a predicted upgrade failure where the server refuses the rendered object", () => {
    const refused = {
      object: deployment,
      created: false,
      changed: [],
      rejected: "is invalid: Duplicate value",
    };
    expect(disagreements(refused, report([{ upgrade: "fails" }]))).toEqual([]);
    expect(disagreements(refused, report([{ upgrade: "restores" }]))).toEqual([
      "Deployment/web: the server refuses the rendered object (is invalid: Duplicate value), helm-drift predicts no failure",
    ]);
  });

  it.each([
    ["extra", "entry-extra", "spec.template.spec.containers[name=sidecar]"],
    ["added", "field-added", "spec.template.spec.nodeSelector"],
  ] as const)(
    "requires %s findings (another manager's) to be left alone by server-side apply",
    (type, code, path) => {
      const liveOnly = report([{ type, code, path }]);
      expect(disagreements({ object: deployment, created: false, changed: [] }, liveOnly)).toEqual([]);
      expect(
        disagreements({ object: deployment, created: false, changed: [`${path}.image`] }, liveOnly),
      ).toEqual([
        `Deployment/web: the server would change ${path}.image, helm-drift names no finding there`,
        `Deployment/web: server-side apply would touch the ${type} ${path}, which another manager owns`,
      ]);
    },
  );
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
      // The server sees drift exactly when the scenario makes some that applying the rendered objects undoes (a
      // control scenario makes none; fields added live by another manager stay, see above).
      const serverSeesDrift = answers.some(
        (answer) => answer.created || answer.changed.length > 0 || answer.rejected !== undefined,
      );
      const undoneByApply = scenario.expected.some(
        (finding) => finding.type !== "extra" && finding.type !== "added",
      );
      expect(serverSeesDrift).toBe(undoneByApply);

      const problems = answers.flatMap((answer) => disagreements(answer, resourceFor(release, answer)));
      expect(problems).toEqual([]);
      expect(await addedValuesNotLive(release, ns)).toEqual([]);
      agreed.set(scenario.name, true);
    },
  );
});
