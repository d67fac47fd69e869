import { createServer } from "node:net";
import { AbortError, FetchError, KubeConfig } from "@kubernetes/client-node";
import { describe, expect, test } from "vitest";
import { KubeApiClient, transportError } from "../../../src/cluster/kube-api-client.js";
import { KubeClusterReader } from "../../../src/cluster/kube-cluster-reader.js";
import { ClusterUnreachableError, KubeconfigError } from "../../../src/errors.js";
import { closedPort } from "../../helpers/scripted-http-server.js";

const SERVER = "https://kube.example:6443";

/** node-fetch's error for a failed socket, as client-node's HTTP library throws it. */
function systemError(code: string): FetchError {
  const cause = Object.assign(new Error(`connect ${code}`), { code });
  return new FetchError(`request to ${SERVER}/api/v1 failed, reason: connect ${code}`, "system", cause);
}

describe("transportError", () => {
  test.each([
    ["ECONNREFUSED", "connection refused"],
    ["ENOTFOUND", "host name not found (DNS)"],
    ["EAI_AGAIN", "host name lookup failed (DNS)"],
    ["ECONNRESET", "connection reset"],
    ["DEPTH_ZERO_SELF_SIGNED_CERT", "TLS error DEPTH_ZERO_SELF_SIGNED_CERT"],
    ["UNABLE_TO_VERIFY_LEAF_SIGNATURE", "TLS error UNABLE_TO_VERIFY_LEAF_SIGNATURE"],
    ["ERR_TLS_CERT_ALTNAME_INVALID", "TLS error ERR_TLS_CERT_ALTNAME_INVALID"],
    ["CERT_HAS_EXPIRED", "TLS error CERT_HAS_EXPIRED"],
  ])("%s → ClusterUnreachableError naming the server: %s", (code, what) => {
    const error = transportError(SERVER, systemError(code));
    expect(error).toBeInstanceOf(ClusterUnreachableError);
    expect(error.message).toBe(`cannot reach the API server at ${SERVER}: ${what}`);
  });

  test("a timeout (aborted request)", () => {
    expect(transportError(SERVER, new AbortError("The operation was aborted.")).message).toBe(
      `cannot reach the API server at ${SERVER}: no answer before the timeout`,
    );
  });

  test("an error that is not about the network is a bug and comes back unchanged", () => {
    const bug = new TypeError("Cannot read properties of undefined");
    expect(transportError(SERVER, bug)).toBe(bug);
  });
});

/** A kubeconfig pointing at `server` with a token user. */
function kubeConfigFor(server: string, skipTLSVerify = false): KubeConfig {
  const config = new KubeConfig();
  config.loadFromOptions({
    clusters: [{ name: "c", server, skipTLSVerify }],
    users: [{ name: "u", token: "t" }],
    contexts: [{ name: "ctx", cluster: "c", user: "u" }],
    currentContext: "ctx",
  });
  return config;
}

describe("KubeApiClient against a server that is not there", () => {
  test("a refused connection is ClusterUnreachableError naming the server URL", async () => {
    const server = `https://127.0.0.1:${await closedPort()}`;
    const error = await new KubeApiClient(kubeConfigFor(server)).getJson("/api/v1").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClusterUnreachableError);
    expect((error as Error).message).toBe(`cannot reach the API server at ${server}: connection refused`);
  });

  test("KubeClusterReader.get surfaces it from discovery", async () => {
    const server = `https://127.0.0.1:${await closedPort()}`;
    const reader = new KubeClusterReader(kubeConfigFor(server));
    await expect(
      reader.get({ apiVersion: "apps/v1", kind: "Deployment", namespace: "default", name: "web" }),
    ).rejects.toBeInstanceOf(ClusterUnreachableError);
  });

  test("an http:// server without insecure-skip-tls-verify is refused by client-node: a kubeconfig problem", async () => {
    await expect(new KubeApiClient(kubeConfigFor("http://127.0.0.1:1")).getJson("/api/v1")).rejects.toThrow(
      new KubeconfigError(
        'cannot use the credentials of context "ctx": HTTP protocol is not allowed when skipTLSVerify is not set or false',
      ),
    );
  });

  test("a server that accepts the connection but never answers times out", async () => {
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const address = silent.address();
    if (address === null || typeof address === "string") throw new Error("no port");
    const server = `https://127.0.0.1:${address.port}`;
    try {
      const retry = { attempts: 2, baseDelayMs: 10, maxDelayMs: 10, maxRetryAfterMs: 10 };
      const error = await new KubeApiClient(kubeConfigFor(server), { timeoutMs: 300, retry })
        .getJson("/api/v1")
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ClusterUnreachableError);
      expect((error as Error).message).toBe(
        `cannot reach the API server at ${server}: no answer before the timeout (GET /api/v1, tried 2 times)`,
      );
    } finally {
      silent.close();
    }
  });

  test("the server URL is kept without a trailing slash", () => {
    expect(new KubeApiClient(kubeConfigFor("https://kube.example:6443/")).server).toBe(
      "https://kube.example:6443",
    );
  });
});
