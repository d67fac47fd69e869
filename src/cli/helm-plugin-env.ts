import { UsageError } from "../errors.js";

/*
 * Running as a Helm plugin (`helm drift check …`, plugin.yaml at the repository root). Helm 3.22 and 4.3 both
 * take their own global flags out of a plugin's arguments before running it — `-n/--namespace`,
 * `--kube-context`, `--kubeconfig`, `--debug` and the other `--kube-*` flags, wherever they stand (helm
 * `cmd/helm/load_plugins.go` manuallyProcessArgs) — and hand them over as environment variables instead
 * (`pkg/cli/environment.go` EnvVars; helm `internal/plugin/runtime_subprocess.go` runCLI adds
 * HELM_PLUGIN_NAME and HELM_PLUGIN_DIR). So `helm drift check web -n shop` runs `helm-drift check web` with
 * HELM_NAMESPACE=shop, and the flags have to be put back from the environment.
 *
 * Verified with the real binaries: HELM_NAMESPACE is always set (from -n, else the kube context's namespace,
 * else "default"); HELM_KUBECONTEXT is set, empty without --kube-context; KUBECONFIG is the --kubeconfig path,
 * else the caller's KUBECONFIG, and absent when neither is set; HELM_DEBUG is "true" or "false"; HELM_BIN is
 * the helm that runs the plugin; HELM_DRIVER is passed on only when the caller set it.
 */

/** Helm sets both for every plugin it runs; a user's shell does not. */
export function isHelmPlugin(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.HELM_PLUGIN_NAME && env.HELM_PLUGIN_DIR);
}

/**
 * Helm flags that reach a plugin only as these variables and that helm-drift's own API client cannot honour:
 * helm would use them for its release reads while helm-drift read the live objects as someone else.
 */
const UNSUPPORTED_HELM_FLAGS: readonly [variable: string, flag: string][] = [
  ["HELM_KUBEAPISERVER", "--kube-apiserver"],
  ["HELM_KUBETOKEN", "--kube-token"],
  ["HELM_KUBEASUSER", "--kube-as-user"],
  ["HELM_KUBEASGROUPS", "--kube-as-group"],
  ["HELM_KUBECAFILE", "--kube-ca-file"],
  ["HELM_KUBETLS_SERVER_NAME", "--kube-tls-server-name"],
  ["HELM_KUBEINSECURE_SKIP_TLS_VERIFY", "--kube-insecure-skip-tls-verify"],
];

/** Commands whose flags include the cluster selection; `__complete check …` completes that command's words. */
const CLUSTER_COMMAND = "check";
const COMPLETE_COMMAND = "__complete";

function hasFlag(args: readonly string[], names: readonly string[]): boolean {
  return args.some((arg) => names.some((name) => arg === name || arg.startsWith(`${name}=`)));
}

const isSet = (value: string | undefined): value is string => value !== undefined && value !== "";

function refuseUnsupportedHelmFlags(env: NodeJS.ProcessEnv): void {
  for (const [variable, flag] of UNSUPPORTED_HELM_FLAGS) {
    const value = env[variable];
    if (isSet(value) && value !== "false") {
      throw new UsageError(
        `helm's ${flag} (${variable}) is not supported by helm drift: select the cluster and credentials with a kubeconfig context (--kube-context)`,
      );
    }
  }
}

/**
 * The arguments helm-drift runs with as a Helm plugin: the flags helm took away, put back from its environment
 * right after the command name (so a `__complete` word list keeps its last word last), unless the arguments
 * already say otherwise. `-A` and offline files (`--manifest`/`--live`) take no namespace from HELM_NAMESPACE:
 * helm always sets it, to "default" when nothing names one, so it cannot tell helm-drift that the user chose
 * it, and for files a wrong namespace would be applied to the rendered objects over their annotations.
 * KUBECONFIG needs nothing: helm-drift reads it from the environment, as helm exports it.
 */
export function helmPluginArgs(args: readonly string[], env: NodeJS.ProcessEnv): string[] {
  const at =
    args[0] === CLUSTER_COMMAND ? 1 : args[0] === COMPLETE_COMMAND && args[1] === CLUSTER_COMMAND ? 2 : -1;
  if (at === -1) return [...args];
  // Completion is best effort and never prints an error: only a check refuses these.
  if (at === 1) refuseUnsupportedHelmFlags(env);
  const rest = args.slice(at);
  const added: string[] = [];
  const offline = hasFlag(rest, ["--manifest", "--live"]);
  if (
    isSet(env.HELM_NAMESPACE) &&
    !offline &&
    !hasFlag(rest, ["-n", "--namespace", "-A", "--all-namespaces"])
  )
    added.push("--namespace", env.HELM_NAMESPACE);
  if (isSet(env.HELM_KUBECONTEXT) && !hasFlag(rest, ["--context"]))
    added.push("--context", env.HELM_KUBECONTEXT);
  if (env.HELM_DEBUG === "true" && at === 1 && !rest.includes("--debug")) added.push("--debug");
  return [...args.slice(0, at), ...added, ...rest];
}
