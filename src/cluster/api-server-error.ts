import { HelmDriftError } from "../errors.js";

/**
 * The API server answered one request with an unexpected status (500, 503 from an aggregated API that is down,
 * 403 listing Secrets). Unlike ClusterUnreachableError it concerns that request only, so the check goes on
 * with the other objects and releases.
 */
export class ApiServerError extends HelmDriftError {}

/**
 * 403 Forbidden for a request a check needs before it can read an object (discovery of its group-version,
 * `GET /apis/GROUP/VERSION`): the objects it concerns are Unreadable because they may not be read
 * (`forbidden`), as when their own GET is refused, not because a read failed.
 */
export class ForbiddenError extends ApiServerError {}

/**
 * 410 Gone for a LIST with a `continue` token: the API server can no longer resume that list (it serves every
 * page from one etcd snapshot, and the snapshot was compacted away, after about five minutes by default). The
 * only consistent way on is to list again from the first page. `path` is the request that was refused.
 * https://kubernetes.io/docs/reference/using-api/api-concepts/#retrieving-large-results-sets-in-chunks
 */
export class ListExpiredError extends ApiServerError {
  constructor(
    readonly path: string,
    server: string,
  ) {
    super(
      `the API server at ${server} can no longer continue GET ${path}: the continue token has expired ` +
        "(HTTP 410 Gone); list again from the first page",
    );
  }
}
