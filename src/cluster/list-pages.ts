import { ApiServerError } from "./api-server-error.js";
import type { ClusterReader, ListOptions, ListResult, ListScope } from "./cluster-reader.js";

/**
 * Every page of a list, in order, following `continue` tokens: a page is requested only when the caller asks
 * for the next one, so a caller can stream a large list and stop early (`break` ends the loop; no further
 * request is made). Yields each ListResult as the reader returns it; a `forbidden` or `kind-not-served`
 * result is yielded and ends the iteration, as does a page whose `continue` is null.
 *
 *     for await (const page of listPages(reader, { apiVersion: "v1", kind: "ConfigMap", namespace }, { limit: 500 })) {
 *       if (page.status !== "listed") return page.reason;
 *       for (const object of page.items) …
 *     }
 */
export async function* listPages(
  reader: ClusterReader,
  scope: ListScope,
  options: Omit<ListOptions, "continue"> = {},
): AsyncGenerator<ListResult, void, undefined> {
  let token: string | undefined;
  const seen = new Set<string>();
  for (;;) {
    const page = await reader.list(scope, token === undefined ? options : { ...options, continue: token });
    yield page;
    if (page.status !== "listed" || page.continue === null) return;
    // A server that hands out a token it already gave would make this loop forever.
    if (seen.has(page.continue)) {
      throw new ApiServerError(`listing ${scope.kind}: the same continue token came back twice`);
    }
    seen.add(page.continue);
    token = page.continue;
  }
}
