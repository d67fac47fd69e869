import { explanationText, findingMessage, objectMissingMessage } from "../catalogue/messages.js";
import type { ClusterReader, ListTypes } from "../cluster/cluster-reader.js";
import { diffObjects } from "../diff/diff-objects.js";
import { projectForDisplay } from "../diff/project-live.js";
import { repairLive } from "../diff/repair-live.js";
import { unifiedDiff } from "../diff/unified-diff.js";
import { applyMethodOf } from "../explain/apply-method.js";
import { explainResource } from "../explain/explain-resource.js";
import { ownerOf } from "../explain/managed-fields.js";
import { selfHealsOnUpgrade } from "../explain/self-heal.js";
import { maskFinding, maskObject } from "../mask/secret-values.js";
import { type Finding, type RawFinding, severityRank } from "../model/finding.js";
import { formatIdentity, type KubeObject, type ObjectRef } from "../model/kube.js";
import { formatPath, toPointer } from "../model/path.js";
import type { FluxOwner, ResourceReport } from "../model/report.js";
import { planRemediation } from "../plan/remediation.js";
import { findBrokenReferences } from "../rules/broken-references.js";
import { objectMissingSeverity, severityOf } from "../rules/severity.js";
import { isFatal } from "./fatal-errors.js";
import type { Limiter } from "./limiter.js";

export interface ReleaseContext {
  name: string | null;
  namespace: string | null;
  chartName: string | null;
  chartVersion: string | null;
  flux: FluxOwner | null;
}

export interface RenderedResource {
  object: KubeObject;
  source: string | null;
}

/** Compares one rendered object with its live counterpart and builds its report entry. */
export async function checkResource(
  rendered: RenderedResource,
  release: ReleaseContext,
  reader: ClusterReader,
  limit: Limiter,
): Promise<ResourceReport> {
  try {
    return await readAndCompare(rendered, release, reader, limit);
  } catch (error) {
    if (isFatal(error)) throw error;
    const { object } = rendered;
    return {
      apiVersion: object.apiVersion,
      kind: object.kind,
      namespace: object.metadata.namespace ?? release.namespace,
      name: object.metadata.name,
      source: rendered.source,
      status: "Unreadable",
      reason: (error as Error).message,
      findings: [],
      explanations: [],
      selfHealsOnUpgrade: null,
      remediation: null,
    };
  }
}

async function readAndCompare(
  rendered: RenderedResource,
  release: ReleaseContext,
  reader: ClusterReader,
  limit: Limiter,
): Promise<ResourceReport> {
  const desired = rendered.object;
  const info = await limit(() => reader.resolve(desired.apiVersion, desired.kind));
  const ref: ObjectRef = {
    apiVersion: desired.apiVersion,
    kind: desired.kind,
    namespace: info?.namespaced === false ? null : (desired.metadata.namespace ?? release.namespace),
    name: desired.metadata.name,
  };
  const base = { ...ref, source: rendered.source };
  if (!info) {
    return kindNotServed(base, `kind ${desired.kind} (${desired.apiVersion}) is not served by the cluster`);
  }
  const got = await limit(() => reader.get(ref));
  switch (got.status) {
    case "kind-not-served":
      return kindNotServed(base, got.reason);
    case "not-found":
      return missingResource(base, release, `${formatIdentity(ref)} does not exist in the cluster`);
    case "forbidden":
      return {
        ...base,
        status: "Unreadable",
        reason: got.reason,
        findings: [],
        explanations: [],
        selfHealsOnUpgrade: null,
        remediation: null,
      };
    case "found":
      return compareWithLive(base, desired, got.object, release, reader, limit);
  }
}

async function compareWithLive(
  base: ObjectRef & { source: string | null },
  desired: KubeObject,
  live: KubeObject,
  release: ReleaseContext,
  reader: ClusterReader,
  limit: Limiter,
): Promise<ResourceReport> {
  const heals = selfHealsOnUpgrade(desired.apiVersion, desired.kind, applyMethodOf(live));
  const builtIn = selfHealsOnUpgrade(desired.apiVersion, desired.kind, "client-side");
  const listTypes: ListTypes | null = builtIn
    ? null
    : await limit(() => reader.listTypes(desired.apiVersion, desired.kind));
  const raw: RawFinding[] = [...diffObjects(desired, live, listTypes), ...findBrokenReferences(live)];
  if (raw.length === 0) {
    return {
      ...base,
      status: "InSync",
      findings: [],
      explanations: [],
      selfHealsOnUpgrade: null,
      remediation: null,
      diff: null,
    };
  }
  const owners = raw.map((finding) => ownerOf(live.metadata.managedFields, finding.path));
  const findings = bySeverity(raw.map((finding, i) => toFinding(finding, base.kind, owners[i] ?? null)));
  const explanations = explainResource({ ref: base, live, findings: raw, owners, selfHeals: heals }).map(
    explanationText,
  );
  const remediation = planRemediation({
    release,
    ref: base,
    live,
    repaired: repairLive(desired, live, listTypes),
    flux: release.flux,
    selfHeals: heals,
  });
  const shown = projectForDisplay(desired, live, listTypes);
  return {
    ...base,
    status: "Drifted",
    findings,
    explanations,
    selfHealsOnUpgrade: heals,
    remediation,
    diff: unifiedDiff(
      `rendered ${formatIdentity(base)}`,
      `live ${formatIdentity(base)}`,
      maskObject(base.kind, shown.desired),
      maskObject(base.kind, shown.live),
    ),
  };
}

/** Most severe first, so a reader meets the finding that breaks pods before the ones that explain it. */
function bySeverity(findings: Finding[]): Finding[] {
  return findings
    .map((finding, order) => ({ finding, order }))
    .sort((a, b) => severityRank(b.finding.severity) - severityRank(a.finding.severity) || a.order - b.order)
    .map(({ finding }) => finding);
}

function toFinding(raw: RawFinding, kind: string, owner: Finding["owner"]): Finding {
  const masked = maskFinding(kind, raw);
  return {
    code: masked.code,
    type: masked.type,
    path: formatPath(masked.path),
    pointer: masked.type === "extra" || masked.type === "broken-reference" ? null : toPointer(masked.path),
    severity: severityOf(raw, kind, owner),
    desired: masked.desired ?? null,
    live: masked.live ?? null,
    message: findingMessage(masked, kind),
    owner,
  };
}

function objectMissingFinding(kind: string): Finding {
  return {
    code: "object-missing",
    type: "missing",
    path: "",
    pointer: "",
    severity: objectMissingSeverity(kind),
    desired: null,
    live: null,
    message: objectMissingMessage(kind),
    owner: null,
  };
}

/** Rendered but not found live: `helm upgrade` creates manifest objects that are not found, so it heals this. */
function missingResource(
  base: ObjectRef & { source: string | null },
  release: ReleaseContext,
  reason: string,
): ResourceReport {
  return {
    ...base,
    status: "Missing",
    reason,
    findings: [objectMissingFinding(base.kind)],
    explanations: explainResource({ ref: base, live: null, findings: [], owners: [], selfHeals: true }).map(
      explanationText,
    ),
    selfHealsOnUpgrade: true,
    remediation: planRemediation({ release, ref: base, live: null, repaired: null, flux: release.flux }),
  };
}

/**
 * The cluster does not serve the kind (its CRD is not installed): the object cannot exist, and
 * `helm upgrade` fails on it until the CRD is installed, so no upgrade-based plan is offered.
 */
function kindNotServed(base: ObjectRef & { source: string | null }, reason: string): ResourceReport {
  return {
    ...base,
    status: "Missing",
    reason,
    findings: [objectMissingFinding(base.kind)],
    explanations: [reason],
    selfHealsOnUpgrade: false,
    remediation: null,
  };
}
