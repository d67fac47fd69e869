import { describe, expect, test } from "vitest";
import {
  crdOf,
  discoveryOutcome,
  getResultOf,
  kindNotServedReason,
} from "../../../src/cluster/api-responses.js";
import { ApiServerError } from "../../../src/cluster/api-server-error.js";
import { ClusterUnreachableError } from "../../../src/errors.js";
import { discoveryFixture } from "./discovery-fixtures.js";

const SERVER = "https://10.0.0.1:6443";

/** metav1.Status bodies as the API server writes them. */
function status(code: number, reason: string, message: string) {
  return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, code };
}

const forbiddenGet = status(
  403,
  "Forbidden",
  'deployments.apps "web" is forbidden: User "system:serviceaccount:ci:drift" cannot get resource "deployments" in API group "apps" in the namespace "prod"',
);

describe("discoveryOutcome", () => {
  test("200 lists the served kinds", () => {
    const outcome = discoveryOutcome(
      { status: 200, body: discoveryFixture("apis-apps-v1") },
      "apps/v1",
      SERVER,
    );
    expect(outcome.status === "served" && outcome.kinds.get("StatefulSet")?.resource).toBe("statefulsets");
  });

  test("404: the group-version is not served", () => {
    const outcome = discoveryOutcome(
      { status: 404, body: status(404, "NotFound", "the server could not find the requested resource") },
      "actions.github.com/v1alpha1",
      SERVER,
    );
    if (outcome.status !== "not-served") throw new Error(outcome.status);
    expect(outcome).toEqual({ status: "not-served", detail: null });
    expect(kindNotServedReason("actions.github.com/v1alpha1", "AutoscalingRunnerSet", outcome)).toBe(
      "the cluster does not serve actions.github.com/v1alpha1 (kind AutoscalingRunnerSet)",
    );
  });

  test("503 from an aggregated API that is down (after the retries): failed, not 'not served'", () => {
    const outcome = discoveryOutcome(
      {
        status: 503,
        body: status(503, "ServiceUnavailable", "the server is currently unable to handle the request"),
        attempts: 5,
      },
      "metrics.k8s.io/v1beta1",
      SERVER,
    );
    expect(outcome).toEqual({
      status: "failed",
      reason: `cannot tell whether the cluster serves metrics.k8s.io/v1beta1: the API server at ${SERVER} answered GET /apis/metrics.k8s.io/v1beta1 with HTTP 503: the server is currently unable to handle the request (tried 5 times)`,
    });
  });

  test.each([
    [429, null],
    [500, null],
    [502, "<html>Bad Gateway</html>"],
  ])("%i is failed too: only 404 means not served", (code, body) => {
    expect(discoveryOutcome({ status: code, body }, "apps/v1", SERVER).status).toBe("failed");
  });

  test.each([
    ["HTML", "<html>proxy error</html>"],
    ["JSON without resources", { kind: "APIResourceList", groupVersion: "apps/v1" }],
    ["a Status", status(500, "InternalError", "etcdserver: request timed out")],
  ])("a 200 that is not an APIResourceList (%s) is failed, naming the path", (_, body) => {
    expect(discoveryOutcome({ status: 200, body }, "apps/v1", SERVER)).toEqual({
      status: "failed",
      reason: `the API server at ${SERVER} answered GET /apis/apps/v1 with something that is not an APIResourceList`,
    });
  });

  test("a group-version served without the kind names both", () => {
    const outcome = discoveryOutcome(
      { status: 200, body: discoveryFixture("apis-apps-v1") },
      "apps/v1",
      SERVER,
    );
    if (outcome.status !== "served") throw new Error(outcome.status);
    expect(kindNotServedReason("apps/v1", "Rollout", outcome)).toBe(
      "the cluster serves apps/v1 but not kind Rollout",
    );
  });

  test("403 keeps the server's message", () => {
    const body = status(403, "Forbidden", 'forbidden: User "anonymous" cannot get path "/apis/apps/v1"');
    expect(discoveryOutcome({ status: 403, body }, "apps/v1", SERVER)).toEqual({
      status: "forbidden",
      reason: 'forbidden: User "anonymous" cannot get path "/apis/apps/v1"',
    });
  });

  test("401 is ClusterUnreachableError: unauthorized", () => {
    expect(() =>
      discoveryOutcome({ status: 401, body: status(401, "Unauthorized", "Unauthorized") }, "v1", SERVER),
    ).toThrow(
      new ClusterUnreachableError(
        `unauthorized: the API server at ${SERVER} did not accept the credentials (HTTP 401)`,
      ),
    );
  });
});

describe("getResultOf", () => {
  const path = "/apis/apps/v1/namespaces/prod/deployments/web";
  const deployment = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: {
      name: "web",
      namespace: "prod",
      creationTimestamp: "2024-05-01T10:00:00Z",
      managedFields: [{ manager: "helm", time: "2024-05-01T10:00:00Z" }],
    },
    spec: { replicas: 2, someFieldFromTheFuture: { kept: true } },
  };

  test("200: the object exactly as the server sent it (timestamps stay strings, unknown fields stay)", () => {
    expect(getResultOf({ status: 200, body: deployment }, path, SERVER)).toEqual({
      status: "found",
      object: deployment,
    });
  });

  test("404 is not-found", () => {
    expect(
      getResultOf(
        { status: 404, body: status(404, "NotFound", 'deployments.apps "web" not found') },
        path,
        SERVER,
      ),
    ).toEqual({
      status: "not-found",
    });
  });

  test("403 is forbidden with the server's message", () => {
    expect(getResultOf({ status: 403, body: forbiddenGet }, path, SERVER)).toEqual({
      status: "forbidden",
      reason: forbiddenGet.message,
    });
  });

  test("401 is ClusterUnreachableError", () => {
    expect(() => getResultOf({ status: 401, body: null }, path, SERVER)).toThrow(ClusterUnreachableError);
  });

  test("500 is an ApiServerError for this object only, with the server's message", () => {
    const body = status(500, "InternalError", "etcdserver: request timed out");
    expect(() => getResultOf({ status: 500, body }, path, SERVER)).toThrow(
      new ApiServerError(
        `the API server at ${SERVER} answered GET ${path} with HTTP 500: etcdserver: request timed out`,
      ),
    );
  });

  test("200 with a body that is no Kubernetes object (a proxy's page) is an ApiServerError", () => {
    expect(() => getResultOf({ status: 200, body: null }, path, SERVER)).toThrow(ApiServerError);
  });
});

const CRD_PATH =
  "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/autoscalingrunnersets.actions.github.com";

describe("crdOf", () => {
  const crd = {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: "autoscalingrunnersets.actions.github.com" },
    spec: {
      group: "actions.github.com",
      names: { kind: "AutoscalingRunnerSet", plural: "autoscalingrunnersets" },
    },
  };

  test("the CRD that defines the group and kind", () => {
    expect(
      crdOf({ status: 200, body: crd }, CRD_PATH, "actions.github.com", "AutoscalingRunnerSet", SERVER),
    ).toBe(crd);
  });

  test("a CRD for another kind is not it", () => {
    expect(
      crdOf({ status: 200, body: crd }, CRD_PATH, "actions.github.com", "EphemeralRunner", SERVER),
    ).toBeNull();
  });

  test("forbidden or missing CRDs fall back to null, never fail the check", () => {
    expect(
      crdOf(
        { status: 403, body: forbiddenGet },
        CRD_PATH,
        "actions.github.com",
        "AutoscalingRunnerSet",
        SERVER,
      ),
    ).toBeNull();
    expect(crdOf({ status: 404, body: null }, CRD_PATH, "metrics.k8s.io", "PodMetrics", SERVER)).toBeNull();
  });

  test("a 503 (after the retries) throws ApiServerError naming the path: other list types could report false drift", () => {
    expect(() =>
      crdOf(
        { status: 503, body: null, attempts: 5 },
        CRD_PATH,
        "actions.github.com",
        "AutoscalingRunnerSet",
        SERVER,
      ),
    ).toThrow(
      new ApiServerError(
        `the API server at ${SERVER} answered GET ${CRD_PATH} with HTTP 503 (tried 5 times)`,
      ),
    );
  });

  test("401 still throws", () => {
    expect(() =>
      crdOf({ status: 401, body: null }, CRD_PATH, "actions.github.com", "AutoscalingRunnerSet", SERVER),
    ).toThrow(ClusterUnreachableError);
  });
});
