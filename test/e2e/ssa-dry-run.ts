/**
 * Ground truth for drift, from the API server itself: a server-side apply DRY RUN of each rendered object
 * (`PATCH <object>?dryRun=All&fieldManager=helm-drift-truth&force=true`, Content-Type
 * application/apply-patch+yaml, sent by `kubectl apply --server-side --dry-run=server --force-conflicts`)
 * returns the object as it would be if the rendered object were applied now. Whatever differs between that
 * and the live object is what the server would change to make live match rendered.
 *
 * Lists are compared the way server-side apply merges them: by the `x-kubernetes-list-map-keys` the server
 * publishes in its own OpenAPI v3 schema (`/openapi/v3/apis/<group>/<version>`), whole when atomic. Paths are
 * spelled as helm-drift spells finding paths (`spec.template.spec.containers[name=web].env[name=X]`).
 * Nothing here imports helm-drift's code: it is the independent side of the comparison.
 */
import { isDeepStrictEqual } from "node:util";
import { parseAllDocuments } from "yaml";
import { clusterBin, kubectlTimed, shTimed } from "./harness.js";

export const TRUTH_FIELD_MANAGER = "helm-drift-truth";

export interface ObjectIdentity {
  apiVersion: string;
  kind: string;
  namespace: string | null;
  name: string;
}

export interface ServerAnswer {
  object: ObjectIdentity;
  /** The object does not exist live: the dry-run apply would create it. */
  created: boolean;
  /** Paths (helm-drift's notation) where the dry-run result differs from the live object; empty when created. */
  changed: string[];
  /** The server refuses the applied object (validation: a duplicate Service port name): its message. */
  rejected?: string;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };
type Schema = JsonObject;

interface KubeJson extends JsonObject {
  apiVersion: string;
  kind: string;
  metadata: JsonObject & { name: string; namespace?: string };
}

/** What the apply itself stamps on the object, and status (never applied): not drift. */
const APPLY_STAMPS = ["managedFields", "resourceVersion", "generation"] as const;

/**
 * The server's answer for every object of a release manifest (as `helm get manifest` prints it), applied in
 * `namespace` by a fresh field manager with force, dry run only: nothing in the cluster changes.
 */
export async function serverSideApplyDryRun(namespace: string, manifest: string): Promise<ServerAnswer[]> {
  const rendered = parseAllDocuments(manifest, { version: "1.1" })
    .map((document) => document.toJS() as KubeJson | null)
    .filter((object): object is KubeJson => object !== null);
  const { applied, rejected } = await dryRunApply(namespace, manifest, rendered);
  const live = itemsOf(
    await kubectlTimed(["get", "-n", namespace, "-f", "-", "--ignore-not-found", "-o", "json"], {
      input: manifest,
    }),
  );
  const answers: ServerAnswer[] = [];
  for (const object of rendered) {
    const refusal = rejected.get(object);
    if (refusal !== undefined) {
      const identity = {
        apiVersion: object.apiVersion,
        kind: object.kind,
        namespace,
        name: object.metadata.name,
      };
      answers.push({ object: identity, created: false, changed: [], rejected: refusal });
      continue;
    }
    const result = applied.find((candidate) => sameObject(candidate, object, namespace));
    if (!result) throw new Error(`the dry-run apply returned no ${object.kind}/${object.metadata.name}`);
    const current = live.find((candidate) => sameObject(candidate, object, namespace));
    const identity: ObjectIdentity = {
      apiVersion: result.apiVersion,
      kind: result.kind,
      namespace: result.metadata.namespace ?? null,
      name: result.metadata.name,
    };
    if (!current) {
      answers.push({ object: identity, created: true, changed: [] });
      continue;
    }
    const { document, schema } = await schemas.forKind(result.apiVersion, result.kind);
    const changed: string[] = [];
    diffPaths(withoutStamps(current), withoutStamps(result), schema, document, "", changed);
    answers.push({ object: identity, created: false, changed });
  }
  return answers;
}

const APPLY_DRY_RUN = [
  "apply",
  "--server-side",
  "--dry-run=server",
  `--field-manager=${TRUTH_FIELD_MANAGER}`,
  "--force-conflicts",
] as const;

/**
 * The dry-run apply of the whole manifest; when the server refuses it, each object alone, so the objects it
 * accepts still get an answer and the refused ones are named with the server's message.
 */
async function dryRunApply(
  namespace: string,
  manifest: string,
  rendered: readonly KubeJson[],
): Promise<{ applied: KubeJson[]; rejected: Map<KubeJson, string> }> {
  const args = [...APPLY_DRY_RUN, "-n", namespace, "-f", "-", "-o", "json"];
  const whole = await shTimed(clusterBin("kubectl"), args, { input: manifest });
  if (whole.code === 0) return { applied: itemsOf(whole.stdout), rejected: new Map() };
  const applied: KubeJson[] = [];
  const rejected = new Map<KubeJson, string>();
  for (const object of rendered) {
    const one = await shTimed(clusterBin("kubectl"), args, { input: JSON.stringify(object) });
    if (one.code === 0) applied.push(...itemsOf(one.stdout));
    else if (/is invalid/.test(one.stderr)) rejected.set(object, one.stderr.trim());
    else throw new Error(`kubectl ${args.join(" ")} exited ${one.code}:\n${one.stderr}`);
  }
  return { applied, rejected };
}

/** `kubectl -o json` prints one object, or a List of them, or nothing (--ignore-not-found, none found). */
function itemsOf(stdout: string): KubeJson[] {
  if (stdout.trim() === "") return [];
  const parsed = JSON.parse(stdout) as KubeJson & { items?: KubeJson[] };
  return parsed.kind === "List" ? (parsed.items ?? []) : [parsed];
}

function sameObject(candidate: KubeJson, rendered: KubeJson, namespace: string): boolean {
  if (candidate.kind !== rendered.kind || candidate.metadata.name !== rendered.metadata.name) return false;
  const wanted = rendered.metadata.namespace ?? namespace;
  return candidate.metadata.namespace === undefined || candidate.metadata.namespace === wanted;
}

function withoutStamps(object: KubeJson): JsonObject {
  const copy = structuredClone(object) as JsonObject & { metadata: JsonObject };
  for (const field of APPLY_STAMPS) delete copy.metadata[field];
  delete copy.status;
  return copy;
}

/**
 * Appends the paths where `live` and `result` differ: a field or keyed entry present on one side only, a
 * scalar that differs, an atomic list that differs (as a whole, the way SSA replaces it).
 */
function diffPaths(
  live: Json | undefined,
  result: Json | undefined,
  schema: Schema | undefined,
  document: OpenApiDocument,
  path: string,
  out: string[],
): void {
  if (isDeepStrictEqual(live, result)) return;
  if (live === undefined || result === undefined || live === null || result === null) {
    out.push(path);
    return;
  }
  if (isMap(live) && isMap(result)) {
    for (const name of new Set([...Object.keys(live), ...Object.keys(result)])) {
      diffPaths(
        live[name],
        result[name],
        document.property(schema, name),
        document,
        fieldPath(path, name),
        out,
      );
    }
    return;
  }
  if (Array.isArray(live) && Array.isArray(result)) {
    const list = document.resolve(schema);
    const keys = list?.["x-kubernetes-list-type"] === "map" ? list["x-kubernetes-list-map-keys"] : null;
    if (Array.isArray(keys) && keys.every((key) => typeof key === "string")) {
      diffKeyedList(live, result, keys as string[], document.items(schema), document, path, out);
      return;
    }
  }
  out.push(path);
}

function diffKeyedList(
  live: Json[],
  result: Json[],
  keys: string[],
  itemSchema: Schema | undefined,
  document: OpenApiDocument,
  path: string,
  out: string[],
): void {
  const keyOf = (entry: Json) =>
    isMap(entry) ? keys.map((key) => `${key}=${String(entry[key])}`).join(",") : "";
  const liveByKey = new Map(live.map((entry) => [keyOf(entry), entry]));
  const resultByKey = new Map(result.map((entry) => [keyOf(entry), entry]));
  for (const key of new Set([...liveByKey.keys(), ...resultByKey.keys()])) {
    diffPaths(liveByKey.get(key), resultByKey.get(key), itemSchema, document, `${path}[${key}]`, out);
  }
}

function isMap(value: Json | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `a.b`, or `a["app.kubernetes.io/name"]` for names that are not identifiers (helm-drift's notation). */
function fieldPath(path: string, name: string): string {
  if (!/^[A-Za-z_$][\w$-]*$/.test(name)) return `${path}[${JSON.stringify(name)}]`;
  return path === "" ? name : `${path}.${name}`;
}

/** The server's OpenAPI v3 documents, one per group-version, fetched once per test file. */
class SchemaIndex {
  private readonly documents = new Map<string, Promise<OpenApiDocument>>();

  /** The document of the kind's group-version, positioned at the kind's schema (undefined if not published). */
  async forKind(apiVersion: string, kind: string): Promise<SchemaAt> {
    const url = apiVersion.includes("/") ? `/openapi/v3/apis/${apiVersion}` : `/openapi/v3/api/${apiVersion}`;
    let document = this.documents.get(url);
    if (!document) {
      document = kubectlTimed(["get", "--raw", url]).then((text) => new OpenApiDocument(JSON.parse(text)));
      this.documents.set(url, document);
    }
    const loaded = await document;
    return { document: loaded, schema: loaded.kindSchema(apiVersion, kind) };
  }
}

interface SchemaAt {
  document: OpenApiDocument;
  schema: Schema | undefined;
}

class OpenApiDocument {
  private readonly schemas: JsonObject;

  constructor(document: JsonObject) {
    const components = document.components;
    this.schemas = isMap(components) && isMap(components.schemas) ? components.schemas : {};
  }

  kindSchema(apiVersion: string, kind: string): Schema | undefined {
    const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
    return Object.values(this.schemas).find((schema): schema is Schema => {
      const gvks = isMap(schema) ? schema["x-kubernetes-group-version-kind"] : undefined;
      return (
        Array.isArray(gvks) &&
        gvks.some((gvk) => isMap(gvk) && gvk.group === group && gvk.version === version && gvk.kind === kind)
      );
    });
  }

  property(schema: Schema | undefined, name: string): Schema | undefined {
    const resolved = this.resolve(schema);
    const properties = resolved?.properties;
    if (isMap(properties) && isMap(properties[name])) return this.resolve(properties[name]);
    const additional = resolved?.additionalProperties;
    return isMap(additional) ? this.resolve(additional) : undefined;
  }

  items(schema: Schema | undefined): Schema | undefined {
    const items = this.resolve(schema)?.items;
    return isMap(items) ? this.resolve(items) : undefined;
  }

  /** Follows `$ref` and single-element `allOf: [{$ref}]`, keeping the list-type extensions of the referring node. */
  resolve(schema: Schema | undefined): Schema | undefined {
    if (!schema) return undefined;
    const ref = typeof schema.$ref === "string" ? schema.$ref : allOfRef(schema);
    if (!ref) return schema;
    const target = this.schemas[ref.replace("#/components/schemas/", "")];
    return isMap(target) ? { ...(this.resolve(target) ?? {}), ...withoutRefs(schema) } : schema;
  }
}

function allOfRef(schema: Schema): string | undefined {
  const allOf = schema.allOf;
  if (!Array.isArray(allOf) || allOf.length !== 1) return undefined;
  const only = allOf[0];
  return isMap(only) && typeof only.$ref === "string" ? only.$ref : undefined;
}

function withoutRefs(schema: Schema): Schema {
  const { $ref: _ref, allOf: _allOf, ...rest } = schema;
  return rest;
}

const schemas = new SchemaIndex();

/**
 * Whether a server path and a finding path name the same place: equal, or one inside the other
 * (a `list-missing` of X covers everything under X; a changed atomic list is one path on both sides).
 */
export function pathsRelated(a: string, b: string): boolean {
  return a === b || isInside(a, b) || isInside(b, a);
}

function isInside(inner: string, outer: string): boolean {
  return outer === "" || inner.startsWith(`${outer}.`) || inner.startsWith(`${outer}[`);
}
