import { describe, expect, it } from "vitest";
import { hideFieldErrorValues } from "../../../src/mask/field-error-values.js";
import { MASK } from "../../../src/mask/secret-values.js";

describe("hideFieldErrorValues", () => {
  it.each([
    [
      "hides the quoted value of an Invalid value error, keeping the field and the detail",
      'Upgrade "web" failed: Secret "db" is invalid: data[password]: Invalid value: "hunter2": a valid config key must consist of alphanumerics',
      `Upgrade "web" failed: Secret "db" is invalid: data[password]: Invalid value: ${MASK}: a valid config key must consist of alphanumerics`,
    ],
    [
      "hides every value of a list of field errors, escaped quotes included",
      'Secret "db" is invalid: [data[a]: Invalid value: "x\\"y: z", data[b]: Duplicate value: "dup"]',
      `Secret "db" is invalid: [data[a]: Invalid value: ${MASK}, data[b]: Duplicate value: ${MASK}]`,
    ],
    [
      "hides an unquoted value and a Go composite literal",
      'spec.replicas: Invalid value: -1: must be >= 0; data: Invalid value: map[string]string{"k":"hunter2"}',
      `spec.replicas: Invalid value: ${MASK}: must be >= 0; data: Invalid value: ${MASK}`,
    ],
    [
      "hides a quoted value cut short to the end of the text",
      'data[token]: Unsupported value: "hunter2 and more',
      `data[token]: Unsupported value: ${MASK}`,
    ],
    [
      "leaves the values of another kind the API server refused: the report shows them anyway",
      'Upgrade "web" failed: cannot patch "web" with kind Deployment: Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0',
      'Upgrade "web" failed: cannot patch "web" with kind Deployment: Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0',
    ],
    [
      "masks when a Secret is named anywhere",
      'cannot patch "db" with kind Secret: Secret "db" is invalid: data[password]: Invalid value: "hunter2"',
      `cannot patch "db" with kind Secret: Secret "db" is invalid: data[password]: Invalid value: ${MASK}`,
    ],
    [
      "leaves text with no field error value as it is",
      'Upgrade "web" failed: context deadline exceeded',
      'Upgrade "web" failed: context deadline exceeded',
    ],
  ])("%s", (_, text, shown) => {
    expect(hideFieldErrorValues(text)).toBe(shown);
  });
});
