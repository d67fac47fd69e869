import type { Argument, Command, Option } from "commander";

/*
 * What to offer for the word under the cursor, worked out from the commander program itself (its commands,
 * options, choices and arguments), so a flag added to main.ts completes with no second list to update. The
 * protocol is cobra's (spf13/cobra completions.go), which kubectl and helm use: `helm-drift __complete WORDS…`
 * prints one candidate per line (`value<TAB>description`), then `:DIRECTIVE`. Helm's plugin completion
 * (`plugin.complete`) reads exactly that, so `helm drift <TAB>` completes through the same code.
 */

/** cobra's ShellCompDirective bits, as the shell scripts and helm read them. */
export const DIRECTIVE = {
  /** No candidates: the shell completes file names. */
  default: 0,
  /** Something went wrong: the shell offers nothing. */
  error: 1,
  /** Offer no file names, even when there is no candidate. */
  noFileComp: 4,
} as const;
export type Directive = (typeof DIRECTIVE)[keyof typeof DIRECTIVE];

export interface Candidate {
  value: string;
  description?: string;
}

/** Which cluster and kubeconfig the words so far select (`--kubeconfig`, `--context`). */
export interface ClusterSelection {
  kubeconfig?: string;
  context?: string;
}

export type CompletionPlan =
  | { kind: "candidates"; candidates: Candidate[]; directive: Directive }
  /** File names, completed by the shell. */
  | { kind: "files" }
  | { kind: "namespaces"; prefix: string; cluster: ClusterSelection }
  /** Release names in `namespace` (null: the kubeconfig context's namespace). */
  | { kind: "releases"; prefix: string; namespace: string | null; cluster: ClusterSelection }
  | { kind: "contexts"; prefix: string; cluster: ClusterSelection };

type ValueKind = "files" | "namespaces" | "contexts";

/**
 * What an option's value is, from its definition: `<file>` and `<path>` values are file names, `<ns>` a
 * namespace, and `--context` a kubeconfig context; values with choices offer them (commander's `.choices`).
 */
function valueKind(option: Option): ValueKind | null {
  if (option.attributeName() === "context") return "contexts";
  const valueName = /[<[]([^>\]]+)[>\]]/.exec(option.flags)?.[1];
  if (valueName === "file" || valueName === "path") return "files";
  if (valueName === "ns") return "namespaces";
  return null;
}

/** The argument that names a release (`check [release]`): its values come from the cluster. */
const RELEASE_ARGUMENT = "release";

const takesValue = (option: Option) => option.required || option.optional;

function visibleOptions(command: Command): readonly Option[] {
  return command.createHelp().visibleOptions(command);
}

function visibleCommands(command: Command): readonly Command[] {
  return command.createHelp().visibleCommands(command);
}

function findOption(command: Command, name: string): Option | undefined {
  return visibleOptions(command).find((option) => option.long === name || option.short === name);
}

function findCommand(parent: Command, name: string): Command | undefined {
  return parent.commands.find((command) => command.name() === name || command.aliases().includes(name));
}

function byPrefix(candidates: Candidate[], prefix: string): Candidate[] {
  return candidates.filter((candidate) => candidate.value.startsWith(prefix));
}

const candidates = (list: Candidate[], prefix: string): CompletionPlan => ({
  kind: "candidates",
  candidates: byPrefix(list, prefix),
  directive: DIRECTIVE.noFileComp,
});

const NOTHING: CompletionPlan = { kind: "candidates", candidates: [], directive: DIRECTIVE.noFileComp };

/** What the words before the cursor say: the command, its options' values so far, its positional words. */
interface Parsed {
  command: Command;
  values: Map<string, string | true>;
  positional: string[];
  /** An option whose value is the word under the cursor (`-n <TAB>`). */
  awaiting: Option | null;
}

function parseWords(program: Command, words: readonly string[]): Parsed {
  const parsed: Parsed = { command: program, values: new Map(), positional: [], awaiting: null };
  let onlyPositional = false;
  for (const word of words) {
    if (parsed.awaiting !== null) {
      parsed.values.set(parsed.awaiting.attributeName(), word);
      parsed.awaiting = null;
      continue;
    }
    if (!onlyPositional && word === "--") {
      onlyPositional = true;
      continue;
    }
    if (!onlyPositional && word.startsWith("-") && word.length > 1) {
      const equals = word.indexOf("=");
      const name = equals === -1 ? word : word.slice(0, equals);
      const option = findOption(parsed.command, name);
      if (option === undefined) continue;
      if (!takesValue(option)) parsed.values.set(option.attributeName(), true);
      else if (equals !== -1) parsed.values.set(option.attributeName(), word.slice(equals + 1));
      else if (option.required) parsed.awaiting = option;
      continue;
    }
    const sub = parsed.command === program ? findCommand(program, word) : undefined;
    if (sub !== undefined) parsed.command = sub;
    else parsed.positional.push(word);
  }
  return parsed;
}

function clusterOf(values: Map<string, string | true>): ClusterSelection {
  const text = (key: string) => {
    const value = values.get(key);
    return typeof value === "string" ? value : undefined;
  };
  return { kubeconfig: text("kubeconfig"), context: text("context") };
}

/**
 * Values of options whose definition cannot say them with `.choices()`, by attribute name: `-o FORMAT[=FILE]`
 * parses its value itself. After `FORMAT=` comes a file name.
 */
export type OptionValues = Readonly<Record<string, readonly string[]>>;

function optionValuePlan(
  option: Option,
  prefix: string,
  parsed: Parsed,
  optionValues: OptionValues,
): CompletionPlan {
  if (option.argChoices !== undefined)
    return candidates(
      option.argChoices.map((value) => ({ value })),
      prefix,
    );
  const values = optionValues[option.attributeName()];
  if (values !== undefined)
    return prefix.includes("=")
      ? { kind: "files" }
      : candidates(
          values.map((value) => ({ value })),
          prefix,
        );
  const cluster = clusterOf(parsed.values);
  switch (valueKind(option)) {
    case "files":
      return { kind: "files" };
    case "namespaces":
      return { kind: "namespaces", prefix, cluster };
    case "contexts":
      return { kind: "contexts", prefix, cluster };
    case null:
      return NOTHING;
  }
}

function flagCandidates(command: Command): Candidate[] {
  return visibleOptions(command).flatMap((option) =>
    [option.short, option.long]
      .filter((name): name is string => name !== undefined)
      .map((value) => ({ value, description: option.description })),
  );
}

function commandCandidates(program: Command): Candidate[] {
  return visibleCommands(program).map((command) => ({
    value: command.name(),
    description: command.description(),
  }));
}

function argumentPlan(argument: Argument, prefix: string, parsed: Parsed): CompletionPlan {
  if (argument.argChoices !== undefined)
    return candidates(
      argument.argChoices.map((value) => ({ value })),
      prefix,
    );
  if (argument.name() === RELEASE_ARGUMENT) {
    if (parsed.values.has("allNamespaces")) return NOTHING;
    const namespace = parsed.values.get("namespace");
    return {
      kind: "releases",
      prefix,
      namespace: typeof namespace === "string" ? namespace : null,
      cluster: clusterOf(parsed.values),
    };
  }
  return NOTHING;
}

/**
 * What to complete: `words` are the words after `helm-drift`, the last one the (possibly empty) word under
 * the cursor.
 */
export function completionPlan(
  program: Command,
  words: readonly string[],
  optionValues: OptionValues = {},
): CompletionPlan {
  const current = words.at(-1) ?? "";
  const parsed = parseWords(program, words.slice(0, -1));
  const { command } = parsed;
  if (parsed.awaiting !== null) return optionValuePlan(parsed.awaiting, current, parsed, optionValues);
  if (current.startsWith("-")) {
    const equals = current.indexOf("=");
    if (equals !== -1) {
      const option = findOption(command, current.slice(0, equals));
      if (option === undefined || !takesValue(option)) return NOTHING;
      const plan = optionValuePlan(option, current.slice(equals + 1), parsed, optionValues);
      if (plan.kind !== "candidates") return plan;
      const flag = current.slice(0, equals + 1);
      return { ...plan, candidates: plan.candidates.map((c) => ({ ...c, value: flag + c.value })) };
    }
    return candidates(flagCandidates(command), current);
  }
  // Also `help <TAB>`: commander's implicit help command is not in program.commands, and takes a command name.
  if (command === program) return candidates(commandCandidates(program), current);
  const args = command.registeredArguments;
  const index = parsed.positional.length;
  const last = args.at(-1);
  const argument = args[index] ?? (last?.variadic ? last : undefined);
  return argument === undefined ? NOTHING : argumentPlan(argument, current, parsed);
}
