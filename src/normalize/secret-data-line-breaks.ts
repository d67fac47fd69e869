import { isPlainObject, type ObjectRef } from "../model/kube.js";
import { isSecret } from "../model/secret-kind.js";

/**
 * The API server decodes `Secret.data` with Go's base64.StdEncoding, which ignores `\r` and `\n`, and returns
 * the value re-encoded on one line. Charts that embed wrapped base64 (a YAML block scalar) would otherwise show
 * every such key as changed. Only line breaks are removed: any other difference is a different value.
 * Upstream: https://pkg.go.dev/encoding/base64#Encoding.Decode ("New line characters (\r and \n) are ignored")
 */
export function removeSecretDataLineBreaks(object: Record<string, unknown>, ref: ObjectRef): void {
  if (!isSecret(ref) || !isPlainObject(object.data)) return;
  const data = object.data;
  for (const [key, value] of Object.entries(data)) {
    if (typeof value === "string" && /[\r\n]/.test(value)) data[key] = value.replace(/[\r\n]/g, "");
  }
}
