import { HelmDriftError } from "../errors.js";

/**
 * The API server answered one request with an unexpected status (500, 503 from an aggregated API that is down,
 * 403 listing Secrets). Unlike ClusterUnreachableError it concerns that request only, so the check goes on
 * with the other objects and releases.
 */
export class ApiServerError extends HelmDriftError {}
