import { SEVERITIES, type Severity } from "../model/finding.js";

/*
 * The catalogue's wording for the Kubernetes Events `helm-drift report` writes on drifted objects (the rest of
 * the catalogue is src/catalogue/messages.ts). Events are read by anyone who may list Events in a namespace, so
 * they say where the drift is — paths and severities — and never a value, masked or not: the parameters below
 * cannot carry one.
 */

/** The release an Event names. */
export interface EventRelease {
  namespace: string;
  name: string;
}

/** Of a finding, only what an Event may say. */
export type EventFinding = { path: string; severity: Severity };

/** Kubernetes rejects a core/v1 Event message longer than 1024 bytes (pkg/apis/core/validation/events.go). */
export const EVENT_MESSAGE_LIMIT = 1024;
/** Paths named before "and K more". */
const PATHS_SHOWN = 5;
/** A path longer than this (bytes of UTF-8) is shortened, so that five of them and the rest always fit the limit. */
const PATH_LIMIT = 140;

/**
 * `helm-drift: 4 findings (1 critical, 3 high) at spec.template.spec.volumes, … and 1 more (release ns/name)`:
 * the findings most severe first as given, at most five distinct paths.
 */
export function driftDetectedText(findings: readonly EventFinding[], release: EventRelease): string {
  const counts = SEVERITIES.flatMap((severity) => {
    const count = findings.filter((finding) => finding.severity === severity).length;
    return count === 0 ? [] : [`${count} ${severity}`];
  });
  const paths = [...new Set(findings.map((finding) => finding.path))];
  const shown = paths.slice(0, PATHS_SHOWN).map((path) => shortened(path === "" ? "the whole object" : path));
  const more = paths.length > PATHS_SHOWN ? ` and ${paths.length - PATHS_SHOWN} more` : "";
  const noun = findings.length === 1 ? "finding" : "findings";
  return withinLimit(
    `helm-drift: ${findings.length} ${noun} (${counts.join(", ")}) at ${shown.join(", ")}${more} ` +
      `(release ${releaseText(release)})`,
  );
}

/** The Event on a rendered object that does not exist live. */
export function objectMissingText(release: EventRelease): string {
  return withinLimit(`helm-drift: the object is missing; release ${releaseText(release)} rendered it`);
}

/** The Event on an object whose drift is gone. */
export function driftResolvedText(release: EventRelease): string {
  return withinLimit(`helm-drift: back in sync with release ${releaseText(release)}`);
}

function releaseText(release: EventRelease): string {
  return `${release.namespace}/${release.name}`;
}

function shortened(path: string): string {
  return cutToBytes(path, PATH_LIMIT);
}

/** The whole message within the limit: the path limit makes it fit already; this is the backstop. */
function withinLimit(text: string): string {
  return cutToBytes(text, EVENT_MESSAGE_LIMIT);
}

/** `text` as it is when it has at most `limit` bytes of UTF-8, else cut on a character boundary and ended "…". */
function cutToBytes(text: string, limit: number): string {
  if (Buffer.byteLength(text, "utf8") <= limit) return text;
  let cut = "";
  let bytes = Buffer.byteLength("…", "utf8");
  for (const character of text) {
    bytes += Buffer.byteLength(character, "utf8");
    if (bytes > limit) break;
    cut += character;
  }
  return `${cut}…`;
}
