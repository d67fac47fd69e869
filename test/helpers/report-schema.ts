import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import formatsPlugin from "ajv-formats";

const schemaUrl = new URL("../../schema/drift-report.schema.json", import.meta.url);

const ajv = new Ajv2020({ allErrors: true, allowUnionTypes: true, strict: true });
// ajv-formats is CommonJS: under NodeNext its default import is `module.exports`, the plugin is `.default`.
formatsPlugin.default(ajv);
const validate = ajv.compile(JSON.parse(readFileSync(schemaUrl, "utf8")));

/**
 * Throws unless `json` (a parsed report) matches schema/drift-report.schema.json; the message lists every
 * error ajv found, one per line, as `<instance path> <message> <params>`.
 */
export function assertValidReport(json: unknown): void {
  if (validate(json)) return;
  const errors = (validate.errors ?? []).map((error) => {
    const params = Object.keys(error.params).length > 0 ? ` ${JSON.stringify(error.params)}` : "";
    return `  ${error.instancePath || "/"} ${error.message ?? error.keyword}${params}`;
  });
  throw new Error(`report does not match ${schemaUrl.pathname}:\n${errors.join("\n")}`);
}
