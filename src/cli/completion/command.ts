import { Argument, type Command } from "commander";
import { OUTPUT_FORMATS } from "../../report/reporters.js";
import type { CliIo } from "../io.js";
import { type Candidate, completionPlan, DIRECTIVE, type Directive, type OptionValues } from "./plan.js";
import { COMPLETION_SCRIPTS, SHELLS, type Shell } from "./scripts.js";

const COMPLETION_HELP_AFTER = `
Load it in the current shell:
  bash   source <(helm-drift completion bash)
  zsh    source <(helm-drift completion zsh)        (after compinit)
  fish   helm-drift completion fish | source
As a Helm plugin, helm's own completion covers \`helm drift\` (helm completion bash|zsh|fish).`;

/** `-o, --output FORMAT[=FILE]` parses its own value, so its formats are not commander choices: the reporters'. */
const OPTION_VALUES: OptionValues = { output: OUTPUT_FORMATS };

/** `helm-drift completion bash|zsh|fish`: prints the script that completes helm-drift in that shell. */
export function addCompletionCommand(program: Command, io: CliIo): void {
  program
    .command("completion")
    .description("print a shell completion script (bash, zsh or fish)")
    .addArgument(new Argument("<shell>", "the shell to complete in").choices(SHELLS))
    .addHelpText("after", COMPLETION_HELP_AFTER)
    .action((shell: Shell) => {
      io.stdout(COMPLETION_SCRIPTS[shell]);
    });
}

/** The lines `__complete` prints: `value<TAB>description` per candidate, then `:DIRECTIVE` (cobra's format). */
export function completionOutput(candidates: readonly Candidate[], directive: Directive): string {
  const oneLine = (text: string) => text.replace(/\s+/g, " ").trim();
  const lines = candidates.map(({ value, description }) =>
    description ? `${value}\t${oneLine(description)}` : value,
  );
  return `${[...lines, `:${directive}`].join("\n")}\n`;
}

/**
 * `helm-drift __complete WORDS…`: the candidates for the last word. Always exit code 0 and nothing on stderr:
 * a failure is the error directive (the shell offers nothing), never a message in the middle of a command line.
 */
export async function runComplete(program: Command, words: readonly string[], io: CliIo): Promise<number> {
  try {
    const plan = completionPlan(program, words.length === 0 ? [""] : words, OPTION_VALUES);
    switch (plan.kind) {
      case "candidates":
        io.stdout(completionOutput(plan.candidates, plan.directive));
        break;
      case "files":
        io.stdout(completionOutput([], DIRECTIVE.default));
        break;
      default: {
        const { clusterCandidates } = await import("./cluster-candidates.js");
        io.stdout(completionOutput(await clusterCandidates(plan, io.env), DIRECTIVE.noFileComp));
      }
    }
  } catch {
    io.stdout(completionOutput([], DIRECTIVE.error));
  }
  return 0;
}
