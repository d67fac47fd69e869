/**
 * Known failures: each carries what a person needs to act on it, and the CLI prints them as one line
 * (no stack trace unless --debug). Anything that is not a HelmDriftError is a bug and is re-thrown.
 */
export class HelmDriftError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A file or stream that cannot be used: `origin` names it, `line` (1-based) points into it when known. */
export class InputError extends HelmDriftError {
  constructor(
    readonly origin: string,
    readonly problem: string,
    readonly line?: number,
    options?: { cause?: unknown },
  ) {
    super(`${origin}${line === undefined ? "" : `:${line}`}: ${problem}`, options);
  }
}

export class ReleaseNotFoundError extends HelmDriftError {
  constructor(
    readonly release: string,
    readonly namespace: string,
    options?: { cause?: unknown },
  ) {
    super(`release "${release}" not found in namespace "${namespace}"`, options);
  }
}

/**
 * A release none of whose revisions is deployed (its install failed or is pending): there is no manifest to
 * compare with. `newest` is its newest revision, as `helm history` and the stored records give it.
 */
export class NoDeployedRevisionError extends HelmDriftError {
  constructor(
    readonly release: string,
    readonly namespace: string,
    readonly newest: { revision: number; status: string },
    options?: { cause?: unknown },
  ) {
    super(
      `release ${namespace}/${release} has no deployed revision (revision ${newest.revision} is ${newest.status})`,
      options,
    );
  }
}

/** The helm binary could not be run (not installed, not executable). */
export class HelmUnavailableError extends HelmDriftError {}

/** helm ran and failed. */
export class HelmCommandError extends HelmDriftError {}

/** The API server could not be reached or refused our credentials. */
export class ClusterUnreachableError extends HelmDriftError {}

/** Kubeconfig missing, unreadable, or naming a context that does not exist. */
export class KubeconfigError extends HelmDriftError {}

/** A command-line flag combination or value that cannot work. */
export class UsageError extends HelmDriftError {}

/**
 * Why a file could not be read or written, in the system's terms but without the path it repeats
 * (`permission denied`, `its directory does not exist`); the error's own message for anything else.
 */
export function fileErrorReason(cause: unknown): string {
  const known: Record<string, string> = {
    ENOENT: "its directory does not exist",
    ENOTDIR: "a part of its path is not a directory",
    EACCES: "permission denied",
    EPERM: "operation not permitted",
    EISDIR: "it is a directory",
    EROFS: "the file system is read-only",
    ENOSPC: "no space left on the device",
    EEXIST: "a temporary file of that name already exists",
  };
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  if (code !== undefined && known[code] !== undefined) return known[code];
  return cause instanceof Error ? cause.message : String(cause);
}
