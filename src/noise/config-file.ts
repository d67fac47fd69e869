import { readFileSync } from "node:fs";
import { LineCounter, parseDocument } from "yaml";
import { InputError } from "../errors.js";
import type { RuleOrigin } from "../model/ignore.js";
import { isPlainObject } from "../model/kube.js";
import { parseYamlStream } from "../sources/kube-yaml.js";
import { compileIgnoreRule, compileSeverityOverride, RuleError } from "./compile-rules.js";
import type { NoiseRules } from "./finding-filter.js";

/** The config file read when `--config` is not given, from the working directory, if it is there. */
export const DEFAULT_CONFIG_FILE = ".helm-drift.yaml";

/** The JSON Schema of the config file, shipped in the package (schema/ sits two levels above src/ and dist/). */
const SCHEMA_URL = new URL("../../schema/config.schema.json", import.meta.url);

type Ajv = { validate(data: unknown): boolean; errors?: AjvError[] | null };
type AjvError = {
  instancePath: string;
  schemaPath?: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
};

/**
 * Reads and checks a config file. Everything wrong with it — YAML, an unknown key, a wrong type (against
 * schema/config.schema.json), a regular expression or label selector that Flux would refuse — is one
 * InputError naming the file and line, raised before anything is read from the cluster.
 */
export async function loadConfig(file: string, text: string): Promise<NoiseRules> {
  const documents = parseYamlStream(text, file);
  if (documents.length > 1)
    throw new InputError(file, "holds more than one YAML document", documents[1]?.line);
  const value = documents[0]?.value ?? {};
  const lineOf = lineFinder(text);
  const validate = await schemaValidator();
  if (!validate.validate(value)) {
    const error = mostSpecific(validate.errors ?? []);
    throw new InputError(file, describe(error), lineOf(pathOf(error)));
  }
  const config = value as Record<string, unknown>;
  const origin: RuleOrigin = { kind: "config", file };
  const compiled = <T>(list: string, compile: (raw: Record<string, unknown>, index: number) => T): T[] =>
    ((config[list] as Record<string, unknown>[] | undefined) ?? []).map((raw, index) => {
      try {
        return compile(raw, index);
      } catch (error) {
        if (!(error instanceof RuleError)) throw error;
        const at = [list, index, ...error.at];
        throw new InputError(file, `${dotted(at)} ${error.problem}`, lineOf(at));
      }
    });
  return {
    ignore: compiled("ignore", (raw, index) => compileIgnoreRule(raw, origin, index)),
    ignoreManagers: ((config.ignoreManagers as string[] | undefined) ?? []).map((manager) => ({
      manager,
      origin,
    })),
    severityOverrides: compiled("severityOverrides", (raw, index) =>
      compileSeverityOverride(raw, origin, index),
    ),
  };
}

let validator: Ajv | undefined;

/** Ajv is loaded only when a config file is there: a check without one does not pay for it. */
async function schemaValidator(): Promise<Ajv> {
  if (validator) return validator;
  const [{ Ajv2020 }, schema] = await Promise.all([
    import("ajv/dist/2020.js"),
    Promise.resolve(JSON.parse(readFileSync(SCHEMA_URL, "utf8")) as object),
  ]);
  // strictRequired off: the anyOf branches name properties declared beside them, which strict mode flags.
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
  const compiled = ajv.compile(schema);
  validator = {
    validate(data: unknown) {
      const ok = compiled(data);
      this.errors = compiled.errors as AjvError[] | null;
      return ok;
    },
  };
  return validator;
}

/**
 * The deepest error is the most useful one (an unknown key inside a rule); at the same depth, an anyOf says
 * more than the branches it tried ("needs code or path" rather than "needs code").
 */
function mostSpecific(errors: readonly AjvError[]): AjvError {
  const rank = (error: AjvError) =>
    pathOf(error).length * 10 + (error.schemaPath?.includes("/anyOf/") ? 0 : 1);
  return [...errors].sort((a, b) => rank(b) - rank(a))[0] ?? { instancePath: "", keyword: "", params: {} };
}

function pathOf(error: AjvError): (string | number)[] {
  const path: (string | number)[] = error.instancePath
    .split("/")
    .slice(1)
    .map((token) => token.replaceAll("~1", "/").replaceAll("~0", "~"))
    .map((token) => (/^\d+$/.test(token) ? Number(token) : token));
  if (error.keyword === "additionalProperties") path.push(String(error.params.additionalProperty));
  return path;
}

function describe(error: AjvError): string {
  const path = pathOf(error);
  const where = path.length === 0 ? "the file" : dotted(path);
  switch (error.keyword) {
    case "additionalProperties":
      return `unknown key ${dotted(path)}${path.length === 1 ? " (known: ignore, ignoreManagers, severityOverrides)" : ""}`;
    case "type":
      return `${where} must be ${article(String(error.params.type))}`;
    case "enum":
      return `${where} must be one of ${(error.params.allowedValues as unknown[]).join(", ")}`;
    case "required":
      return `${where} needs ${String(error.params.missingProperty)}`;
    case "anyOf":
      return `${where} needs code or path (or both)`;
    case "minItems":
      return `${where} must not be empty`;
    case "minLength":
      return `${where} must not be empty`;
    default:
      return `${where} ${error.message ?? "is not valid"}`;
  }
}

function article(type: string): string {
  const names: Record<string, string> = { object: "a map", array: "a list", string: "a string" };
  return names[type] ?? type;
}

/** `ignore[0].target.name` */
function dotted(path: readonly (string | number)[]): string {
  return path.map((key, i) => (typeof key === "number" ? `[${key}]` : i === 0 ? key : `.${key}`)).join("");
}

/** The 1-based line of the node at `path` (a missing key: its map), for error messages. */
function lineFinder(text: string): (path: readonly (string | number)[]) => number | undefined {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter });
  const lineAt = (offset: number) => lineCounter.linePos(offset).line;
  return (path) => {
    for (let length = path.length; length >= 0; length--) {
      const prefix = path.slice(0, length);
      const key = keyNode(document, prefix);
      if (key?.range) return lineAt(key.range[0]);
    }
    return undefined;
  };
}

/** The key's node when the path ends in a map key (an unknown key is reported where it is written), else the value's. */
function keyNode(
  document: ReturnType<typeof parseDocument>,
  path: readonly (string | number)[],
): { range?: [number, number, number] | null } | undefined {
  if (path.length === 0) return document.contents ?? undefined;
  const parent = path.length === 1 ? document.contents : document.getIn(path.slice(0, -1), true);
  const last = path[path.length - 1];
  if (parent && isPlainObject(parent) && "items" in parent && Array.isArray(parent.items)) {
    for (const [i, item] of (parent.items as unknown[]).entries()) {
      if (typeof last === "number" && i === last) return item as { range?: [number, number, number] };
      const pair = item as { key?: { value?: unknown; range?: [number, number, number] } };
      if (pair.key && pair.key.value === last) return pair.key;
    }
  }
  return undefined;
}
