import { describe, expect, test } from "vitest";
import {
  EndpointUrlError,
  originOf,
  splitCredentials,
  webhookUrlFrom,
} from "../../../src/schedule/webhook-url.js";

const SECRET_URL = "https://hooks.example.test/services/T000/B000/SECRETXYZ";

describe("webhookUrlFrom", () => {
  test("HELM_DRIFT_WEBHOOK_URL, trimmed", () => {
    expect(webhookUrlFrom({ HELM_DRIFT_WEBHOOK_URL: ` ${SECRET_URL}\n` }, undefined)?.href).toBe(SECRET_URL);
  });

  test("the environment variable wins over the file", () => {
    const url = webhookUrlFrom({ HELM_DRIFT_WEBHOOK_URL: SECRET_URL }, "https://other.example.test/hook\n");
    expect(url?.href).toBe(SECRET_URL);
  });

  test("the file's first non-empty line, trimmed, when the variable is unset or blank", () => {
    expect(webhookUrlFrom({}, `\n\n  ${SECRET_URL}  \nignored\n`)?.href).toBe(SECRET_URL);
    expect(webhookUrlFrom({ HELM_DRIFT_WEBHOOK_URL: "  " }, `${SECRET_URL}\r\n`)?.href).toBe(SECRET_URL);
  });

  test("neither: no webhook", () => {
    expect(webhookUrlFrom({}, undefined)).toBeNull();
    expect(webhookUrlFrom({ HELM_DRIFT_WEBHOOK_URL: "" }, null)).toBeNull();
  });

  test.each([
    [
      { HELM_DRIFT_WEBHOOK_URL: "hooks.example.test/services/T000/B000/SECRETXYZ" },
      undefined,
      "HELM_DRIFT_WEBHOOK_URL is not an http(s) URL",
    ],
    [
      { HELM_DRIFT_WEBHOOK_URL: "ftp://hooks.example.test/SECRETXYZ" },
      undefined,
      "HELM_DRIFT_WEBHOOK_URL is not an http(s) URL",
    ],
    [{ HELM_DRIFT_WEBHOOK_URL: "https://" }, undefined, "HELM_DRIFT_WEBHOOK_URL is not an http(s) URL"],
    [{}, "SECRETXYZ\n", "the first line of the webhook URL file is not an http(s) URL"],
    [{}, "\n   \n", "the webhook URL file holds no URL (it is empty)"],
  ])("%j / %j: %s, without the value", (env, file, message) => {
    const error = (() => {
      try {
        webhookUrlFrom(env, file);
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(EndpointUrlError);
    expect((error as Error).message).toBe(message);
    expect((error as Error).message).not.toContain("SECRETXYZ");
  });

  test("the file's name, when given, names it in the error", () => {
    expect(() => webhookUrlFrom({}, "not a url", "/etc/helm-drift/webhook-url")).toThrow(
      new EndpointUrlError("the first line of /etc/helm-drift/webhook-url is not an http(s) URL"),
    );
  });
});

describe("originOf and splitCredentials", () => {
  test("the origin keeps scheme, host and port only", () => {
    expect(originOf(new URL("https://u:p@hooks.example.test:8443/services/SECRETXYZ?x=1#y"))).toBe(
      "https://hooks.example.test:8443",
    );
  });

  test("user:password become a Basic header and leave the URL", () => {
    const { url, authorization } = splitCredentials(new URL("https://bot:p%40ss@hooks.example.test/in?x=1"));
    expect(url.href).toBe("https://hooks.example.test/in?x=1");
    expect(authorization).toBe(`Basic ${Buffer.from("bot:p@ss").toString("base64")}`);
  });

  test("no credentials: the URL unchanged, no header", () => {
    const original = new URL(SECRET_URL);
    expect(splitCredentials(original)).toEqual({ url: original, authorization: null });
  });
});
