import { describe, expect, it } from "vitest";
import type { ApiResponse, KubeApi } from "../../../src/cluster/kube-api-client.js";
import { kubeSecretLister } from "../../../src/cluster/release-secret-lister.js";

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
});
