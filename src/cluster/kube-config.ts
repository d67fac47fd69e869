import { existsSync, readFileSync } from "node:fs";
import { isIPv6 } from "node:net";
import path from "node:path";
import { KubeConfig } from "@kubernetes/client-node/dist/config.js";
import { KubeconfigError } from "../errors.js";

export interface KubeConfigOptions {
  /** `--kubeconfig`: this file only. */
  kubeconfig?: string;
  /** `--context`: use this context instead of the file's current-context. */
  context?: string;
  /**
   * Where KUBECONFIG, HOME and KUBERNETES_SERVICE_HOST/PORT are read. Required: only the CLI reads the process
   * environment, and passes it here.
   */
  env: NodeJS.ProcessEnv;
}

const SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

function loadFile(file: string): KubeConfig {
  if (!existsSync(file)) throw new KubeconfigError(`kubeconfig ${file}: no such file`);
  const config = new KubeConfig();
  try {
    config.loadFromFile(file);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new KubeconfigError(`kubeconfig ${file}: ${reason}`, { cause: error });
  }
  return config;
}

/**
 * kubectl's merge of a KUBECONFIG list (k8s.io/client-go tools/clientcmd/loader.go): files that do not exist
 * are skipped; for each cluster, user and context name the first file that defines it wins, and so does the
 * first current-context. client-node's loadFromDefault instead throws on missing files and on names defined
 * twice, and lets the last current-context win, so the merge is done here.
 */
function mergeFiles(files: string[]): KubeConfig | null {
  const configs = files.filter((file) => existsSync(file)).map(loadFile);
  if (configs.length === 0) return null;
  const firstByName = <T extends { name: string }>(lists: T[][]): T[] => {
    const seen = new Map<string, T>();
    for (const item of lists.flat()) if (!seen.has(item.name)) seen.set(item.name, item);
    return [...seen.values()];
  };
  const merged = new KubeConfig();
  merged.loadFromOptions({
    clusters: firstByName(configs.map((c) => c.getClusters())),
    users: firstByName(configs.map((c) => c.getUsers())),
    contexts: firstByName(configs.map((c) => c.getContexts())),
    currentContext: configs.map((c) => c.getCurrentContext()).find((name) => name) ?? "",
  });
  return merged;
}

/**
 * The KUBECONFIG list, else `$HOME/.kube/config`. HOME comes from `env` only, as client-go's homedir.HomeDir
 * reads it on Linux and macOS (not os.homedir(), which would read the process's own HOME behind the caller's
 * back): without HOME there is no default file.
 */
function defaultFiles(env: NodeJS.ProcessEnv): string[] {
  const list = env.KUBECONFIG;
  if (list) return list.split(path.delimiter).filter((file) => file !== "");
  return env.HOME ? [path.join(env.HOME, ".kube", "config")] : [];
}

/**
 * A pod's own credentials, as client-go's rest.InClusterConfig builds them: https to the service host and
 * port, the mounted CA, and the mounted token (re-read when it rotates, by client-node's tokenFile auth).
 */
function inClusterConfig(host: string, port: string, serviceAccountDir: string): KubeConfig {
  const namespaceFile = path.join(serviceAccountDir, "namespace");
  const namespace = existsSync(namespaceFile) ? readFileSync(namespaceFile, "utf8").trim() : undefined;
  const config = new KubeConfig();
  config.loadFromOptions({
    clusters: [
      {
        name: "in-cluster",
        server: `https://${isIPv6(host) ? `[${host}]` : host}:${port}`,
        caFile: path.join(serviceAccountDir, "ca.crt"),
        skipTLSVerify: false,
      },
    ],
    users: [
      {
        name: "in-cluster",
        authProvider: { name: "tokenFile", config: { tokenFile: path.join(serviceAccountDir, "token") } },
      },
    ],
    contexts: [{ name: "in-cluster", cluster: "in-cluster", user: "in-cluster", namespace }],
    currentContext: "in-cluster",
  });
  return config;
}

function contextList(config: KubeConfig): string {
  const names = config.getContexts().map((c) => c.name);
  return names.length === 0 ? "the kubeconfig has no contexts" : `available: ${names.join(", ")}`;
}

function selectContext(config: KubeConfig, context: string | undefined): void {
  if (context) {
    if (config.getContextObject(context) === null) {
      throw new KubeconfigError(`context "${context}" not found (${contextList(config)})`);
    }
    config.setCurrentContext(context);
  }
  const current = config.getCurrentContext();
  if (!current) throw new KubeconfigError(`no current context: pass --context (${contextList(config)})`);
  const contextObject = config.getContextObject(current);
  if (contextObject === null) {
    throw new KubeconfigError(`current context "${current}" not found (${contextList(config)})`);
  }
  if (config.getCurrentCluster() === null) {
    throw new KubeconfigError(
      `context "${current}" names cluster "${contextObject.cluster}", which is not defined`,
    );
  }
}

/**
 * The kubeconfig kubectl would use: `--kubeconfig`, else the KUBECONFIG list (merged), else ~/.kube/config,
 * else the pod's service account when running in a cluster (KUBERNETES_SERVICE_HOST set); then `--context`.
 */
export function loadKubeConfig(
  options: KubeConfigOptions,
  serviceAccountDir = SERVICE_ACCOUNT_DIR,
): KubeConfig {
  const { env } = options;
  let config: KubeConfig | null;
  if (options.kubeconfig) {
    config = loadFile(options.kubeconfig);
  } else {
    config = mergeFiles(defaultFiles(env));
    const { KUBERNETES_SERVICE_HOST: host, KUBERNETES_SERVICE_PORT: port } = env;
    if (config === null && host && port) config = inClusterConfig(host, port, serviceAccountDir);
  }
  if (config === null) {
    throw new KubeconfigError(
      "no kubeconfig found: pass --kubeconfig, set KUBECONFIG, or create ~/.kube/config (or run inside a cluster)",
    );
  }
  selectContext(config, options.context);
  return config;
}
