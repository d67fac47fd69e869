import { InputError, NoDeployedRevisionError, ReleaseNotFoundError } from "../errors.js";
import { hideFieldErrorValues } from "../mask/field-error-values.js";
import { isPlainObject } from "../model/kube.js";
import {
  type ChartTemplate,
  chooseRevision,
  type NewerRevision,
  type ReleaseData,
  type ReleaseListing,
  type ReleaseSource,
  type RevisionChoice,
} from "../model/release.js";
import { decodeReleaseRecord, type HelmReleaseRecord } from "./release-storage.js";

/**
 * Where Helm's storage driver keeps release records: Secrets (the default `secret` driver) or ConfigMaps
 * (HELM_DRIVER=configmap). Both hold one object per revision, labelled alike, with the record in `data.release`.
 */
export type ReleaseStorage = "secrets" | "configmaps";

/**
 * A Secret or ConfigMap as the API returns it (a Secret's `data` values base64-encoded, a ConfigMap's as
 * stored). Only the fields read here are typed.
 */
export interface StoredRecord {
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  type?: string;
  data?: Record<string, string>;
}

/** Storage objects matching a label selector (`owner=helm`, `owner=helm,name=web`) in one namespace, or in all when null. */
export type RecordLister = (namespace: string | null, labelSelector: string) => Promise<StoredRecord[]>;

/**
 * helm `pkg/storage/driver/secrets.go` and `cfgmaps.go`: release Secrets and ConfigMaps carry the labels
 * owner=helm, name, status and version, and `data.release` (base64 of the gzipped JSON record; a Secret's data
 * is base64 once more on the API). Secrets also have this type; ConfigMaps have no type.
 */
const RELEASE_SECRET_TYPE = "helm.sh/release.v1";
/** Release names are DNS-1123 labels (helm `pkg/chartutil/validate_name.go`), so they are safe in a selector. */
const RELEASE_NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

function isReleaseRecord(stored: StoredRecord, storage: ReleaseStorage): boolean {
  if (stored.metadata.labels?.owner !== "helm") return false;
  return storage === "configmaps" || stored.type === RELEASE_SECRET_TYPE;
}

/**
 * One revision as its storage object's labels give it. Helm's drivers set `status` and `version` from the
 * record on every create and update, so they say what `helm history` says without decoding the record.
 */
interface StoredRevision {
  revision: number;
  status: string;
  stored: StoredRecord;
}

function storedRevisions(records: StoredRecord[], storage: ReleaseStorage): StoredRevision[] {
  return records
    .filter((stored) => isReleaseRecord(stored, storage))
    .flatMap((stored) => {
      const revision = Number(stored.metadata.labels?.version);
      if (!Number.isInteger(revision)) return [];
      return [{ revision, status: stored.metadata.labels?.status ?? "", stored }];
    });
}

/** The key of a release in one namespace: its storage objects' namespace and `name` label. */
function releaseKey(namespace: string, name: string): string {
  return JSON.stringify([namespace, name]);
}

/** Revisions grouped per release (namespace + `name` label), in the order the releases first appear. */
function perRelease(revisions: StoredRevision[]): Map<string, StoredRevision[]> {
  const releases = new Map<string, StoredRevision[]>();
  for (const revision of revisions) {
    const { namespace, labels } = revision.stored.metadata;
    const key = releaseKey(namespace ?? "", labels?.name ?? "");
    const release = releases.get(key);
    if (release === undefined) releases.set(key, [revision]);
    else release.push(revision);
  }
  return releases;
}

function chartOf(record: HelmReleaseRecord): { chartName: string | null; chartVersion: string | null } {
  return {
    chartName: record.chart?.metadata.name ?? null,
    chartVersion: record.chart?.metadata.version ?? null,
  };
}

/**
 * Releases read straight from Helm's storage (Secrets, the default driver, or ConfigMaps), without the helm
 * binary, listed and chosen as the helm CLI source does (src/model/release.ts `chooseRevision`): every release
 * whose newest revision is not uninstalled, checked at its last deployed revision (labelled `status=deployed`,
 * the highest should a failed rollback have left two), with the newest revision when that is newer.
 *
 * Each record is read and decoded once. `list` keeps, per release it lists, the revisions `get` will need
 * (the deployed one and a newer one; the superseded ones are let go), and `get` of a listed release takes them
 * from there instead of listing that release's storage again. A release `get` was not listed for (`check NAME`)
 * is read with a label selector of its own.
 */
export class ReleaseStorageSource implements ReleaseSource {
  /** The revision choice of each listed release not fetched yet, by releaseKey. */
  private readonly listed = new Map<string, RevisionChoice<StoredRevision>>();
  /** Records already decoded, so a record `list` decoded is not decoded again by `get`. */
  private readonly decoded = new WeakMap<StoredRecord, HelmReleaseRecord>();

  constructor(
    private readonly listRecords: RecordLister,
    readonly storage: ReleaseStorage = "secrets",
  ) {}

  async list(namespace: string | null): Promise<ReleaseListing[]> {
    const records = await this.listRecords(namespace, "owner=helm");
    const listings: ReleaseListing[] = [];
    for (const [key, revisions] of perRelease(storedRevisions(records, this.storage))) {
      const choice = chooseRevision(revisions);
      if (choice.kind === "absent") continue;
      const newest = choice.kind === "undeployed" ? choice.newest : (choice.newer ?? choice.deployed);
      // helm list prints the newest revision, as its record has it.
      const record = this.recordOf(newest.stored);
      this.listed.set(key, choice);
      listings.push({
        name: record.name,
        namespace: record.namespace || (newest.stored.metadata.namespace ?? ""),
        revision: record.version,
        ...chartOf(record),
        status: record.info.status,
      });
    }
    return listings;
  }

  async get(name: string, namespace: string): Promise<ReleaseData> {
    const choice = this.takeListed(name, namespace) ?? (await this.fetchChoice(name, namespace));
    if (choice.kind === "absent") throw new ReleaseNotFoundError(name, namespace);
    if (choice.kind === "undeployed") {
      const { revision, status } = choice.newest;
      throw new NoDeployedRevisionError(name, namespace, { revision, status });
    }
    const record = this.recordOf(choice.deployed.stored);
    // Only the templates are kept for later, not the record: it holds the whole chart (values, files, schema)
    // and every release's is held until the whole run ends.
    const storedTemplates = record.chart?.templates;
    return {
      name: record.name,
      namespace: record.namespace || namespace,
      revision: record.version,
      ...chartOf(record),
      manifest: record.manifest,
      origin: `release ${namespace}/${name}`,
      newerRevision: choice.newer === null ? null : this.newerRevisionOf(choice.newer),
      templates: async () => chartTemplates(storedTemplates),
    };
  }

  /** What `list` kept for this release, handed out once (so it can be let go once the release is checked). */
  private takeListed(name: string, namespace: string): RevisionChoice<StoredRevision> | undefined {
    const key = releaseKey(namespace, name);
    const choice = this.listed.get(key);
    this.listed.delete(key);
    return choice;
  }

  /** The revisions of one release, read with a label selector of their own. */
  private async fetchChoice(name: string, namespace: string): Promise<RevisionChoice<StoredRevision>> {
    if (!RELEASE_NAME.test(name)) return { kind: "absent" };
    const records = await this.listRecords(namespace, `owner=helm,name=${name}`);
    return chooseRevision(
      storedRevisions(
        records.filter(
          (r) => r.metadata.labels?.name === name && (r.metadata.namespace ?? namespace) === namespace,
        ),
        this.storage,
      ),
    );
  }

  private origin(stored: StoredRecord): string {
    const kind = this.storage === "secrets" ? "Secret" : "ConfigMap";
    return `${kind}/${stored.metadata.namespace ?? ""}/${stored.metadata.name}`;
  }

  private recordOf(stored: StoredRecord): HelmReleaseRecord {
    const known = this.decoded.get(stored);
    if (known !== undefined) return known;
    const encoded = stored.data?.release;
    if (typeof encoded !== "string") throw new InputError(this.origin(stored), "has no data.release");
    const record = decodeReleaseRecord(encoded, this.origin(stored));
    this.decoded.set(stored, record);
    return record;
  }

  /**
   * The newer revision as `helm history` describes it: its description is the record's `info.description`,
   * with any value a Kubernetes field error in it quotes masked (a refused Secret's, say), as the helm source
   * does.
   */
  private newerRevisionOf(newer: StoredRevision): NewerRevision {
    const { description } = this.recordOf(newer.stored).info;
    return {
      revision: newer.revision,
      status: newer.status,
      description: typeof description === "string" ? hideFieldErrorValues(description) : "",
    };
  }
}

/** The chart templates a release record stores (`chart.templates`: name and base64 of the bytes, Go's []byte). */
function chartTemplates(templates: unknown): ChartTemplate[] {
  if (!Array.isArray(templates)) return [];
  return templates.flatMap((template) =>
    isPlainObject(template) && typeof template.name === "string" && typeof template.data === "string"
      ? [{ name: template.name, data: Buffer.from(template.data, "base64").toString("utf8") }]
      : [],
  );
}
