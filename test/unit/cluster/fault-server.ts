import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { KubeConfig } from "@kubernetes/client-node";
import { statusBodyJson as STATUS_BODY } from "../../helpers/status-body.js";
import { discoveryFixture } from "./discovery-fixtures.js";

/** What the stand-in API server does to one request instead of answering it. */
export const FAULTS = [
  "429",
  "500",
  "502",
  "503",
  "504",
  "reset",
  "truncated",
  "truncated-length",
  "garbled",
  "wrong-shape",
  "stall",
  "401",
  "403",
] as const;
export type Fault = (typeof FAULTS)[number];

const CONFIG_MAP = {
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: {
    name: "settings",
    namespace: "shop",
    uid: "6f1b8e2a-1111-4000-8000-000000000001",
    resourceVersion: "5810",
    creationTimestamp: "2026-01-12T09:30:00Z",
  },
  data: { mode: "fast" },
};
const ROLE = {
  apiVersion: "rbac.authorization.k8s.io/v1",
  kind: "Role",
  metadata: {
    name: "reader",
    namespace: "shop",
    uid: "6f1b8e2a-1111-4000-8000-000000000002",
    resourceVersion: "5811",
    creationTimestamp: "2026-01-12T09:30:00Z",
  },
  rules: [{ apiGroups: [""], resources: ["configmaps"], verbs: ["get", "list"] }],
};

/** The manifest of the release the tests check: one object per discovery path. */
export const MANIFEST = `# Source: shop/templates/configmap.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: shop
data:
  mode: fast
---
# Source: shop/templates/role.yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: reader
  namespace: shop
rules:
  - apiGroups: [""]
    resources: [configmaps]
    verbs: [get, list]
`;

/** The paths of the faults' targets: discovery, an object GET, and a LIST. */
export const PATHS = {
  discovery: "/apis/rbac.authorization.k8s.io/v1",
  get: "/apis/rbac.authorization.k8s.io/v1/namespaces/shop/roles/reader",
  list: "/api/v1/namespaces/shop/configmaps",
} as const;

/** The healthy answers, by path (query strings ignored). */
const ANSWERS: Record<string, unknown> = {
  "/api/v1": discoveryFixture("api-v1"),
  [PATHS.discovery]: discoveryFixture("apis-rbac-v1"),
  "/api/v1/namespaces/shop/configmaps/settings": CONFIG_MAP,
  [PATHS.get]: ROLE,
  [PATHS.list]: {
    kind: "ConfigMapList",
    apiVersion: "v1",
    metadata: { resourceVersion: "5821" },
    items: [{ ...CONFIG_MAP, apiVersion: undefined, kind: undefined }],
  },
  "/api/v1/namespaces/shop": { apiVersion: "v1", kind: "Namespace", metadata: { name: "shop" } },
};

/** No Helm release Secrets in any namespace. */
const EMPTY_SECRETS = {
  kind: "SecretList",
  apiVersion: "v1",
  metadata: { resourceVersion: "5821" },
  items: [],
};

export interface FaultServer {
  url: string;
  kubeConfig: KubeConfig;
  /** Requests received per path, faulty ones included. */
  hits: Map<string, number>;
  /** Injects `fault` into the next `count` requests of `path` (Infinity: all of them). */
  inject(path: string, fault: Fault, count: number): void;
  close(): Promise<void>;
}

function answer(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}) {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(body);
}

function misbehave(fault: Fault, req: IncomingMessage, res: ServerResponse, healthy: string): void {
  switch (fault) {
    case "429":
      answer(res, 429, STATUS_BODY(429, "TooManyRequests", "too many requests"), {
        "retry-after": "1",
      });
      return;
    case "500":
      answer(res, 500, STATUS_BODY(500, "InternalError", "etcdserver: request timed out"));
      return;
    case "502":
      answer(res, 502, "<html>Bad Gateway</html>", { "content-type": "text/html" });
      return;
    case "503":
      answer(
        res,
        503,
        STATUS_BODY(503, "ServiceUnavailable", "the server is currently unable to handle the request"),
      );
      return;
    case "504":
      answer(
        res,
        504,
        STATUS_BODY(504, "Timeout", "the server was unable to return a response in the time allotted"),
      );
      return;
    case "reset":
      req.socket.resetAndDestroy();
      return;
    case "truncated":
      // Half the body, then the end of the answer: the client sees JSON cut short.
      res.writeHead(200, { "content-type": "application/json", connection: "close" });
      res.end(healthy.slice(0, Math.floor(healthy.length / 2)));
      return;
    case "truncated-length": {
      // Half the body under the whole body's Content-Length, then the connection closed: what a proxy or an
      // API server that dies mid-answer leaves. Nothing marks the end but the closed socket.
      res.writeHead(200, {
        "content-type": "application/json",
        "content-length": String(Buffer.byteLength(healthy)),
      });
      res.write(healthy.slice(0, Math.floor(healthy.length / 2)), () => req.socket.destroy());
      return;
    }
    case "garbled":
      answer(res, 200, "<html>upstream connect error</html>", { "content-type": "text/html" });
      return;
    case "wrong-shape":
      answer(res, 200, JSON.stringify({ error: "upstream", items: null }));
      return;
    case "stall":
      return; // never answers
    case "401":
      answer(res, 401, STATUS_BODY(401, "Unauthorized", "Unauthorized"));
      return;
    case "403":
      answer(res, 403, STATUS_BODY(403, "Forbidden", `forbidden: User "drift" cannot get path "${req.url}"`));
      return;
  }
}

/** A stand-in API server on 127.0.0.1 (plain HTTP) answering the paths above, with faults on demand. */
export async function startFaultServer(): Promise<FaultServer> {
  const hits = new Map<string, number>();
  const faults = new Map<string, { fault: Fault; left: number }>();
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const healthy =
      ANSWERS[path] ?? (/^\/api\/v1(\/namespaces\/[^/]+)?\/secrets$/.test(path) ? EMPTY_SECRETS : undefined);
    const body =
      healthy === undefined
        ? STATUS_BODY(404, "NotFound", "the server could not find the requested resource")
        : JSON.stringify(healthy);
    const injected = faults.get(path);
    if (injected !== undefined && injected.left > 0) {
      injected.left--;
      return misbehave(injected.fault, req, res, body);
    }
    answer(res, healthy === undefined ? 404 : 200, body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  const url = `http://127.0.0.1:${address.port}`;
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [{ name: "c", server: url, skipTLSVerify: true }],
    users: [{ name: "u", token: "t" }],
    contexts: [{ name: "ctx", cluster: "c", user: "u", namespace: "shop" }],
    currentContext: "ctx",
  });
  return {
    url,
    kubeConfig,
    hits,
    inject: (path, fault, count) => {
      faults.set(path, { fault, left: count });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
