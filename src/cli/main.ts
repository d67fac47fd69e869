import { Command, CommanderError, Option } from "commander";
import { DEFAULT_CONCURRENCY } from "../core/check-releases.js";
import { EXIT_ERROR } from "../core/exit-code.js";
import { SEVERITIES } from "../model/finding.js";
import { OUTPUT_FORMATS } from "../report/reporters.js";
import { WEBHOOK_FORMATS } from "../schedule/webhook-format.js";
import { runCheck } from "./check-command.js";
import { type CheckFlags, checkRequestFrom, DEFAULT_TIMEOUT, DESIRED_FROM } from "./check-options.js";
import { addCompletionCommand, runComplete } from "./completion/command.js";
import { COMPLETE_COMMAND } from "./completion/scripts.js";
import { errorLine, usageErrorLine } from "./error-line.js";
import { helmPluginArgs, isHelmPlugin } from "./helm-plugin-env.js";
import type { CliIo } from "./io.js";
import {
  DEFAULT_RENOTIFY_AFTER,
  DEFAULT_REPORT_TIMEOUT,
  type ReportFlags,
  reportRequestFrom,
} from "./report-options.js";
import { VERSION } from "./version.js";

const CHECK_HELP_AFTER = `
Examples:
  helm-drift check arc-runners -n arc-systems          one release in a cluster
  helm-drift check -A -o json                          every release, for a pipeline
  helm-drift check -A -o text -o sarif=drift.sarif -o markdown="$GITHUB_STEP_SUMMARY"
                                                       text on stdout, SARIF and Markdown to files
  helm-drift check --manifest fixtures/incident/manifest.yaml --live fixtures/incident/live.yaml
  helm get manifest web -n shop | helm-drift check --manifest - --live live.json -n shop

Exit codes: 0 nothing at or above --fail-on, 2 drift found, 1 error (an error beats drift;
an object that could not be read makes the check incomplete, which is an error; so does checking
no release at all, unless --allow-empty).`;

const REPORT_HELP_AFTER = `
Examples:
  helm-drift report --state-configmap helm-drift/helm-drift-state --webhook-format slack --events
  HELM_DRIFT_WEBHOOK_URL=https://hooks.slack.com/services/… helm-drift report -n shop -n web --webhook-format slack

Exit codes: 0 the run completed (drift or not), 1 it failed, could not read something it needed, or a sink
(webhook, Events, state, metrics) failed, 2 drift at or above --fail-on when given.`;

/** Repeatable options: each value appended to the earlier ones. */
function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Commander's codes for an exit after it wrote the help or the version itself. */
const COMMANDER_WROTE_OUTPUT = new Set(["commander.help", "commander.helpDisplayed", "commander.version"]);

/** Parses argv, runs the command, and returns the exit code. Writes only through `io`. */
export async function main(argv: string[], io: CliIo): Promise<number> {
  let debug = argv.includes("--debug");
  let exitCode = 0;
  const program = new Command("helm-drift")
    .description(
      "Field-level drift between what Helm rendered and what is live in the cluster: why, and how to repair it.",
    )
    .version(VERSION, "--version")
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr, outputError: () => {} })
    .showSuggestionAfterError(true);

  program
    .command("check")
    .description("compare releases' rendered manifests with the live objects")
    .argument("[release]", "release to check (default: every release in the namespace)")
    .option(
      "-n, --namespace <ns>",
      "release namespace (cluster: default from the kubeconfig context; files: applied to rendered objects that have none)",
    )
    .option("-A, --all-namespaces", "check every release in every namespace")
    .option("--manifest <file>", "rendered manifest, as `helm get manifest` prints it (- for stdin)")
    .option(
      "--live <file>",
      "live objects, as `kubectl get -o yaml|json` prints them: one object, a stream, or a List (- for stdin)",
    )
    .option(
      "--release <name>",
      "with --manifest: the release name used in remediation commands (default: from the objects' meta.helm.sh annotations)",
    )
    .option("--kubeconfig <path>", "kubeconfig file (default: $KUBECONFIG, ~/.kube/config, or in-cluster)")
    .option("--context <name>", "kubeconfig context to use")
    .option("--helm-bin <path>", "helm binary (default: $HELM_BIN, else helm on PATH)")
    .addOption(
      new Option(
        "--desired-from <source>",
        "where rendered manifests come from: auto (Helm's release storage read directly when it may be listed, else the helm CLI), helm (the helm CLI), secrets (Helm's release Secrets, or ConfigMaps under HELM_DRIVER=configmap, read directly)",
      )
        .choices(DESIRED_FROM)
        .default("auto"),
    )
    .addOption(
      new Option(
        "-o, --output <format[=file]>",
        `report format: ${OUTPUT_FORMATS.join(", ")}; FORMAT=FILE writes it to FILE instead of stdout; ` +
          "repeat for several reports, at most one on stdout (default: text on stdout)",
      ).argParser(collect),
    )
    .addOption(
      new Option("--fail-on <severity>", "lowest severity that makes the exit code 2")
        .choices([...SEVERITIES])
        .default("low"),
    )
    .option("--concurrency <n>", "API requests in flight at once", String(DEFAULT_CONCURRENCY))
    .option(
      "--timeout <duration>",
      "cluster: end the whole check after this (30s, 5m, 1h30m), naming what it could not read",
      DEFAULT_TIMEOUT,
    )
    .option(
      "--allow-empty",
      "cluster: a namespace with no releases is not an error (exit 0), e.g. a CronJob checking a namespace that may be empty",
    )
    .option("--color", "colour the text report even when stdout is not a terminal (NO_COLOR still wins)")
    .option("--no-color", "never colour the text report")
    .option(
      "--no-progress",
      "cluster: no progress line on stderr (shown only on a terminal, after a second, and never beside -o json|junit|sarif on stdout)",
    )
    .option("--verbose", "text report: also list resources that are in sync")
    .option(
      "--config <file>",
      "config file: ignore rules (Flux driftDetection.ignore syntax), ignoreManagers, severityOverrides (default: .helm-drift.yaml in the working directory, when there)",
    )
    .option(
      "--show-ignored",
      "text and JSON: list ignored findings and the rule that ignored each (always counted)",
    )
    .option("--debug", "print stack traces for errors")
    .addHelpText("after", CHECK_HELP_AFTER)
    .action(async (release: string | undefined, flags: CheckFlags) => {
      debug = Boolean(flags.debug);
      exitCode = await runCheck(checkRequestFrom(release, flags), io, flags.color, Boolean(flags.verbose));
    });

  program
    .command("report")
    .description(
      "check -A unattended, for a CronJob: what changed since the last run to a webhook, Events and metrics",
    )
    .option(
      "-n, --namespace <ns>",
      "check the releases of this namespace; repeat for several (default: every namespace)",
      collect,
    )
    .option("-A, --all-namespaces", "check every release in every namespace (the default)")
    .option(
      "--namespace-selector <selector>",
      "check the namespaces whose labels match this selector (team=shop,env in (prod)), listed at each run",
    )
    .option(
      "--state-configmap <namespace/name>",
      "ConfigMap that keeps the last run's findings (fingerprints, never values), so only changes are notified",
    )
    .option(
      "--renotify-after <duration>",
      "repeat a standing drift in a notification at most this often (30m, 24h); 0: never",
      DEFAULT_RENOTIFY_AFTER,
    )
    .addOption(
      new Option(
        "--webhook-format <format>",
        "webhook body: json (generic, see schema/notification.schema.json) or slack (incoming-webhook blocks)",
      )
        .choices([...WEBHOOK_FORMATS])
        .default("json"),
    )
    .option(
      "--webhook-url-file <file>",
      "file whose first line is the webhook URL (a mounted Secret); or set HELM_DRIFT_WEBHOOK_URL — never a flag value, which ps and the CronJob spec would show",
    )
    .option(
      "--events",
      "write a Warning Event DriftDetected on each drifted object and a Normal DriftResolved when repaired, updated (count) rather than repeated",
    )
    .option("--pushgateway <url>", "push metrics to this Prometheus Pushgateway")
    .option("--pushgateway-job <name>", "the Pushgateway job the metrics are grouped under", "helm-drift")
    .option(
      "--metrics-file <file>",
      "write metrics in the text exposition format to this file (node_exporter textfile collector)",
    )
    .addOption(
      new Option(
        "-o, --output <format=file>",
        `also write a report to a file: FORMAT=FILE, FORMAT one of ${OUTPUT_FORMATS.join(", ")} (e.g. html=/reports/drift.html); repeatable`,
      ).argParser(collect),
    )
    .option(
      "--timeout <duration>",
      "end the whole run after this, sinks included (30s, 5m, 1h30m)",
      DEFAULT_REPORT_TIMEOUT,
    )
    .addOption(
      new Option(
        "--fail-on <severity>",
        "exit 2 when a finding is at or above this severity (default: drift never fails the run, so a Job is not retried for it)",
      ).choices([...SEVERITIES]),
    )
    .option("--config <file>", "config file: ignore rules, ignoreManagers, severityOverrides (as for check)")
    .option("--cluster-name <name>", "the cluster's name, shown in notifications")
    .option("--concurrency <n>", "API requests in flight at once", String(DEFAULT_CONCURRENCY))
    .option(
      "--kubeconfig <path>",
      "kubeconfig file (default: $KUBECONFIG, ~/.kube/config, else the pod's in-cluster credentials)",
    )
    .option("--context <name>", "kubeconfig context to use")
    .option("--debug", "print stack traces for errors")
    .addHelpText("after", REPORT_HELP_AFTER)
    .action(async (flags: ReportFlags) => {
      debug = Boolean(flags.debug);
      // Loaded only for a report: it reads a cluster, and @kubernetes/client-node is slow to load (bench/cli-startup.mjs).
      const { runReport } = await import("./report-command.js");
      exitCode = await runReport(reportRequestFrom(flags), io, debug);
    });

  addCompletionCommand(program, io);

  try {
    // As a Helm plugin, put back the flags helm took for itself (-n, --kube-context, --debug) from its env.
    const args = isHelmPlugin(io.env) ? helmPluginArgs(argv, io.env) : argv;
    if (args[0] === COMPLETE_COMMAND) return await runComplete(program, args.slice(1), io);
    await program.parseAsync(args, { from: "user" });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are already written; bare `helm-drift` gets the help on stderr and exit code 1
      // (commander's `commander.help`), with no line of its own: its message is only "(outputHelp)".
      if (COMMANDER_WROTE_OUTPUT.has(error.code)) return error.exitCode === 0 ? 0 : EXIT_ERROR;
      io.stderr(usageErrorLine(error.message));
      return EXIT_ERROR;
    }
    io.stderr(errorLine(error, debug));
    return EXIT_ERROR;
  }
}
