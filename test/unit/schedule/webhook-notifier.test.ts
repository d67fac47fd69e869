import { describe, expect, test } from "vitest";
import type { RetryClock } from "../../../src/cluster/retry.js";
import { WebhookNotifier } from "../../../src/schedule/webhook-notifier.js";
import {
  type Answer,
  closedPort,
  scriptedServer as receiver,
  recordingClock,
} from "../../helpers/scripted-http-server.js";

/** Slack's secret is the path: it must never appear in a description, reason or error. */
const SECRET_URL = new URL("https://hooks.example.test/services/T000/B000/SECRETXYZ");
const SECRET_PARTS = ["SECRETXYZ", "/services", "T000", "B000", "127.0.0.1"];

const status =
  (code: number, headers: Record<string, string> = {}): Answer =>
  (res) => {
    res.writeHead(code, { "content-type": "text/plain", ...headers });
    res.end(code < 300 ? "ok" : `error ${code}`);
  };
const stall: Answer = () => {};

/** The real fetch, sent to 127.0.0.1:port instead of the URL's host (path and query kept). */
function viaLocal(port: number): typeof fetch {
  return (input, init) => {
    const url = new URL(String(input));
    return fetch(`http://127.0.0.1:${port}${url.pathname}${url.search}`, init);
  };
}

/** Records the waits and never waits. */

function notifierFor(
  port: number,
  clock: RetryClock,
  extra: { timeoutMs?: number; signal?: AbortSignal } = {},
) {
  return new WebhookNotifier({ url: SECRET_URL, fetch: viaLocal(port), clock, ...extra });
}

const PAYLOAD = { text: "2 releases drifted" };
const DESCRIPTION = "webhook at https://hooks.example.test";

describe("WebhookNotifier", () => {
  test("2xx: delivered at once, as a JSON POST to the URL's path", async () => {
    const { port, received } = await receiver([status(200)]);
    const clock = recordingClock();
    expect(await notifierFor(port, clock).send(PAYLOAD)).toEqual({ ok: true, attempts: 1 });
    expect(received.map((r) => [r.method, r.path, r.headers["content-type"], r.body])).toEqual([
      ["POST", "/services/T000/B000/SECRETXYZ", "application/json", JSON.stringify(PAYLOAD)],
    ]);
    expect(clock.waits).toEqual([]);
  });

  test("500 then 200: delivered on the second try, after a backoff of about 1 s", async () => {
    const { port, received } = await receiver([status(500), status(200)]);
    const clock = recordingClock();
    expect(await notifierFor(port, clock).send(PAYLOAD)).toEqual({ ok: true, attempts: 2 });
    expect(received.length).toBe(2);
    expect(clock.waits).toEqual([750]); // equal jitter: between 500 and 1000 ms; random 0.5
  });

  test("500 five times: not delivered, after backoffs of 1, 2, 4 and 8 s (with jitter)", async () => {
    const { port, received } = await receiver([status(500)]);
    const clock = recordingClock();
    expect(await notifierFor(port, clock).send(PAYLOAD)).toEqual({
      ok: false,
      attempts: 5,
      reason: `${DESCRIPTION}: HTTP 500 (tried 5 times)`,
    });
    expect(received.length).toBe(5);
    expect(clock.waits).toEqual([750, 1_500, 3_000, 6_000]);
  });

  test.each([400, 403, 404, 410])("%d is final: a wrong URL will not get better", async (code) => {
    const { port, received } = await receiver([status(code), status(200)]);
    const clock = recordingClock();
    expect(await notifierFor(port, clock).send(PAYLOAD)).toEqual({
      ok: false,
      attempts: 1,
      reason: `${DESCRIPTION}: HTTP ${code} (not retried)`,
    });
    expect(received.length).toBe(1);
    expect(clock.waits).toEqual([]);
  });

  test("408 is retried", async () => {
    const { port } = await receiver([status(408), status(204)]);
    expect(await notifierFor(port, recordingClock()).send(PAYLOAD)).toEqual({ ok: true, attempts: 2 });
  });

  test("429 with Retry-After: 1 waits that second, not the backoff", async () => {
    const { port } = await receiver([status(429, { "retry-after": "1" }), status(200)]);
    const clock = recordingClock();
    expect(await notifierFor(port, clock).send(PAYLOAD)).toEqual({ ok: true, attempts: 2 });
    expect(clock.waits).toEqual([1_000]);
  });

  test("503 with a Retry-After of two minutes waits 30 s at most", async () => {
    const { port } = await receiver([status(503, { "retry-after": "120" }), status(200)]);
    const clock = recordingClock();
    expect(await notifierFor(port, clock).send(PAYLOAD)).toEqual({ ok: true, attempts: 2 });
    expect(clock.waits).toEqual([30_000]);
  });

  test("an attempt with no answer before the timeout is abandoned and retried", async () => {
    const { port, received } = await receiver([stall, status(200)]);
    const clock = recordingClock();
    expect(await notifierFor(port, clock, { timeoutMs: 100 }).send(PAYLOAD)).toEqual({
      ok: true,
      attempts: 2,
    });
    expect(received.length).toBe(2);
  });

  test("no answer every time: not delivered, saying so", async () => {
    const { port } = await receiver([stall]);
    const notifier = new WebhookNotifier({
      url: SECRET_URL,
      fetch: viaLocal(port),
      clock: recordingClock(),
      timeoutMs: 100,
      attempts: 2,
    });
    expect(await notifier.send(PAYLOAD)).toEqual({
      ok: false,
      attempts: 2,
      reason: `${DESCRIPTION}: no answer within 0.1 s (tried 2 times)`,
    });
  });

  test("a redirect is refused, not followed and not retried", async () => {
    const elsewhere = await receiver([status(200)]);
    const { port, received } = await receiver([
      status(307, { location: `http://127.0.0.1:${elsewhere.port}/collect` }),
    ]);
    expect(await notifierFor(port, recordingClock()).send(PAYLOAD)).toEqual({
      ok: false,
      attempts: 1,
      reason: `${DESCRIPTION}: it answered with a redirect, which is not followed`,
    });
    expect(received.length).toBe(1);
    expect(elsewhere.received).toEqual([]);
  });

  test("a refused connection is retried, then reported by its code", async () => {
    const clock = recordingClock();
    expect(await notifierFor(await closedPort(), clock).send(PAYLOAD)).toEqual({
      ok: false,
      attempts: 5,
      reason: `${DESCRIPTION}: connection refused (tried 5 times)`,
    });
    expect(clock.waits.length).toBe(4);
  });

  test("the run's signal aborted during a wait ends the send with its reason", async () => {
    const { port, received } = await receiver([status(500)]);
    const run = new AbortController();
    const deadline = new Error("the run's --timeout passed");
    const clock: RetryClock = {
      random: () => 0.5,
      sleep: (_ms, signal) =>
        new Promise<void>((_resolve, reject) => {
          signal?.addEventListener("abort", () => reject(signal.reason), { once: true });
          run.abort(deadline);
        }),
    };
    await expect(notifierFor(port, clock, { signal: run.signal }).send(PAYLOAD)).rejects.toBe(deadline);
    expect(received.length).toBe(1);
  });

  test("the run's signal aborted during a request ends it with its reason", async () => {
    const { port } = await receiver([stall]);
    const run = new AbortController();
    const deadline = new Error("the run's --timeout passed");
    setTimeout(() => run.abort(deadline), 50);
    await expect(notifierFor(port, recordingClock(), { signal: run.signal }).send(PAYLOAD)).rejects.toBe(
      deadline,
    );
  });

  test("an already aborted run sends nothing", async () => {
    const { port, received } = await receiver([status(200)]);
    const deadline = new Error("the run's --timeout passed");
    const signal = AbortSignal.abort(deadline);
    await expect(notifierFor(port, recordingClock(), { signal }).send(PAYLOAD)).rejects.toBe(deadline);
    expect(received).toEqual([]);
  });

  test("the description names the kind and the origin only", () => {
    const slack = new WebhookNotifier({
      url: new URL("https://hooks.slack.com/services/T000/B000/SECRETXYZ"),
      format: "slack",
    });
    expect(slack.description).toBe("slack webhook at https://hooks.slack.com");
    expect(new WebhookNotifier({ url: SECRET_URL, format: "json" }).description).toBe(DESCRIPTION);
  });

  test("user:password in the URL is sent as Basic authentication, and named nowhere", async () => {
    const { port, received } = await receiver([status(401)]);
    const notifier = new WebhookNotifier({
      url: new URL("https://bot:s3cr%40t@hooks.example.test/in"),
      fetch: viaLocal(port),
      clock: recordingClock(),
    });
    const result = await notifier.send(PAYLOAD);
    expect(result).toEqual({ ok: false, attempts: 1, reason: `${DESCRIPTION}: HTTP 401 (not retried)` });
    expect(received[0]?.headers.authorization).toBe(`Basic ${Buffer.from("bot:s3cr@t").toString("base64")}`);
    expect(notifier.description).toBe(DESCRIPTION);
  });

  test("a network error whose own message holds the URL is reported by its code alone", async () => {
    const leaky: typeof fetch = async (input) => {
      const cause = Object.assign(new Error(`getaddrinfo ENOTFOUND ${String(input)}`), { code: "ENOTFOUND" });
      throw new TypeError(`fetch failed: ${String(input)}`, { cause });
    };
    const notifier = new WebhookNotifier({
      url: SECRET_URL,
      fetch: leaky,
      clock: recordingClock(),
      attempts: 2,
    });
    expect(await notifier.send(PAYLOAD)).toEqual({
      ok: false,
      attempts: 2,
      reason: `${DESCRIPTION}: host name not found (DNS) (tried 2 times)`,
    });
  });

  test("no failure of any kind puts the URL, its path or the secret in a reason or the description", async () => {
    const elsewhere = await receiver([status(200)]);
    const failing = [
      await receiver([status(500)]),
      await receiver([status(404)]),
      await receiver([stall]),
      await receiver([status(302, { location: `http://127.0.0.1:${elsewhere.port}/x` })]),
    ].map(({ port }) => port);
    const texts: string[] = [];
    for (const port of [...failing, await closedPort()]) {
      const notifier = notifierFor(port, recordingClock(), { timeoutMs: 100 });
      const result = await notifier.send(PAYLOAD);
      expect(result.ok).toBe(false);
      if (!result.ok) texts.push(result.reason);
      texts.push(notifier.description);
    }
    expect(texts.length).toBe(10);
    for (const text of texts) {
      expect(text.startsWith(DESCRIPTION)).toBe(true);
      for (const part of SECRET_PARTS) expect(text).not.toContain(part);
    }
  });
});
