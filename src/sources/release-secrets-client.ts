import type { KubeApi } from "../cluster/kube-api-client.js";
import { kubeReleaseRecordLister } from "../cluster/release-secret-lister.js";
import { type ReleaseStorage, ReleaseStorageSource } from "./release-secrets-source.js";

/**
 * Releases read from Helm's storage (Secrets, or ConfigMaps under HELM_DRIVER=configmap) through `api`: the
 * run's own client, so its retries, its deadline (`--timeout`) and its list of pending requests cover these
 * reads too.
 */
export function releaseStorageSource(api: KubeApi, storage: ReleaseStorage): ReleaseStorageSource {
  return new ReleaseStorageSource(kubeReleaseRecordLister(api, storage), storage);
}
