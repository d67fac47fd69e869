import type { UpgradeOutcome } from "../../../src/model/finding.js";
import type { ReleaseSpec } from "./drift-runner.js";
import type { DriftStep } from "./drift-scenarios.js";
import type { FollowUp } from "./follow-ups.js";

/**
 * Drift of a custom resource (test/e2e/charts/runner: one RunnerPool with a pod template), for the upgrade
 * oracle. Helm 3 patches custom resources with a two-way merge patch between the previous and the new release
 * manifest and never looks at the live object (the incident); Helm 4 applies them server-side. The CRD keys
 * containers, env, volumes and volumeMounts as a Pod does, so server-side apply merges them entry by entry.
 */

/** The RunnerPool's CRD (also in the chart's crds/ dir, which Helm skips once it exists). */
export const RUNNER_CRD = {
  name: "runnerpools.e2e.helm-drift.dev",
  file: "test/e2e/charts/runner/crds/runnerpools.e2e.helm-drift.dev.yaml",
} as const;

export const RUNNER_RELEASE: ReleaseSpec = { name: "ci", chart: "test/e2e/charts/runner", values: null };

/** The release's one object (`<release>-<chart>`). */
const OBJECT = "runnerpool/ci-runner";
const POD_SPEC = "/spec/template/spec";

export interface RunnerScenario {
  name: string;
  drift: DriftStep[];
  followUp: FollowUp;
  /** What the real `helm upgrade --reuse-values` does to every finding, by the helm that installed the release. */
  outcome: { helm: UpgradeOutcome; helm4: UpgradeOutcome };
}

/** `kubectl patch OBJECT --type json`, every removal and replacement guarded by a test of what it expects. */
const jsonPatch = (operations: object[]): DriftStep => ({
  kubectl: ["patch", OBJECT, "--type=json", "-p", JSON.stringify(operations)],
});

export const RUNNER_SCENARIOS: readonly RunnerScenario[] = [
  {
    name: "custom resource: kubectl patch --type json removes a volume and its mount",
    drift: [
      jsonPatch([
        { op: "test", path: `${POD_SPEC}/volumes/1/name`, value: "tools" },
        { op: "remove", path: `${POD_SPEC}/volumes/1` },
        { op: "test", path: `${POD_SPEC}/containers/0/volumeMounts/1/name`, value: "tools" },
        { op: "remove", path: `${POD_SPEC}/containers/0/volumeMounts/1` },
      ]),
    ],
    followUp: { flags: ["--set", "tools.sizeLimit=2Gi"] },
    // Helm 3: the volume is in both manifests, so its patch never sends it. Helm 4: nobody owns it any more.
    outcome: { helm: "keeps", helm4: "restores" },
  },
  {
    name: "custom resource: kubectl patch --type json changes the runner image",
    drift: [
      jsonPatch([
        { op: "test", path: `${POD_SPEC}/containers/0/name`, value: "runner" },
        {
          op: "replace",
          path: `${POD_SPEC}/containers/0/image`,
          value: "ghcr.io/actions/actions-runner:2.320.0",
        },
      ]),
    ],
    followUp: { flags: ["--set", "image.tag=2.322.0"] },
    // Helm 4: kubectl-patch owns the image now, and Helm applies without --force-conflicts.
    outcome: { helm: "keeps", helm4: "fails" },
  },
  {
    name: "custom resource: kubectl patch --type json adds an env var",
    drift: [
      jsonPatch([
        { op: "test", path: `${POD_SPEC}/containers/0/name`, value: "runner" },
        { op: "add", path: `${POD_SPEC}/containers/0/env/-`, value: { name: "RUNNER_DEBUG", value: "1" } },
      ]),
    ],
    // The chart now renders the entry the drift added, with another value.
    followUp: { flags: ["--set-string", "env.RUNNER_DEBUG=0"] },
    outcome: { helm: "keeps", helm4: "keeps" },
  },
];
