import {
  explanationText,
  findingMessage,
  fluxIgnoreText,
  ignoreReasonText,
  leftAloneText,
  remediationReasonText,
  resourceReasonText,
  stepDescription,
} from "../catalogue/messages.js";
import type { Finding } from "../model/finding.js";
import type { RemediationAction, RemediationPlan, RemediationReason } from "../model/remediation.js";
import type { DriftReport, ResourceReport } from "../model/report.js";
import { actionCommand } from "./action-command.js";

/**
 * The report as pretty JSON (2-space indent, trailing newline), in the shape of
 * schema/drift-report.schema.json. Codes and their arguments stay as the core made them; the catalogue's words
 * are added beside them (`message`, a step's `description` and `command`), so a program reads the codes and
 * the actions and a person reads the words. A finding's absent `desired` / `live` is written as null.
 */
export function renderJson(report: DriftReport, options: { showIgnored?: boolean } = {}): string {
  const document = {
    ...report,
    releases: report.releases.map((release) => ({
      ...release,
      ...(release.fluxIgnore && release.flux
        ? { fluxIgnore: { ...release.fluxIgnore, message: fluxIgnoreText(release.fluxIgnore, release.flux) } }
        : {}),
      resources: release.resources.map((resource) =>
        resourceDocument(resource, options.showIgnored ?? false),
      ),
    })),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

function resourceDocument({ ignoredFindings = [], ...resource }: ResourceReport, showIgnored: boolean) {
  return {
    ...resource,
    ignored: ignoredFindings.length,
    ...(showIgnored
      ? {
          ignoredFindings: ignoredFindings.map(({ finding, ignoredBy }) => ({
            finding: findingDocument(finding, resource),
            ignoredBy: { ...ignoredBy, message: ignoreReasonText(ignoredBy) },
          })),
        }
      : {}),
    ...(resource.reason
      ? { reason: { ...resource.reason, message: resourceReasonText(resource.reason, resource) } }
      : {}),
    findings: resource.findings.map((finding) => findingDocument(finding, resource)),
    explanations: resource.explanations.map((explanation) => ({
      ...explanation,
      message: explanationText(explanation),
    })),
    remediation: resource.remediation ? remediationDocument(resource.remediation) : null,
  };
}

function findingDocument(finding: Finding, resource: ResourceReport) {
  return {
    ...finding,
    desired: finding.desired === undefined ? null : finding.desired,
    live: finding.live === undefined ? null : finding.live,
    message: findingMessage(finding, resource),
  };
}

function remediationDocument(plan: RemediationPlan) {
  return {
    strategy: plan.strategy,
    reason: reasonDocument(plan.reason),
    steps: plan.steps.map((step) => stepDocument(step, plan.steps)),
    leavesAlone: plan.leavesAlone.map((field) => ({ ...field, message: leftAloneText(field.rule) })),
    alternatives: plan.alternatives.map((alternative) => ({
      strategy: alternative.strategy,
      reason: reasonDocument(alternative.reason),
      steps: alternative.steps.map((step) => stepDocument(step, alternative.steps)),
    })),
  };
}

function reasonDocument(reason: RemediationReason) {
  return { ...reason, message: remediationReasonText(reason) };
}

function stepDocument(action: RemediationAction, steps: readonly RemediationAction[]) {
  return { ...action, description: stepDescription(action, steps), command: actionCommand(action) };
}
