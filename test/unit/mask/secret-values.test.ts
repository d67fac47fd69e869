import { describe, expect, it } from "vitest";
import { explanationText, findingMessage } from "../../../src/catalogue/messages.js";
import { explainResource } from "../../../src/explain/explain-resource.js";
import { ownerOf } from "../../../src/explain/managed-fields.js";
import { upgradeRuleById } from "../../../src/explain/upgrade-outcome.js";
import { MASK, maskFinding, maskObject } from "../../../src/mask/secret-values.js";
import type { RawFinding } from "../../../src/model/finding.js";
import { type KubeObject, refOf } from "../../../src/model/kube.js";
import { formatPath, type PathSegment } from "../../../src/model/path.js";
import { corpusObject } from "../explain/corpus.js";

const f = (name: string): PathSegment => ({ kind: "field", name });
const ANNOTATION = "kubectl.kubernetes.io/last-applied-configuration";
const SECRET = { apiVersion: "v1", kind: "Secret" };

/** The wordpress Secret recorded live: its value, the one in its last-applied annotation, and both decoded. */
const wordpress = () => corpusObject("live-vs-desired/gitops-engine/wordpress-live.json");
const threeWayMerge = upgradeRuleById("three-way-merge-resends") ?? null;
const SECRETS = ["Skt2T0tjMk5PdQ==", "Xkt2T0tjMk5PdQ==", "JKvOKc2NOu", "^KvOKc2NOu"];

function expectNoSecret(value: unknown): void {
  const shown = JSON.stringify(value) ?? String(value);
  for (const secret of SECRETS) expect(shown).not.toContain(secret);
}

describe("maskObject", () => {
  it("masks every data value of a real Secret and its last-applied copy, keeping the shape", () => {
    const original = wordpress();
    const masked = maskObject(original);
    expectNoSecret(masked);
    expect(masked.data).toEqual({ "smtp-password": null, "wordpress-password": MASK });
    const lastApplied = JSON.parse(masked.metadata.annotations?.[ANNOTATION] ?? "") as Record<
      string,
      unknown
    >;
    expect(lastApplied.data).toEqual({ "smtp-password": MASK, "wordpress-password": MASK });
    expect(lastApplied.metadata).toEqual(
      JSON.parse(original.metadata.annotations?.[ANNOTATION] ?? "").metadata,
    );
    expect(masked.metadata.labels).toEqual(original.metadata.labels);
    expect(masked.type).toBe("Opaque");
  });

  it("does not change the object it was given", () => {
    const original = wordpress();
    maskObject(original);
    expect(original).toEqual(wordpress());
  });

  it("masks stringData and a service-account token", () => {
    const token: KubeObject = {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "ci-token", annotations: { "kubernetes.io/service-account.name": "ci" } },
      type: "kubernetes.io/service-account-token",
      data: { token: "ZXlKaGJHY2lPaUpTVXpJMU5pSXNJbXRwWkNJNklpSjk=", "ca.crt": "LS0tLS1CRUdJTg==" },
      stringData: { extra: "plain-text-secret" },
    };
    const masked = maskObject(token);
    expect(masked.data).toEqual({ token: MASK, "ca.crt": MASK });
    expect(masked.stringData).toEqual({ extra: MASK });
    expect(masked.metadata.annotations).toEqual(token.metadata.annotations);
  });

  it("masks a last-applied annotation it cannot read as a whole", () => {
    const secret = wordpress();
    (secret.metadata.annotations ?? {})[ANNOTATION] = '{"data":{"wordpress-password":"Skt2T0tjMk5PdQ=="';
    expect(maskObject(secret).metadata.annotations?.[ANNOTATION]).toBe(MASK);
  });

  it("masks a projection of a Secret given with its apiVersion and kind", () => {
    expect(maskObject(SECRET, { data: { "wordpress-password": "Skt2T0tjMk5PdQ==" } })).toEqual({
      data: { "wordpress-password": MASK },
    });
  });

  it("masks nothing of a custom kind named Secret in another API group", () => {
    const custom = {
      apiVersion: "example.com/v1",
      kind: "Secret",
      metadata: { name: "c" },
      data: { key: "value" },
    };
    expect(maskObject(custom)).toBe(custom);
    expect(maskObject({ apiVersion: "example.com/v1", kind: "Secret" }, custom.data)).toBe(custom.data);
  });

  it("returns other kinds unchanged", () => {
    const configMap = {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "c" },
      data: { key: "value" },
    };
    expect(maskObject(configMap)).toBe(configMap);
    expect(maskObject({ apiVersion: "v1", kind: "ConfigMap" }, configMap)).toBe(configMap);
  });
});

describe("maskFinding", () => {
  const secret = wordpress();
  it.each<[string, RawFinding, unknown, unknown]>([
    [
      "a changed data value",
      {
        type: "changed",
        code: "value-changed",
        path: [f("data"), f("wordpress-password")],
        desired: "Xkt2T0tjMk5PdQ==",
        live: "Skt2T0tjMk5PdQ==",
      },
      MASK,
      MASK,
    ],
    [
      "a missing data map, value by value",
      {
        type: "missing",
        code: "map-missing",
        path: [f("data")],
        desired: { "wordpress-password": "Xkt2T0tjMk5PdQ==" },
        live: undefined,
      },
      { "wordpress-password": MASK },
      undefined,
    ],
    [
      "a missing stringData value",
      {
        type: "missing",
        code: "field-missing",
        path: [f("stringData"), f("password")],
        desired: "JKvOKc2NOu",
        live: undefined,
      },
      MASK,
      undefined,
    ],
    [
      "the annotations map holding the last-applied copy",
      {
        type: "changed",
        code: "value-changed",
        path: [f("metadata"), f("annotations")],
        desired: {},
        live: secret.metadata.annotations,
      },
      {},
      {
        [ANNOTATION]: JSON.stringify({
          ...JSON.parse(secret.metadata.annotations?.[ANNOTATION] ?? ""),
          data: { "smtp-password": MASK, "wordpress-password": MASK },
        }),
      },
    ],
  ])("masks %s", (_name, finding, desired, live) => {
    const masked = maskFinding(SECRET, finding);
    expect(masked.desired).toEqual(desired);
    expect(masked.live).toEqual(live);
    expect(masked.path).toBe(finding.path);
    expectNoSecret(masked);
    expectNoSecret(findingMessage({ ...masked, path: formatPath(masked.path) }, SECRET));
  });

  it("keeps fields of a Secret that are not values", () => {
    const finding: RawFinding = {
      type: "changed",
      code: "value-changed",
      path: [f("type")],
      desired: "Opaque",
      live: "kubernetes.io/tls",
    };
    expect(maskFinding(SECRET, finding)).toEqual(finding);
  });

  it.each([
    ["a ConfigMap", { apiVersion: "v1", kind: "ConfigMap" }],
    ["a custom kind named Secret in another API group", { apiVersion: "example.com/v1", kind: "Secret" }],
  ])("leaves findings of %s alone", (_name, ref) => {
    const finding: RawFinding = {
      type: "changed",
      code: "value-changed",
      path: [f("data"), f("key")],
      desired: "a",
      live: "b",
    };
    expect(maskFinding(ref, finding)).toBe(finding);
  });
});

describe("words about a Secret never carry its values", () => {
  it("words a changed Secret value without either value, even unmasked", () => {
    const finding: RawFinding = {
      type: "changed",
      code: "value-changed",
      path: [f("data"), f("wordpress-password")],
      desired: "Xkt2T0tjMk5PdQ==",
      live: "Skt2T0tjMk5PdQ==",
    };
    const message = findingMessage({ ...finding, path: formatPath(finding.path) }, SECRET);
    expect(message).toBe("data.wordpress-password differs from the release (Secret values are not shown)");
  });

  it("explains drift of a real Secret from its last-applied annotation without values", () => {
    const live = wordpress();
    const finding: RawFinding = {
      type: "changed",
      code: "value-changed",
      path: [f("data"), f("wordpress-password")],
      desired: "Xkt2T0tjMk5PdQ==",
      live: "Skt2T0tjMk5PdQ==",
    };
    const explanations = explainResource({
      ref: refOf(live),
      live,
      findings: [finding],
      owners: [ownerOf(live.metadata.managedFields, finding.path)],
      upgrades: [threeWayMerge],
    });
    expect(explanations.map((e) => e.code)).toEqual([
      "managed-fields-absent",
      "last-applied-differs-from-live",
      "upgrade-restores",
    ]);
    expectNoSecret(explanations);
    expectNoSecret(explanations.map(explanationText));
  });

  it("says an unreadable last-applied annotation is unreadable without quoting it", () => {
    const live = wordpress();
    (live.metadata.annotations ?? {})[ANNOTATION] = '{"data":{"wordpress-password":"Skt2T0tjMk5PdQ=="';
    const finding: RawFinding = {
      type: "missing",
      code: "field-missing",
      path: [f("data"), f("x")],
      desired: "JKvOKc2NOu",
      live: undefined,
    };
    const explanations = explainResource({
      ref: refOf(live),
      live,
      findings: [finding],
      owners: [null],
      upgrades: [threeWayMerge],
    });
    expect(explanations).toContainEqual({ code: "last-applied-unreadable", reason: "not-json" });
    expectNoSecret(explanations);
    expectNoSecret(explanations.map(explanationText));
  });
});
