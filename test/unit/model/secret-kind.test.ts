import { describe, expect, test } from "vitest";
import { isSecret } from "../../../src/model/secret-kind.js";

describe("isSecret", () => {
  test.each([
    ["a core v1 Secret", "v1", "Secret", true],
    ["a ConfigMap", "v1", "ConfigMap", false],
    ["a custom kind named Secret in another API group", "example.com/v1", "Secret", false],
    ["a kind that only starts with Secret", "secrets-store.csi.x-k8s.io/v1", "SecretProviderClass", false],
  ])("%s → %s", (_name, apiVersion, kind, expected) => {
    expect(isSecret({ apiVersion, kind })).toBe(expected);
  });
});
