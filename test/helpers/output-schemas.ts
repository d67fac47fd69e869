import { readFileSync } from "node:fs";
import { Ajv } from "ajv";
import formatsPlugin from "ajv-formats";
import { validateXML } from "xmllint-wasm";

/*
 * The published schemas of the formats helm-drift writes for other tools (test/schemas/README.md says where
 * each comes from): SARIF 2.1.0 (JSON Schema draft-07, checked with ajv) and the Jenkins/Ant JUnit XML schema
 * (XSD, checked with libxml2's xmllint compiled to WebAssembly).
 */

const sarifSchemaUrl = new URL("../schemas/sarif-schema-2.1.0.json", import.meta.url);
const junitSchemaUrl = new URL("../schemas/junit-10.xsd", import.meta.url);

// strict: false: the OASIS schema uses keywords ajv's strict mode flags (e.g. `default` beside `$ref`).
const ajv = new Ajv({ allErrors: true, strict: false });
// ajv-formats is CommonJS: under NodeNext its default import is `module.exports`, the plugin is `.default`.
formatsPlugin.default(ajv);
const validateSarif = ajv.compile(JSON.parse(readFileSync(sarifSchemaUrl, "utf8")));

/** Throws unless `json` (a parsed SARIF log) matches the SARIF 2.1.0 schema, listing every error. */
export function assertValidSarif(json: unknown): void {
  if (validateSarif(json)) return;
  const errors = (validateSarif.errors ?? []).map(
    (error) =>
      `  ${error.instancePath || "/"} ${error.message ?? error.keyword} ${JSON.stringify(error.params)}`,
  );
  throw new Error(`SARIF log does not match ${sarifSchemaUrl.pathname}:\n${errors.join("\n")}`);
}

const junitSchema = readFileSync(junitSchemaUrl, "utf8");

/**
 * The errors xmllint finds in `xml` against the JUnit schema (test/schemas/junit-10.xsd): well-formedness
 * errors and schema violations alike; empty when the document is valid.
 */
export async function junitSchemaErrors(xml: string): Promise<string[]> {
  const result = await validateXML({
    xml: [{ fileName: "report.xml", contents: xml }],
    schema: [{ fileName: "junit-10.xsd", contents: junitSchema }],
  });
  return result.valid ? [] : result.errors.map((error) => error.rawMessage);
}
