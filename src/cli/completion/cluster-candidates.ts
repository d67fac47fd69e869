import { KubeApiClient } from "../../cluster/kube-api-client.js";
import { loadKubeConfig } from "../../cluster/kube-config.js";
import { kubeSecretLister } from "../../cluster/release-secret-lister.js";
import { isPlainObject } from "../../model/kube.js";
import type { Candidate, ClusterSelection, CompletionPlan } from "./plan.js";

/*
 * Candidates read from the kubeconfig and the cluster. Loaded only when a word needs them (importing
 * @kubernetes/client-node costs more than completing every flag), and never in the way: a cluster that does not
 * answer within COMPLETION_BUDGET_MS, a kubeconfig that cannot be read, a refusal — each is no candidates,
 * never an error on the terminal the user is typing in.
 */

/** How long a TAB may wait for the cluster. */
export const COMPLETION_BUDGET_MS = 2_000;

/** One try per request: a retry's backoff would outlast the budget. */
const NO_RETRY = { attempts: 1, baseDelayMs: 0, maxDelayMs: 0, maxRetryAfterMs: 0 };

type ClusterPlan = Extract<CompletionPlan, { kind: "namespaces" | "releases" | "contexts" }>;

function apiFor(cluster: ClusterSelection, env: NodeJS.ProcessEnv, signal: AbortSignal) {
  const kubeConfig = loadKubeConfig({ ...cluster, env });
  const api = new KubeApiClient(kubeConfig, { timeoutMs: COMPLETION_BUDGET_MS, retry: NO_RETRY, signal });
  const namespace = kubeConfig.getContextObject(kubeConfig.getCurrentContext())?.namespace ?? "default";
  return { api, namespace };
}

function names(items: unknown): string[] {
  if (!Array.isArray(items)) return [];
  return items.flatMap((item) =>
    isPlainObject(item) && isPlainObject(item.metadata) && typeof item.metadata.name === "string"
      ? [item.metadata.name]
      : [],
  );
}

async function lookUp(plan: ClusterPlan, env: NodeJS.ProcessEnv, signal: AbortSignal): Promise<string[]> {
  switch (plan.kind) {
    case "contexts": {
      // The file's contexts, whichever is current (a --context typed so far does not narrow them).
      const kubeConfig = loadKubeConfig({ kubeconfig: plan.cluster.kubeconfig, env });
      return kubeConfig.getContexts().map((context) => context.name);
    }
    case "namespaces": {
      const { api } = apiFor(plan.cluster, env, signal);
      const response = await api.getJson("/api/v1/namespaces");
      return response.status === 200 && isPlainObject(response.body) ? names(response.body.items) : [];
    }
    case "releases": {
      const { api, namespace } = apiFor(plan.cluster, env, signal);
      // Helm's release Secrets (the default storage driver), one per revision: each release name once.
      const secrets = await kubeSecretLister(api, 100)(plan.namespace ?? namespace, "owner=helm");
      return [...new Set(secrets.flatMap((secret) => secret.metadata.labels?.name ?? []))];
    }
  }
}

/** The candidates of `plan` starting with its prefix, sorted; none when anything fails or takes too long. */
export async function clusterCandidates(plan: ClusterPlan, env: NodeJS.ProcessEnv): Promise<Candidate[]> {
  const deadline = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<string[]>((resolve) => {
    timer = setTimeout(() => {
      deadline.abort(new Error("completion budget spent"));
      resolve([]);
    }, COMPLETION_BUDGET_MS);
  });
  try {
    const found = await Promise.race([lookUp(plan, env, deadline.signal).catch(() => []), timedOut]);
    return found
      .filter((name) => name.startsWith(plan.prefix))
      .sort()
      .map((value) => ({ value }));
  } finally {
    clearTimeout(timer);
  }
}
