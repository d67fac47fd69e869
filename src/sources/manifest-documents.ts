import { InputError } from "../errors.js";
import { formatIdentity, groupOf, type KubeObject, refOf } from "../model/kube.js";
import type { RenderedDocument } from "../model/release.js";
import { isListKind, listItem, toKubeObject } from "./kube-object-shape.js";
import { parseYamlStream } from "./kube-yaml.js";

/** One object of a rendered manifest, with the template it came from and where it starts. */
export type { RenderedDocument };

const SOURCE_COMMENT = /^\s*#\s*Source:\s*(\S.*?)\s*$/m;

function sourceOf(preamble: string): string | null {
  return SOURCE_COMMENT.exec(preamble)?.[1] ?? null;
}

/** Same object for the API server: group (not version), kind, namespace, name. */
function identityKey(object: KubeObject): string {
  const { apiVersion, kind, metadata } = object;
  return JSON.stringify([groupOf(apiVersion), kind, metadata.namespace ?? null, metadata.name]);
}

/**
 * The objects of a manifest as `helm get manifest` prints it: `---`-separated documents, each preceded by
 * `# Source: chart/templates/file.yaml`. Empty documents are skipped; `List` objects are expanded into their
 * items (Helm flattens them too). An object that appears twice is an error: Helm would refuse it.
 */
export function parseManifest(text: string, origin: string): RenderedDocument[] {
  const rendered: RenderedDocument[] = [];
  const firstLine = new Map<string, number>();
  const add = (value: unknown, source: string | null, line: number) => {
    const object = toKubeObject(value, origin, line);
    const key = identityKey(object);
    const previous = firstLine.get(key);
    if (previous !== undefined) {
      throw new InputError(
        origin,
        `duplicate object ${formatIdentity(refOf(object))} (first at line ${previous})`,
        line,
      );
    }
    firstLine.set(key, line);
    rendered.push({ object, source, line });
  };

  for (const document of parseYamlStream(text, origin)) {
    if (document.value === null || document.value === undefined) continue;
    const source = sourceOf(document.preamble);
    if (isListKind(document.value)) {
      const list = document.value;
      list.items.forEach((item, index) => {
        add(listItem(list, item), source, document.itemLine(index));
      });
    } else {
      add(document.value, source, document.line);
    }
  }
  return rendered;
}

/**
 * A manifest file the user gave must render something: an empty one (most often a `helm get manifest` that
 * failed before the pipe) would otherwise pass as in sync. Throws InputError naming the file. Returns the
 * parsed documents, for the release to carry (ReleaseData.documents): parsing a manifest twice was a third of
 * an offline check of 20 000 objects (bench/offline-scale.mjs).
 */
export function requireRenderedObjects(text: string, origin: string): RenderedDocument[] {
  const documents = parseManifest(text, origin);
  if (documents.length === 0) {
    throw new InputError(
      origin,
      "no rendered objects (an empty manifest; with --manifest -, did the command before the pipe fail?)",
    );
  }
  return documents;
}
