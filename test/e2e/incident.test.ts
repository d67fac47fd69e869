/**
 * The incident helm-drift was written for, reproduced on a real API server with the real ARC chart:
 * a Flux-managed gha-runner-scale-set release whose AutoscalingRunnerSet loses serviceAccountName,
 * initContainers and volumes to a stale `kubectl apply`; `helm upgrade` keeps reporting success without
 * restoring them; helm-drift finds the three fields and the mount they break, says why, and proposes
 * suspend → delete → upgrade → verify → resume, which — carried out here — brings the release back in sync.
 *
 * The tests of this file are one story and run in order, each starting from the state the previous left.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RemediationAction } from "../../src/model/remediation.js";
import type { DriftReport, ReleaseReport } from "../../src/model/report.js";
import { actionCommand } from "../../src/report/action-command.js";
import {
  cluster,
  clusterBin,
  freshNamespaceTimed,
  helmDriftTimed,
  kubectlTimed,
  okTimed,
  parseReport,
  repoPath,
  uninstallRelease,
} from "./harness.js";
import {
  CHART_PATH,
  executeAction,
  incidentStep,
  postRendererFlags,
  RELEASE,
  resourceOf,
  runIncidentStep,
  TOKEN,
  TOKEN_BASE64,
} from "./incident/steps.js";

const POD_SPEC = "spec.template.spec";
const BROKEN_MOUNT = `${POD_SPEC}.containers[name=runner].volumeMounts[mountPath=/usr/local/kubectl-bin]`;
/** The incident's findings, most severe first (the order reports list them in). */
const EXPECTED_FINDINGS = [
  ["volume-mount-broken", BROKEN_MOUNT, "critical"],
  ["field-missing", `${POD_SPEC}.serviceAccountName`, "high"],
  ["list-missing", `${POD_SPEC}.initContainers`, "high"],
  ["list-missing", `${POD_SPEC}.volumes`, "high"],
];
const FLUX_LABELS = ["helm.toolkit.fluxcd.io/name", "helm.toolkit.fluxcd.io/namespace"];

interface PodSpec {
  serviceAccountName?: string;
  initContainers?: unknown[];
  volumes?: unknown[];
  containers: { name: string; volumeMounts?: { name: string; mountPath: string }[] }[];
  restartPolicy?: string;
}
interface LiveArs {
  metadata: { labels: Record<string, string>; annotations: Record<string, string> };
  spec: { maxRunners: number; template: { spec: PodSpec } };
}

describe.skipIf(!cluster.available)("the ARC incident on a real API server", () => {
  let ns: string;
  let fluxNs: string;

  const liveArs = async (): Promise<LiveArs> =>
    JSON.parse(
      await kubectlTimed(["get", "autoscalingrunnerset.actions.github.com", RELEASE, "-n", ns, "-o", "json"]),
    );
  const helmStatus = async (): Promise<{ version: number; info: { status: string } }> =>
    JSON.parse(await okTimed(clusterBin("helm"), ["status", RELEASE, "-n", ns, "-o", "json"]));
  const check = (...flags: string[]) => helmDriftTimed(["check", RELEASE, "-n", ns, ...flags]);
  /** The live AutoscalingRunnerSet has what the chart renders: Flux's labels and the three pod-template fields. */
  const expectArsAsRendered = async () => {
    const ars = await liveArs();
    expect(ars.metadata.labels).toMatchObject({
      "helm.toolkit.fluxcd.io/name": RELEASE,
      "helm.toolkit.fluxcd.io/namespace": fluxNs,
    });
    expect(ars.spec.template.spec).toMatchObject({
      serviceAccountName: "arc-runners-kubectl",
      initContainers: [expect.objectContaining({ name: "kubectl-bin" })],
      volumes: [{ name: "kubectl-bin", emptyDir: {} }],
    });
  };

  beforeAll(async () => {
    ns = await freshNamespaceTimed("inc-arc");
    fluxNs = await freshNamespaceTimed("inc-flux");
    await incidentStep("crds", []);
    await incidentStep("helmrelease", [fluxNs, ns]);
  });

  afterAll(async () => {
    if (ns) await uninstallRelease(clusterBin("helm"), RELEASE, ns);
  });

  it("installs the real chart with Helm 3, every object post-rendered with Flux's labels", async () => {
    const output = await incidentStep("install", [ns, fluxNs]);
    expect(output).toMatch(/^STATUS: deployed$/m);

    const manifest = await okTimed(clusterBin("helm"), ["get", "manifest", RELEASE, "-n", ns]);
    const kinds = [...manifest.matchAll(/^kind: (\w+)$/gm)].map((m) => m[1]);
    expect(kinds).toEqual(["Secret", "Role", "RoleBinding", "AutoscalingRunnerSet"]);
    for (const label of FLUX_LABELS) {
      expect(manifest.match(new RegExp(`^    ${label}: `, "gm"))).toHaveLength(4);
    }
    await expectArsAsRendered();
  });

  it("a stale kubectl apply removes the three fields; last-applied then lists only containers", async () => {
    await incidentStep("stale-apply", [ns]);

    const ars = await liveArs();
    const podSpec = ars.spec.template.spec;
    expect(Object.keys(podSpec).sort()).toEqual(["containers", "restartPolicy"]);
    expect(podSpec.containers[0]?.volumeMounts).toEqual([
      { name: "kubectl-bin", mountPath: "/usr/local/kubectl-bin" },
    ]);
    const lastApplied = JSON.parse(
      ars.metadata.annotations["kubectl.kubernetes.io/last-applied-configuration"] ?? "",
    );
    expect(Object.keys(lastApplied.spec.template.spec)).toEqual(["containers"]);
  });

  it("helm upgrade succeeds (deployed, revision 2) and does not restore them", async () => {
    const upgrade = await runIncidentStep("upgrade", [ns, fluxNs, "--set-json", "maxRunners=6"]);
    expect(upgrade.code).toBe(0);
    expect(upgrade.stdout).toMatch(/^STATUS: deployed$/m);
    expect(upgrade.stdout).toMatch(/^REVISION: 2$/m);
    const status = await helmStatus();
    expect({ status: status.info.status, revision: status.version }).toEqual({
      status: "deployed",
      revision: 2,
    });

    const ars = await liveArs();
    expect(ars.spec.maxRunners).toBe(6); // the upgrade did patch the object…
    expect(ars.spec.template.spec.serviceAccountName).toBeUndefined(); // …and sent none of the three fields
    expect(ars.spec.template.spec.initContainers).toBeUndefined();
    expect(ars.spec.template.spec.volumes).toBeUndefined();
  });

  describe("helm-drift check", () => {
    let report: DriftReport;
    let reportJson: string;
    let release: ReleaseReport;

    it("exits 2 with a valid JSON report of exactly the incident's findings", async () => {
      const result = await check("-o", "json");
      expect(result.stderr).toBe("");
      expect(result.code).toBe(2);
      reportJson = result.stdout;
      report = parseReport(result.stdout);
      expect(report.releases).toHaveLength(1);
      release = report.releases[0] as ReleaseReport;
      expect(release).toMatchObject({
        name: RELEASE,
        namespace: ns,
        revision: 2,
        chart: "gha-runner-scale-set-0.14.2",
        status: "Drifted",
        flux: { name: RELEASE, namespace: fluxNs },
      });
      expect(release.resources.map((r) => [r.kind, r.status])).toEqual([
        ["Secret", "InSync"],
        ["Role", "InSync"],
        ["RoleBinding", "InSync"],
        ["AutoscalingRunnerSet", "Drifted"],
      ]);
      for (const resource of release.resources.filter((r) => r.kind !== "AutoscalingRunnerSet")) {
        expect(resource.findings).toEqual([]);
      }
      const ars = resourceOf(release, "AutoscalingRunnerSet");
      expect(ars.healsOnUpgrade).toBe("no");
      expect(ars.findings.map((f) => [f.code, f.path, f.severity])).toEqual(EXPECTED_FINDINGS);
      const byPath = Object.fromEntries(ars.findings.map((f) => [f.path, f]));
      expect(byPath[`${POD_SPEC}.serviceAccountName`]?.desired).toBe("arc-runners-kubectl");
      expect(byPath[`${POD_SPEC}.volumes`]?.desired).toEqual([{ name: "kubectl-bin", emptyDir: {} }]);
      expect(byPath[`${POD_SPEC}.initContainers`]?.desired).toEqual([
        expect.objectContaining({ name: "kubectl-bin", image: "bitnami/kubectl:1.31" }),
      ]);
      expect(byPath[BROKEN_MOUNT]).toMatchObject({
        type: "broken-reference",
        desired: "kubectl-bin",
        live: { name: "kubectl-bin", mountPath: "/usr/local/kubectl-bin" },
      });
      expect(report.summary).toMatchObject({
        releases: 1,
        resources: 4,
        drifted: 1,
        missing: 0,
        findings: 4,
      });
    });

    it("explains it with the stale last-applied configuration and Helm's two-way merge patch", () => {
      const text = wordsOf(resourceOf(release, "AutoscalingRunnerSet").explanations, "message").join("\n");
      expect(text).toMatch(/sent only containers under spec\.template\.spec and lacks/);
      expect(text).toMatch(/helm upgrade will not restore .*two-way JSON merge patch/);
    });

    it("plans suspend → delete → helm upgrade --reuse-values → verify → resume", () => {
      const remediation = resourceOf(release, "AutoscalingRunnerSet").remediation;
      expect(remediation?.strategy).toBe("recreate");
      const steps = remediation?.steps ?? [];
      expect(steps.map((s) => s.action)).toEqual([
        "flux-suspend",
        "delete",
        "helm-upgrade",
        "verify",
        "flux-resume",
      ]);
      // The JSON carries each step's command for people beside the action, rendered from it.
      expect(wordsOf(steps, "command")).toEqual(steps.map(actionCommand));
      expect(wordsOf(steps, "command")).toEqual([
        `flux suspend helmrelease ${RELEASE} -n ${fluxNs}`,
        `kubectl delete autoscalingrunnerset.actions.github.com ${RELEASE} -n ${ns}`,
        `helm upgrade ${RELEASE} gha-runner-scale-set --reuse-values --version 0.14.2 -n ${ns}`,
        `helm-drift check ${RELEASE} -n ${ns}`,
        `flux resume helmrelease ${RELEASE} -n ${fluxNs}`,
      ]);
      // No flux CLI here (nor on many operators' machines): the plan names the kubectl equivalent.
      const descriptions = wordsOf(steps, "description");
      expect(descriptions[0]).toContain(
        `kubectl patch helmrelease ${RELEASE} -n ${fluxNs} --type merge -p '{"spec":{"suspend":true}}'`,
      );
      expect(descriptions.at(-1)).toContain(
        `kubectl patch helmrelease ${RELEASE} -n ${fluxNs} --type merge -p '{"spec":{"suspend":false}}'`,
      );
    });

    it("never prints the GitHub token, in JSON or text", async () => {
      const text = await check("-o", "text", "--verbose");
      for (const output of [reportJson, text.stdout, text.stderr]) {
        expect(output).not.toContain(TOKEN);
        expect(output).not.toContain(TOKEN_BASE64);
      }
    });

    it("prints the key lines in the text report, exit 2", async () => {
      const result = await check("-o", "text");
      expect(result.code).toBe(2);
      const lines = result.stdout.split("\n").map((line) => line.trimEnd());
      expect(lines[0]).toBe(
        `✗ release ${RELEASE} (ns ${ns}, rev 2, chart gha-runner-scale-set-0.14.2, flux HelmRelease ${fluxNs}/${RELEASE}): ` +
          "Drifted — 1 of 4 resources drifted, 4 findings (1 critical, 3 high)",
      );
      const expected = [
        `  ✗ AutoscalingRunnerSet/${ns}/${RELEASE} — Drifted, 4 findings (1 critical, 3 high)`,
        `    CRITICAL  ${BROKEN_MOUNT}`,
        `              container "runner" mounts volume "kubectl-bin" at /usr/local/kubectl-bin, but the pod has no volume named "kubectl-bin"`,
        `    HIGH      ${POD_SPEC}.serviceAccountName`,
        `    HIGH      ${POD_SPEC}.initContainers`,
        `    HIGH      ${POD_SPEC}.volumes`,
        "    Heals on next helm upgrade: no",
        `           flux suspend helmrelease ${RELEASE} -n ${fluxNs}`,
        `           kubectl delete autoscalingrunnerset.actions.github.com ${RELEASE} -n ${ns}`,
        `           helm upgrade ${RELEASE} gha-runner-scale-set --reuse-values --version 0.14.2 -n ${ns}`,
        `           helm-drift check ${RELEASE} -n ${ns}`,
        `           flux resume helmrelease ${RELEASE} -n ${fluxNs}`,
        "Total: 1 release, 4 resources, 1 drifted, 0 missing, 4 findings (1 critical, 3 high, 0 medium, 0 low, 0 info)",
      ];
      // In this order (the plan's commands first appear in the recreate plan, before the patch alternative).
      let from = 0;
      for (const line of expected) {
        const at = lines.indexOf(line, from);
        expect(at, `line not found after line ${from}: ${line}`).toBeGreaterThan(from - 1);
        from = at + 1;
      }
      expect(lines.some((line) => line.startsWith("    Fix (recreate): "))).toBe(true);
      expect(result.stdout).not.toMatch(/Secret\/|Role\/|RoleBinding\//); // in-sync resources are not listed
    });
  });

  it("carrying out the plan by hand brings the release back in sync", async () => {
    const plan = parseReport((await check("-o", "json")).stdout);
    const steps = resourceOf(plan.releases[0], "AutoscalingRunnerSet").remediation?.steps ?? [];
    expect(steps).toHaveLength(5);
    expect(steps.map((step) => step.action)).toEqual([
      "flux-suspend",
      "delete",
      "helm-upgrade",
      "verify",
      "flux-resume",
    ]);
    const [suspend, remove, upgrade, verify, resume] = steps as RemediationAction[] as [
      RemediationAction,
      RemediationAction,
      RemediationAction,
      RemediationAction,
      RemediationAction,
    ];
    // The upgrade step knows only the chart's name (its description says to use the chart it was installed
    // from); Flux would apply the same post-renderer.
    const context = { chart: CHART_PATH, upgradeFlags: postRendererFlags(fluxNs) };
    const suspended = async () =>
      (
        await kubectlTimed(["get", "helmrelease", RELEASE, "-n", fluxNs, "-o", "jsonpath={.spec.suspend}"])
      ).trim();

    // 1. Suspend the HelmRelease (kubectl patch: no flux CLI here).
    await executeAction(suspend, context);
    expect(await suspended()).toBe("true");

    // 2. Delete. No ARC controller runs here, so no finalizer holds it.
    await executeAction(remove, context);
    const gone = await helmDriftTimed(["check", RELEASE, "-n", ns, "-o", "json"]);
    const missing = resourceOf(parseReport(gone.stdout).releases[0], "AutoscalingRunnerSet");
    expect({ code: gone.code, status: missing.status, heals: missing.healsOnUpgrade }).toEqual({
      code: 2,
      status: "Missing",
      heals: "yes",
    });

    // 3. helm upgrade --reuse-values at the recorded chart version.
    expect(upgrade).toMatchObject({
      action: "helm-upgrade",
      release: RELEASE,
      version: "0.14.2",
      reuseValues: true,
    });
    await executeAction(upgrade, context);
    const history = await okTimed(clusterBin("helm"), ["history", RELEASE, "-n", ns, "-o", "json"]);
    expect((JSON.parse(history) as { revision: number }[]).at(-1)?.revision).toBe(3);

    // 4. Verify: in sync.
    const verified = await executeAction(verify, context);
    expect(verified?.code).toBe(0);

    // 5. Resume.
    await executeAction(resume, context);
    expect(await suspended()).toBe("false");

    const after = await check("-o", "json");
    expect(after.code).toBe(0);
    const report = parseReport(after.stdout);
    expect(report.releases[0]).toMatchObject({ name: RELEASE, revision: 3, status: "InSync" });
    expect(report.releases[0]?.resources.map((r) => r.status)).toEqual([
      "InSync",
      "InSync",
      "InSync",
      "InSync",
    ]);
    expect(report.summary).toMatchObject({ drifted: 0, missing: 0, findings: 0 });
    await expectArsAsRendered();
  });
});

/** The catalogue's words the JSON report writes beside each code or action (`message`, `command`, `description`). */
function wordsOf(items: readonly object[], field: "message" | "command" | "description"): string[] {
  return items.map((item) => {
    const words = (item as Record<string, unknown>)[field];
    if (typeof words !== "string") throw new Error(`no ${field} in ${JSON.stringify(item)}`);
    return words;
  });
}

/** fixtures/incident/ is what the quick start runs: recorded by test/e2e/incident/make-fixture.sh. No cluster needed. */
describe("the shipped offline example (fixtures/incident)", () => {
  const offline = (...flags: string[]) =>
    helmDriftTimed([
      "check",
      "--manifest",
      repoPath("fixtures/incident/manifest.yaml"),
      "--live",
      repoPath("fixtures/incident/live.yaml"),
      ...flags,
    ]);

  it("reports the three missing fields, the broken kubectl-bin mount and the Flux-wrapped plan, exit 2", async () => {
    const result = await offline("-o", "json");
    expect(result.stderr).toBe("");
    expect(result.code).toBe(2);
    const release = parseReport(result.stdout).releases[0];
    expect(release).toMatchObject({
      name: RELEASE,
      namespace: "arc-runners",
      status: "Drifted",
      flux: { name: RELEASE, namespace: "flux-system" },
    });
    expect(release?.resources.map((r) => [r.kind, r.status])).toEqual([
      ["Secret", "InSync"],
      ["Role", "InSync"],
      ["RoleBinding", "InSync"],
      ["AutoscalingRunnerSet", "Drifted"],
    ]);
    const ars = resourceOf(release, "AutoscalingRunnerSet");
    expect(ars.findings.map((f) => [f.code, f.path, f.severity])).toEqual(EXPECTED_FINDINGS);
    expect(ars.healsOnUpgrade).toBe("no");
    expect(ars.remediation?.steps.map((s) => s.action)).toEqual([
      "flux-suspend",
      "delete",
      "helm-upgrade",
      "verify",
      "flux-resume",
    ]);
  });

  it("prints them in the text report and never prints the token", async () => {
    const text = await offline();
    expect(text.code).toBe(2);
    for (const line of [
      `    HIGH      ${POD_SPEC}.serviceAccountName`,
      `    HIGH      ${POD_SPEC}.initContainers`,
      `    HIGH      ${POD_SPEC}.volumes`,
      `    CRITICAL  ${BROKEN_MOUNT}`,
      `           flux suspend helmrelease ${RELEASE} -n flux-system`,
      `           kubectl delete autoscalingrunnerset.actions.github.com ${RELEASE} -n arc-runners`,
      `           flux resume helmrelease ${RELEASE} -n flux-system`,
    ]) {
      expect(text.stdout.split("\n")).toContain(line);
    }
    expect(text.stdout).toMatch(
      /^ {11}helm upgrade arc-runners \S+ --reuse-values --version 0\.14\.2 -n arc-runners$/m,
    );
    const json = await offline("-o", "json", "--verbose");
    for (const output of [text.stdout, text.stderr, json.stdout, json.stderr]) {
      expect(output).not.toContain(TOKEN);
      expect(output).not.toContain(TOKEN_BASE64);
    }
  });
});
