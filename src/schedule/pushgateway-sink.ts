import { HelmDriftError } from "../errors.js";
import type { MetricsSink } from "./sinks.js";
import { type HttpSendOptions, httpRetryPolicy, sendWithRetries } from "./webhook-notifier.js";
import { EndpointUrlError, httpUrl, originOf, splitCredentials } from "./webhook-url.js";

/** A push the Pushgateway did not take. Names the gateway's origin only (never `user:password@`). */
export class PushgatewayError extends HelmDriftError {}

export const PROMETHEUS_TEXT_FORMAT = "text/plain; version=0.0.4; charset=utf-8";

export interface PushgatewaySinkOptions extends HttpSendOptions {
  /** The Pushgateway's base URL (a path prefix is kept); `user:password@` is sent as Basic authentication. */
  url: string;
  job: string;
  /** Further grouping labels, in this order, after the job. */
  grouping?: Readonly<Record<string, string>>;
}

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * One URL segment pair of the grouping key, as the Pushgateway README ("URL") specifies: a value with a `/`
 * (which even URI-encoded would split the path) or an empty one (a `//` the path cleaning would drop) goes as
 * `name@base64/VALUE` in the URL-safe base64 alphabet of RFC 4648 §5 (`=` alone for the empty value), as does
 * `.` or `..` (a URL resolves them as dot segments); any other value is URI-encoded.
 * https://github.com/prometheus/pushgateway/blob/master/README.md#url
 */
export function groupingSegment(name: string, value: string): string {
  if (value === "") return `${name}@base64/=`;
  if (value.includes("/") || value === "." || value === "..")
    return `${name}@base64/${Buffer.from(value, "utf8").toString("base64url")}`;
  return `${name}/${encodeURIComponent(value)}`;
}

/**
 * Pushes the metrics of a run to a Prometheus Pushgateway, under `/metrics/job/JOB{/LABEL/VALUE}`. `replace`
 * is a PUT (the whole group is replaced: a completed run's metrics, and nothing stale beside them); `merge` is
 * a POST (only the metric families pushed are replaced: a failed run updates its failure metrics and keeps the
 * last completed run's findings). Retried like a webhook, 3 tries by default.
 */
export class PushgatewaySink implements MetricsSink {
  readonly description: string;
  private readonly url: URL;
  private readonly authorization: string | null;

  private readonly send: HttpSendOptions;

  constructor(options: PushgatewaySinkOptions) {
    const { url: _url, job: _job, grouping: _grouping, ...send } = options;
    this.send = send;
    let parsed: URL;
    try {
      parsed = httpUrl(options.url, "the Pushgateway URL");
    } catch (error) {
      if (error instanceof EndpointUrlError) throw new PushgatewayError(error.message, { cause: error });
      throw error;
    }
    if (parsed.search !== "" || parsed.hash !== "") {
      throw new PushgatewayError("the Pushgateway URL must not have a query or fragment");
    }
    if (options.job === "") throw new PushgatewayError("the Pushgateway job name is empty");
    const pairs: [string, string][] = [["job", options.job], ...Object.entries(options.grouping ?? {})];
    for (const [name] of pairs) {
      if (!LABEL_NAME.test(name)) {
        throw new PushgatewayError(
          `"${name}" is not a Prometheus label name (for the Pushgateway grouping key)`,
        );
      }
    }
    const split = splitCredentials(parsed);
    const base = split.url.pathname.replace(/\/+$/, "");
    const url = new URL(split.url.href);
    url.pathname = `${base}/metrics/${pairs.map(([name, value]) => groupingSegment(name, value)).join("/")}`;
    this.url = url;
    this.authorization = split.authorization;
    this.description = `Pushgateway at ${originOf(parsed)}`;
  }

  async write(text: string, mode: "replace" | "merge"): Promise<void> {
    const outcome = await sendWithRetries(
      {
        url: this.url,
        method: mode === "replace" ? "PUT" : "POST",
        headers: {
          "content-type": PROMETHEUS_TEXT_FORMAT,
          ...(this.authorization === null ? {} : { authorization: this.authorization }),
        },
        body: text,
      },
      { ...this.send, policy: httpRetryPolicy(this.send.attempts ?? 3), refusalDetail: true },
    );
    if (!outcome.ok)
      throw new PushgatewayError(`cannot push metrics to ${this.description}: ${outcome.problem}`);
  }
}
