import { MASK } from "./secret-values.js";

/**
 * The value a Kubernetes field error quotes, after its type: apimachinery's `field.Error` writes
 * `<field>: <type>: <value>` (pkg/util/validation/field/errors.go, `ErrorBody`), a string Go-quoted, anything
 * else as Go prints it (`123`, `map[string]string{"a":"b"}`). A Secret the API server refuses is quoted that
 * way — `Secret "db" is invalid: data[password]: Invalid value: "hunter2"` — and helm repeats it in its
 * `Error:` line and in the failed revision's description. The value is one of: a quoted string (cut short, it
 * runs to the end), a Go composite literal with one level of braces, or a single word (`10.0.0.1:80`, but not
 * the `: ` that starts the detail).
 */
const FIELD_ERROR_VALUE =
  /\b(Invalid value|Unsupported value|Duplicate value|Not found): ("(?:[^"\\]|\\.)*"|"(?:[^"\\]|\\.)*$|[^\s{]*\{[^}]*\}|[^\s,;:]+(?::[^\s,;:]+)*)/g;

/**
 * `text` (helm's error line, a revision's description) with every value a Kubernetes field error quotes
 * replaced by the mask: no Secret value refused by the API server reaches the report. The field (its path),
 * the error type and the detail after the value stay, so the reason still reads.
 */
export function hideFieldErrorValues(text: string): string {
  if (!mayQuoteSecret(text)) return text;
  return text.replace(FIELD_ERROR_VALUE, (_, type: string) => `${type}: ${MASK}`);
}

/**
 * Only a refused Secret's values are secret: the report shows every other kind's values anyway, and a
 * Deployment's `spec.replicas: Invalid value: -1` is the reason a person needs to read. The API server names
 * the invalid object's kind (apimachinery `errors.NewInvalid`: `<Kind> "<name>" is invalid`); a text that
 * mentions a Secret, or that does not say which kind is invalid, is masked.
 */
function mayQuoteSecret(text: string): boolean {
  return /\bSecret\b/.test(text) || !/ is invalid\b/.test(text);
}
