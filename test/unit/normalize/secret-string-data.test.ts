import { describe, expect, test } from "vitest";
import { diffObjects } from "../../../src/diff/diff-objects.js";
import { NormalizationError } from "../../../src/normalize/normalization-error.js";
import { normalizeRendered } from "../../../src/normalize/normalize-object.js";
import { brief, loadCorpusObject } from "../diff/corpus-fixtures.js";
import type { Loose } from "../diff/mutated-fixtures.js";

/** The wordpress Secret (data: wordpress-password = "JKvOKc2NOu", smtp-password = "") and its live copy. */
function wordpress(): { desired: Loose; live: Loose } {
  return {
    desired: loadCorpusObject("live-vs-desired/gitops-engine/wordpress-config.json"),
    live: loadCorpusObject("live-vs-desired/gitops-engine/wordpress-live.json"),
  };
}

describe("Secret stringData is compared as the base64 data the API server stores", () => {
  test("stringData holding the plain text of a live data value is in sync", () => {
    const { desired, live } = wordpress();
    delete desired.data;
    desired.stringData = { "wordpress-password": "JKvOKc2NOu" };
    expect(diffObjects(desired, live, null)).toEqual([]);
  });

  test("a stringData value that differs is a change of data[key], carrying the base64 rendered value", () => {
    const { desired, live } = wordpress();
    desired.stringData = { "wordpress-password": "other" };
    expect(diffObjects(desired, live, null)).toEqual([
      expect.objectContaining({ code: "value-changed", desired: "b3RoZXI=", live: "Skt2T0tjMk5PdQ==" }),
    ]);
    expect(diffObjects(desired, live, null).map(brief)).toEqual(["value-changed data.wordpress-password"]);
  });

  test("stringData wins over data for the same key, as on the API server", () => {
    const { desired, live } = wordpress();
    desired.data["wordpress-password"] = "c3RhbGU=";
    desired.stringData = { "wordpress-password": "JKvOKc2NOu" };
    expect(diffObjects(desired, live, null)).toEqual([]);
  });

  test("multi-byte UTF-8 text is encoded as UTF-8 bytes", () => {
    const { desired } = wordpress();
    desired.stringData = { motto: "grüß dich ✓" };
    expect((normalizeRendered(desired) as Loose).data.motto).toBe("Z3LDvMOfIGRpY2gg4pyT");
  });

  test("a stringData key missing live is field-missing at data[key]", () => {
    const { desired, live } = wordpress();
    desired.stringData = { "api-token": "t0ken" };
    expect(diffObjects(desired, live, null).map(brief)).toEqual(["field-missing data.api-token"]);
  });

  test("stringData on a kind that is not a core Secret is left alone", () => {
    const desired = loadCorpusObject("live-vs-desired/gitops-engine/sealedsecret-config.json") as Loose;
    desired.stringData = { a: "b" };
    expect((normalizeRendered(desired) as Loose).stringData).toEqual({ a: "b" });
  });

  test("a non-string stringData value is refused with the object named, not skipped", () => {
    const { desired } = wordpress();
    desired.stringData = { port: 5432 };
    expect(() => normalizeRendered(desired)).toThrow(NormalizationError);
    expect(() => normalizeRendered(desired)).toThrow(
      'Secret/wordpress-wordpress: Secret stringData["port"] is a number',
    );
  });
});

describe("Secret data line breaks", () => {
  test("wrapped base64 in a rendered data value matches the live one-line value", () => {
    const { desired, live } = wordpress();
    desired.data["wordpress-password"] = "Skt2T0tj\nMk5PdQ==\r\n";
    expect(diffObjects(desired, live, null)).toEqual([]);
  });

  test("any other difference in a data value is a change", () => {
    const { desired, live } = wordpress();
    desired.data["wordpress-password"] = "Skt2T0tj Mk5PdQ==";
    expect(diffObjects(desired, live, null).map(brief)).toEqual(["value-changed data.wordpress-password"]);
  });
});
