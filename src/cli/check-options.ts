import path from "node:path";
import { UsageError } from "../errors.js";
import { SEVERITIES, type Severity } from "../model/finding.js";
import { OUTPUT_FORMATS, type OutputFormat } from "../report/reporters.js";

/** Flags of `helm-drift check`, as commander hands them over. */
export interface CheckFlags {
  namespace?: string;
  allNamespaces?: boolean;
  manifest?: string;
  live?: string;
  release?: string;
  kubeconfig?: string;
  context?: string;
  helmBin?: string;
  desiredFrom: string;
  /** `-o`, repeatable: `FORMAT` or `FORMAT=FILE`, in the order given; undefined when there is none. */
  output?: string[];
  failOn: string;
  concurrency: string;
  timeout: string;
  allowEmpty?: boolean;
  color?: boolean;
  verbose?: boolean;
  debug?: boolean;
  config?: string;
  showIgnored?: boolean;
  /** false with `--no-progress`; commander sets it true otherwise. */
  progress?: boolean;
}

/**
 * Where rendered manifests come from: `auto` (Helm's release storage read directly when the reader may list it,
 * else the helm CLI), the helm CLI, or Helm's release storage read directly (`secrets`: Secrets, or ConfigMaps
 * under HELM_DRIVER=configmap).
 */
export const DESIRED_FROM = ["auto", "helm", "secrets"] as const;
export type DesiredFrom = (typeof DESIRED_FROM)[number];

export type CheckMode =
  | { kind: "offline"; manifest: string; live: string; release: string | null; namespace: string | null }
  | { kind: "release"; release: string; namespace: string | null }
  | { kind: "namespace"; namespace: string | null }
  /** Every release in each of several namespaces (`helm-drift report -n a -n b`). */
  | { kind: "namespaces"; namespaces: string[] }
  | { kind: "all-namespaces" };

export interface CheckRequest {
  mode: CheckMode;
  /** Where each report goes: at most one to stdout (`file: null`), every file at most once. */
  outputs: OutputTarget[];
  failOn: Severity;
  concurrency: number;
  desiredFrom: DesiredFrom;
  /** `--timeout`: the whole check against a cluster ends after this, with one line naming what it was reading. */
  timeout: { ms: number; text: string };
  /** `--allow-empty`: a namespace (or cluster) with no releases is not an error. */
  allowEmpty: boolean;
  /** `--config FILE`; null: `.helm-drift.yaml` in the working directory when it is there. */
  config: string | null;
  /** `--show-ignored`: list ignored findings and what ignored them (they are always counted). */
  showIgnored: boolean;
  /** false with `--no-progress`: never show the progress line on stderr. */
  progress: boolean;
  cluster: { kubeconfig?: string; context?: string; helmBin?: string };
}

export const DEFAULT_TIMEOUT = "10m";

/** Turns flags into a request, rejecting combinations that cannot work with one line saying why. */
export function checkRequestFrom(releaseArg: string | undefined, flags: CheckFlags): CheckRequest {
  return {
    mode: modeFrom(releaseArg, flags),
    outputs: outputTargets(flags.output),
    failOn: oneOf("--fail-on", flags.failOn, SEVERITIES),
    concurrency: positiveInteger("--concurrency", flags.concurrency),
    desiredFrom: oneOf("--desired-from", flags.desiredFrom, DESIRED_FROM),
    timeout: { ms: duration("--timeout", flags.timeout), text: flags.timeout },
    allowEmpty: Boolean(flags.allowEmpty),
    config: flags.config ?? null,
    showIgnored: Boolean(flags.showIgnored),
    progress: flags.progress !== false,
    cluster: { kubeconfig: flags.kubeconfig, context: flags.context, helmBin: flags.helmBin },
  };
}

function modeFrom(releaseArg: string | undefined, flags: CheckFlags): CheckMode {
  const offline = flags.manifest !== undefined || flags.live !== undefined;
  if (offline) {
    if (flags.manifest === undefined)
      throw new UsageError("--live needs --manifest (the rendered manifest to compare with)");
    if (flags.live === undefined)
      throw new UsageError("--manifest needs --live (the live objects to compare with)");
    if (flags.manifest === "-" && flags.live === "-")
      throw new UsageError("--manifest and --live cannot both read stdin");
    if (releaseArg !== undefined) {
      throw new UsageError(`give either a RELEASE ("${releaseArg}") or --manifest/--live files, not both`);
    }
    if (flags.allNamespaces)
      throw new UsageError("--all-namespaces does not apply to --manifest/--live files");
    return {
      kind: "offline",
      manifest: flags.manifest,
      live: flags.live,
      release: flags.release ?? null,
      namespace: flags.namespace ?? null,
    };
  }
  if (flags.release !== undefined)
    throw new UsageError(
      "--release names the release of --manifest files; for a cluster give RELEASE as an argument",
    );
  if (releaseArg !== undefined) {
    if (flags.allNamespaces)
      throw new UsageError(`give either a RELEASE ("${releaseArg}") or --all-namespaces, not both`);
    return { kind: "release", release: releaseArg, namespace: flags.namespace ?? null };
  }
  if (flags.allNamespaces) {
    if (flags.namespace !== undefined)
      throw new UsageError("give either --namespace or --all-namespaces, not both");
    return { kind: "all-namespaces" };
  }
  return { kind: "namespace", namespace: flags.namespace ?? null };
}

/** One `-o`: a report format, and the file it is written to, or null for stdout. */
export interface OutputTarget {
  format: OutputFormat;
  file: string | null;
}

/**
 * The `-o` values as targets: `FORMAT` goes to stdout, `FORMAT=FILE` to FILE; none at all is `text` to stdout.
 * Two reports on stdout, or one file named twice (as the same path, however written), cannot both be written.
 */
export function outputTargets(values: readonly string[] | undefined): OutputTarget[] {
  if (values === undefined || values.length === 0) return [{ format: "text", file: null }];
  const targets = values.map(outputTarget);
  const toStdout = targets.filter((target) => target.file === null);
  if (toStdout.length > 1) {
    const formats = toStdout.map((target) => target.format).join(" and ");
    throw new UsageError(
      `--output: only one report can go to stdout (got ${formats}); write the others to files with FORMAT=FILE`,
    );
  }
  const seen = new Set<string>();
  for (const { file } of targets) {
    if (file === null) continue;
    const resolved = path.resolve(file);
    if (seen.has(resolved))
      throw new UsageError(`--output: ${file} is named twice; give each report its own file`);
    seen.add(resolved);
  }
  return targets;
}

function outputTarget(value: string): OutputTarget {
  const at = value.indexOf("=");
  const format = oneOf("--output", at === -1 ? value : value.slice(0, at), OUTPUT_FORMATS);
  if (at === -1) return { format, file: null };
  const file = value.slice(at + 1);
  if (file === "")
    throw new UsageError(`--output ${value}: no file after "="; write FORMAT=FILE, or FORMAT for stdout`);
  return { format, file };
}

export function oneOf<const T extends readonly string[]>(flag: string, value: string, allowed: T): T[number] {
  if ((allowed as readonly string[]).includes(value)) return value as T[number];
  throw new UsageError(`${flag} must be one of ${allowed.join(", ")}; got "${value}"`);
}

export function positiveInteger(flag: string, value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1) {
    throw new UsageError(`${flag} must be a whole number of at least 1; got "${value}"`);
  }
  return n;
}

const UNIT_MS = { h: 3_600_000, m: 60_000, s: 1_000 } as const;

/**
 * A duration as kubectl's --request-timeout takes one, in whole hours, minutes and seconds, largest first:
 * `30s`, `5m`, `1h30m`. Anything else (`30`, `5 m`, `1.5m`, `0s`) is refused.
 */
export function duration(flag: string, value: string): number {
  const match = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(value);
  const ms =
    match === null
      ? 0
      : Number(match[1] ?? 0) * UNIT_MS.h +
        Number(match[2] ?? 0) * UNIT_MS.m +
        Number(match[3] ?? 0) * UNIT_MS.s;
  if (ms <= 0 || !Number.isSafeInteger(ms)) {
    throw new UsageError(`${flag} must be a duration such as 30s, 5m or 1h30m; got "${value}"`);
  }
  return ms;
}
