import { HelmDriftError } from "../errors.js";

/** The environment variable that holds the webhook URL (set from a Secret key by the chart). */
export const WEBHOOK_URL_ENV = "HELM_DRIFT_WEBHOOK_URL";

/**
 * A webhook or Pushgateway URL that cannot be used. The message names where the URL came from, never the URL:
 * a Slack webhook's secret is its path, and a Pushgateway URL may carry `user:password@`.
 */
export class EndpointUrlError extends HelmDriftError {}

/**
 * The webhook URL: HELM_DRIFT_WEBHOOK_URL when it is set and not blank, else the first non-empty line of the
 * file (a mounted Secret key; `fileContents` null or undefined when there is no file), trimmed. null when neither
 * gives one (no webhook is configured). Throws EndpointUrlError when the value is not an http(s) URL.
 */
export function webhookUrlFrom(
  env: Readonly<Record<string, string | undefined>>,
  fileContents: string | null | undefined,
  fileName = "the webhook URL file",
): URL | null {
  const fromEnv = env[WEBHOOK_URL_ENV]?.trim();
  if (fromEnv !== undefined && fromEnv !== "") return httpUrl(fromEnv, WEBHOOK_URL_ENV);
  if (fileContents === undefined || fileContents === null) return null;
  const line = fileContents
    .split(/\r?\n/)
    .map((text) => text.trim())
    .find((text) => text !== "");
  if (line === undefined) throw new EndpointUrlError(`${fileName} holds no URL (it is empty)`);
  return httpUrl(line, `the first line of ${fileName}`);
}

/** `text` as an http(s) URL with a host; `origin` names where it came from in the error (never the text). */
export function httpUrl(text: string, origin: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new EndpointUrlError(`${origin} is not an http(s) URL`);
  }
  if ((url.protocol !== "http:" && url.protocol !== "https:") || url.hostname === "") {
    throw new EndpointUrlError(`${origin} is not an http(s) URL`);
  }
  return url;
}

/** `https://hooks.slack.com`: scheme, host and port only — no user:password@, path, query or fragment. */
export function originOf(url: URL): string {
  return `${url.protocol}//${url.host}`;
}

/**
 * The URL without `user:password@`, and those credentials as a Basic Authorization header (fetch refuses a
 * URL that carries them; RFC 9110 §4.2.4 deprecates them in URLs). null: the URL had none.
 */
export function splitCredentials(url: URL): { url: URL; authorization: string | null } {
  if (url.username === "" && url.password === "") return { url, authorization: null };
  const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  const bare = new URL(url.href);
  bare.username = "";
  bare.password = "";
  return { url: bare, authorization: `Basic ${Buffer.from(credentials, "utf8").toString("base64")}` };
}
