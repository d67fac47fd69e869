import type { KubeConfig } from "@kubernetes/client-node";
import { KubeApiClient } from "../cluster/kube-api-client.js";
import { kubeSecretLister } from "../cluster/release-secret-lister.js";
import type { ReleaseSource } from "../model/release.js";
import { ReleaseSecretsSource } from "./release-secrets-source.js";

/** Releases read from Helm's storage Secrets through the API server of `kubeConfig`'s current context. */
export function releaseSecretsSource(kubeConfig: KubeConfig): ReleaseSource {
  return new ReleaseSecretsSource(kubeSecretLister(new KubeApiClient(kubeConfig)));
}
