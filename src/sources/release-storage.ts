import { gunzipSync } from "node:zlib";
import { InputError } from "../errors.js";
import { isPlainObject } from "../model/kube.js";

/** The fields of Helm's stored `Release` JSON that helm-drift reads (helm `pkg/release/v1/release.go`). */
export interface HelmReleaseRecord {
  name: string;
  namespace: string;
  /** The revision. */
  version: number;
  info: { status: string; [field: string]: unknown };
  chart: {
    metadata: { name?: string; version?: string; appVersion?: string; [field: string]: unknown };
    /** The chart's templates: `{name, data}` with data base64 (Go's []byte). Subcharts' are not stored. */
    templates?: unknown;
    [field: string]: unknown;
  } | null;
  manifest: string;
  [field: string]: unknown;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

function isGzip(bytes: Buffer): boolean {
  return bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Undoes the layers around the release JSON, outermost first: the API's base64 of Secret data (values starting
 * `SDRzSUFB`), Helm's own base64 (`H4sI`), gzip. Records from before Helm compressed them are base64(JSON)
 * (helm `pkg/storage/driver/util.go` decodeRelease checks the gzip magic for exactly that reason).
 */
function unwrap(encoded: string, origin: string): string {
  let bytes = Buffer.from(encoded.trim(), "latin1");
  for (let layer = 0; layer < 4; layer++) {
    if (isGzip(bytes)) {
      try {
        bytes = gunzipSync(bytes);
      } catch (error) {
        throw new InputError(origin, "corrupt gzip data in release record", undefined, { cause: error });
      }
      continue;
    }
    const text = bytes.toString("utf8");
    if (text.trimStart().startsWith("{")) return text;
    const compact = text.replace(/\s+/g, "");
    if (!BASE64.test(compact)) break;
    bytes = Buffer.from(compact, "base64");
  }
  throw new InputError(origin, "not a Helm release record (expected base64 of gzipped JSON)");
}

/** Decodes the `release` value of a Helm storage Secret or ConfigMap into the release JSON. */
export function decodeReleaseRecord(encoded: string, origin = "release record"): HelmReleaseRecord {
  const text = unwrap(encoded, origin);
  let record: unknown;
  try {
    record = JSON.parse(text);
  } catch {
    // The parser's message would quote the record, and the record holds the release's values.
    throw new InputError(origin, "release record is not valid JSON");
  }
  if (!isPlainObject(record)) throw new InputError(origin, "release record is not a JSON object");
  const missing = [
    typeof record.name === "string" ? null : "name",
    typeof record.version === "number" ? null : "version",
    typeof record.manifest === "string" ? null : "manifest",
  ].filter((field) => field !== null);
  if (missing.length > 0) throw new InputError(origin, `release record has no ${missing.join(", no ")}`);
  const info = isPlainObject(record.info) ? record.info : {};
  const chart = isPlainObject(record.chart) && isPlainObject(record.chart.metadata) ? record.chart : null;
  return {
    ...record,
    namespace: typeof record.namespace === "string" ? record.namespace : "",
    info: { ...info, status: typeof info.status === "string" ? info.status : "unknown" },
    chart,
  } as HelmReleaseRecord;
}
