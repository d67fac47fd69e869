import jsonPatch from "fast-json-patch";
import { cloneJson } from "../model/clone-json.js";
import type { RawFinding } from "../model/finding.js";
import type { KubeObject } from "../model/kube.js";
import { formatPath, type Path, toLivePointer } from "../model/path.js";
import type { PatchOperation } from "../model/remediation.js";

/**
 * The RFC 6902 operations that revert exactly the given findings in the live object, for
 * `kubectl patch --type json`: a missing field is added, a changed value replaced, a missing keyed entry
 * appended to its live list, an extra entry and a field added live removed. Derived from the findings alone — no second comparison —
 * so a finding the report does not revert (an autoscaler's replicas, an ignored field) is never touched.
 * Values come from the normalized rendered object (a Secret's `stringData` arrives as base64 `data`).
 *
 * Concurrency guard: every `replace` and `remove` is preceded by a `test` of the value helm-drift read (the raw
 * live value), so the server rejects the whole patch if one of those fields changed meanwhile. A `test` of
 * metadata.resourceVersion would be simpler but fails on every status write by the object's controller, making
 * the command stale within seconds for busy objects while guarding fields the patch does not touch.
 *
 * Order: in-place edits and appends (`/-`) first — they change no position read — then removals, deepest and
 * highest live position first, so every position not yet used stays valid.
 */
export function repairOperations(live: KubeObject, findings: readonly RawFinding[]): PatchOperation[] {
  const inPlace: PatchOperation[] = [];
  const removals: { pointer: string; value: unknown }[] = [];
  const appends: PatchOperation[] = [];
  for (const finding of findings) {
    switch (finding.code) {
      case "field-missing":
      case "list-missing":
      case "map-missing":
        inPlace.push({
          op: "add",
          path: livePointerOf(finding.path),
          value: cloneJson(finding.desired),
        });
        break;
      case "value-changed": {
        const path = livePointerOf(finding.path);
        inPlace.push({ op: "test", path, value: valueAt(live, path) });
        inPlace.push({ op: "replace", path, value: cloneJson(finding.desired) });
        break;
      }
      case "entry-missing":
        appends.push({
          op: "add",
          path: `${livePointerOf(finding.path.slice(0, -1))}/-`,
          value: cloneJson(finding.desired),
        });
        break;
      case "entry-extra":
      case "field-added": {
        const pointer = livePointerOf(finding.path);
        removals.push({ pointer, value: valueAt(live, pointer) });
        break;
      }
      case "volume-mount-broken":
        // A consequence: reverting the drift that removed the volume repairs it.
        break;
    }
  }
  removals.sort((a, b) => comparePointers(b.pointer, a.pointer));
  const removed = removals.flatMap(({ pointer, value }): PatchOperation[] => [
    { op: "test", path: pointer, value },
    { op: "remove", path: pointer },
  ]);
  return [...inPlace, ...appends, ...removed];
}

/** Token by token, list positions as numbers: `/a/10` after `/a/9`, and `/a/3/b/0` after `/a/1`. */
function comparePointers(a: string, b: string): number {
  const left = a.split("/");
  const right = b.split("/");
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const x = left[i] as string;
    const y = right[i] as string;
    if (x === y) continue;
    const numeric = /^\d+$/.test(x) && /^\d+$/.test(y);
    return numeric ? Number(x) - Number(y) : x < y ? -1 : 1;
  }
  return left.length - right.length;
}

function livePointerOf(path: Path): string {
  const pointer = toLivePointer(path);
  if (pointer === null) throw new Error(`${formatPath(path)} has no place in the live object`);
  return pointer;
}

/** The raw live value at an RFC 6901 pointer (which the comparison found there), as a `test` operation carries it. */
function valueAt(object: KubeObject, pointer: string): unknown {
  return cloneJson(jsonPatch.getValueByPointer(object, pointer));
}
