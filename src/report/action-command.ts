import type { RemediationAction } from "../model/remediation.js";
import { namespaceArgs, resourceArg } from "./resource-arg.js";
import { commandLine } from "./shell.js";

/**
 * A remediation step as a command a person can paste into a POSIX shell: the rendering of the action for people.
 * Programs execute the action itself (the JSON report carries it); nothing parses these strings back.
 */
export function actionCommand(action: RemediationAction): string {
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
        JSON.stringify(action.operations),
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
      if (action.source.from === "rendered-manifest") return apply;
      const { kind, name } = action.target;
      const select = `select(.kind == ${JSON.stringify(kind)} and .metadata.name == ${JSON.stringify(name)})`;
      return [
        commandLine(["helm", "get", "manifest", action.source.release, "-n", action.source.namespace]),
        commandLine(["yq", select]),
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
