import { isPlainObject } from "../model/kube.js";

/**
 * Empty equals absent: the API server drops empty values on the way in (Go `omitempty`) or returns an empty
 * list as `null`, so a rendered `null`, `""`, `[]`, `{}` — or a map holding only such values, like
 * `resources: {limits: {}}` — states nothing that can be missing live.
 * Upstream: argoproj/gitops-engine TestNullRoleRule (`rules: []` read back as `rules: null`) and TestNullSecretData
 * (`""` read back as `null`), https://github.com/argoproj/gitops-engine/blob/master/pkg/diff/diff_test.go
 */
export function isEmptyValue(value: unknown): boolean {
  if (value === null || value === undefined || value === "") return true;
  if (Array.isArray(value)) return value.length === 0;
  if (isPlainObject(value)) return Object.values(value).every(isEmptyValue);
  return false;
}
