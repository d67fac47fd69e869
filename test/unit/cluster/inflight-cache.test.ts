import { describe, expect, test } from "vitest";
import { InflightCache } from "../../../src/cluster/inflight-cache.js";

/** A load whose completion the test controls, counting how often it started. */
function deferredLoads() {
  const started: { resolve: (value: string) => void; reject: (error: Error) => void }[] = [];
  const load = () =>
    new Promise<string>((resolve, reject) => {
      started.push({ resolve, reject });
    });
  return { started, load };
}

describe("InflightCache", () => {
  test("concurrent callers of one key share a single load", async () => {
    const cache = new InflightCache<string>();
    const { started, load } = deferredLoads();
    const first = cache.get("apps/v1", load);
    const second = cache.get("apps/v1", load);
    expect(started).toHaveLength(1);
    started[0]?.resolve("kinds");
    await expect(Promise.all([first, second])).resolves.toEqual(["kinds", "kinds"]);
  });

  test("a settled result is kept for later callers; other keys load separately", async () => {
    const cache = new InflightCache<string>();
    const { started, load } = deferredLoads();
    const apps = cache.get("apps/v1", load);
    started[0]?.resolve("apps");
    await apps;
    await expect(cache.get("apps/v1", load)).resolves.toBe("apps");
    void cache.get("batch/v1", load);
    expect(started).toHaveLength(2);
  });

  test("a failure reaches every waiting caller and is forgotten, so the next call loads again", async () => {
    const cache = new InflightCache<string>();
    const { started, load } = deferredLoads();
    const first = cache.get("v1", load);
    const second = cache.get("v1", load);
    started[0]?.reject(new Error("connection refused"));
    await expect(first).rejects.toThrow("connection refused");
    await expect(second).rejects.toThrow("connection refused");
    const retry = cache.get("v1", load);
    expect(started).toHaveLength(2);
    started[1]?.resolve("kinds");
    await expect(retry).resolves.toBe("kinds");
  });

  test("a load that throws synchronously becomes a rejection", async () => {
    const cache = new InflightCache<string>();
    await expect(
      cache.get("v1", () => {
        throw new Error("bug");
      }),
    ).rejects.toThrow("bug");
  });
});
