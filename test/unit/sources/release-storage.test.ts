import { readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, test } from "vitest";
import { InputError } from "../../../src/errors.js";
import { decodeReleaseRecord } from "../../../src/sources/release-storage.js";
import { corpusPath } from "../../helpers/corpus.js";

const STORAGE = corpusPath("flux/helm-release-storage");
const read = (file: string) => readFileSync(path.join(STORAGE, file), "utf8");
const base64 = (text: string | Buffer) => Buffer.from(text).toString("base64");

/** Helm's payload, base64(gzip(json)), as client-go's Secret.Data shows it (starts H4sI). */
const podinfoPayload = read("podinfo-helm-1");
const podinfoJson = JSON.parse(read("podinfo-helm-1.decoded.json"));

describe("decodeReleaseRecord", () => {
  test("Helm's payload (H4sI…) decodes to the release JSON", () => {
    expect(podinfoPayload.startsWith("H4sI")).toBe(true);
    expect(decodeReleaseRecord(podinfoPayload)).toEqual(podinfoJson);
  });

  test("the API's Secret data value (base64 once more, SDRzSUFB…) decodes to the same JSON", () => {
    const apiValue = base64(podinfoPayload);
    expect(apiValue.startsWith("SDRzSUFB")).toBe(true);
    expect(decodeReleaseRecord(apiValue)).toEqual(podinfoJson);
  });

  test("records from before Helm compressed them, base64(JSON), once or twice encoded", () => {
    const json = JSON.stringify(podinfoJson);
    expect(decodeReleaseRecord(base64(json))).toEqual(podinfoJson);
    expect(decodeReleaseRecord(base64(base64(json)))).toEqual(podinfoJson);
  });

  test.each([
    ["istio-base-1", "istio-base", "istio-system", "base", "1.13.3"],
    ["prom-stack-1", "kube-prometheus-stack-1651689946", "default", "kube-prometheus-stack", "35.0.3"],
  ])("%s: release %s in %s, chart %s %s, deployed revision 1", (file, name, namespace, chart, version) => {
    const record = decodeReleaseRecord(read(file), file);
    expect(record).toMatchObject({ name, namespace, version: 1, info: { status: "deployed" } });
    expect(record.chart?.metadata).toMatchObject({ name: chart, version });
    expect(record.manifest).toContain("# Source: ");
  });

  test("text that is no release record is an InputError naming the origin", () => {
    expect(() => decodeReleaseRecord("not base64 at all!", "Secret/default/x")).toThrow(
      new InputError("Secret/default/x", "not a Helm release record (expected base64 of gzipped JSON)"),
    );
  });

  test("a truncated payload is corrupt gzip", () => {
    const truncated = base64(Buffer.from(podinfoPayload, "base64").subarray(0, 2000));
    expect(() => decodeReleaseRecord(truncated, "r")).toThrow(
      new InputError("r", "corrupt gzip data in release record"),
    );
  });

  test("JSON that is not a release names the missing fields and quotes none of its values", () => {
    const payload = base64(gzipSync(JSON.stringify({ name: "db", config: { password: "hunter2" } })));
    const error = (() => {
      try {
        decodeReleaseRecord(payload, "r");
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error?.message).toBe("r: release record has no version, no manifest");
  });

  test("invalid JSON inside the gzip is reported without quoting it", () => {
    const payload = base64(gzipSync('{"config": {"password": "hunter2"'));
    expect(() => decodeReleaseRecord(payload, "r")).toThrow(
      new InputError("r", "release record is not valid JSON"),
    );
  });
});
