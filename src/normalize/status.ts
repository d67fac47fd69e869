/**
 * `status` is written by controllers through the status subresource; a write to the main resource ignores it,
 * so it is never drift of what Helm rendered.
 * Upstream: fluxcd/pkg ssa/normalize/normalize.go removes it the same way,
 * https://github.com/fluxcd/pkg/blob/main/ssa/normalize/normalize.go
 */
export function removeStatus(object: Record<string, unknown>): void {
  delete object.status;
}
