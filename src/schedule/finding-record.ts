import { createHash } from "node:crypto";
import type { FindingCode, Severity } from "../model/finding.js";
import { isPlainObject } from "../model/kube.js";
import type { DriftReport } from "../model/report.js";

/** Which release a record belongs to. */
export interface ReleaseKey {
  namespace: string;
  name: string;
}

/** Which object a record belongs to (as rendered: namespace null for a cluster-scoped object). */
export interface ObjectKey {
  apiVersion: string;
  kind: string;
  namespace: string | null;
  name: string;
}

/**
 * One reported finding reduced to what identifies it from one run to the next: release, object, code, path, and
 * a digest of its (already masked) values — never a value itself. Two runs that report the same drift give the
 * same fingerprint; a changed live value gives a new one.
 */
export interface FindingRecord {
  /** Hex digest of release, object, code, path and valueDigest. */
  fingerprint: string;
  release: ReleaseKey;
  object: ObjectKey;
  code: FindingCode;
  /** The finding's path as reported (`spec.template.spec.containers[name=runner].image`). */
  path: string;
  severity: Severity;
  /** Digest of the finding's reported `desired` and `live` (masked for Secrets). */
  valueDigest: string;
}

/**
 * What a run could not see: releases that were not checked (Error) and objects that could not be read
 * (Unreadable, or every object of an Incomplete release that was not read). Their earlier findings are carried
 * over unchanged — not read is not repaired.
 */
export interface UnreadScopes {
  /** `namespace/name` of each release not checked at all. */
  releases: ReadonlySet<string>;
  /** objectKeyText of each object not read. */
  objects: ReadonlySet<string>;
}

/**
 * One record per kept finding (`resources[].findings`, never `ignoredFindings`) of every release that has a name
 * and a namespace; a Missing object is its one `object-missing` finding (src/core/report-resource.ts). A release
 * without a name cannot be told apart from one run to the next, so its findings are not tracked.
 */
export function findingRecords(report: DriftReport): FindingRecord[] {
  return report.releases.flatMap(({ name, namespace, resources }) => {
    if (name === null || namespace === null) return [];
    const release: ReleaseKey = { namespace, name };
    return resources.flatMap((resource) => {
      const object: ObjectKey = {
        apiVersion: resource.apiVersion,
        kind: resource.kind,
        namespace: resource.namespace,
        name: resource.name,
      };
      return resource.findings.map((finding): FindingRecord => {
        // Only the reported values, which src/mask/secret-values.ts already masked for Secrets.
        const valueDigest = hex16(canonicalJson({ desired: finding.desired, live: finding.live }));
        const fingerprint = hex16(
          canonicalJson([
            release.namespace,
            release.name,
            object.apiVersion,
            object.kind,
            object.namespace,
            object.name,
            finding.code,
            finding.path,
            valueDigest,
          ]),
        );
        return {
          fingerprint,
          release,
          object,
          code: finding.code,
          path: finding.path,
          severity: finding.severity,
          valueDigest,
        };
      });
    });
  });
}

/**
 * What the run did not read: each named release whose status is Error (nothing of it was checked), and each
 * object reported Unreadable. An Incomplete release's other objects were read: only its Unreadable ones count.
 */
export function unreadScopes(report: DriftReport): UnreadScopes {
  const releases = new Set<string>();
  const objects = new Set<string>();
  for (const release of report.releases) {
    if (release.status === "Error" && release.name !== null && release.namespace !== null) {
      releases.add(releaseKeyText({ namespace: release.namespace, name: release.name }));
    }
    for (const resource of release.resources) {
      if (resource.status === "Unreadable") objects.add(objectKeyText(resource));
    }
  }
  return { releases, objects };
}

/** `namespace/name`: neither may contain a slash, so the text names one release. */
export function releaseKeyText(release: ReleaseKey): string {
  return `${release.namespace}/${release.name}`;
}

/**
 * `apiVersion/Kind/namespace/name`, the namespace empty for a cluster-scoped object (`apps/v1/Deployment/shop/web`,
 * `rbac.authorization.k8s.io/v1/ClusterRole//reader`). Unambiguous although apiVersion may hold a slash: kinds,
 * namespaces and names never do, so the last three segments are always kind, namespace and name.
 */
export function objectKeyText(object: ObjectKey): string {
  return `${object.apiVersion}/${object.kind}/${object.namespace ?? ""}/${object.name}`;
}

/**
 * JSON with every object's keys sorted, recursively: the same value always gives the same text, whatever order
 * its keys were built in. (JSON.stringify drops undefined members and writes undefined list items as null.)
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortedKeys(value));
}

function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (!isPlainObject(value)) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortedKeys(value[key])]),
  );
}

/** The first 16 hex digits of the SHA-256 of `text` (UTF-8). */
export function hex16(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 16);
}
