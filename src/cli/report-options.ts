import { parseLabelSelector } from "../cluster/label-selector.js";
import { UsageError } from "../errors.js";
import { SEVERITIES, type Severity } from "../model/finding.js";
import { WEBHOOK_FORMATS, type WebhookFormat } from "../schedule/webhook-format.js";
import {
  type CheckMode,
  type CheckRequest,
  duration,
  type OutputTarget,
  oneOf,
  outputTargets,
  positiveInteger,
} from "./check-options.js";

/** Flags of `helm-drift report`, as commander hands them over. */
export interface ReportFlags {
  /** `-n`, repeatable. */
  namespace?: string[];
  allNamespaces?: boolean;
  namespaceSelector?: string;
  stateConfigmap?: string;
  renotifyAfter: string;
  webhookFormat: string;
  webhookUrlFile?: string;
  events?: boolean;
  pushgateway?: string;
  pushgatewayJob: string;
  metricsFile?: string;
  output?: string[];
  timeout: string;
  failOn?: string;
  config?: string;
  clusterName?: string;
  concurrency: string;
  kubeconfig?: string;
  context?: string;
  debug?: boolean;
}

export interface ReportRequest {
  /** What to check: all namespaces, or the listed ones; always from Helm's release storage read directly. */
  check: CheckRequest;
  /**
   * `--namespace-selector`: check the namespaces whose labels match, listed at the start of each run (then
   * `check.mode` is replaced by those namespaces); null: `check.mode` as it is.
   */
  namespaceSelector: string | null;
  /** `-o FORMAT=FILE`: reports written to files besides the JSON report on stdout. */
  files: OutputTarget[];
  state: { namespace: string; name: string } | null;
  /** 0: a standing finding is never notified again. */
  renotifyAfterMs: number;
  webhook: { format: WebhookFormat; urlFile: string | null };
  events: boolean;
  pushgateway: { url: string; job: string } | null;
  metricsFile: string | null;
  /** `--fail-on`: findings at or above it make the exit code 2; null: drift never fails the run. */
  failOn: Severity | null;
  clusterName: string | null;
}

export const DEFAULT_REPORT_TIMEOUT = "20m";
export const DEFAULT_RENOTIFY_AFTER = "24h";

/** Turns flags into a request, rejecting what cannot work with one line saying why. */
export function reportRequestFrom(flags: ReportFlags): ReportRequest {
  const namespaces = flags.namespace ?? [];
  if (flags.allNamespaces && namespaces.length > 0)
    throw new UsageError("give either --namespace or --all-namespaces, not both");
  const selector = flags.namespaceSelector ?? null;
  if (selector !== null) {
    if (flags.allNamespaces || namespaces.length > 0)
      throw new UsageError("give --namespace-selector alone, without --namespace or --all-namespaces");
    try {
      parseLabelSelector(selector);
    } catch (error) {
      throw new UsageError(`--namespace-selector: ${(error as Error).message}`);
    }
  }
  const mode: CheckMode =
    namespaces.length === 0
      ? { kind: "all-namespaces" }
      : { kind: "namespaces", namespaces: unique(namespaces) };
  const files = outputTargets(flags.output);
  const onStdout = files.find((target) => target.file === null);
  if (flags.output !== undefined && onStdout !== undefined)
    throw new UsageError(
      `--output ${onStdout.format}: report writes its JSON report to stdout; give other reports as FORMAT=FILE`,
    );
  const timeout = { ms: duration("--timeout", flags.timeout), text: flags.timeout };
  return {
    check: {
      mode,
      outputs: [{ format: "json", file: null }],
      failOn: "info",
      concurrency: positiveInteger("--concurrency", flags.concurrency),
      desiredFrom: "secrets",
      timeout,
      allowEmpty: true,
      config: flags.config ?? null,
      showIgnored: false,
      progress: false,
      cluster: { kubeconfig: flags.kubeconfig, context: flags.context },
    },
    namespaceSelector: selector,
    files: flags.output === undefined ? [] : files,
    state:
      flags.stateConfigmap === undefined ? null : namespacedName("--state-configmap", flags.stateConfigmap),
    renotifyAfterMs: flags.renotifyAfter === "0" ? 0 : duration("--renotify-after", flags.renotifyAfter),
    webhook: {
      format: oneOf("--webhook-format", flags.webhookFormat, WEBHOOK_FORMATS),
      urlFile: flags.webhookUrlFile ?? null,
    },
    events: Boolean(flags.events),
    pushgateway:
      flags.pushgateway === undefined ? null : { url: flags.pushgateway, job: flags.pushgatewayJob },
    metricsFile: flags.metricsFile ?? null,
    failOn: flags.failOn === undefined ? null : oneOf("--fail-on", flags.failOn, SEVERITIES),
    clusterName: flags.clusterName ?? null,
  };
}

/** `NAMESPACE/NAME`, both DNS labels or subdomains as Kubernetes names them. */
function namespacedName(flag: string, value: string): { namespace: string; name: string } {
  const match = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)\/([a-z0-9]([-.a-z0-9]*[a-z0-9])?)$/.exec(value);
  if (match === null || (match[3]?.length ?? 0) > 253 || (match[1]?.length ?? 0) > 63)
    throw new UsageError(`${flag} must be NAMESPACE/NAME of a ConfigMap; got "${value}"`);
  return { namespace: match[1] as string, name: match[3] as string };
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
