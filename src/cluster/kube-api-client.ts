import {
  createConfiguration,
  FetchError,
  HttpMethod,
  type KubeConfig,
  RequestContext,
} from "@kubernetes/client-node";
import { ClusterUnreachableError, KubeconfigError } from "../errors.js";

/** An API server answer: the HTTP status and the body parsed as JSON (null when it is not JSON). */
export interface ApiResponse {
  status: number;
  body: unknown;
}

/** The one thing helm-drift asks an API server: GET a path, get JSON back. */
export interface KubeApi {
  /** The server URL, for messages. */
  readonly server: string;
  getJson(path: string): Promise<ApiResponse>;
}

const NETWORK_PROBLEMS: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  ENOTFOUND: "host name not found (DNS)",
  EAI_AGAIN: "host name lookup failed (DNS)",
  ETIMEDOUT: "connection timed out",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
};

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

/**
 * A failure to talk to the server at all (no HTTP status) as one line naming the server, or the error itself
 * when it is not a network or TLS failure (a bug: re-thrown as is).
 */
export function transportError(server: string, error: unknown): Error {
  const unreachable = (what: string) =>
    new ClusterUnreachableError(`cannot reach the API server at ${server}: ${what}`, { cause: error });
  if (
    error instanceof Error &&
    (error.name === "AbortError" || (error as { type?: unknown }).type === "aborted")
  ) {
    return unreachable("no answer before the timeout");
  }
  const code = errorCode(error);
  if (code !== undefined) {
    const tls = /CERT|SELF_SIGNED|UNABLE_TO_|TLS|SSL/.test(code);
    return unreachable(NETWORK_PROBLEMS[code] ?? (tls ? `TLS error ${code}` : code));
  }
  if (error instanceof FetchError) return unreachable(error.message);
  return error instanceof Error ? error : new Error(String(error));
}

function parseBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/**
 * GET requests through client-node's own HTTP stack, so TLS, proxies and every kubeconfig auth method
 * (token, client certificate, exec plugin, OIDC) behave as in client-node. Bodies are read as raw JSON:
 * client-node's typed models drop fields they do not know and turn timestamps into Date objects.
 */
export class KubeApiClient implements KubeApi {
  readonly server: string;
  private readonly http = createConfiguration().httpApi;

  constructor(
    private readonly kubeConfig: KubeConfig,
    private readonly timeoutMs = 30_000,
  ) {
    const cluster = kubeConfig.getCurrentCluster();
    if (cluster === null) throw new KubeconfigError("the current context names no cluster");
    this.server = cluster.server.replace(/\/+$/, "");
  }

  async getJson(path: string): Promise<ApiResponse> {
    const request = new RequestContext(this.server + path, HttpMethod.GET);
    request.setHeaderParam("Accept", "application/json");
    request.setSignal(AbortSignal.timeout(this.timeoutMs));
    try {
      await this.kubeConfig.applySecurityAuthentication(request);
    } catch (error) {
      const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
      throw new KubeconfigError(
        `cannot use the credentials of context "${this.kubeConfig.getCurrentContext()}": ${reason}`,
        { cause: error },
      );
    }
    try {
      const response = await this.http.send(request).toPromise();
      return { status: response.httpStatusCode, body: parseBody(await response.body.text()) };
    } catch (error) {
      throw transportError(this.server, error);
    }
  }
}
