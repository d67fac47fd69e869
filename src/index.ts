/** helm-drift as a library: the same entry point the CLI and the in-cluster report use. */

export type {
  ClusterReader,
  GetResult,
  ListOptions,
  ListResult,
  ListScope,
  ListTypes,
  ResourceInfo,
} from "./cluster/cluster-reader.js";
export { type CheckDependencies, checkReleases, type ReleaseSelection } from "./core/check-releases.js";
export { EXIT_CLEAN, EXIT_DRIFT, EXIT_ERROR, exitCodeFor } from "./core/exit-code.js";
export * from "./errors.js";
export type * from "./model/finding.js";
export type { ReleaseData, ReleaseListing, ReleaseSource } from "./model/release.js";
export type * from "./model/report.js";
