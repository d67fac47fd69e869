import { describe, expect, it } from "vitest";
import { ApiServerError, ForbiddenError } from "../../../src/cluster/api-server-error.js";
import type { ApiResponse, KubeApi } from "../../../src/cluster/kube-api-client.js";
import { kubeReleaseRecordLister, kubeSecretLister } from "../../../src/cluster/release-secret-lister.js";

/** A KubeApi that gives every GET the same answer (retries are the client's, not the lister's). */
function answering(response: ApiResponse): KubeApi {
  return { server: "https://api.test", getJson: async () => response };
}

const SECRET = { metadata: { name: "sh.helm.release.v1.web.v1", namespace: "shop" }, data: {} };

describe("kubeSecretLister", () => {
  it("lists the Secrets of a SecretList", async () => {
    const list = kubeSecretLister(
      answering({
        status: 200,
        body: { kind: "SecretList", apiVersion: "v1", metadata: {}, items: [SECRET] },
      }),
    );
    await expect(list("shop", "owner=helm")).resolves.toEqual([SECRET]);
  });

  it.each([
    ["an object without kind (a proxy's answer)", { items: [] }],
    ["a kind without items", { kind: "SecretList", metadata: {} }],
    ["HTML (not JSON)", null],
  ])("a 200 that is no list, %s, is a failed read, never no releases", async (_name, body) => {
    const list = kubeSecretLister(answering({ status: 200, body, attempts: 5 }));
    await expect(list("shop", "owner=helm")).rejects.toThrow(
      /^cannot list Secrets in namespace "shop" at https:\/\/api\.test/,
    );
  });

  it("a 403 is a ForbiddenError naming the permission (auto falls back on it), a 500 an ApiServerError", async () => {
    const forbidden = kubeSecretLister(answering({ status: 403, body: null }));
    await expect(forbidden("shop", "owner=helm")).rejects.toBeInstanceOf(ForbiddenError);
    await expect(forbidden(null, "owner=helm")).rejects.toThrow(
      'cannot list Secrets in all namespaces at https://api.test (reading Helm\'s release storage needs "list secrets"): HTTP 403',
    );
    const failed = kubeSecretLister(answering({ status: 500, body: null, attempts: 5 }));
    const error = await failed("shop", "owner=helm").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiServerError);
    expect(error).not.toBeInstanceOf(ForbiddenError);
  });
});

describe("kubeReleaseRecordLister for ConfigMaps", () => {
  it("lists ConfigMaps by the same selector, and names them and their permission when refused", async () => {
    const paths: string[] = [];
    const api: KubeApi = {
      server: "https://api.test",
      getJson: async (path) => {
        paths.push(path);
        return { status: 200, body: { kind: "ConfigMapList", metadata: {}, items: [SECRET] } };
      },
    };
    await expect(kubeReleaseRecordLister(api, "configmaps")("shop", "owner=helm")).resolves.toEqual([SECRET]);
    expect(paths).toEqual(["/api/v1/namespaces/shop/configmaps?labelSelector=owner%3Dhelm&limit=25"]);
    await expect(
      kubeReleaseRecordLister(answering({ status: 403, body: null }), "configmaps")("shop", "owner=helm"),
    ).rejects.toThrow(
      'cannot list ConfigMaps in namespace "shop" at https://api.test (reading Helm\'s release storage needs "list configmaps"): HTTP 403',
    );
  });
});
