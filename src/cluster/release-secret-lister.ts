import { isPlainObject } from "../model/kube.js";
import type { SecretLister, StoredSecret } from "../sources/release-secrets-source.js";
import { httpDetail, unauthorized } from "./api-responses.js";
import { ApiServerError } from "./api-server-error.js";
import type { KubeApi } from "./kube-api-client.js";

function isStoredSecret(value: unknown): value is StoredSecret {
  return isPlainObject(value) && isPlainObject(value.metadata) && typeof value.metadata.name === "string";
}

/**
 * Lists Secrets by label selector through the API, a page at a time (release Secrets can be megabytes each).
 * A refusal names the namespace and the permission needed; the server's message never holds Secret data.
 */
export function kubeSecretLister(api: KubeApi, pageSize = 25): SecretLister {
  return async (namespace, labelSelector) => {
    const base =
      namespace === null ? "/api/v1/secrets" : `/api/v1/namespaces/${encodeURIComponent(namespace)}/secrets`;
    const where = namespace === null ? "in all namespaces" : `in namespace "${namespace}"`;
    const secrets: StoredSecret[] = [];
    let continueToken: string | undefined;
    do {
      const query = new URLSearchParams({ labelSelector, limit: String(pageSize) });
      if (continueToken) query.set("continue", continueToken);
      const response = await api.getJson(`${base}?${query}`);
      if (response.status === 401) throw unauthorized(api.server);
      // A 200 that is no list (no kind, no items: a proxy's answer) is a failed read, never "no releases".
      if (
        response.status !== 200 ||
        !isPlainObject(response.body) ||
        typeof response.body.kind !== "string" ||
        !Array.isArray(response.body.items)
      ) {
        throw new ApiServerError(
          `cannot list Secrets ${where} at ${api.server} (reading Helm's release storage needs "list secrets"): ${httpDetail(response)}`,
        );
      }
      secrets.push(...response.body.items.filter(isStoredSecret));
      const metadata = isPlainObject(response.body.metadata) ? response.body.metadata : {};
      continueToken =
        typeof metadata.continue === "string" && metadata.continue !== "" ? metadata.continue : undefined;
    } while (continueToken);
    return secrets;
  };
}
