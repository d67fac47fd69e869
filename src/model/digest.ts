import { createHash } from "node:crypto";

/** The first 12 hex digits of the SHA-256 of `text` (UTF-8): enough to tell two long texts apart at a glance. */
export function sha256Prefix(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 12);
}
