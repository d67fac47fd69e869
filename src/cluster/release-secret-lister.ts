import { isPlainObject } from "../model/kube.js";
import type { RecordLister, ReleaseStorage, StoredRecord } from "../sources/release-secrets-source.js";
import { httpDetail, unauthorized } from "./api-responses.js";
import { ApiServerError, ForbiddenError } from "./api-server-error.js";
import type { KubeApi } from "./kube-api-client.js";

function isStoredRecord(value: unknown): value is StoredRecord {
  return isPlainObject(value) && isPlainObject(value.metadata) && typeof value.metadata.name === "string";
}

/** The kind and the resource of each storage, for paths and messages. */
const STORAGE_KINDS: Record<ReleaseStorage, { kind: string; resource: string }> = {
  secrets: { kind: "Secrets", resource: "secrets" },
  configmaps: { kind: "ConfigMaps", resource: "configmaps" },
};

/**
 * Lists the objects of Helm's release storage (Secrets, or ConfigMaps under HELM_DRIVER=configmap) by label
 * selector through the API, a page at a time (release records can be megabytes each). A refusal (403) is a
 * ForbiddenError, so `--desired-from auto` can tell "may not read the storage" from a read that failed; both
 * name the namespace and the permission needed. The server's message never holds Secret data.
 */
export function kubeReleaseRecordLister(api: KubeApi, storage: ReleaseStorage, pageSize = 25): RecordLister {
  const { kind, resource } = STORAGE_KINDS[storage];
  return async (namespace, labelSelector) => {
    const base =
      namespace === null
        ? `/api/v1/${resource}`
        : `/api/v1/namespaces/${encodeURIComponent(namespace)}/${resource}`;
    const where = namespace === null ? "in all namespaces" : `in namespace "${namespace}"`;
    const records: StoredRecord[] = [];
    let continueToken: string | undefined;
    do {
      const query = new URLSearchParams({ labelSelector, limit: String(pageSize) });
      if (continueToken) query.set("continue", continueToken);
      const response = await api.getJson(`${base}?${query}`);
      if (response.status === 401) throw unauthorized(api.server);
      const failure = `cannot list ${kind} ${where} at ${api.server} (reading Helm's release storage needs "list ${resource}"): ${httpDetail(response)}`;
      if (response.status === 403) throw new ForbiddenError(failure);
      // A 200 that is no list (no kind, no items: a proxy's answer) is a failed read, never "no releases".
      if (
        response.status !== 200 ||
        !isPlainObject(response.body) ||
        typeof response.body.kind !== "string" ||
        !Array.isArray(response.body.items)
      ) {
        throw new ApiServerError(failure);
      }
      records.push(...response.body.items.filter(isStoredRecord));
      const metadata = isPlainObject(response.body.metadata) ? response.body.metadata : {};
      continueToken =
        typeof metadata.continue === "string" && metadata.continue !== "" ? metadata.continue : undefined;
    } while (continueToken);
    return records;
  };
}

/** Helm's release Secrets (the default storage driver), for shell completion of release names. */
export function kubeSecretLister(api: KubeApi, pageSize = 25): RecordLister {
  return kubeReleaseRecordLister(api, "secrets", pageSize);
}
