/**
 * The scheduled report as a platform team deploys it: helm-drift's own chart (deploy/chart) installed with the
 * real helm, and the pod its CronJob would start run as that pod would (test/e2e/cronjob-pod.ts: the rendered
 * command, args, env and volumes, the chart's ServiceAccount token from the TokenRequest API, in-cluster
 * credentials). Every sink talks to a real server: the webhook to an HTTP server this test starts on 127.0.0.1,
 * metrics to Debian's prometheus-pushgateway, Events and the state ConfigMap to the real kube-apiserver.
 *
 * The runs, in order: a first run on drift (everything is new), a second with nothing changed (no notification,
 * no new Event, metrics updated), a third after the repair (resolved), a fourth with the webhook answering 500
 * (exit 1, state not advanced), a fifth that delivers what the fourth could not. Then the ServiceAccount's
 * writes beyond its ConfigMap and Events are refused (403), and helm-drift checks its own release: in sync.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { DriftReport } from "../../src/model/report.js";
import type { ReportState } from "../../src/schedule/report-state.js";
import { cronJobPodSpec, runCronJobPod } from "./cronjob-pod.js";
import {
  cluster,
  clusterBin,
  freshNamespaceTimed,
  helmDriftTimed,
  kubectlTimed,
  okTimed,
  parseReport,
  type Result,
  repoPath,
  shTimed,
  uninstallRelease,
} from "./harness.js";

const tools = inject("prometheusTools");
const SECRET_PATH = `/services/T0000/B0000/${randomBytes(12).toString("hex")}`;

interface Received {
  path: string;
  body: {
    kind: string;
    changes: {
      firstRun: boolean;
      new: {
        path: string;
        object: { kind: string; name: string };
        fingerprint: string;
        repair: string | null;
      }[];
      resolved: { path: string; fingerprint: string }[];
      reminded: unknown[];
    };
  };
}

/** The webhook: a real HTTP server recording each POST, answering 200 or, when failing, 500. */
class WebhookServer {
  readonly received: Received[] = [];
  attempts = 0;
  failing = false;
  private server: Server | null = null;

  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      void readBody(request).then((body) => {
        this.attempts++;
        if (this.failing) {
          response.writeHead(500).end("internal error");
          return;
        }
        this.received.push({ path: request.url ?? "", body: JSON.parse(body) as Received["body"] });
        response.writeHead(200, { "content-type": "text/plain" }).end("ok");
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${SECRET_PATH}`;
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
  });
}

/** A free port on 127.0.0.1, for the Pushgateway. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Debian's prometheus-pushgateway, started on 127.0.0.1, ready when /-/ready answers. */
async function startPushgateway(binary: string): Promise<{ url: string; stop: () => void }> {
  const port = await freePort();
  const child = spawn(binary, [`--web.listen-address=127.0.0.1:${port}`], { stdio: "ignore" });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    const ready = await fetch(`${url}/-/ready`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) {
      child.kill();
      throw new Error("the Pushgateway did not get ready in 30 s");
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { url, stop: () => child.kill() };
}

/** The value of one sample of the Pushgateway's /metrics: `name{labels…}` with the given labels among them. */
function sample(metrics: string, name: string, labels: Record<string, string>): number | null {
  for (const line of metrics.split("\n")) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const wanted = Object.entries(labels).every(([key, value]) => line.includes(`${key}="${value}"`));
    if (wanted) return Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return null;
}

interface KubeEvent {
  metadata: { name: string };
  reason: string;
  type: string;
  count: number;
  message: string;
  involvedObject: { kind: string; name: string; uid?: string };
}

// Under CI=true the global setup fails when the Prometheus tools cannot be had; locally they may be missing.
describe.skipIf(!cluster.available || tools.reason !== "")(
  "helm-drift report, run as its CronJob's pod would run",
  () => {
    const webhook = new WebhookServer();
    let pushgateway: { url: string; stop: () => void };
    let reportNs: string;
    let appNs: string;
    let spec: ReturnType<typeof cronJobPodSpec>;
    let runs = 0;
    const RELEASE = "helm-drift";
    const APP = "shop";
    const helm = (...args: string[]) => okTimed(clusterBin("helm"), args, { timeoutMs: 120_000 });

    /** One run of the CronJob's pod, as the kubelet would start it. */
    async function runPod(): Promise<Result & { report: DriftReport | null }> {
      runs++;
      const result = await runCronJobPod({
        spec,
        namespace: reportNs,
        podName: `${RELEASE}-manual-${runs}-x7k2p`,
      });
      let report: DriftReport | null = null;
      if (result.stdout.trim() !== "") report = parseReport(result.stdout);
      return { ...result, report };
    }

    const state = async (): Promise<ReportState> => {
      const configMap = JSON.parse(
        await kubectlTimed(["get", "configmap", `${RELEASE}-state`, "-n", reportNs, "-o", "json"]),
      ) as { data?: Record<string, string> };
      return JSON.parse(configMap.data?.["state.json"] ?? "null") as ReportState;
    };
    const events = async (reason: string): Promise<KubeEvent[]> =>
      (
        JSON.parse(
          await kubectlTimed([
            "get",
            "events",
            "-n",
            appNs,
            "--field-selector",
            `reason=${reason}`,
            "-o",
            "json",
          ]),
        ) as { items: KubeEvent[] }
      ).items;
    const metrics = async () => (await fetch(`${pushgateway.url}/metrics`)).text();

    beforeAll(async () => {
      pushgateway = await startPushgateway(tools.pushgateway);
      const webhookUrl = await webhook.start();
      reportNs = await freshNamespaceTimed("hd-report");
      appNs = await freshNamespaceTimed("hd-report-app");
      await helm("install", APP, repoPath("test/e2e/charts/webapp"), "-n", appNs);
      await kubectlTimed([
        "create",
        "secret",
        "generic",
        "drift-webhook",
        "-n",
        reportNs,
        `--from-literal=url=${webhookUrl}`,
      ]);
      // Namespaced mode: the report reads only these two namespaces, with a Role in each.
      await helm(
        "install",
        RELEASE,
        repoPath("deploy/chart"),
        "-n",
        reportNs,
        "--set",
        `namespaces={${appNs},${reportNs}}`,
        "--set",
        "events.enabled=true",
        "--set",
        "webhook.existingSecret=drift-webhook",
        "--set",
        `pushgateway.url=${pushgateway.url}`,
        "--set",
        "clusterName=e2e",
        "--set",
        "timeout=2m",
      );
      spec = cronJobPodSpec(await helm("get", "manifest", RELEASE, "-n", reportNs), RELEASE);
      // The drift: a hand-set image on the app's Deployment.
      await kubectlTimed(["set", "image", `deployment/${APP}-webapp`, "webapp=nginx:hand-set", "-n", appNs]);
    }, 300_000);

    afterAll(async () => {
      pushgateway?.stop();
      await webhook.stop();
      if (appNs) await uninstallRelease(clusterBin("helm"), APP, appNs);
      if (reportNs) await uninstallRelease(clusterBin("helm"), RELEASE, reportNs);
    });

    it("first run: the webhook gets the drift as new, an Event is on the Deployment, metrics and state are written", async () => {
      const run = await runPod();
      expect(run.stderr).toMatch(/^helm-drift report: /m);
      expect(run.code, run.stderr).toBe(0);
      const app = run.report?.releases.find((release) => release.name === APP);
      expect(app?.status).toBe("Drifted");

      expect(webhook.received).toHaveLength(1);
      const first = webhook.received[0];
      expect(first?.path).toBe(SECRET_PATH);
      expect(first?.body.kind).toBe("DriftNotification");
      expect(first?.body.changes.firstRun).toBe(true);
      expect(first?.body.changes.new.map((finding) => finding.path)).toContain(
        "spec.template.spec.containers[name=webapp].image",
      );

      const deployment = JSON.parse(
        await kubectlTimed(["get", "deployment", `${APP}-webapp`, "-n", appNs, "-o", "json"]),
      ) as { metadata: { uid: string } };
      const detected = await events("DriftDetected");
      expect(detected).toHaveLength(1);
      expect(detected[0]).toMatchObject({
        type: "Warning",
        count: 1,
        involvedObject: { kind: "Deployment", name: `${APP}-webapp`, uid: deployment.metadata.uid },
      });
      expect(detected[0]?.message).not.toContain("hand-set");
      const describe = await kubectlTimed(["describe", "deployment", `${APP}-webapp`, "-n", appNs]);
      expect(describe).toContain("DriftDetected");

      const pushed = await metrics();
      expect(sample(pushed, "helm_drift_last_run_success", {})).toBe(1);
      expect(sample(pushed, "helm_drift_release_status", { release: APP, status: "Drifted" })).toBe(1);
      expect(
        sample(pushed, "helm_drift_release_findings", { release: APP, severity: "high" }),
      ).toBeGreaterThan(0);

      const saved = await state();
      expect(Object.values(saved.findings).map((finding) => finding.path)).toContain(
        "spec.template.spec.containers[name=webapp].image",
      );
      // Never a secret: the webhook URL's secret path is in no output.
      expect(run.stdout + run.stderr).not.toContain(SECRET_PATH);
    });

    it("second run, nothing changed: no notification, the same Event counted again, metrics updated", async () => {
      const before = await metrics();
      const run = await runPod();
      expect(run.code, run.stderr).toBe(0);
      expect(webhook.received).toHaveLength(1);
      const detected = await events("DriftDetected");
      expect(detected).toHaveLength(1);
      expect(detected[0]?.count).toBe(2);
      const after = await metrics();
      const pushTime = (text: string) => sample(text, "push_time_seconds", { job: "helm-drift" });
      expect(pushTime(after)).toBeGreaterThan(pushTime(before) ?? 0);
      expect(run.stderr).toContain("nothing new or resolved");
    });

    it("after the repair: a resolved notification and a DriftResolved Event", async () => {
      const newBefore = webhook.received[0]?.body.changes.new.map((finding) => finding.fingerprint) ?? [];
      await kubectlTimed(["rollout", "undo", `deployment/${APP}-webapp`, "-n", appNs]).catch(async () => {
        // No controller-manager, so no ReplicaSet history to undo to: put the rendered image back by hand.
        const image = JSON.parse(await helm("get", "values", APP, "-n", appNs, "--all", "-o", "json")) as {
          image: { registry: string; repository: string; tag: string };
        };
        await kubectlTimed([
          "set",
          "image",
          `deployment/${APP}-webapp`,
          `webapp=${image.image.registry}/${image.image.repository}:${image.image.tag}`,
          "-n",
          appNs,
        ]);
        return "";
      });
      const run = await runPod();
      expect(run.code, run.stderr).toBe(0);
      expect(run.report?.releases.find((release) => release.name === APP)?.status).toBe("InSync");
      expect(webhook.received).toHaveLength(2);
      const resolved = webhook.received[1]?.body.changes.resolved.map((finding) => finding.fingerprint);
      expect(resolved?.sort()).toEqual([...newBefore].sort());
      const repaired = await events("DriftResolved");
      expect(repaired).toHaveLength(1);
      expect(repaired[0]).toMatchObject({ type: "Normal", involvedObject: { name: `${APP}-webapp` } });
      expect(sample(await metrics(), "helm_drift_release_status", { release: APP, status: "InSync" })).toBe(
        1,
      );
    });

    it("the webhook answering 500: exit 1, the state not advanced; the next run delivers", async () => {
      await kubectlTimed([
        "set",
        "image",
        `deployment/${APP}-webapp`,
        "webapp=nginx:second-drift",
        "-n",
        appNs,
      ]);
      const before = await state();
      webhook.failing = true;
      webhook.attempts = 0;
      const failed = await runPod();
      webhook.failing = false;
      expect(failed.code).toBe(1);
      expect(webhook.attempts).toBeGreaterThan(1);
      expect(failed.stderr).toMatch(/webhook: FAILED/);
      expect(failed.stderr).not.toContain(SECRET_PATH);
      expect(failed.report?.releases.find((release) => release.name === APP)?.status).toBe("Drifted");
      const after = await state();
      expect(after.findings).toEqual(before.findings);
      expect(sample(await metrics(), "helm_drift_last_run_success", {})).toBe(0);

      const delivered = await runPod();
      expect(delivered.code, delivered.stderr).toBe(0);
      expect(webhook.received).toHaveLength(3);
      expect(webhook.received[2]?.body.changes.new.map((finding) => finding.path)).toContain(
        "spec.template.spec.containers[name=webapp].image",
      );
      expect(sample(await metrics(), "helm_drift_run_failures_total", {})).toBe(1);
    }, 240_000);

    it("the ServiceAccount may write nothing but its own ConfigMap and Events (403 otherwise)", async () => {
      const token = (
        await kubectlTimed([
          "create",
          "token",
          spec.serviceAccountName ?? "",
          "-n",
          reportNs,
          "--duration",
          "10m",
        ])
      ).trim();
      const as = (args: string[]) => shTimed(clusterBin("kubectl"), [`--token=${token}`, ...args]);
      const forbidden = [
        ["create", "configmap", "other", "-n", reportNs, "--from-literal=a=b"],
        ["delete", "deployment", `${APP}-webapp`, "-n", appNs],
        ["scale", `deployment/${APP}-webapp`, "--replicas=1", "-n", appNs],
        ["label", "secret", "drift-webhook", "x=y", "-n", reportNs],
        ["annotate", "configmap", `${APP}-webapp`, "x=y", "-n", appNs],
        ["create", "namespace", `hd-nope-${randomBytes(2).toString("hex")}`],
      ];
      for (const args of forbidden) {
        const result = await as(args);
        expect({ args, code: result.code, forbidden: /forbidden/i.test(result.stderr) }).toEqual({
          args,
          code: 1,
          forbidden: true,
        });
      }
      // What it may do: read its state ConfigMap (and update it: the runs above did).
      const allowed = await as(["get", "configmap", `${RELEASE}-state`, "-n", reportNs, "-o", "name"]);
      expect({ code: allowed.code, stdout: allowed.stdout.trim() }).toEqual({
        code: 0,
        stdout: `configmap/${RELEASE}-state`,
      });
    });

    it("with the Slack format: an incoming-webhook message with blocks, the fallback text and the repair", async () => {
      await helm(
        "upgrade",
        RELEASE,
        repoPath("deploy/chart"),
        "-n",
        reportNs,
        "--reuse-values",
        "--set",
        "webhook.format=slack",
      );
      spec = cronJobPodSpec(await helm("get", "manifest", RELEASE, "-n", reportNs), RELEASE);
      expect(spec.containers[0]?.args).toContain("--webhook-format=slack");
      await kubectlTimed([
        "set",
        "image",
        `deployment/${APP}-webapp`,
        "webapp=nginx:third-drift",
        "-n",
        appNs,
      ]);
      const run = await runPod();
      expect(run.code, run.stderr).toBe(0);
      const message = webhook.received.at(-1)?.body as unknown as {
        text: string;
        blocks: { type: string; text?: { text: string }; fields?: { text: string }[] }[];
      };
      if (process.env.HELM_DRIFT_E2E_SHOW_SLACK)
        process.stderr.write(`${JSON.stringify(message, null, 2)}\n`);
      expect(message.text).toMatch(/^helm-drift: /);
      expect(message.blocks[0]?.type).toBe("header");
      const texts = JSON.stringify(message.blocks);
      expect(texts).toContain(`${APP}-webapp`);
      expect(texts).toContain("spec.template.spec.containers[name=webapp].image");
      expect(texts).toContain("kubectl");
      expect(texts).not.toContain(SECRET_PATH);
    });

    it("from a laptop: --namespace-selector with a kubeconfig checks exactly the namespaces whose labels match", async () => {
      const mark = randomBytes(4).toString("hex");
      await kubectlTimed(["label", "namespace", appNs, `helm-drift-e2e=${mark}`]);
      const result = await helmDriftTimed(["report", "--namespace-selector", `helm-drift-e2e=${mark}`], {
        env: { HELM_DRIFT_WEBHOOK_URL: "" },
      });
      expect(result.code, result.stderr).toBe(0);
      const report = parseReport(result.stdout);
      expect(report.releases.map((release) => `${release.namespace}/${release.name}`)).toEqual([
        `${appNs}/${APP}`,
      ]);
      expect(result.stderr).toMatch(/^helm-drift report: 1 release, /);
    });

    it("helm-drift checks its own release: in sync", async () => {
      const result = await helmDriftTimed(["check", RELEASE, "-n", reportNs, "-o", "json"]);
      expect(result.code, result.stderr).toBe(0);
      const report = parseReport(result.stdout);
      expect(report.releases[0]?.status).toBe("InSync");
      expect(report.summary.findings).toBe(0);
    });
  },
);
