import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import {
  HelmCommandError,
  HelmUnavailableError,
  NoDeployedRevisionError,
  ReleaseNotFoundError,
} from "../../../src/errors.js";
import type { ReleaseData } from "../../../src/model/release.js";
import { HelmCliReleaseSource } from "../../../src/sources/helm-cli.js";
import { ReleaseStorageSource, type StoredRecord } from "../../../src/sources/release-secrets-source.js";

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
  "get manifest")
    if [ -f "$dir/manifest-$3.yaml" ]; then cat "$dir/manifest-$3.yaml"; else printf '# revision %s\\n' "$7"; fi ;;
  "get all") cat "$dir/templates-$3.txt" ;;
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
  test("lists the releases of one namespace, passing kubeconfig and context, and splits chart names", async () => {
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
        "--failed",
        "--pending",
        "--superseded",
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
    expect(calls()).toEqual([
      [
        "list",
        "--output",
        "json",
        "--deployed",
        "--failed",
        "--pending",
        "--superseded",
        "--max",
        "0",
        "--all-namespaces",
      ],
    ]);
  });

  test("lists a release at its newest revision whatever its state, but never an uninstalled one", async () => {
    const row = (name: string, revision: string, status: string) => ({
      name,
      namespace: "shop",
      revision,
      updated: "2026-11-30 11:20:44.211039759 +0000 UTC",
      status,
      chart: "webapp-1.4.2",
      app_version: "2.8.1",
    });
    // What `helm list -A --deployed --failed --pending --superseded` prints, plus the rows a helm that ignored
    // the state flags would add: they are dropped all the same.
    write(
      "list.json",
      JSON.stringify([
        row("failed-upgrade", "2", "failed"),
        row("failed-install", "1", "failed"),
        row("upgrading", "4", "pending-upgrade"),
        row("installing", "1", "pending-install"),
        row("rolling-back", "5", "pending-rollback"),
        row("web", "3", "deployed"),
        row("gone", "2", "uninstalled"),
        row("going", "2", "uninstalling"),
      ]),
    );
    const listings = await new HelmCliReleaseSource({ helmBin: helm, env: env() }).list("shop");
    expect(listings.map((l) => `${l.name}@${l.revision} ${l.status}`)).toEqual([
      "failed-upgrade@2 failed",
      "failed-install@1 failed",
      "upgrading@4 pending-upgrade",
      "installing@1 pending-install",
      "rolling-back@5 pending-rollback",
      "web@3 deployed",
    ]);
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
    const { templates, ...release } = await new HelmCliReleaseSource({ helmBin: helm, env: env() }).get(
      "arc-runners",
      "arc",
    );
    expect(typeof templates).toBe("function");
    expect(release).toEqual({
      name: "arc-runners",
      namespace: "arc",
      revision: 2,
      chartName: "gha-runner-scale-set",
      chartVersion: "0.14.2",
      manifest: MANIFEST,
      origin: "release arc/arc-runners",
      newerRevision: { revision: 3, status: "failed", description: "Upgrade failed" },
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

  test("reads the checked revision's chart templates only when asked, through helm get all --template", async () => {
    write("history-arc-runners.json", HISTORY);
    write("metadata-arc-runners.json", METADATA);
    write("manifest-arc-runners.yaml", MANIFEST);
    const secret = 'password: {{ randAlphaNum 8 | b64enc | quote }}\n# "quoted" and spaced\n';
    const hex = (text: string) => Buffer.from(text, "utf8").toString("hex");
    write(
      "templates-arc-runners.txt",
      `${hex("templates/secret.yaml")} ${hex(secret)}\n${hex("templates/empty.yaml")} \n`,
    );
    const release = await new HelmCliReleaseSource({ helmBin: helm, env: env() }).get("arc-runners", "arc");
    expect(calls()).toHaveLength(3);
    expect(await release.templates?.()).toEqual([
      { name: "templates/secret.yaml", data: secret },
      { name: "templates/empty.yaml", data: "" },
    ]);
    expect(calls().at(-1)?.slice(0, 8)).toEqual([
      "get",
      "all",
      "arc-runners",
      "--namespace",
      "arc",
      "--revision",
      "2",
      "--template",
    ]);
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

  test("a release whose only revision failed has no deployed manifest: NoDeployedRevisionError", async () => {
    write("history-broken.json", JSON.stringify([{ revision: 1, status: "failed", chart: "podinfo-6.5.4" }]));
    const get = new HelmCliReleaseSource({ helmBin: helm, env: env() }).get("broken", "default");
    await expect(get).rejects.toBeInstanceOf(NoDeployedRevisionError);
    await expect(get).rejects.toThrow(
      "release default/broken has no deployed revision (revision 1 is failed)",
    );
    expect(calls()).toEqual([["history", "broken", "--namespace", "default", "--output", "json"]]);
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

/** A revision of release shop/web: its status and Helm's description, as history and storage both keep them. */
type Revision = [revision: number, status: string, description: string];

/** The release Secret Helm's secrets driver writes for a revision (labels set from the record). */
function storedRevision([revision, status, description]: Revision): StoredRecord {
  const record = {
    name: "web",
    namespace: "shop",
    version: revision,
    info: { status, description, last_deployed: "2026-11-30T11:20:44Z" },
    chart: { metadata: { name: "webapp", version: "1.4.2" } },
    manifest: `# revision ${revision}\n`,
  };
  const helmPayload = gzipSync(JSON.stringify(record)).toString("base64");
  return {
    metadata: {
      name: `sh.helm.release.v1.web.v${revision}`,
      namespace: "shop",
      labels: { name: "web", owner: "helm", status, version: String(revision) },
    },
    type: "helm.sh/release.v1",
    data: { release: Buffer.from(helmPayload).toString("base64") },
  };
}

/** `helm history web -o json` for the same revisions. */
function historyJson(revisions: Revision[]): string {
  return JSON.stringify(
    revisions.map(([revision, status, description]) => ({
      revision,
      updated: "2026-11-30T11:20:44Z",
      status,
      chart: "webapp-1.4.2",
      app_version: "2.8.1",
      description,
    })),
  );
}

/** What a source's get gives: the release, or the error's class and message. */
/** A release as data (its lazy `templates` loader left out), or the error it throws. */
async function outcome(get: Promise<ReleaseData>): Promise<unknown> {
  return get.then(
    ({ templates: _templates, ...data }) => data,
    (error: Error) => ({ error: error.constructor.name, message: error.message }),
  );
}

const CONFLICT =
  'Upgrade "web" failed: conflict occurred while applying object shop/web-webapp apps/v1, Kind=Deployment: Apply failed with 1 conflict: conflict with "kubectl-set" using apps/v1: .spec.template.spec.containers[name="webapp"].image';
const INSTALL_FAILED =
  'Release "web" failed: 1 error occurred:\n\t* Deployment.apps "web-webapp" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0\n\n';

const notFound = { error: "ReleaseNotFoundError", message: 'release "web" not found in namespace "shop"' };
const undeployed = (revision: number, status: string) => ({
  error: "NoDeployedRevisionError",
  message: `release shop/web has no deployed revision (revision ${revision} is ${status})`,
});
const checked = (revision: number, newerRevision: unknown) => ({
  name: "web",
  namespace: "shop",
  revision,
  chartName: "webapp",
  chartVersion: "1.4.2",
  manifest: `# revision ${revision}\n`,
  origin: "release shop/web",
  newerRevision,
});

const AGREEMENT: { name: string; revisions: Revision[]; expected: unknown }[] = [
  {
    name: "checks the last deployed revision when the newest upgrade failed, and names the failed one",
    revisions: [
      [1, "superseded", "Install complete"],
      [2, "deployed", "Upgrade complete"],
      [3, "failed", CONFLICT],
    ],
    expected: checked(2, { revision: 3, status: "failed", description: CONFLICT }),
  },
  {
    name: "names an upgrade still pending",
    revisions: [
      [1, "deployed", "Install complete"],
      [2, "pending-upgrade", "Preparing upgrade"],
    ],
    expected: checked(1, { revision: 2, status: "pending-upgrade", description: "Preparing upgrade" }),
  },
  {
    name: "names a rollback still pending",
    revisions: [
      [1, "superseded", "Install complete"],
      [2, "deployed", "Upgrade complete"],
      [3, "pending-rollback", "Rollback to 1"],
    ],
    expected: checked(2, { revision: 3, status: "pending-rollback", description: "Rollback to 1" }),
  },
  {
    name: "after a failed upgrade and a failed rollback, names the newest",
    revisions: [
      [1, "deployed", "Install complete"],
      [2, "failed", CONFLICT],
      [3, "failed", 'Rollback "web" failed: timed out'],
    ],
    expected: checked(1, { revision: 3, status: "failed", description: 'Rollback "web" failed: timed out' }),
  },
  {
    name: "two revisions labelled deployed (a failed rollback): the highest is checked",
    revisions: [
      [4, "deployed", "Upgrade complete"],
      [9, "deployed", "Rollback to 4"],
      [10, "failed", CONFLICT],
    ],
    expected: checked(9, { revision: 10, status: "failed", description: CONFLICT }),
  },
  {
    name: "no newer revision when the deployed one is the newest",
    revisions: [
      [1, "superseded", "Install complete"],
      [2, "deployed", "Upgrade complete"],
    ],
    expected: checked(2, null),
  },
  {
    name: "an install that failed has no deployed revision",
    revisions: [[1, "failed", INSTALL_FAILED]],
    expected: undeployed(1, "failed"),
  },
  {
    name: "an install still pending has no deployed revision",
    revisions: [[1, "pending-install", "Initial install underway"]],
    expected: undeployed(1, "pending-install"),
  },
  {
    name: "an upgrade of a release whose install failed, failed too: no deployed revision, the newest is named",
    revisions: [
      [1, "failed", INSTALL_FAILED],
      [2, "failed", CONFLICT],
    ],
    expected: undeployed(2, "failed"),
  },
  {
    name: "uninstalled with --keep-history: not found",
    revisions: [
      [1, "superseded", "Install complete"],
      [2, "uninstalled", "Uninstallation complete"],
    ],
    expected: notFound,
  },
  {
    name: "being uninstalled, an older revision still labelled deployed: not found",
    revisions: [
      [1, "deployed", "Install complete"],
      [2, "uninstalling", "Deletion in progress (or silently failed)"],
    ],
    expected: notFound,
  },
];

describe("the helm CLI and the release Secrets agree on which revision is checked", () => {
  test.each(AGREEMENT)("$name", async ({ revisions, expected }) => {
    write("history-web.json", historyJson(revisions));
    write("metadata-web.json", JSON.stringify({ name: "web", chart: "webapp", version: "1.4.2" }));
    const secrets = revisions.map(storedRevision);
    const fromHelm = await outcome(
      new HelmCliReleaseSource({ helmBin: helm, env: env() }).get("web", "shop"),
    );
    const fromSecrets = await outcome(new ReleaseStorageSource(async () => secrets).get("web", "shop"));
    expect(fromHelm).toEqual(expected);
    expect(fromSecrets).toEqual(expected);
  });
});
