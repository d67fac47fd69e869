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
} from "../model/release.js";
import { decodeReleaseRecord, type HelmReleaseRecord } from "./release-storage.js";

/** A Secret as the API returns it (`data` values base64-encoded). Only the fields read here are typed. */
export interface StoredSecret {
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  type?: string;
  data?: Record<string, string>;
}

/** Secrets matching a label selector (`owner=helm`, `owner=helm,name=web`) in one namespace, or in all when null. */
export type SecretLister = (namespace: string | null, labelSelector: string) => Promise<StoredSecret[]>;

/** helm `pkg/storage/driver/secrets.go`: release Secrets have this type and labels owner, name, status, version. */
const RELEASE_SECRET_TYPE = "helm.sh/release.v1";
/** Release names are DNS-1123 labels (helm `pkg/chartutil/validate_name.go`), so they are safe in a selector. */
const RELEASE_NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

function isReleaseSecret(secret: StoredSecret): boolean {
  return secret.type === RELEASE_SECRET_TYPE && secret.metadata.labels?.owner === "helm";
}

/**
 * One revision as its Secret's labels give it. Helm's secrets driver sets `status` and `version` from the
 * record on every create and update, so they say what `helm history` says without decoding the record.
 */
interface StoredRevision {
  revision: number;
  status: string;
  secret: StoredSecret;
}

function storedRevisions(secrets: StoredSecret[]): StoredRevision[] {
  return secrets.filter(isReleaseSecret).flatMap((secret) => {
    const revision = Number(secret.metadata.labels?.version);
    if (!Number.isInteger(revision)) return [];
    return [{ revision, status: secret.metadata.labels?.status ?? "", secret }];
  });
}

/** Revisions grouped per release (namespace + `name` label), in the order the releases first appear. */
function perRelease(revisions: StoredRevision[]): StoredRevision[][] {
  const releases = new Map<string, StoredRevision[]>();
  for (const revision of revisions) {
    const { namespace, labels } = revision.secret.metadata;
    const key = JSON.stringify([namespace ?? "", labels?.name ?? ""]);
    const release = releases.get(key);
    if (release === undefined) releases.set(key, [revision]);
    else release.push(revision);
  }
  return [...releases.values()];
}

function secretOrigin(secret: StoredSecret): string {
  return `Secret/${secret.metadata.namespace ?? ""}/${secret.metadata.name}`;
}

function recordOf(secret: StoredSecret): HelmReleaseRecord {
  const encoded = secret.data?.release;
  if (typeof encoded !== "string") throw new InputError(secretOrigin(secret), "has no data.release");
  return decodeReleaseRecord(encoded, secretOrigin(secret));
}

function chartOf(record: HelmReleaseRecord): { chartName: string | null; chartVersion: string | null } {
  return {
    chartName: record.chart?.metadata.name ?? null,
    chartVersion: record.chart?.metadata.version ?? null,
  };
}

/**
 * The newer revision as `helm history` describes it: its description is the record's `info.description`, with
 * any value a Kubernetes field error in it quotes masked (a refused Secret's, say), as the helm source does.
 */
function newerRevisionOf(newer: StoredRevision): NewerRevision {
  const { description } = recordOf(newer.secret).info;
  return {
    revision: newer.revision,
    status: newer.status,
    description: typeof description === "string" ? hideFieldErrorValues(description) : "",
  };
}

/**
 * Releases read straight from Helm's storage Secrets (the default `secret` driver), without the helm binary,
 * listed and chosen as the helm CLI source does (src/model/release.ts `chooseRevision`): every release
 * whose newest revision is not uninstalled, checked at its last deployed revision (the Secret labelled
 * `status=deployed`, the highest should a failed rollback have left two), with the newest revision when that
 * is newer.
 */
export class ReleaseSecretsSource implements ReleaseSource {
  constructor(private readonly listSecrets: SecretLister) {}

  async list(namespace: string | null): Promise<ReleaseListing[]> {
    const secrets = await this.listSecrets(namespace, "owner=helm");
    return perRelease(storedRevisions(secrets)).flatMap((revisions) => {
      const choice = chooseRevision(revisions);
      if (choice.kind === "absent") return [];
      const newest = choice.kind === "undeployed" ? choice.newest : (choice.newer ?? choice.deployed);
      // helm list prints the newest revision, as its record has it.
      const record = recordOf(newest.secret);
      return [
        {
          name: record.name,
          namespace: record.namespace || (newest.secret.metadata.namespace ?? ""),
          revision: record.version,
          ...chartOf(record),
          status: record.info.status,
        },
      ];
    });
  }

  async get(name: string, namespace: string): Promise<ReleaseData> {
    if (!RELEASE_NAME.test(name)) throw new ReleaseNotFoundError(name, namespace);
    const secrets = await this.listSecrets(namespace, `owner=helm,name=${name}`);
    const choice = chooseRevision(
      storedRevisions(
        secrets.filter(
          (s) => s.metadata.labels?.name === name && (s.metadata.namespace ?? namespace) === namespace,
        ),
      ),
    );
    if (choice.kind === "absent") throw new ReleaseNotFoundError(name, namespace);
    if (choice.kind === "undeployed") {
      const { revision, status } = choice.newest;
      throw new NoDeployedRevisionError(name, namespace, { revision, status });
    }
    const record = recordOf(choice.deployed.secret);
    return {
      name: record.name,
      namespace: record.namespace || namespace,
      revision: record.version,
      ...chartOf(record),
      manifest: record.manifest,
      origin: `release ${namespace}/${name}`,
      newerRevision: choice.newer === null ? null : newerRevisionOf(choice.newer),
      templates: async () => chartTemplates(record),
    };
  }
}

/** The chart templates a release record stores (`chart.templates`: name and base64 of the bytes, Go's []byte). */
function chartTemplates(record: HelmReleaseRecord): ChartTemplate[] {
  const templates = record.chart?.templates;
  if (!Array.isArray(templates)) return [];
  return templates.flatMap((template) =>
    isPlainObject(template) && typeof template.name === "string" && typeof template.data === "string"
      ? [{ name: template.name, data: Buffer.from(template.data, "base64").toString("utf8") }]
      : [],
  );
}
