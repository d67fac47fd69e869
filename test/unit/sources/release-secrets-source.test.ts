import { readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, test } from "vitest";
import { InputError, NoDeployedRevisionError, ReleaseNotFoundError } from "../../../src/errors.js";
import {
  type RecordLister,
  ReleaseStorageSource,
  type StoredRecord,
} from "../../../src/sources/release-secrets-source.js";
import { corpusPath } from "../../helpers/corpus.js";

const STORAGE = corpusPath("flux/helm-release-storage");
const podinfo = JSON.parse(readFileSync(path.join(STORAGE, "podinfo-helm-1.decoded.json"), "utf8"));

/** A release Secret as the API returns it: data.release = base64(Helm's base64(gzip(json))). */
function releaseSecret(options: {
  name: string;
  namespace: string;
  revision: number;
  status: string;
  chartVersion?: string;
  description?: string;
  type?: string;
}): StoredRecord {
  const record = {
    ...podinfo,
    name: options.name,
    namespace: options.namespace,
    version: options.revision,
    info: { ...podinfo.info, status: options.status, description: options.description ?? "Upgrade complete" },
    chart: {
      ...podinfo.chart,
      metadata: { ...podinfo.chart.metadata, version: options.chartVersion ?? "4.0.6" },
    },
    manifest: `# revision ${options.revision}\n${podinfo.manifest}`,
  };
  const helmPayload = gzipSync(JSON.stringify(record)).toString("base64");
  return {
    metadata: {
      name: `sh.helm.release.v1.${options.name}.v${options.revision}`,
      namespace: options.namespace,
      labels: {
        name: options.name,
        owner: "helm",
        status: options.status,
        version: String(options.revision),
      },
    },
    type: options.type ?? "helm.sh/release.v1",
    data: { release: Buffer.from(helmPayload).toString("base64") },
  };
}

/** A lister over fixed Secrets that honours the namespace only, recording what it was asked. */
function fakeLister(secrets: StoredRecord[]): RecordLister & { calls: [string | null, string][] } {
  const calls: [string | null, string][] = [];
  const lister = async (namespace: string | null, selector: string) => {
    calls.push([namespace, selector]);
    return secrets.filter((s) => namespace === null || s.metadata.namespace === namespace);
  };
  return Object.assign(lister, { calls });
}

const history = [
  releaseSecret({ name: "web", namespace: "prod", revision: 1, status: "superseded", chartVersion: "4.0.5" }),
  releaseSecret({ name: "web", namespace: "prod", revision: 2, status: "deployed" }),
  releaseSecret({
    name: "web",
    namespace: "prod",
    revision: 3,
    status: "failed",
    chartVersion: "4.0.7",
    description: 'Upgrade "web" failed: timed out waiting for the condition',
  }),
  releaseSecret({
    name: "web",
    namespace: "staging",
    revision: 7,
    status: "deployed",
    chartVersion: "4.0.7",
  }),
  releaseSecret({ name: "api", namespace: "prod", revision: 1, status: "deployed" }),
];

describe("ReleaseStorageSource.get", () => {
  test("returns the deployed revision and names the newer failed one, asking for the release's Secrets only", async () => {
    const lister = fakeLister(history);
    const { templates, ...release } = await new ReleaseStorageSource(lister).get("web", "prod");
    expect(typeof templates).toBe("function");
    expect(release).toEqual({
      name: "web",
      namespace: "prod",
      revision: 2,
      chartName: "podinfo",
      chartVersion: "4.0.6",
      manifest: `# revision 2\n${podinfo.manifest}`,
      origin: "release prod/web",
      newerRevision: {
        revision: 3,
        status: "failed",
        description: 'Upgrade "web" failed: timed out waiting for the condition',
      },
    });
    expect(lister.calls).toEqual([["prod", "owner=helm,name=web"]]);
  });

  test("masks a value the newer revision's description quotes from an API-server field error", async () => {
    const refused = releaseSecret({
      name: "web",
      namespace: "prod",
      revision: 3,
      status: "failed",
      description: 'Upgrade "web" failed: Secret "db" is invalid: data[password]: Invalid value: "hunter2"',
    });
    const source = new ReleaseStorageSource(fakeLister([...history.slice(0, 2), refused]));
    expect((await source.get("web", "prod")).newerRevision).toEqual({
      revision: 3,
      status: "failed",
      description:
        'Upgrade "web" failed: Secret "db" is invalid: data[password]: Invalid value: *** (masked)',
    });
  });

  test("hands out the chart templates the record stores, decoded, without asking the API again", async () => {
    const lister = fakeLister(history);
    const release = await new ReleaseStorageSource(lister).get("web", "prod");
    const templates = (await release.templates?.()) ?? [];
    const stored = podinfo.chart.templates as { name: string; data: string }[];
    expect(templates.map((t) => t.name)).toEqual(stored.map((t) => t.name));
    expect(templates.find((t) => t.name === "templates/deployment.yaml")?.data).toBe(
      Buffer.from(stored.find((t) => t.name === "templates/deployment.yaml")?.data ?? "", "base64").toString(
        "utf8",
      ),
    );
    expect(templates.find((t) => t.name === "templates/deployment.yaml")?.data).toContain("kind: Deployment");
    expect(lister.calls).toHaveLength(1);
  });

  test("when two revisions are labelled deployed, the highest wins", async () => {
    const secrets = [
      releaseSecret({ name: "web", namespace: "prod", revision: 4, status: "deployed" }),
      releaseSecret({ name: "web", namespace: "prod", revision: 10, status: "deployed" }),
      releaseSecret({ name: "web", namespace: "prod", revision: 9, status: "deployed" }),
    ];
    await expect(new ReleaseStorageSource(fakeLister(secrets)).get("web", "prod")).resolves.toMatchObject({
      revision: 10,
    });
  });

  test("a Secret with release labels but another type is not release storage", async () => {
    const impostor = releaseSecret({
      name: "web",
      namespace: "prod",
      revision: 5,
      status: "deployed",
      type: "Opaque",
    });
    await expect(
      new ReleaseStorageSource(fakeLister([...history, impostor])).get("web", "prod"),
    ).resolves.toMatchObject({ revision: 2 });
  });

  test("a release with no deployed revision is a NoDeployedRevisionError naming its newest revision", async () => {
    const failedInstall = [releaseSecret({ name: "new", namespace: "prod", revision: 1, status: "failed" })];
    const get = new ReleaseStorageSource(fakeLister(failedInstall)).get("new", "prod");
    await expect(get).rejects.toBeInstanceOf(NoDeployedRevisionError);
    await expect(get).rejects.toThrow("release prod/new has no deployed revision (revision 1 is failed)");
  });

  test("no revision at all is not found", async () => {
    await expect(new ReleaseStorageSource(fakeLister(history)).get("nope", "prod")).rejects.toThrow(
      new ReleaseNotFoundError("nope", "prod"),
    );
  });

  test("a name that cannot be a release is not found without asking the API (no selector injection)", async () => {
    const lister = fakeLister(history);
    await expect(new ReleaseStorageSource(lister).get("web,owner!=helm", "prod")).rejects.toBeInstanceOf(
      ReleaseNotFoundError,
    );
    expect(lister.calls).toEqual([]);
  });

  test("a release Secret without data.release names the Secret and shows no data", async () => {
    const broken = releaseSecret({ name: "web", namespace: "prod", revision: 2, status: "deployed" });
    broken.data = { other: "c2VjcmV0" };
    await expect(new ReleaseStorageSource(fakeLister([broken])).get("web", "prod")).rejects.toThrow(
      new InputError("Secret/prod/sh.helm.release.v1.web.v2", "has no data.release"),
    );
  });
});

describe("ReleaseStorageSource.list", () => {
  test("one listing per release and namespace, at its newest revision as helm list prints it, asking for every status", async () => {
    const lister = fakeLister(history);
    const listings = await new ReleaseStorageSource(lister).list(null);
    expect(listings).toEqual([
      {
        name: "web",
        namespace: "prod",
        revision: 3,
        chartName: "podinfo",
        chartVersion: "4.0.7",
        status: "failed",
      },
      {
        name: "web",
        namespace: "staging",
        revision: 7,
        chartName: "podinfo",
        chartVersion: "4.0.7",
        status: "deployed",
      },
      {
        name: "api",
        namespace: "prod",
        revision: 1,
        chartName: "podinfo",
        chartVersion: "4.0.6",
        status: "deployed",
      },
    ]);
    expect(lister.calls).toEqual([[null, "owner=helm"]]);
  });

  test("one namespace", async () => {
    const listings = await new ReleaseStorageSource(fakeLister(history)).list("staging");
    expect(listings.map((l) => `${l.namespace}/${l.name}@${l.revision}`)).toEqual(["staging/web@7"]);
  });

  const rev = (name: string, revision: number, status: string) =>
    releaseSecret({ name, namespace: "shop", revision, status });
  test.each([
    {
      name: "the newest revision failed after a deployed one: listed",
      secrets: [rev("web", 1, "deployed"), rev("web", 2, "failed")],
      listed: ["web@2 failed"],
    },
    {
      name: "never deployed (install failed): listed, so the check reports it",
      secrets: [rev("web", 1, "failed")],
      listed: ["web@1 failed"],
    },
    {
      name: "an install, upgrade or rollback pending: listed",
      secrets: [
        rev("installing", 1, "pending-install"),
        rev("upgrading", 1, "deployed"),
        rev("upgrading", 2, "pending-upgrade"),
        rev("rolling-back", 1, "superseded"),
        rev("rolling-back", 2, "deployed"),
        rev("rolling-back", 3, "pending-rollback"),
      ],
      listed: [
        "installing@1 pending-install",
        "upgrading@2 pending-upgrade",
        "rolling-back@3 pending-rollback",
      ],
    },
    {
      name: "uninstalled with --keep-history, or being uninstalled: not listed, even with a revision labelled deployed",
      secrets: [
        rev("gone", 1, "superseded"),
        rev("gone", 2, "uninstalled"),
        rev("going", 1, "deployed"),
        rev("going", 2, "uninstalling"),
      ],
      listed: [],
    },
    {
      name: "superseded revisions never list a release twice",
      secrets: [rev("web", 3, "deployed"), rev("web", 1, "superseded"), rev("web", 2, "superseded")],
      listed: ["web@3 deployed"],
    },
    {
      name: "a Secret of another type with release labels is not a revision",
      secrets: [rev("web", 1, "deployed"), { ...rev("web", 2, "failed"), type: "Opaque" }],
      listed: ["web@1 deployed"],
    },
  ])("$name", async ({ secrets, listed }) => {
    const listings = await new ReleaseStorageSource(fakeLister(secrets)).list("shop");
    expect(listings.map((l) => `${l.name}@${l.revision} ${l.status}`)).toEqual(listed);
  });
});

/** The same record with `data.release` counting how often it is read (each read is one decode). */
function countingReads(secret: StoredRecord): { secret: StoredRecord; reads: () => number } {
  const encoded = secret.data?.release ?? "";
  let reads = 0;
  const data = {};
  Object.defineProperty(data, "release", {
    enumerable: true,
    get: () => {
      reads++;
      return encoded;
    },
  });
  return { secret: { ...secret, data }, reads: () => reads };
}

describe("records read once", () => {
  test("get of a listed release takes what the list read: no second list, each record decoded once", async () => {
    const deployed = countingReads(history[1] as StoredRecord);
    const failed = countingReads(history[2] as StoredRecord);
    const lister = fakeLister([history[0] as StoredRecord, deployed.secret, failed.secret]);
    const source = new ReleaseStorageSource(lister);
    expect((await source.list("prod")).map((l) => `${l.name}@${l.revision}`)).toEqual(["web@3"]);
    const release = await source.get("web", "prod");
    expect([release.revision, release.newerRevision?.revision]).toEqual([2, 3]);
    expect(lister.calls).toEqual([["prod", "owner=helm"]]);
    expect([deployed.reads(), failed.reads()]).toEqual([1, 1]);
  });

  test("a release not listed (check NAME), or asked for a second time, is read with its own selector", async () => {
    const lister = fakeLister(history);
    const source = new ReleaseStorageSource(lister);
    await source.list("prod");
    await source.get("web", "prod");
    await source.get("web", "prod");
    await new ReleaseStorageSource(lister).get("api", "prod");
    expect(lister.calls).toEqual([
      ["prod", "owner=helm"],
      ["prod", "owner=helm,name=web"],
      ["prod", "owner=helm,name=api"],
    ]);
  });

  test("a listed release with no deployed revision is reported so without reading again", async () => {
    const lister = fakeLister([
      releaseSecret({ name: "new", namespace: "prod", revision: 1, status: "failed" }),
    ]);
    const source = new ReleaseStorageSource(lister);
    await source.list("prod");
    await expect(source.get("new", "prod")).rejects.toBeInstanceOf(NoDeployedRevisionError);
    expect(lister.calls).toHaveLength(1);
  });
});

describe("ConfigMap storage (HELM_DRIVER=configmap)", () => {
  /** helm `cfgmaps.go`: the same labels and `release` value, no type, data not base64 once more. */
  const configMap = (secret: StoredRecord): StoredRecord => ({
    metadata: secret.metadata,
    data: { release: Buffer.from(secret.data?.release ?? "", "base64").toString("utf8") },
  });

  test("lists and gets releases from ConfigMaps as from Secrets", async () => {
    const fromSecrets = new ReleaseStorageSource(fakeLister(history));
    const fromConfigMaps = new ReleaseStorageSource(fakeLister(history.map(configMap)), "configmaps");
    expect(await fromConfigMaps.list(null)).toEqual(await fromSecrets.list(null));
    const { templates: _a, ...viaConfigMap } = await fromConfigMaps.get("web", "prod");
    const { templates: _b, ...viaSecret } = await fromSecrets.get("web", "prod");
    expect(viaConfigMap).toEqual(viaSecret);
  });

  test("a Secret-typed check does not apply to ConfigMaps, but owner=helm does", async () => {
    const foreign = configMap(
      releaseSecret({ name: "web", namespace: "prod", revision: 9, status: "deployed" }),
    );
    foreign.metadata = { ...foreign.metadata, labels: { ...foreign.metadata.labels, owner: "someone" } };
    const source = new ReleaseStorageSource(fakeLister([...history.map(configMap), foreign]), "configmaps");
    await expect(source.get("web", "prod")).resolves.toMatchObject({ revision: 2 });
  });

  test("a broken record names the ConfigMap", async () => {
    const broken = configMap(
      releaseSecret({ name: "web", namespace: "prod", revision: 2, status: "deployed" }),
    );
    broken.data = {};
    await expect(
      new ReleaseStorageSource(fakeLister([broken]), "configmaps").get("web", "prod"),
    ).rejects.toThrow(new InputError("ConfigMap/prod/sh.helm.release.v1.web.v2", "has no data.release"));
  });
});
