/**
 * The upgrade oracle: helm-drift's predictions checked against the real Helm 3 and Helm 4.
 *
 * For every drift scenario (scenarios/drift-scenarios.ts on the webapp release, scenarios/runner-scenarios.ts on
 * a custom resource), on a release installed by Helm 3 (client-side) and one installed by Helm 4 (server-side),
 * two copies are made: two namespaces, the same install, the same drift, each checked with the built CLI.
 *
 * - Copy A, the real upgrade: `helm upgrade --reuse-values` with the same helm and chart, then a check again.
 *   Per finding of the first report, `upgrade: restores` must mean the upgrade succeeded and the finding is
 *   gone; `keeps`, that it succeeded and the same finding (kind, name, code, path) is still there; `fails`,
 *   that the upgrade exited non-zero and the finding is still there. Per resource, `healsOnUpgrade: yes` must
 *   mean InSync after; `no`, that none of its findings went; `partly`, that some went and some did not.
 * - Copy B, the plan: the primary plan of every drifted or missing resource, executed from its actions
 *   (incident/steps.ts `executeAction`, no shell parsing). Then the release must be in sync, apart from exactly
 *   the findings the plan leaves alone (`repair: "leave"`); and the following upgrade that changes the drifted
 *   field (scenarios/follow-ups.ts) must succeed — a repair that left another field manager co-owning a field
 *   of a Helm 4 release would make it fail with a conflict.
 *
 * Any disagreement fails the suite and is named: scenario, helm, finding, predicted, observed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UpgradeOutcome } from "../../src/model/finding.js";
import type { HealVerdict, ReleaseReport, ResourceReport } from "../../src/model/report.js";
import {
  cluster,
  clusterBin,
  crdEstablished,
  freshNamespaceTimed,
  helmDriftTimed,
  kubectlTimed,
  parseReport,
  type Result,
  repoPath,
  shTimed,
} from "./harness.js";
import { type ActionContext, executeAction } from "./incident/steps.js";
import { installRelease, makeDrift, type ReleaseSpec, uninstallRelease } from "./scenarios/drift-runner.js";
import { DRIFT_RELEASE, DRIFT_SCENARIOS, type DriftStep } from "./scenarios/drift-scenarios.js";
import { FOLLOW_UPS, type FollowUp } from "./scenarios/follow-ups.js";
import { RUNNER_CRD, RUNNER_RELEASE, RUNNER_SCENARIOS } from "./scenarios/runner-scenarios.js";

type Helm = "helm" | "helm4";
const HELM_NAMES: Record<Helm, string> = { helm: "Helm 3", helm4: "Helm 4" };

interface OracleScenario {
  name: string;
  release: ReleaseSpec;
  drift: DriftStep[];
  /** Whether the drift leaves findings (a control scenario leaves none). */
  drifts: boolean;
  /** Null when the scenario has none yet: the plan half of its case fails, saying so. */
  followUp: FollowUp | null;
  /** What the real upgrade does to every finding, where the scenario is about exactly that. */
  outcome?: Record<Helm, UpgradeOutcome>;
}

const SCENARIOS: readonly OracleScenario[] = [
  ...DRIFT_SCENARIOS.map((scenario) => ({
    name: scenario.name,
    release: DRIFT_RELEASE,
    drift: scenario.drift,
    drifts: scenario.expected.length > 0,
    followUp: FOLLOW_UPS[scenario.name] ?? null,
  })),
  ...RUNNER_SCENARIOS.map((scenario) => ({ ...scenario, release: RUNNER_RELEASE, drifts: true })),
];

const CASES = (["helm", "helm4"] as const).flatMap((helm) =>
  SCENARIOS.map((scenario) => [`${HELM_NAMES[helm]}: ${scenario.name}`, { helm, scenario }] as const),
);

/** Every command of a case runs against a shared, busy API server: more room than COMMAND_TIMEOUT_MS. */
const TIMEOUT_MS = 90_000;

// ---------------------------------------------------------------------------------------------------------
// What the suite counts, over all cases.

const tally = {
  predictions: { helm: { agree: 0, total: 0 }, helm4: { agree: 0, total: 0 } },
  plans: { repaired: 0, total: 0 },
  followUps: { succeeded: 0, total: 0, plain: 0, failedAsPredicted: 0 },
  disagreements: [] as string[],
};

// ---------------------------------------------------------------------------------------------------------
// Namespaces: a case takes two and gives them back empty, so a run needs about 2 × the cases running at once.

const idle: string[] = [];

async function takeNamespace(): Promise<string> {
  return idle.pop() ?? freshNamespaceTimed("oracle");
}

/** What a namespace may hold once its release is uninstalled: the kinds the charts render, and an HPA. */
const LEFTOVER_KINDS = [
  "all",
  "configmaps",
  "secrets",
  "persistentvolumeclaims",
  "poddisruptionbudgets",
  "ingresses",
  "networkpolicies",
  "roles",
  "rolebindings",
  "serviceaccounts",
  RUNNER_CRD.name,
].join(",");
/** Left by uninstall and removable: the PVC the chart keeps, an HPA a drift step created (`kubectl -o name`). */
const REMOVABLE = /^(persistentvolumeclaim|horizontalpodautoscaler\.autoscaling)\//;

/**
 * Uninstalls the release (its Services give their cluster IPs back: the service range is a /24) and removes
 * what uninstall leaves: the PVC the chart keeps (`helm.sh/resource-policy: keep`), once its pvc-protection
 * finalizer is gone (no controller-manager here removes it), and an HPA a drift step created. The namespace,
 * then empty, is reused; one that holds anything else (a cleanup that failed) is left alone.
 */
async function giveBack(namespace: string, helm: Helm, release: string): Promise<void> {
  await uninstallRelease(helm, release, namespace);
  const left = (await kubectlTimed(["get", LEFTOVER_KINDS, "-n", namespace, "-o", "name"]))
    .split("\n")
    .filter(Boolean);
  if (!left.every((name) => REMOVABLE.test(name))) return;
  for (const pvc of left.filter((name) => name.startsWith("persistentvolumeclaim/"))) {
    const noFinalizers = '{"metadata":{"finalizers":null}}';
    await kubectlTimed(["patch", pvc, "-n", namespace, "--type=merge", "-p", noFinalizers]);
  }
  if (left.length > 0) await kubectlTimed(["delete", ...left, "-n", namespace]);
  idle.push(namespace);
}

// ---------------------------------------------------------------------------------------------------------
// One copy: install, drift, check.

interface Copy {
  namespace: string;
  release: ReleaseReport;
}

const findingKey = (resource: ResourceReport, finding: { code: string; path: string }) =>
  `${resource.kind}/${resource.name} ${finding.code} ${finding.path || "(object)"}`;

/** The keys of every finding of a report, with the resource each belongs to. */
function findingsOf(release: ReleaseReport): Set<string> {
  return new Set(
    release.resources.flatMap((resource) => resource.findings.map((f) => findingKey(resource, f))),
  );
}

async function check(helm: Helm, release: string, namespace: string): Promise<ReleaseReport> {
  const result = await helmDriftTimed(
    ["check", release, "-n", namespace, "-o", "json", "--helm-bin", clusterBin(helm)],
    { timeoutMs: TIMEOUT_MS },
  );
  if (result.stderr !== "" || (result.code !== 0 && result.code !== 2)) {
    throw new Error(
      `helm-drift check ${release} -n ${namespace} exited ${result.code}:\n${result.stderr}${result.stdout.slice(0, 4000)}`,
    );
  }
  const [report] = parseReport(result.stdout).releases;
  if (!report) throw new Error(`the report of ${release} -n ${namespace} has no release`);
  return report;
}

async function stageCopy(scenario: OracleScenario, helm: Helm, namespace: string): Promise<Copy> {
  await installRelease(scenario.release, namespace, helm);
  await makeDrift(scenario, namespace, { release: scenario.release.name, helm });
  return { namespace, release: await check(helm, scenario.release.name, namespace) };
}

function upgrade(
  helm: Helm,
  scenario: OracleScenario,
  namespace: string,
  flags: string[] = [],
): Promise<Result> {
  const { name, chart } = scenario.release;
  return shTimed(
    clusterBin(helm),
    ["upgrade", name, repoPath(chart), "--reuse-values", "-n", namespace, ...flags],
    {
      timeoutMs: TIMEOUT_MS,
    },
  );
}

/** Helm's own words for a failed command: its `Error:` line, with the lines that continue it (one per conflict). */
function errorLine(result: Result): string {
  const lines = `${result.stderr}\n${result.stdout}`.split("\n");
  const at = lines.findIndex((line) => line.startsWith("Error:"));
  if (at === -1) return lines.find((line) => line.trim() !== "")?.trim() ?? "";
  const rest = lines.slice(at + 1);
  const end = rest.findIndex((line) => line.trim() === "");
  return [lines[at], ...rest.slice(0, end === -1 ? rest.length : end)].map((line) => line?.trim()).join(" ");
}

// ---------------------------------------------------------------------------------------------------------
// Copy A: the real upgrade against the predictions.

/** What the upgrade did to one finding, in the words of the prediction it is compared with. */
function observedOutcome(upgradeOk: boolean, stillThere: boolean): string {
  if (upgradeOk) return stillThere ? "keeps" : "restores";
  return stillThere ? "fails" : "gone although the upgrade failed";
}

function observedVerdict(
  before: ResourceReport,
  after: ResourceReport | undefined,
  afterKeys: Set<string>,
): string {
  const gone = before.findings.filter((finding) => !afterKeys.has(findingKey(before, finding))).length;
  if (gone === 0) return "no";
  if (gone < before.findings.length) return "partly";
  return after?.status === "InSync" ? "yes" : `all gone, but ${after?.status ?? "not reported"} after`;
}

interface Prediction {
  what: string;
  predicted: string;
  observed: string;
}

/**
 * The upgrade, then each prediction beside what happened; and where the scenario states what Helm does (the
 * custom-resource scenarios), whether Helm did that.
 */
async function realUpgrade(
  scenario: OracleScenario,
  helm: Helm,
  copy: Copy,
): Promise<{ predictions: Prediction[]; problems: string[] }> {
  const result = await upgrade(helm, scenario, copy.namespace);
  const upgradeOk = result.code === 0;
  if (!upgradeOk)
    console.log(`[${HELM_NAMES[helm]}] ${scenario.name}: helm upgrade failed: ${errorLine(result)}`);
  const after = await check(helm, scenario.release.name, copy.namespace);
  const afterKeys = findingsOf(after);
  const predictions: Prediction[] = [];
  const problems: string[] = [];
  for (const resource of copy.release.resources) {
    for (const finding of resource.findings) {
      const key = findingKey(resource, finding);
      const observed = observedOutcome(upgradeOk, afterKeys.has(key));
      predictions.push({
        what: `finding ${key} (rule ${finding.upgradeRule})`,
        predicted: finding.upgrade,
        observed,
      });
      const stated = scenario.outcome?.[helm];
      if (stated && observed !== stated) {
        problems.push(`${key}: the scenario states the outcome ${stated}, observed ${observed}`);
      }
    }
    if (resource.healsOnUpgrade === null) continue;
    const afterResource = after.resources.find((r) => r.kind === resource.kind && r.name === resource.name);
    predictions.push({
      what: `resource ${resource.kind}/${resource.name} healsOnUpgrade`,
      predicted: resource.healsOnUpgrade satisfies HealVerdict,
      observed: observedVerdict(resource, afterResource, afterKeys),
    });
  }
  return { predictions, problems };
}

// ---------------------------------------------------------------------------------------------------------
// Copy B: the plan, then the follow-up upgrade.

async function carryOutPlans(scenario: OracleScenario, helm: Helm, copy: Copy): Promise<string[]> {
  const { name } = scenario.release;
  const context: ActionContext = { chart: repoPath(scenario.release.chart), upgradeFlags: [], helm };
  const problems: string[] = [];
  const planned = copy.release.resources.filter((resource) => resource.remediation !== null);
  for (const resource of planned) {
    for (const [index, step] of (resource.remediation?.steps ?? []).entries()) {
      // `verify` is the check below, once every plan has run (one resource's verify sees the others' drift).
      if (step.action === "verify") continue;
      try {
        await executeAction(step, context);
      } catch (error) {
        problems.push(
          `plan of ${resource.kind}/${resource.name}, step ${index + 1} (${step.action}) failed: ${(error as Error).message.split("\n").slice(0, 3).join(" ")}`,
        );
        return problems;
      }
    }
  }

  const leftAlone = new Set(
    copy.release.resources.flatMap((resource) =>
      resource.findings.filter((f) => f.repair === "leave").map((f) => findingKey(resource, f)),
    ),
  );
  const afterPlan = await check(helm, name, copy.namespace);
  const repaired = [...findingsOf(afterPlan)];
  const unexpected = repaired.filter((key) => !leftAlone.has(key));
  const reverted = [...leftAlone].filter((key) => !repaired.includes(key));
  if (unexpected.length > 0) problems.push(`after the plan, still reported: ${unexpected.join("; ")}`);
  if (reverted.length > 0)
    problems.push(`the plan reverted findings it says it leaves: ${reverted.join("; ")}`);
  if (planned.length > 0) {
    tally.plans.total += 1;
    if (problems.length === 0) tally.plans.repaired += 1;
  }

  const followUp = scenario.followUp;
  if (!followUp) return [...problems, "no follow-up upgrade recorded in scenarios/follow-ups.ts"];
  tally.followUps.total += 1;
  if ("plain" in followUp) tally.followUps.plain += 1;
  const result = await upgrade(helm, scenario, copy.namespace, "flags" in followUp ? followUp.flags : []);
  // What the plan leaves alone may still make every upgrade fail (Helm 4 rendering the replicas an autoscaler
  // owns): then the report after the plan says so, and the follow-up must fail exactly as it predicts.
  const stillFails = afterPlan.resources.flatMap((resource) =>
    resource.findings.filter((f) => f.upgrade === "fails").map((f) => findingKey(resource, f)),
  );
  if (stillFails.length > 0) {
    if (result.code === 0) {
      return [
        ...problems,
        `the follow-up helm upgrade succeeded, though the report predicts it fails on ${stillFails.join("; ")}`,
      ];
    }
    tally.followUps.failedAsPredicted += 1;
  } else if (result.code !== 0) {
    return [...problems, `the follow-up helm upgrade failed: ${errorLine(result)}`];
  }
  tally.followUps.succeeded += 1;
  return problems;
}

// ---------------------------------------------------------------------------------------------------------

describe.skipIf(!cluster.available)(
  "helm upgrade does what helm-drift predicts, and its plans repair",
  () => {
    const started = Date.now();

    beforeAll(async () => {
      // Cluster-scoped and shared: applied once per run (a no-op when present), never deleted.
      await kubectlTimed([
        "apply",
        "--server-side",
        "--field-manager=helm-drift-e2e",
        "--force-conflicts",
        "-f",
        repoPath(RUNNER_CRD.file),
      ]);
      await crdEstablished(RUNNER_CRD.name);
    });

    afterAll(() => {
      const { helm, helm4 } = tally.predictions;
      const agree = helm.agree + helm4.agree;
      const total = helm.total + helm4.total;
      const { plans, followUps } = tally;
      console.log(
        `upgrade oracle: ${agree}/${total} predictions agree (Helm 3: ${helm.agree}/${helm.total}, Helm 4: ${helm4.agree}/${helm4.total}; ` +
          `plans: ${plans.repaired}/${plans.total} repaired, ${followUps.succeeded}/${followUps.total} follow-up upgrades as predicted ` +
          `(${followUps.plain} plain --reuse-values, ${followUps.failedAsPredicted} failing as the report says)) in ` +
          `${Math.round((Date.now() - started) / 1000)} s`,
      );
      if (tally.disagreements.length > 0)
        console.log(`disagreements:\n  ${tally.disagreements.join("\n  ")}`);
      expect(tally.disagreements).toEqual([]);
      expect({ agree, repaired: plans.repaired, followUps: followUps.succeeded }).toEqual({
        agree: total,
        repaired: plans.total,
        followUps: followUps.total,
      });
    });

    it("every drift scenario has a follow-up upgrade, and every follow-up names a scenario", () => {
      const names = DRIFT_SCENARIOS.map((scenario) => scenario.name);
      expect(names.filter((name) => !(name in FOLLOW_UPS))).toEqual([]);
      expect(Object.keys(FOLLOW_UPS).filter((name) => !names.includes(name))).toEqual([]);
    });

    describe.concurrent("per scenario and helm", () => {
      it.for(CASES)(
        "%s",
        { timeout: 300_000 },
        async ([, { helm, scenario }], { expect, onTestFinished }) => {
          const namespaces = [await takeNamespace(), await takeNamespace()] as const;
          onTestFinished(async () => {
            await Promise.all(
              namespaces.map((namespace) => giveBack(namespace, helm, scenario.release.name)),
            );
          });
          const [a, b] = await Promise.all(
            namespaces.map((namespace) => stageCopy(scenario, helm, namespace)),
          );
          if (!a || !b) throw new Error("two copies were staged");
          for (const copy of [a, b]) expect(findingsOf(copy.release).size > 0).toBe(scenario.drifts);
          // Both copies were made alike: helm-drift must predict the same for both.
          const predictionsOf = (copy: Copy) =>
            copy.release.resources.map((r) => [
              r.kind,
              r.name,
              r.healsOnUpgrade,
              r.findings.map((f) => f.upgrade),
            ]);
          expect(predictionsOf(b)).toEqual(predictionsOf(a));

          const [{ predictions, problems: upgradeProblems }, planProblems] = await Promise.all([
            realUpgrade(scenario, helm, a),
            carryOutPlans(scenario, helm, b),
          ]);
          const label = `${HELM_NAMES[helm]}: ${scenario.name}`;
          const wrong = predictions.filter((p) => p.predicted !== p.observed);
          tally.predictions[helm].total += predictions.length;
          tally.predictions[helm].agree += predictions.length - wrong.length;
          const problems = [
            ...wrong.map((p) => `${label}: ${p.what}: predicted ${p.predicted}, observed ${p.observed}`),
            ...upgradeProblems.map((problem) => `${label}: ${problem}`),
            ...planProblems.map((problem) => `${label}: ${problem}`),
          ];
          tally.disagreements.push(...problems);
          expect(problems).toEqual([]);
        },
      );
    });
  },
);
