import { commandNotShownText } from "../catalogue/messages.js";
import type { RemediationAction } from "../model/remediation.js";
import { namespaceArgs, resourceArg } from "./resource-arg.js";
import { commandLine } from "./shell.js";
import { firstUnsafeCharacter, printableJson } from "./terminal-safe.js";

/**
 * A remediation step as a command a person can paste into a POSIX shell: the rendering of the action for people.
 * Programs execute the action itself (the JSON report carries it); nothing parses these strings back.
 *
 * A command never holds a control or bidi character other than a line break (`terminal-safe.ts`): JSON
 * arguments write them as `\u` escapes, which mean the same value. A name, namespace, release, chart or
 * version that holds one (Kubernetes names cannot; a crafted offline file can) has no safe POSIX form: single
 * quotes keep it, but the terminal acts on it when the command is printed or pasted, and `$'…'` is not in
 * every sh. So the command is not printed: a shell comment says why, and the step's action in the JSON report
 * still carries the exact value.
 */
export function actionCommand(action: RemediationAction): string {
  const command = commandFor(action);
  // A line break inside single quotes is exact in every POSIX sh, and the text report prints the further lines
  // of a command as they are (text-remediation.ts); every other unsafe character is refused.
  const unsafe = firstUnsafeCharacter(command.replaceAll("\n", ""));
  if (unsafe === null) return command;
  return commandNotShownText(unsafe);
}

function commandFor(action: RemediationAction): string {
  switch (action.action) {
    case "flux-suspend":
    case "flux-resume":
      return commandLine([
        "flux",
        action.action === "flux-suspend" ? "suspend" : "resume",
        "helmrelease",
        action.helmRelease.name,
        "-n",
        action.helmRelease.namespace,
      ]);
    case "delete":
      return commandLine([
        "kubectl",
        "delete",
        resourceArg(action.target),
        action.target.name,
        ...namespaceArgs(action.target.namespace),
        ...(action.wait ? [] : ["--wait=false"]),
      ]);
    case "json-patch":
      return commandLine([
        "kubectl",
        "patch",
        resourceArg(action.target),
        action.target.name,
        ...namespaceArgs(action.target.namespace),
        "--type",
        "json",
        "-p",
        printableJson(action.operations),
      ]);
    case "server-side-apply": {
      const apply = commandLine([
        "kubectl",
        "apply",
        "--server-side",
        `--field-manager=${action.fieldManager}`,
        ...(action.forceConflicts ? ["--force-conflicts"] : []),
        ...namespaceArgs(action.target.namespace),
        "-f",
        "-",
      ]);
      const omit = action.omit.map((pointer) => `del(${yqPath(pointer)})`);
      if (action.source.from === "rendered-manifest") {
        return omit.length === 0 ? apply : `${commandLine(["yq", omit.join(" | ")])} | ${apply}`;
      }
      const { kind, name } = action.target;
      const select = `select(.kind == ${printableJson(kind)} and .metadata.name == ${printableJson(name)})`;
      const { source } = action;
      return [
        commandLine([
          "helm",
          "get",
          "manifest",
          source.release,
          "-n",
          source.namespace,
          ...(source.revision === null ? [] : ["--revision", String(source.revision)]),
        ]),
        commandLine(["yq", [select, ...omit].join(" | ")]),
        apply,
      ].join(" | ");
    }
    case "helm-upgrade":
      return commandLine([
        "helm",
        "upgrade",
        action.release,
        action.chart,
        ...(action.reuseValues ? ["--reuse-values"] : []),
        ...(action.forceConflicts ? ["--force-conflicts"] : []),
        ...(action.version ? ["--version", action.version] : []),
        "-n",
        action.namespace,
      ]);
    case "verify":
      return commandLine(["helm-drift", "check", action.release, "-n", action.namespace]);
    default: {
      const unhandled: never = action;
      throw new Error(`no command for remediation step ${JSON.stringify(unhandled)}`);
    }
  }
}

/** A yq (v4) path for an RFC 6901 pointer: `/spec/replicas` → `.spec.replicas`, `/a~1b/0` → `.["a/b"][0]`. */
function yqPath(pointer: string): string {
  return pointer
    .split("/")
    .slice(1)
    .map((token) => token.replaceAll("~1", "/").replaceAll("~0", "~"))
    .map((name) =>
      /^[0-9]+$/.test(name)
        ? `[${name}]`
        : /^[A-Za-z_][A-Za-z0-9_]*$/.test(name)
          ? `.${name}`
          : `.[${printableJson(name)}]`,
    )
    .join("");
}
