import { InputError } from "../errors.js";
import { formatIdentity, isPlainObject, type KubeObject, refOf } from "../model/kube.js";
import { parseJsonStream } from "./json-stream.js";
import { isListKind, listItem, toKubeObject } from "./kube-object-shape.js";
import { parseYamlStream } from "./kube-yaml.js";

const EXPECTED = "expected what `kubectl get -o yaml` or `-o json` prints";

function isJson(text: string): boolean {
  const first = text.trimStart()[0];
  return first === "{" || first === "[";
}

/** Top-level values with their lines: JSON (one or several concatenated) or a YAML stream. */
function topLevelValues(text: string, origin: string): { value: unknown; line: number }[] {
  if (isJson(text)) return parseJsonStream(text, origin);
  return parseYamlStream(text, origin).filter(
    (document) => document.value !== null && document.value !== undefined,
  );
}

function toLiveObject(value: unknown, origin: string, line: number): KubeObject {
  let object: KubeObject;
  try {
    object = toKubeObject(value, origin, line);
  } catch (error) {
    if (error instanceof InputError) throw new InputError(origin, `${error.problem} (${EXPECTED})`, line);
    throw error;
  }
  const { managedFields } = object.metadata;
  if (managedFields !== undefined && managedFields !== null && !isEntryList(managedFields)) {
    throw new InputError(
      origin,
      `${formatIdentity(refOf(object))}: metadata.managedFields is not a list of entries (${EXPECTED})`,
      line,
    );
  }
  return object;
}

/**
 * managedFields as the API server writes it: a list of entries (maps). Who added or last wrote a field is read
 * from it, so a hand-edited or damaged one is refused with the object named, not half-used.
 */
function isEntryList(value: unknown): boolean {
  return Array.isArray(value) && value.every(isPlainObject);
}

/**
 * Live objects as `kubectl get -o yaml|json` prints them: one object, a multi-document YAML stream, a list
 * (`List` or `DeploymentList`, items expanded), a JSON array, or JSON documents written one after another.
 */
export function parseLiveObjects(text: string, origin: string): KubeObject[] {
  const objects: KubeObject[] = [];
  for (const { value, line } of topLevelValues(text.replace(/^\uFEFF/, ""), origin)) {
    if (isListKind(value)) {
      for (const item of value.items) objects.push(toLiveObject(listItem(value, item), origin, line));
    } else if (Array.isArray(value)) {
      for (const item of value) objects.push(toLiveObject(item, origin, line));
    } else {
      objects.push(toLiveObject(value, origin, line));
    }
  }
  if (objects.length === 0) throw new InputError(origin, "no objects");
  return objects;
}
