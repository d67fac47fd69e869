import { describe, expect, test } from "vitest";
import {
  groupingSegment,
  PROMETHEUS_TEXT_FORMAT,
  PushgatewayError,
  PushgatewaySink,
} from "../../../src/schedule/pushgateway-sink.js";
import {
  type Answer,
  closedPort,
  scriptedServer as gateway,
  recordingClock,
} from "../../helpers/scripted-http-server.js";

const status =
  (code: number, text = "", headers: Record<string, string> = {}): Answer =>
  (res) => {
    res.writeHead(code, { "content-type": "text/plain; charset=utf-8", ...headers });
    res.end(text);
  };

const METRICS = `# HELP helm_drift_findings Findings of the last completed run.
# TYPE helm_drift_findings gauge
helm_drift_findings{release="shop/web"} 2
`;

describe("groupingSegment", () => {
  test.each([
    ["instance", "runner-1", "instance/runner-1"],
    ["instance", "a b?c&d", "instance/a%20b%3Fc%26d"],
    ["path", "/var/tmp", "path@base64/L3Zhci90bXA"],
    ["namespace", "a/b", "namespace@base64/YS9i"],
    ["empty", "", "empty@base64/="],
    ["dots", "..", "dots@base64/Li4"],
    ["dot", ".", "dot@base64/Lg"],
    ["url_safe", "??>/", "url_safe@base64/Pz8-Lw"],
  ])("%s=%j → %s", (name, value, segment) => {
    expect(groupingSegment(name, value)).toBe(segment);
  });
});

describe("PushgatewaySink", () => {
  test("replace: PUT of the text to /metrics/job/JOB, in the text format 0.0.4", async () => {
    const { origin, received } = await gateway([status(200)]);
    const sink = new PushgatewaySink({ url: origin, job: "helm-drift", clock: recordingClock() });
    await sink.write(METRICS, "replace");
    expect(received.map((r) => [r.method, r.path, r.headers["content-type"], r.body])).toEqual([
      ["PUT", "/metrics/job/helm-drift", PROMETHEUS_TEXT_FORMAT, METRICS],
    ]);
    expect(received[0]?.headers.authorization).toBeUndefined();
  });

  test("merge: POST to the same path", async () => {
    const { origin, received } = await gateway([status(202)]);
    await new PushgatewaySink({ url: origin, job: "helm-drift", clock: recordingClock() }).write(
      METRICS,
      "merge",
    );
    expect(received.map((r) => [r.method, r.path, r.body])).toEqual([
      ["POST", "/metrics/job/helm-drift", METRICS],
    ]);
  });

  test("grouping labels follow the job, escaped as the Pushgateway README says; a path prefix is kept", async () => {
    const { origin, received } = await gateway([status(200)]);
    const sink = new PushgatewaySink({
      url: `${origin}/pushgateway/`,
      job: "drift/report",
      grouping: { cluster: "prod eu", namespace: "shop/web", shard: "" },
      clock: recordingClock(),
    });
    await sink.write(METRICS, "replace");
    expect(received.map((r) => r.path)).toEqual([
      "/pushgateway/metrics/job@base64/ZHJpZnQvcmVwb3J0/cluster/prod%20eu/namespace@base64/c2hvcC93ZWI/shard@base64/=",
    ]);
  });

  test("500 then 200: pushed on the second try", async () => {
    const { origin, received } = await gateway([status(500, "oops"), status(200)]);
    const clock = recordingClock();
    await new PushgatewaySink({ url: origin, job: "helm-drift", clock }).write(METRICS, "replace");
    expect(received.length).toBe(2);
    expect(clock.waits).toEqual([750]);
  });

  test("500 three times: PushgatewayError naming the origin, the status and the tries", async () => {
    const { origin, received } = await gateway([status(500, "internal error\nmore")]);
    const sink = new PushgatewaySink({ url: origin, job: "helm-drift", clock: recordingClock() });
    const error = await sink.write(METRICS, "replace").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PushgatewayError);
    expect((error as Error).message).toBe(
      `cannot push metrics to Pushgateway at ${origin}: HTTP 500: internal error (tried 3 times)`,
    );
    expect(received.length).toBe(3);
  });

  test("400 (metrics it rejects) is final, with the gateway's explanation", async () => {
    const { origin, received } = await gateway([
      status(400, "pushed metrics are invalid or inconsistent with existing metrics: collected metric ..."),
    ]);
    const sink = new PushgatewaySink({ url: origin, job: "helm-drift", clock: recordingClock() });
    await expect(sink.write(METRICS, "merge")).rejects.toThrow(
      new PushgatewayError(
        `cannot push metrics to Pushgateway at ${origin}: HTTP 400: pushed metrics are invalid or inconsistent ` +
          "with existing metrics: collected metric ... (not retried)",
      ),
    );
    expect(received.length).toBe(1);
  });

  test("user:password in the URL: sent as Basic authentication, never printed", async () => {
    const { port, origin, received } = await gateway([status(401, "unauthorized")]);
    const sink = new PushgatewaySink({
      url: `http://pusher:pa55w0rd@127.0.0.1:${port}`,
      job: "helm-drift",
      clock: recordingClock(),
    });
    expect(sink.description).toBe(`Pushgateway at ${origin}`);
    const error = await sink.write(METRICS, "replace").catch((e: unknown) => e);
    expect((error as Error).message).toBe(
      `cannot push metrics to Pushgateway at ${origin}: HTTP 401: unauthorized (not retried)`,
    );
    expect(received[0]?.headers.authorization).toBe(
      `Basic ${Buffer.from("pusher:pa55w0rd").toString("base64")}`,
    );
    for (const text of [sink.description, (error as Error).message]) {
      expect(text).not.toContain("pa55w0rd");
      expect(text).not.toContain("pusher");
    }
  });

  test("a refused connection: PushgatewayError after the tries, no credentials", async () => {
    const port = await closedPort();
    const sink = new PushgatewaySink({
      url: `http://pusher:pa55w0rd@127.0.0.1:${port}`,
      job: "helm-drift",
      clock: recordingClock(),
    });
    await expect(sink.write(METRICS, "replace")).rejects.toThrow(
      new PushgatewayError(
        `cannot push metrics to Pushgateway at http://127.0.0.1:${port}: connection refused (tried 3 times)`,
      ),
    );
  });

  test.each([
    ["ftp://pusher:pa55w0rd@gateway:21", "the Pushgateway URL is not an http(s) URL"],
    ["pusher:pa55w0rd gateway", "the Pushgateway URL is not an http(s) URL"],
    ["http://pusher:pa55w0rd@gateway:9091/?token=x", "the Pushgateway URL must not have a query or fragment"],
  ])("a URL that cannot be used is refused without being printed: %s", (url, message) => {
    expect(() => new PushgatewaySink({ url, job: "helm-drift" })).toThrow(new PushgatewayError(message));
  });

  test("an empty job or a grouping label that is not a label name is refused", () => {
    expect(() => new PushgatewaySink({ url: "http://gateway:9091", job: "" })).toThrow(
      new PushgatewayError("the Pushgateway job name is empty"),
    );
    expect(
      () =>
        new PushgatewaySink({ url: "http://gateway:9091", job: "helm-drift", grouping: { "my-label": "x" } }),
    ).toThrow(
      new PushgatewayError('"my-label" is not a Prometheus label name (for the Pushgateway grouping key)'),
    );
  });
});
