import { readFile } from "node:fs/promises";
import { hostname } from "node:os";
import path from "node:path";
import { failedRunText, reportRunText } from "../catalogue/report-run-text.js";
import { ForbiddenError } from "../cluster/api-server-error.js";
import { KubeApiClient } from "../cluster/kube-api-client.js";
import { KubeClusterReader } from "../cluster/kube-cluster-reader.js";
import { loadKubeConfig } from "../cluster/kube-config.js";
import { listPages } from "../cluster/list-pages.js";
import { EXIT_CLEAN, EXIT_DRIFT, EXIT_ERROR, exitCodeFor } from "../core/exit-code.js";
import { HelmDriftError, InputError } from "../errors.js";
import type { DriftReport, ReleaseReport } from "../model/report.js";
import { reporters } from "../report/reporters.js";
import { KubeEventSink } from "../schedule/kube-event-sink.js";
import { MetricsFileSink } from "../schedule/metrics-file-sink.js";
import { PushgatewaySink } from "../schedule/pushgateway-sink.js";
import { deliverFailedRun, deliverReport, type ScheduledRunSinks } from "../schedule/scheduled-run.js";
import type { MetricsSink } from "../schedule/sinks.js";
import { ConfigMapStateStore } from "../schedule/state-configmap.js";
import { WebhookNotifier } from "../schedule/webhook-notifier.js";
import { webhookUrlFrom } from "../schedule/webhook-url.js";
import { noiseRules } from "./check-command.js";
import { clusterReport } from "./cluster-report.js";
import { errorLine } from "./error-line.js";
import type { CliIo } from "./io.js";
import type { ReportRequest } from "./report-options.js";
import { VERSION } from "./version.js";
import { writeOutputs } from "./write-outputs.js";

/**
 * `helm-drift report`: the unattended `check -A` of a CronJob. Checks every release (or those of the listed
 * namespaces) from Helm's release storage, delivers the result to the configured sinks (state, webhook, Events,
 * metrics: src/schedule/scheduled-run.ts), writes the JSON report to stdout and any `-o FORMAT=FILE` reports,
 * and ends with one summary line on stderr. The exit code suits a Job: 0 when the run completed, drift or not;
 * 1 when it failed, could not read something it needed, or a sink failed; 2 for drift only under `--fail-on`.
 * `--timeout` bounds the whole run, the sinks included.
 */
export async function runReport(request: ReportRequest, io: CliIo, debug: boolean): Promise<number> {
  const startedAt = new Date();
  const now = () => new Date();
  // Everything that can be refused is checked before the cluster is read: the config, the webhook URL.
  const noise = await noiseRules(request.check.config, io);
  const webhookUrl = await webhookUrlOf(request, io);
  const deadline = AbortSignal.timeout(request.check.timeout.ms);
  const client = runClient(request, io, deadline);
  const sinks = reportSinks(request, io, webhookUrl, deadline, client);

  let report: DriftReport;
  try {
    const mode =
      request.namespaceSelector === null
        ? clusterMode(request)
        : { kind: "namespaces" as const, namespaces: await selectedNamespaces(request, client) };
    report = await clusterReport({ ...request.check, mode }, mode, io, noise);
  } catch (error) {
    if (!(error instanceof HelmDriftError)) throw error;
    const outcomes = await deliverFailedRun(sinks, { startedAt, now });
    io.stderr(errorLine(error, debug));
    const line = failedRunText(outcomes);
    if (line !== null) io.stderr(`${line}\n`);
    return EXIT_ERROR;
  }

  // Rendered before any sink runs, so that a report that cannot be rendered fails before anything is sent.
  const options = { color: false, verbose: false, showIgnored: false, version: VERSION };
  const outputs = [
    ...request.files.map(({ format, file }) => ({ file, text: reporters[format](report, options) })),
    { file: null, text: reporters.json(report, options) },
  ];
  const outcome = await deliverReport(report, sinks, {
    renotifyAfterMs: request.renotifyAfterMs,
    cluster: request.clusterName,
    reportingInstance: io.env.POD_NAME || hostname(),
    startedAt,
    now,
  });
  await writeOutputs(outputs, io);
  const incomplete = report.releases.filter(notReadWhole).length;
  io.stderr(
    `${reportRunText(report.summary, incomplete, outcome, (Date.now() - startedAt.getTime()) / 1000)}\n`,
  );

  if (outcome.failed || exitCodeFor(report, "info") === EXIT_ERROR) return EXIT_ERROR;
  if (request.failOn !== null && exitCodeFor(report, request.failOn) === EXIT_DRIFT) return EXIT_DRIFT;
  return EXIT_CLEAN;
}

function clusterMode(request: ReportRequest) {
  const { mode } = request.check;
  if (mode.kind === "offline") throw new Error("report checks a cluster, never files");
  return mode;
}

/**
 * The names of the namespaces `--namespace-selector` matches, from one paged LIST of Namespaces with that label
 * selector (the API server applies it). Forbidden is an error, not an empty cluster.
 */
async function selectedNamespaces(request: ReportRequest, client: RunClient): Promise<string[]> {
  if ("error" in client) throw client.error;
  const { reader } = client;
  const names: string[] = [];
  const scope = { apiVersion: "v1", kind: "Namespace", namespace: null };
  for await (const page of listPages(reader, scope, {
    limit: 500,
    labelSelector: request.namespaceSelector ?? "",
  })) {
    if (page.status !== "listed")
      throw new ForbiddenError(`cannot list namespaces for --namespace-selector: ${page.reason}`);
    for (const namespace of page.items) names.push(namespace.metadata.name);
  }
  return names.sort();
}

function notReadWhole(release: ReleaseReport): boolean {
  return (
    release.status === "Error" ||
    release.status === "Incomplete" ||
    release.resources.some((resource) => resource.status === "Unreadable")
  );
}

/** The webhook URL from HELM_DRIFT_WEBHOOK_URL or `--webhook-url-file`; null when neither gives one. */
async function webhookUrlOf(request: ReportRequest, io: CliIo): Promise<URL | null> {
  const file = request.webhook.urlFile;
  let contents: string | null = null;
  if (file !== null) {
    try {
      contents = await readFile(path.resolve(io.cwd ?? ".", file), "utf8");
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new InputError(file, code === "ENOENT" ? "no such file" : `cannot be read (${code ?? "error"})`);
    }
  }
  return webhookUrlFrom(io.env, contents);
}

/** The run's own client, for the sinks and --namespace-selector; or why there is none (no usable kubeconfig). */
type RunClient = { api: KubeApiClient; reader: KubeClusterReader } | { error: HelmDriftError };

/** One client with the run's credentials and deadline, made once; the check itself makes its own (cluster-report.ts). */
function runClient(request: ReportRequest, io: CliIo, deadline: AbortSignal): RunClient {
  try {
    const kubeConfig = loadKubeConfig({
      kubeconfig: request.check.cluster.kubeconfig,
      context: request.check.cluster.context,
      env: io.env,
    });
    const api = new KubeApiClient(kubeConfig, { signal: deadline });
    return { api, reader: new KubeClusterReader(api) };
  } catch (error) {
    if (!(error instanceof HelmDriftError)) throw error;
    return { error };
  }
}

/**
 * The sinks the flags ask for. Those that write to the cluster share the run's client; when it has none (no
 * kubeconfig could be loaded), they are left out (the check itself then fails, saying why).
 */
function reportSinks(
  request: ReportRequest,
  io: CliIo,
  webhookUrl: URL | null,
  deadline: AbortSignal,
  client: RunClient,
): ScheduledRunSinks {
  const api = "error" in client ? null : client.api;
  const reader = "error" in client ? null : client.reader;
  const metrics: MetricsSink[] = [];
  if (request.pushgateway !== null)
    metrics.push(
      new PushgatewaySink({ url: request.pushgateway.url, job: request.pushgateway.job, signal: deadline }),
    );
  if (request.metricsFile !== null)
    metrics.push(new MetricsFileSink(path.resolve(io.cwd ?? ".", request.metricsFile)));
  return {
    state: api !== null && request.state !== null ? new ConfigMapStateStore(api, request.state) : null,
    notifier:
      webhookUrl === null
        ? null
        : {
            notifier: new WebhookNotifier({
              url: webhookUrl,
              format: request.webhook.format,
              signal: deadline,
            }),
            format: request.webhook.format,
          },
    events: api !== null && request.events ? new KubeEventSink(api) : null,
    metrics,
    uidOf: async (object) => {
      if (reader === null) return null;
      const got = await reader.get(object);
      if (got.status !== "found") return null;
      const uid = got.object.metadata?.uid;
      return typeof uid === "string" ? uid : null;
    },
  };
}
