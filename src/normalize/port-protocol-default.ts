/**
 * Port lists are keyed by port number *and* protocol (SSA list-map keys `containerPort,protocol` and
 * `port,protocol`), and the API server defaults an absent protocol to TCP. A rendered port without `protocol`
 * is therefore the live port with `protocol: TCP`, on either side.
 * Upstream: fluxcd/pkg ssa/normalize `normalizePodProtoDefault` / `normalizeServiceProtoDefault`,
 * https://github.com/kubernetes-sigs/structured-merge-diff/issues/130, https://github.com/kubernetes/kubernetes/pull/98576
 */
export function defaultKeyValue(keyField: string): string | undefined {
  return keyField === "protocol" ? "TCP" : undefined;
}
