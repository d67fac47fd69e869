/**
 * Secrets whose values the chart generates (issue 7): `lookup` of the live Secret (bitnami's passwords) or a
 * random value at every render. `helm upgrade` does not restore what the release recorded: with lookup it
 * adopts the hand-edited value, with rand* it writes a new one (and Helm 4's apply of that new value conflicts
 * with kubectl-patch). helm-drift must say so per finding (`upgrade: rerenders`, or `fails`), and its plan —
 * re-apply the Secret from the stored manifest — must bring back exactly the recorded values. Both checked
 * against the real Helm 3 and Helm 4 on the real API server, on two copies of the same drift.
 */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import type { Finding } from "../../src/model/finding.js";
import type { DriftReport, ResourceReport } from "../../src/model/report.js";
import {
  cluster,
  clusterBin,
  freshNamespaceTimed,
  helmDriftTimed,
  kubectlTimed,
  okTimed,
  parseReport,
  repoPath,
  shTimed,
} from "./harness.js";
import { executeAction } from "./incident/steps.js";
import { uninstallRelease } from "./scenarios/drift-runner.js";

const RELEASE = "gen";
const CHART = repoPath("test/e2e/charts/generated");
const KEPT = `${RELEASE}-generated-kept`;
const RANDOM = `${RELEASE}-generated-random`;
/** What a person writes into both Secrets by hand (base64 of "edited-by-hand"). */
const EDITED = Buffer.from("edited-by-hand").toString("base64");

interface Variant {
  helm: "helm" | "helm4";
  /** What the report predicts for the hand-edited value of each Secret, as [upgrade, upgradeRule]. */
  kept: [Finding["upgrade"], string];
  random: [Finding["upgrade"], string];
}

const VARIANTS: Variant[] = [
  {
    helm: "helm",
    kept: ["rerenders", "generated-value-adopted"],
    random: ["rerenders", "generated-value-replaced"],
  },
  // Helm 4 applies the new random token against the value kubectl-patch now owns: a conflict.
  {
    helm: "helm4",
    kept: ["rerenders", "generated-value-adopted"],
    random: ["fails", "server-side-apply-conflict"],
  },
];

async function secretData(namespace: string, name: string): Promise<Record<string, string>> {
  return JSON.parse(await kubectlTimed(["get", "secret", name, "-n", namespace, "-o", "json"])).data;
}

/** The Secret's data as revision `revision` of the release recorded it (never printed). */
async function recordedData(helm: string, namespace: string, name: string, revision: number) {
  const manifest = await okTimed(helm, [
    "get",
    "manifest",
    RELEASE,
    "-n",
    namespace,
    "--revision",
    String(revision),
  ]);
  const object = parseAllDocuments(manifest, { version: "1.1" })
    .map(
      (document) =>
        document.toJS() as { kind?: string; metadata?: { name?: string }; data?: Record<string, string> },
    )
    .find((candidate) => candidate?.kind === "Secret" && candidate.metadata?.name === name);
  if (!object?.data) throw new Error(`revision ${revision} records no Secret ${name}`);
  return object.data;
}

function secretReport(report: DriftReport, name: string): ResourceReport {
  const resource = report.releases[0]?.resources.find((r) => r.kind === "Secret" && r.name === name);
  if (!resource) throw new Error(`no Secret ${name} in the report`);
  return resource;
}

describe.skipIf(!cluster.available).each(VARIANTS)(
  "a chart that generates its Secrets, installed with $helm",
  (variant) => {
    const helm = clusterBin(variant.helm);
    const check = async (namespace: string) => {
      const result = await helmDriftTimed(
        ["check", RELEASE, "-n", namespace, "-o", "json", "--desired-from", "helm", "--helm-bin", helm],
        { timeoutMs: 60_000 },
      );
      const report = parseReport(result.stdout);
      return { code: result.code, report };
    };
    const copies: string[] = [];
    let predicted: DriftReport;

    beforeAll(async () => {
      for (const prefix of ["gen-up", "gen-fix"]) {
        const namespace = await freshNamespaceTimed(`${prefix}-${variant.helm}`);
        copies.push(namespace);
        await okTimed(helm, ["install", RELEASE, CHART, "-n", namespace]);
        for (const [name, key] of [
          [KEPT, "password"],
          [RANDOM, "token"],
        ] as const) {
          const patch = JSON.stringify({ data: { [key]: EDITED } });
          await kubectlTimed(["patch", "secret", name, "-n", namespace, "--type", "merge", "-p", patch]);
        }
      }
      predicted = (await check(copies[0] as string)).report;
    }, 180_000);

    afterAll(async () => {
      for (const namespace of copies) await uninstallRelease(variant.helm, RELEASE, namespace);
    });

    it("predicts that helm upgrade does not restore either Secret, and never prints a value", async () => {
      const kept = secretReport(predicted, KEPT);
      const random = secretReport(predicted, RANDOM);
      expect(kept.findings.map((f) => [f.path, f.upgrade, f.upgradeRule])).toEqual([
        ["data.password", ...variant.kept],
      ]);
      expect(random.findings.map((f) => [f.path, f.upgrade, f.upgradeRule])).toEqual([
        ["data.token", ...variant.random],
      ]);
      expect([kept.healsOnUpgrade, random.healsOnUpgrade]).toEqual(["no", "no"]);
      for (const resource of [kept, random]) {
        expect(resource.remediation?.reason.code).toBe("secret-generated");
        expect(resource.remediation?.steps.map((step) => step.action)).toEqual([
          "server-side-apply",
          "verify",
        ]);
      }
      const text = JSON.stringify(predicted);
      expect(text).not.toContain(EDITED);
      const recorded = await recordedData(helm, copies[0] as string, KEPT, 1);
      expect(text).not.toContain(recorded.password);
    });

    it("copy A: the real helm upgrade does what the report predicted", async () => {
      const namespace = copies[0] as string;
      const recordedKept = await recordedData(helm, namespace, KEPT, 1);
      const recordedRandom = await recordedData(helm, namespace, RANDOM, 1);
      const upgrade = await shTimed(helm, ["upgrade", RELEASE, CHART, "--reuse-values", "-n", namespace], {
        timeoutMs: 60_000,
      });
      const failed = variant.kept[0] === "fails" || variant.random[0] === "fails";
      expect({
        failed: upgrade.code !== 0,
        error: upgrade.code !== 0 ? upgrade.stderr.trim().split("\n").at(-1) : null,
      }).toMatchObject({
        failed,
      });
      const kept = await secretData(namespace, KEPT);
      const random = await secretData(namespace, RANDOM);
      if (failed) {
        // A failed apply changes nothing: both hand edits are still there.
        expect([kept.password, random.token]).toEqual([EDITED, EDITED]);
        return;
      }
      // rerenders: the finding is gone (the new revision records the live value) but the recorded value is lost.
      expect(kept.password).toBe(EDITED);
      expect(kept.password).not.toBe(recordedKept.password);
      expect(random.token).not.toBe(EDITED);
      expect(random.token).not.toBe(recordedRandom.token);
      const after = await check(namespace);
      expect(after.code).toBe(0);
    });

    it("copy B: the plan puts back exactly the values the release recorded, and the release is in sync", async () => {
      const namespace = copies[1] as string;
      const { report } = await check(namespace);
      for (const name of [KEPT, RANDOM]) {
        for (const step of secretReport(report, name).remediation?.steps ?? []) {
          if (step.action === "verify") continue;
          await executeAction(step, { chart: CHART, upgradeFlags: [], helm: variant.helm });
        }
      }
      expect(await secretData(namespace, KEPT)).toEqual(await recordedData(helm, namespace, KEPT, 1));
      expect(await secretData(namespace, RANDOM)).toEqual(await recordedData(helm, namespace, RANDOM, 1));
      const after = await check(namespace);
      expect({ code: after.code, status: after.report.releases[0]?.status }).toEqual({
        code: 0,
        status: "InSync",
      });
    });
  },
);
