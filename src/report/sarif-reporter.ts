import type { Location, Log, Notification, ReportingDescriptor, Result } from "sarif";
import {
  FINDING_CODES,
  findingCodeHelp,
  findingMessage,
  ignoreReasonText,
  resourceReasonText,
} from "../catalogue/messages.js";
import type { Finding, Severity } from "../model/finding.js";
import { formatIdentity } from "../model/kube.js";
import type { DriftReport, ReleaseReport, ResourceReport } from "../model/report.js";
import { terminalSafe } from "./terminal-safe.js";

export interface SarifOptions {
  /** helm-drift's version, for `tool.driver.version`; left out when not given. */
  version?: string;
}

const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

/** SARIF levels by severity: what code-scanning UIs (GitHub, GitLab, Azure DevOps) sort and filter on. */
const LEVEL: Record<Severity, Result.level> = {
  critical: "error",
  high: "error",
  medium: "warning",
  low: "note",
  info: "note",
};

/**
 * The report as a SARIF 2.1.0 log, for code-scanning uploads: one run whose driver is helm-drift, one rule per
 * finding code (worded by the catalogue's `findingCodeHelp`), one result per finding.
 *
 * A result's location is the chart template the object was rendered from (`source`, as a relative URI) with
 * the object's identity as a logical location; without a source, the logical location alone. No region is
 * given: `manifestLine` is a line of the release manifest, not of the template, so it is carried in
 * `properties.manifestLine` rather than pointing a viewer at a wrong line of the template.
 *
 * What could not be checked (a release with status Error, an Unreadable object) is a tool execution notification
 * of level error, and the invocation is then not `executionSuccessful`: no result would be a false "all clear".
 *
 * Texts shown to people (messages, names) are made `terminalSafe`; `properties` keep the exact values for
 * programs, as the JSON report does (JSON escapes what JSON needs). Secret values never appear: findings are
 * masked, and no value is written.
 */
export function renderSarif(report: DriftReport, options: SarifOptions = {}): string {
  const rules: ReportingDescriptor[] = FINDING_CODES.map((code) => {
    const help = findingCodeHelp(code);
    return {
      id: code,
      name: code,
      shortDescription: { text: help.title },
      fullDescription: { text: help.description },
      help: { text: help.help },
    };
  });
  const results = report.releases.flatMap((release) =>
    release.resources.flatMap((resource) => [
      ...resource.findings.map((finding) => resultOf(finding, resource, release)),
      // Ignored findings are results with an external suppression (the ignore rule), as SARIF records what
      // a configuration accepted: code scanning shows them as suppressed, never as open.
      ...(resource.ignoredFindings ?? []).map(({ finding, ignoredBy }) => ({
        ...resultOf(finding, resource, release),
        suppressions: [
          { kind: "external" as const, justification: terminalSafe(ignoreReasonText(ignoredBy)) },
        ],
      })),
    ]),
  );
  const notifications = report.releases.flatMap(notificationsOf);
  const log: Log = {
    $schema: SARIF_SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "helm-drift",
            ...(options.version === undefined ? {} : { version: options.version }),
            rules,
          },
        },
        invocations: [
          {
            executionSuccessful: notifications.length === 0,
            ...(notifications.length === 0 ? {} : { toolExecutionNotifications: notifications }),
          },
        ],
        results,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

function resultOf(finding: Finding, resource: ResourceReport, release: ReleaseReport): Result {
  return {
    ruleId: finding.code,
    ruleIndex: FINDING_CODES.indexOf(finding.code),
    level: LEVEL[finding.severity],
    message: { text: terminalSafe(findingMessage(finding, resource)) },
    locations: [locationOf(resource)],
    properties: {
      path: finding.path,
      pointer: finding.pointer,
      severity: finding.severity,
      status: resource.status,
      release: `${release.namespace ?? ""}/${release.name ?? ""}`,
      object: formatIdentity(resource),
      apiVersion: resource.apiVersion,
      manifestLine: resource.manifestLine,
    },
  };
}

/** A release that could not be checked, or an object that could not be read, as an error notification. */
function notificationsOf(release: ReleaseReport): Notification[] {
  const name = `${release.namespace ?? ""}/${release.name ?? ""}`;
  if (release.status === "Error") {
    return [
      { level: "error", message: { text: terminalSafe(`release ${name}: ${release.error ?? "Error"}`) } },
    ];
  }
  return release.resources
    .filter((resource) => resource.status === "Unreadable")
    .map((resource) => ({
      level: "error",
      message: {
        text: terminalSafe(
          `${formatIdentity(resource)}: ${resource.reason ? resourceReasonText(resource.reason, resource) : "Unreadable"}`,
        ),
      },
      locations: [locationOf(resource)],
    }));
}

function locationOf(resource: ResourceReport): Location {
  const identity = terminalSafe(formatIdentity(resource));
  const logical = { name: terminalSafe(resource.name), fullyQualifiedName: identity, kind: "resource" };
  if (resource.source === null) return { logicalLocations: [logical] };
  return {
    physicalLocation: { artifactLocation: { uri: relativeUri(resource.source) } },
    logicalLocations: [logical],
  };
}

/** `mychart/templates/deployment.yaml` as a relative URI reference: each path segment percent-encoded. */
function relativeUri(source: string): string {
  return source.split("/").map(encodeURIComponent).join("/");
}
