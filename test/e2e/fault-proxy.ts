/**
 * A fault-injecting HTTPS proxy on 127.0.0.1 in front of the real kube-apiserver: every request is forwarded
 * as it came (token, query, body), except the first `count` requests a rule matches (by method and path),
 * which get the rule's fault instead. Its server certificate is signed by the test cluster's CA, so a
 * kubeconfig that names the proxy as its server keeps the cluster's CA and token (see serverCertificate).
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer, type Server, request as upstreamRequest } from "node:https";
import type { AddressInfo, Socket } from "node:net";
import path from "node:path";
import { statusBodyJson as status } from "../helpers/status-body.js";

/** What the proxy does to a matching request instead of forwarding it. */
export const FAULTS = [
  "429",
  "500",
  "503",
  "reset",
  "stall",
  "truncated",
  "wrong-shape",
  "401",
  "403",
] as const;
export type Fault = (typeof FAULTS)[number];

export interface FaultRule {
  method: string;
  /** Matched against the path with its query (`/api/v1/namespaces/x/secrets?labelSelector=owner%3Dhelm`). */
  path: RegExp;
  fault: Fault;
  /** How many matching requests get the fault, the first ones; Infinity for every one. */
  count: number;
}

export interface TlsFiles {
  ca: Buffer;
  cert: Buffer;
  key: Buffer;
}

/**
 * A server certificate for 127.0.0.1 signed by the cluster's CA (`pki/ca.crt`, `pki/ca.key` as
 * test/cluster/up.sh makes them: ECDSA P-256), written into `dir`.
 */
export function serverCertificate(pkiDir: string, dir: string): TlsFiles {
  const file = (name: string) => path.join(dir, name);
  const openssl = (...args: string[]) =>
    execFileSync("openssl", args, { stdio: ["ignore", "ignore", "pipe"] });
  openssl(
    "req",
    "-newkey",
    "ec",
    "-pkeyopt",
    "ec_paramgen_curve:P-256",
    "-nodes",
    "-sha256",
    "-keyout",
    file("proxy.key"),
    "-out",
    file("proxy.csr"),
    "-subj",
    "/CN=helm-drift-fault-proxy",
  );
  execFileSync("sh", [
    "-c",
    `printf '%s\\n' 'basicConstraints=CA:FALSE' 'keyUsage=critical,digitalSignature' 'extendedKeyUsage=serverAuth' 'subjectAltName=IP:127.0.0.1' > "$1"`,
    "sh",
    file("proxy.ext"),
  ]);
  openssl(
    "x509",
    "-req",
    "-sha256",
    "-days",
    "2",
    "-in",
    file("proxy.csr"),
    "-CA",
    path.join(pkiDir, "ca.crt"),
    "-CAkey",
    path.join(pkiDir, "ca.key"),
    // No -CAcreateserial: a random serial, and the cluster's ca.srl is left alone.
    "-set_serial",
    `0x${Date.now().toString(16)}`,
    "-out",
    file("proxy.crt"),
    "-extfile",
    file("proxy.ext"),
  );
  return {
    ca: readFileSync(path.join(pkiDir, "ca.crt")),
    cert: readFileSync(file("proxy.crt")),
    key: readFileSync(file("proxy.key")),
  };
}

/** The answers that are only a status and a Status body. */
const STATUS_FAULTS: Partial<
  Record<Fault, { code: number; body: string; headers?: Record<string, string> }>
> = {
  "429": {
    code: 429,
    body: status(429, "TooManyRequests", "fault proxy: too many requests"),
    headers: { "retry-after": "1" },
  },
  "500": { code: 500, body: status(500, "InternalError", "fault proxy: internal error") },
  "503": { code: 503, body: status(503, "ServiceUnavailable", "fault proxy: service unavailable") },
  "401": { code: 401, body: status(401, "Unauthorized", "fault proxy: unauthorized") },
  "403": { code: 403, body: status(403, "Forbidden", "fault proxy: forbidden") },
};

/** A 200 that parses as JSON but is no Kubernetes answer: no kind, and an empty `items` a careless reader lists. */
const WRONG_SHAPE = JSON.stringify({ items: [] });

export class FaultProxy {
  /** Every request seen, as `METHOD path?query`, in order. */
  readonly requests: string[] = [];
  /** The requests that got a fault, as `fault METHOD path?query`. */
  readonly injected: string[] = [];
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly matched = new Map<FaultRule, number>();

  private constructor(
    private readonly upstream: URL,
    private readonly tls: TlsFiles,
    private readonly rules: FaultRule[],
  ) {
    this.server = createServer({ cert: tls.cert, key: tls.key }, (req, res) => this.handle(req, res));
    this.server.on("secureConnection", (socket) => {
      this.sockets.add(socket);
      socket.on("close", () => this.sockets.delete(socket));
    });
  }

  /** Listens on 127.0.0.1, a free port; `upstream` is the real API server's URL. */
  static async start(upstream: string, tls: TlsFiles, rules: FaultRule[]): Promise<FaultProxy> {
    const proxy = new FaultProxy(new URL(upstream), tls, rules);
    await new Promise<void>((resolve) => proxy.server.listen(0, "127.0.0.1", resolve));
    return proxy;
  }

  get url(): string {
    return `https://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Stops listening and ends every connection, stalled ones included. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  private faultFor(method: string, target: string): Fault | null {
    for (const rule of this.rules) {
      if (rule.method !== method || !rule.path.test(target)) continue;
      const seen = (this.matched.get(rule) ?? 0) + 1;
      this.matched.set(rule, seen);
      if (seen <= rule.count) return rule.fault;
    }
    return null;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const method = req.method ?? "GET";
    const target = req.url ?? "/";
    this.requests.push(`${method} ${target}`);
    const fault = this.faultFor(method, target);
    if (fault === null) {
      this.forward(req, res, null);
      return;
    }
    this.injected.push(`${fault} ${method} ${target}`);
    const answer = STATUS_FAULTS[fault];
    if (answer !== undefined) {
      req.resume();
      res.writeHead(answer.code, { "content-type": "application/json", ...answer.headers });
      res.end(answer.body);
      return;
    }
    switch (fault) {
      case "reset":
        req.socket.destroy();
        return;
      case "stall":
        // No answer at all; the connection stays open until the client gives up or the proxy closes.
        req.resume();
        return;
      case "wrong-shape":
        req.resume();
        res.writeHead(200, { "content-type": "application/json" });
        res.end(WRONG_SHAPE);
        return;
      case "truncated":
        this.forward(req, res, "truncated");
        return;
    }
  }

  /** Sends the request on to the real server; `truncated`: pass on the headers and half the body, then cut. */
  private forward(req: IncomingMessage, res: ServerResponse, fault: "truncated" | null): void {
    const headers = { ...req.headers, host: this.upstream.host };
    // A whole body, so that a truncated one can be cut at a known length.
    if (fault === "truncated") delete headers["accept-encoding"];
    const out = upstreamRequest(
      {
        host: this.upstream.hostname,
        port: this.upstream.port,
        method: req.method,
        path: req.url,
        headers,
        ca: this.tls.ca,
      },
      (answer) => {
        if (fault === null) {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
          return;
        }
        const chunks: Buffer[] = [];
        answer.on("data", (chunk: Buffer) => chunks.push(chunk));
        answer.on("end", () => {
          const body = Buffer.concat(chunks);
          const { "transfer-encoding": _chunked, ...rest } = answer.headers;
          res.writeHead(answer.statusCode ?? 502, { ...rest, "content-length": String(body.length) });
          res.write(body.subarray(0, Math.floor(body.length / 2)), () => req.socket.destroy());
        });
      },
    );
    out.on("error", () => req.socket.destroy());
    req.pipe(out);
  }
}
