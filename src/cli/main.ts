import { Command, CommanderError, Option } from "commander";
import { DEFAULT_CONCURRENCY } from "../core/check-releases.js";
import { EXIT_ERROR } from "../core/exit-code.js";
import { SEVERITIES } from "../model/finding.js";
import { OUTPUT_FORMATS } from "../report/reporters.js";
import { runCheck } from "./check-command.js";
import { type CheckFlags, checkRequestFrom, DEFAULT_TIMEOUT, DESIRED_FROM } from "./check-options.js";
import { addCompletionCommand, runComplete } from "./completion/command.js";
import { COMPLETE_COMMAND } from "./completion/scripts.js";
import { errorLine, usageErrorLine } from "./error-line.js";
import { helmPluginArgs, isHelmPlugin } from "./helm-plugin-env.js";
import type { CliIo } from "./io.js";
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
      ).argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]),
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
