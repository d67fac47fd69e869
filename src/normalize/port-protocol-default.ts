/**
 * Port lists are keyed by port number *and* protocol (SSA list-map keys `containerPort,protocol` and
 * `port,protocol`), and the API server defaults an absent protocol to TCP. A rendered port without `protocol`
 * is therefore the live port with `protocol: TCP`, on either side. The one place this default is known: the
 * diff's entry keys, managedFields keys (`k:{"containerPort":80,"protocol":"TCP"}`) and lookups in a
 * last-applied configuration (which holds what kubectl sent, often without `protocol`) all come here.
 * Upstream: fluxcd/pkg ssa/normalize `normalizePodProtoDefault` / `normalizeServiceProtoDefault`,
 * https://github.com/kubernetes-sigs/structured-merge-diff/issues/130, https://github.com/kubernetes/kubernetes/pull/98576
 */
export function defaultKeyValue(keyField: string): string | undefined {
  return keyField === "protocol" ? "TCP" : undefined;
}

/** The value of merge-key field `keyField` in a list entry, the server default when the entry omits it. */
export function keyValueOf(entry: Readonly<Record<string, unknown>>, keyField: string): unknown {
  return entry[keyField] ?? defaultKeyValue(keyField);
}
