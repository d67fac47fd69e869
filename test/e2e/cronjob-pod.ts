/**
 * Runs what a CronJob's pod would run, without a kubelet (the test cluster has none): the container's command,
 * args and env taken from the rendered CronJob, its ConfigMap, Secret and emptyDir volumes at their mount paths,
 * and the pod's own ServiceAccount credentials at the in-cluster path — a TokenRequest token of the chart's
 * ServiceAccount, the cluster CA and the namespace in /var/run/secrets/kubernetes.io/serviceaccount, with
 * KUBERNETES_SERVICE_HOST/PORT — as the container's user (runAsUser). All of it happens in a private mount
 * namespace (`unshare --mount`) under a root built in a tmpfs (see podScript), so nothing on the machine
 * changes and nothing is left behind.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseAllDocuments } from "yaml";
import { kubectlTimed, type Result, repoPath, shTimed } from "./harness.js";

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    secretKeyRef?: { name: string; key: string };
    configMapKeyRef?: { name: string; key: string };
    fieldRef?: { fieldPath: string };
  };
}

interface Volume {
  name: string;
  configMap?: { name: string; items?: { key: string; path: string }[] };
  secret?: { secretName: string; items?: { key: string; path: string }[] };
  emptyDir?: Record<string, unknown>;
}

interface Container {
  command?: string[];
  args?: string[];
  env?: EnvVar[];
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
  securityContext?: { runAsUser?: number; runAsGroup?: number };
}

interface PodSpec {
  serviceAccountName?: string;
  automountServiceAccountToken?: boolean;
  securityContext?: { runAsUser?: number; runAsGroup?: number };
  containers: Container[];
  volumes?: Volume[];
}

/** The pod template of the CronJob `name` in a release manifest (`helm get manifest`). */
export function cronJobPodSpec(manifest: string, name: string): PodSpec {
  for (const document of parseAllDocuments(manifest)) {
    const object = document.toJS() as {
      kind?: string;
      metadata?: { name?: string };
      spec?: { jobTemplate?: { spec?: { template?: { spec?: PodSpec } } } };
    } | null;
    if (object?.kind !== "CronJob" || object.metadata?.name !== name) continue;
    const spec = object.spec?.jobTemplate?.spec?.template?.spec;
    if (spec === undefined) throw new Error(`CronJob ${name} has no pod template`);
    return spec;
  }
  throw new Error(`no CronJob ${name} in the manifest`);
}

/** One run of the pod's single container: its exit code and output. */
export async function runCronJobPod(options: {
  spec: PodSpec;
  namespace: string;
  podName: string;
  timeoutMs?: number;
}): Promise<Result> {
  const { spec, namespace, podName } = options;
  if (spec.containers.length !== 1) throw new Error("the pod must have exactly one container");
  const container = spec.containers[0] as Container;
  const account = spec.serviceAccountName ?? "default";
  if (spec.automountServiceAccountToken === false) throw new Error("the pod mounts no ServiceAccount token");
  const stage = await mkdtemp(path.join(tmpdir(), "helm-drift-pod-"));
  try {
    // The pod's credentials, as the kubelet projects them: a bound token (TokenRequest), the CA, the namespace.
    const token = (
      await kubectlTimed(["create", "token", account, "-n", namespace, "--duration", "1h"])
    ).trim();
    const saDir = path.join(stage, "serviceaccount");
    await mkdir(saDir);
    await writeFile(path.join(saDir, "token"), token, { mode: 0o644 });
    await writeFile(path.join(saDir, "namespace"), namespace, { mode: 0o644 });
    const ca = JSON.parse(await readFileText(repoPath("test/cluster/.state/cluster.json"))) as {
      caFile: string;
      server: string;
    };
    await writeFile(path.join(saDir, "ca.crt"), await readFileText(ca.caFile), { mode: 0o644 });

    const mounts = await stageVolumes(stage, spec, container, namespace);
    const env = await containerEnv(container, namespace, podName, account);
    const server = new URL(ca.server);
    const podEnv: Record<string, string> = {
      PATH: "/usr/local/bin:/usr/bin:/bin",
      HOSTNAME: podName,
      HOME: "/home/node",
      KUBERNETES_SERVICE_HOST: server.hostname,
      KUBERNETES_SERVICE_PORT: server.port,
      ...env,
    };
    const user = container.securityContext?.runAsUser ?? spec.securityContext?.runAsUser ?? 0;
    const group = container.securityContext?.runAsGroup ?? spec.securityContext?.runAsGroup ?? user;
    const argv = [...(container.command ?? []), ...(container.args ?? [])];
    if (argv[0] !== "helm-drift") throw new Error(`the container runs ${argv[0]}, not helm-drift`);
    // The image's helm-drift is the package's bin/helm-drift on Node: here, this checkout's, built.
    const exec = [process.execPath, repoPath("bin/helm-drift"), ...argv.slice(1)];
    const script = podScript(stage, mounts, podEnv, user, group, exec);
    return await shTimed("unshare", ["--mount", "--propagation", "private", "bash", "-c", script], {
      timeoutMs: options.timeoutMs ?? 120_000,
    });
  } finally {
    await rm(stage, { recursive: true, force: true });
  }
}

interface StagedMount {
  mountPath: string;
  /** The staged files to copy there; null for an emptyDir. */
  from: string | null;
}

async function stageVolumes(
  stage: string,
  spec: PodSpec,
  container: Container,
  namespace: string,
): Promise<StagedMount[]> {
  const mounts: StagedMount[] = [];
  for (const [index, mount] of (container.volumeMounts ?? []).entries()) {
    const volume = (spec.volumes ?? []).find((candidate) => candidate.name === mount.name);
    if (volume === undefined) throw new Error(`volumeMount ${mount.name} names no volume`);
    if (volume.emptyDir !== undefined) {
      mounts.push({ mountPath: mount.mountPath, from: null });
      continue;
    }
    const source = volume.configMap
      ? { kind: "configmap", name: volume.configMap.name, items: volume.configMap.items, binary: false }
      : volume.secret
        ? { kind: "secret", name: volume.secret.secretName, items: volume.secret.items, binary: true }
        : null;
    if (source === null)
      throw new Error(`volume ${volume.name}: only configMap, secret and emptyDir are emulated`);
    const object = JSON.parse(
      await kubectlTimed(["get", source.kind, source.name, "-n", namespace, "-o", "json"]),
    ) as { data?: Record<string, string> };
    const dir = path.join(stage, `volume-${index}`);
    await mkdir(dir);
    const data = object.data ?? {};
    const items = source.items ?? Object.keys(data).map((key) => ({ key, path: key }));
    for (const item of items) {
      const value = data[item.key];
      if (value === undefined) throw new Error(`${source.kind} ${source.name} has no key ${item.key}`);
      await mkdir(path.dirname(path.join(dir, item.path)), { recursive: true });
      await writeFile(path.join(dir, item.path), source.binary ? Buffer.from(value, "base64") : value, {
        mode: 0o644,
      });
    }
    mounts.push({ mountPath: mount.mountPath, from: dir });
  }
  return mounts;
}

async function containerEnv(
  container: Container,
  namespace: string,
  podName: string,
  account: string,
): Promise<Record<string, string>> {
  const env: Record<string, string> = {};
  for (const variable of container.env ?? []) {
    if (variable.value !== undefined) {
      env[variable.name] = variable.value;
      continue;
    }
    const from = variable.valueFrom;
    if (from?.secretKeyRef) {
      const data = JSON.parse(
        await kubectlTimed(["get", "secret", from.secretKeyRef.name, "-n", namespace, "-o", "json"]),
      ) as { data?: Record<string, string> };
      env[variable.name] = Buffer.from(data.data?.[from.secretKeyRef.key] ?? "", "base64").toString("utf8");
    } else if (from?.configMapKeyRef) {
      const data = JSON.parse(
        await kubectlTimed(["get", "configmap", from.configMapKeyRef.name, "-n", namespace, "-o", "json"]),
      ) as { data?: Record<string, string> };
      env[variable.name] = data.data?.[from.configMapKeyRef.key] ?? "";
    } else if (from?.fieldRef) {
      const fields: Record<string, string> = {
        "metadata.name": podName,
        "metadata.namespace": namespace,
        "spec.serviceAccountName": account,
      };
      const value = fields[from.fieldRef.fieldPath];
      if (value === undefined)
        throw new Error(`env ${variable.name}: fieldRef ${from.fieldRef.fieldPath} is not emulated`);
      env[variable.name] = value;
    } else {
      throw new Error(`env ${variable.name}: this valueFrom is not emulated`);
    }
  }
  return env;
}

/** Single-quoted for bash. */
function quote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/**
 * The script run inside the private mount namespace. It builds the pod's root in a tmpfs: each top-level
 * directory of the machine is bind-mounted there as is, except those a volume is mounted under, which get an
 * overlay whose changes stay in the tmpfs, and /run, which is empty (the ServiceAccount files go to
 * /run/secrets/…, where /var/run/secrets/… points). A mount path under no existing directory (/reports) is
 * made in the tmpfs. Then it changes root to it and runs the command as the container's user with the
 * container's environment only. Nothing is written outside the tmpfs.
 */
function podScript(
  stage: string,
  mounts: StagedMount[],
  env: Record<string, string>,
  user: number,
  group: number,
  exec: string[],
): string {
  const root = path.join(stage, "root");
  const overlaid = [...new Set(mounts.map((mount) => mount.mountPath.split("/")[1] as string))];
  const lines = [
    "set -euo pipefail",
    `root=${quote(root)}`,
    'mkdir -p "$root"',
    'mount -t tmpfs -o mode=755 tmpfs "$root"',
    'mkdir -p "$root/.overlay"',
    `overlaid=" ${overlaid.join(" ")} "`,
    "for entry in /*; do",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: bash's parameter expansion, not a JS template
    '  name="${entry#/}"',
    '  if [ -L "$entry" ]; then cp -P "$entry" "$root/$name"; continue; fi',
    '  [ -d "$entry" ] || continue',
    '  mkdir -p "$root/$name"',
    '  if [ "$name" = run ]; then continue; fi',
    '  case "$overlaid" in',
    '    *" $name "*)',
    '      mkdir -p "$root/.overlay/$name/upper" "$root/.overlay/$name/work"',
    '      mount -t overlay overlay -o "lowerdir=$entry,upperdir=$root/.overlay/$name/upper,workdir=$root/.overlay/$name/work" "$root/$name" ;;',
    '    *) mount --rbind "$entry" "$root/$name" ;;',
    "  esac",
    "done",
    'mkdir -p "$root/run/secrets/kubernetes.io/serviceaccount"',
    `cp -r ${quote(path.join(stage, "serviceaccount"))}/. "$root/run/secrets/kubernetes.io/serviceaccount/"`,
  ];
  for (const mount of mounts) {
    lines.push(`mkdir -p "$root"${quote(mount.mountPath)}`);
    if (mount.from === null) lines.push(`chmod 1777 "$root"${quote(mount.mountPath)}`);
    else lines.push(`cp -r ${quote(mount.from)}/. "$root"${quote(mount.mountPath)}/`);
  }
  const envArgs = Object.entries(env).map(([name, value]) => quote(`${name}=${value}`));
  lines.push(
    `exec chroot "$root" setpriv --reuid=${user} --regid=${group} --clear-groups env -i ${envArgs.join(" ")} ${exec.map(quote).join(" ")}`,
  );
  return lines.join("\n");
}

function readFileText(file: string): Promise<string> {
  return readFile(file, "utf8");
}
