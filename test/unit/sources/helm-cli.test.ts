import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { HelmCommandError, HelmUnavailableError, ReleaseNotFoundError } from "../../../src/errors.js";
import { HelmCliReleaseSource } from "../../../src/sources/helm-cli.js";

/**
 * A stand-in for the helm binary: records each invocation's arguments (tab-separated, one line per run) and
 * answers from files in its directory the way helm 3/4 print them.
 */
const FAKE_HELM = `#!/bin/sh
dir="$FAKE_HELM_DIR"
{ for a in "$@"; do printf '%s\\t' "$a"; done; printf '\\n'; } >> "$dir/calls"
case "$1 $2" in
  "list "*) cat "$dir/list.json" ;;
  "history "*)
    case "$2" in
      missing) echo 'Error: release: not found' >&2; exit 1 ;;
      unreachable)
        echo 'WARNING: Kubernetes configuration file is group-readable. This is insecure. Location: /k' >&2
        echo 'Error: Kubernetes cluster unreachable: Get "https://127.0.0.1:6443/version": connection refused' >&2
        exit 1 ;;
    esac
    cat "$dir/history-$2.json" ;;
  "get manifest") cat "$dir/manifest-$3.yaml" ;;
  "get metadata")
    if [ -f "$dir/helm-3.12" ]; then
      echo 'Error: unknown command "metadata" for "helm get"' >&2
      echo "Run 'helm get --help' for usage." >&2
      exit 1
    fi
    cat "$dir/metadata-$3.json" ;;
  *) echo "Error: unexpected arguments" >&2; exit 2 ;;
esac
`;

let dir: string;
let helm: string;

function write(name: string, content: string): void {
  writeFileSync(path.join(dir, name), content);
}

/** Each helm run's arguments. */
function calls(): string[][] {
  return readFileSync(path.join(dir, "calls"), "utf8")
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => line.split("\t").slice(0, -1));
}

function env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, FAKE_HELM_DIR: dir, ...extra };
}

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "helm-drift-fake-helm-"));
  helm = path.join(dir, "helm");
  writeFileSync(helm, FAKE_HELM);
  chmodSync(helm, 0o755);
  write("calls", "");
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** `helm list -o json` as Helm 3 and 4 print it (revision is a string in both). */
const LIST = JSON.stringify([
  {
    name: "arc-runners",
    namespace: "arc",
    revision: "3",
    updated: "2025-06-02 10:11:12.123456 +0000 UTC",
    status: "deployed",
    chart: "gha-runner-scale-set-0.14.2",
    app_version: "0.14.2",
  },
  {
    name: "monitoring",
    namespace: "monitoring",
    revision: "12",
    updated: "2025-06-01 08:00:00.5 +0000 UTC",
    status: "deployed",
    chart: "kube-prometheus-stack-35.0.3",
    app_version: "0.56.0",
  },
  {
    name: "podinfo",
    namespace: "default",
    revision: "1",
    updated: "2025-06-03 09:00:00 +0000 UTC",
    status: "deployed",
    chart: "podinfo-6.5.4",
    app_version: "6.5.4",
  },
]);

/** `helm history -o json`: revision is a number; rev 3 failed after rev 2 deployed. */
const HISTORY = JSON.stringify([
  {
    revision: 1,
    updated: "2025-06-01T10:00:00Z",
    status: "superseded",
    chart: "gha-runner-scale-set-0.14.1",
    app_version: "0.14.1",
    description: "Install complete",
  },
  {
    revision: 2,
    updated: "2025-06-02T10:00:00Z",
    status: "deployed",
    chart: "gha-runner-scale-set-0.14.2",
    app_version: "0.14.2",
    description: "Upgrade complete",
  },
  {
    revision: 3,
    updated: "2025-06-03T10:00:00Z",
    status: "failed",
    chart: "gha-runner-scale-set-0.15.0",
    app_version: "0.15.0",
    description: "Upgrade failed",
  },
]);

/** `helm get metadata -o json` (Helm ≥ 3.13; Helm 4 adds applyMethod). */
const METADATA = JSON.stringify({
  name: "arc-runners",
  chart: "gha-runner-scale-set",
  version: "0.14.2",
  appVersion: "0.14.2",
  namespace: "arc",
  revision: 2,
  status: "deployed",
  deployedAt: "2025-06-02T10:00:00Z",
  applyMethod: "csa",
});

const MANIFEST =
  "---\n# Source: gha-runner-scale-set/templates/autoscalingrunnerset.yaml\napiVersion: actions.github.com/v1alpha1\n";

describe("HelmCliReleaseSource.list", () => {
  test("lists deployed releases of one namespace, passing kubeconfig and context, and splits chart names", async () => {
    write("list.json", LIST);
    const source = new HelmCliReleaseSource({
      helmBin: helm,
      kubeconfig: "/home/u/.kube/dev",
      context: "dev",
      env: env(),
    });
    const listings = await source.list("arc");
    expect(calls()).toEqual([
      [
        "list",
        "--output",
        "json",
        "--deployed",
        "--max",
        "0",
        "--namespace",
        "arc",
        "--kubeconfig",
        "/home/u/.kube/dev",
        "--kube-context",
        "dev",
      ],
    ]);
    expect(listings).toEqual([
      {
        name: "arc-runners",
        namespace: "arc",
        revision: 3,
        chartName: "gha-runner-scale-set",
        chartVersion: "0.14.2",
        status: "deployed",
      },
      {
        name: "monitoring",
        namespace: "monitoring",
        revision: 12,
        chartName: "kube-prometheus-stack",
        chartVersion: "35.0.3",
        status: "deployed",
      },
      {
        name: "podinfo",
        namespace: "default",
        revision: 1,
        chartName: "podinfo",
        chartVersion: "6.5.4",
        status: "deployed",
      },
    ]);
  });

  test("all namespaces, and no kubeconfig or context flags when none were given", async () => {
    write("list.json", "[]\n");
    await expect(new HelmCliReleaseSource({ helmBin: helm, env: env() }).list(null)).resolves.toEqual([]);
    expect(calls()).toEqual([["list", "--output", "json", "--deployed", "--max", "0", "--all-namespaces"]]);
  });

  test("output that is not JSON is a HelmCommandError", async () => {
    write("list.json", "NAME\tNAMESPACE\n");
    await expect(new HelmCliReleaseSource({ helmBin: helm, env: env() }).list(null)).rejects.toThrow(
      new HelmCommandError("helm list printed output that is not JSON"),
    );
  });
});

describe("HelmCliReleaseSource.get", () => {
  test("reads the deployed revision's manifest and its chart from helm get metadata", async () => {
    write("history-arc-runners.json", HISTORY);
    write("metadata-arc-runners.json", METADATA);
    write("manifest-arc-runners.yaml", MANIFEST);
    const release = await new HelmCliReleaseSource({ helmBin: helm, env: env() }).get("arc-runners", "arc");
    expect(release).toEqual({
      name: "arc-runners",
      namespace: "arc",
      revision: 2,
      chartName: "gha-runner-scale-set",
      chartVersion: "0.14.2",
      manifest: MANIFEST,
      origin: "release arc/arc-runners",
    });
    expect(calls()).toEqual(
      expect.arrayContaining([
        ["history", "arc-runners", "--namespace", "arc", "--output", "json"],
        ["get", "manifest", "arc-runners", "--namespace", "arc", "--revision", "2"],
        ["get", "metadata", "arc-runners", "--namespace", "arc", "--revision", "2", "--output", "json"],
      ]),
    );
    expect(calls()).toHaveLength(3);
  });

  test("helm before 3.13 has no get metadata: the chart comes from the history's CHART column", async () => {
    write("helm-3.12", "");
    write("history-arc-runners.json", HISTORY);
    write("manifest-arc-runners.yaml", MANIFEST);
    const release = await new HelmCliReleaseSource({ helmBin: helm, env: env() }).get("arc-runners", "arc");
    expect(release).toMatchObject({ revision: 2, chartName: "gha-runner-scale-set", chartVersion: "0.14.2" });
  });

  test('"release: not found" is ReleaseNotFoundError', async () => {
    await expect(
      new HelmCliReleaseSource({ helmBin: helm, env: env() }).get("missing", "arc"),
    ).rejects.toThrow(new ReleaseNotFoundError("missing", "arc"));
  });

  test("a release whose only revision failed has no deployed manifest: not found", async () => {
    write("history-broken.json", JSON.stringify([{ revision: 1, status: "failed", chart: "podinfo-6.5.4" }]));
    await expect(
      new HelmCliReleaseSource({ helmBin: helm, env: env() }).get("broken", "default"),
    ).rejects.toThrow(new ReleaseNotFoundError("broken", "default"));
  });

  test("another failure is a HelmCommandError with helm's Error line, not its warnings", async () => {
    await expect(
      new HelmCliReleaseSource({ helmBin: helm, env: env() }).get("unreachable", "arc"),
    ).rejects.toThrow(
      new HelmCommandError(
        'helm history unreachable failed: Error: Kubernetes cluster unreachable: Get "https://127.0.0.1:6443/version": connection refused',
      ),
    );
  });
});

describe("which helm binary runs", () => {
  test("HELM_BIN is used when --helm-bin is not given", async () => {
    write("list.json", LIST);
    const source = new HelmCliReleaseSource({ env: env({ HELM_BIN: helm }) });
    expect(source.helmBin).toBe(helm);
    await expect(source.list(null)).resolves.toHaveLength(3);
  });

  test("--helm-bin wins over HELM_BIN", () => {
    const source = new HelmCliReleaseSource({ helmBin: "/opt/helm4/helm", env: env({ HELM_BIN: helm }) });
    expect(source.helmBin).toBe("/opt/helm4/helm");
  });

  test("without either, helm from PATH", () => {
    expect(new HelmCliReleaseSource({ env: {} }).helmBin).toBe("helm");
  });

  test("a binary that does not exist is HelmUnavailableError saying which and how to point at one", async () => {
    const missing = path.join(dir, "no-such-helm");
    await expect(new HelmCliReleaseSource({ helmBin: missing, env: env() }).list(null)).rejects.toThrow(
      new HelmUnavailableError(
        `cannot run helm binary "${missing}" (ENOENT): install helm, or set --helm-bin or HELM_BIN to its path`,
      ),
    );
  });

  test("helm not on PATH is HelmUnavailableError too", async () => {
    await expect(
      new HelmCliReleaseSource({ env: { PATH: dir.replace(/$/, "-empty") } }).list(null),
    ).rejects.toBeInstanceOf(HelmUnavailableError);
  });

  test("a file that is not executable is HelmUnavailableError", async () => {
    chmodSync(helm, 0o644);
    await expect(new HelmCliReleaseSource({ helmBin: helm, env: env() }).list(null)).rejects.toBeInstanceOf(
      HelmUnavailableError,
    );
  });
});
