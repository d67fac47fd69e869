/** A release as helm-drift needs it: identity, chart, and the rendered manifest. */
export interface ReleaseData {
  name: string | null;
  namespace: string | null;
  revision: number | null;
  chartName: string | null;
  chartVersion: string | null;
  /** Multi-document YAML as `helm get manifest` prints it. */
  manifest: string;
  /** Where the manifest came from, for error messages: a file path, `release default/foo`, `-` (stdin). */
  origin: string;
}

/** One line of `helm list -o json`. */
export interface ReleaseListing {
  name: string;
  namespace: string;
  revision: number | null;
  chartName: string | null;
  chartVersion: string | null;
  status: string;
}

/** Where desired state comes from: the helm CLI, Helm's release Secrets, or files. */
export interface ReleaseSource {
  /** Releases in one namespace, or in all when namespace is null. */
  list(namespace: string | null): Promise<ReleaseListing[]>;
  /** The deployed release: its manifest and chart. Throws ReleaseNotFoundError when there is none. */
  get(name: string, namespace: string): Promise<ReleaseData>;
}
