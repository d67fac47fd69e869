import type { ClusterReader } from "../cluster/cluster-reader.js";
import { HelmDriftError } from "../errors.js";
import type { KubeObject, ObjectIdentity, ObjectRef } from "../model/kube.js";
import type { ReleaseData } from "../model/release.js";
import { parseManifest } from "../sources/manifest-documents.js";
import { scanIdentities } from "../sources/manifest-identities.js";
import { isFatal } from "./fatal-errors.js";
import type { Limiter } from "./limiter.js";
import { liveRefOf } from "./locate-resource.js";

/** What liveRefOf needs of an object, so that the parsed object need not be kept. */
function identityOf(object: KubeObject): ObjectIdentity {
  const { name, namespace } = object.metadata;
  return { apiVersion: object.apiVersion, kind: object.kind, metadata: { name, namespace } };
}

/**
 * The live objects the releases' manifests name, each as `get` will ask for it (liveRefOf: the namespace
 * filled in from discovery, as locateResource does), so that a reader can read them in bulk
 * (ClusterReader.prefetch). Only the identities are kept, not the parsed objects: every manifest is read
 * before the first discovery answer comes back. A manifest in the plain shape is not even parsed
 * (src/sources/manifest-identities.ts); the check parses it later anyway. What cannot be named here — a
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
      let identities: ObjectIdentity[];
      try {
        identities = release.documents
          ? release.documents.map(({ object }) => identityOf(object))
          : (scanIdentities(release.manifest) ??
            parseManifest(release.manifest, release.origin).map(({ object }) => identityOf(object)));
      } catch (error) {
        if (error instanceof HelmDriftError && !isFatal(error)) return [];
        throw error;
      }
      return Promise.all(
        identities.map(async (object) => {
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
