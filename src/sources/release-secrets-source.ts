import { InputError, ReleaseNotFoundError } from "../errors.js";
import type { ReleaseData, ReleaseListing, ReleaseSource } from "../model/release.js";
import { decodeReleaseRecord, type HelmReleaseRecord } from "./release-storage.js";

/** A Secret as the API returns it (`data` values base64-encoded). Only the fields read here are typed. */
export interface StoredSecret {
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  type?: string;
  data?: Record<string, string>;
}

/** Secrets matching a label selector (`owner=helm,status=deployed`) in one namespace, or in all when null. */
export type SecretLister = (namespace: string | null, labelSelector: string) => Promise<StoredSecret[]>;

/** helm `pkg/storage/driver/secrets.go`: release Secrets have this type and labels owner, name, status, version. */
const RELEASE_SECRET_TYPE = "helm.sh/release.v1";
/** Release names are DNS-1123 labels (helm `pkg/chartutil/validate_name.go`), so they are safe in a selector. */
const RELEASE_NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

function isDeployedReleaseSecret(secret: StoredSecret): boolean {
  const labels = secret.metadata.labels ?? {};
  return secret.type === RELEASE_SECRET_TYPE && labels.owner === "helm" && labels.status === "deployed";
}

function revisionOf(secret: StoredSecret): number {
  const revision = Number(secret.metadata.labels?.version);
  return Number.isInteger(revision) ? revision : -1;
}

/** Per release (namespace + name label), the Secret with the highest revision. */
function latestPerRelease(secrets: StoredSecret[]): StoredSecret[] {
  const latest = new Map<string, StoredSecret>();
  for (const secret of secrets) {
    const key = JSON.stringify([secret.metadata.namespace ?? "", secret.metadata.labels?.name ?? ""]);
    const current = latest.get(key);
    if (current === undefined || revisionOf(secret) > revisionOf(current)) latest.set(key, secret);
  }
  return [...latest.values()];
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
 * Releases read straight from Helm's storage Secrets (the default `secret` driver), without the helm binary.
 * Only the deployed revision counts: the one Secret per release labelled `status=deployed` (the highest, should
 * a failed rollback have left two).
 */
export class ReleaseSecretsSource implements ReleaseSource {
  constructor(private readonly listSecrets: SecretLister) {}

  async list(namespace: string | null): Promise<ReleaseListing[]> {
    const secrets = await this.listSecrets(namespace, "owner=helm,status=deployed");
    return latestPerRelease(secrets.filter(isDeployedReleaseSecret)).map((secret) => {
      const record = recordOf(secret);
      return {
        name: record.name,
        namespace: record.namespace || (secret.metadata.namespace ?? ""),
        revision: record.version,
        ...chartOf(record),
        status: record.info.status,
      };
    });
  }

  async get(name: string, namespace: string): Promise<ReleaseData> {
    if (!RELEASE_NAME.test(name)) throw new ReleaseNotFoundError(name, namespace);
    const secrets = await this.listSecrets(namespace, `owner=helm,name=${name},status=deployed`);
    const [secret] = latestPerRelease(
      secrets.filter(
        (s) =>
          isDeployedReleaseSecret(s) &&
          s.metadata.labels?.name === name &&
          (s.metadata.namespace ?? namespace) === namespace,
      ),
    );
    if (secret === undefined) throw new ReleaseNotFoundError(name, namespace);
    const record = recordOf(secret);
    return {
      name: record.name,
      namespace: record.namespace || namespace,
      revision: record.version,
      ...chartOf(record),
      manifest: record.manifest,
      origin: `release ${namespace}/${name}`,
    };
  }
}
