import type { KubeApiClient } from "../cluster/kube-api-client.js";
import { kubeSecretLister } from "../cluster/release-secret-lister.js";
import type { ReleaseSource } from "../model/release.js";
import { ReleaseSecretsSource } from "./release-secrets-source.js";

/**
 * Releases read from Helm's storage Secrets through `api`: the run's own client, so its retries, its deadline
 * (`--timeout`) and its list of pending requests cover these reads too.
 */
export function releaseSecretsSource(api: KubeApiClient): ReleaseSource {
  return new ReleaseSecretsSource(kubeSecretLister(api));
}
