import type { ClusterReader } from "../cluster/cluster-reader.js";
import { HelmDriftError } from "../errors.js";
import type { ObjectRef } from "../model/kube.js";
import type { ReleaseData } from "../model/release.js";
import { parseManifest, type RenderedDocument } from "../sources/manifest-documents.js";
import { isFatal } from "./fatal-errors.js";
import type { Limiter } from "./limiter.js";
import { liveRefOf } from "./locate-resource.js";

/**
 * The live objects the releases' manifests name, each as `get` will ask for it (liveRefOf: the namespace
 * filled in from discovery, as locateResource does), so that a reader can read them in bulk
 * (ClusterReader.prefetch). Only the refs are kept, not the parsed objects. What cannot be named here — a
 * manifest that does not parse, a kind the cluster does not serve, a discovery that failed — is left out:
 * checking that release or object meets the same failure and reports it where it belongs. A failure that
 * stops the whole check (see isFatal) is thrown.
 */
export async function wantedObjects(
  releases: readonly ReleaseData[],
  reader: ClusterReader,
  limit: Limiter,
): Promise<ObjectRef[]> {
  const named = await Promise.all(
    releases.map((release) => {
      let documents: readonly RenderedDocument[];
      try {
        documents = release.documents ?? parseManifest(release.manifest, release.origin);
      } catch (error) {
        if (error instanceof HelmDriftError && !isFatal(error)) return [];
        throw error;
      }
      return Promise.all(
        documents.map(async ({ object }) => {
          try {
            const { info, ref } = await liveRefOf(object, release.namespace, reader, limit);
            return info === null ? [] : [ref];
          } catch (error) {
            if (error instanceof HelmDriftError && !isFatal(error)) return [];
            throw error;
          }
        }),
      );
    }),
  );
  return named.flat(2);
}
