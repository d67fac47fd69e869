import type { FieldOwner } from "../model/finding.js";
import type { UpgradePatchMechanism } from "./self-heal.js";

/**
 * Why a resource drifted and whether `helm upgrade` repairs it: facts only. The words are in
 * src/catalogue/messages.ts (`explanationText`). Paths are formatted (`spec.template.spec.volumes`).
 */
export type Explanation =
  /** The object is in the release but not in the cluster; `helm upgrade` creates it. */
  | { code: "object-missing" }
  /** The cluster does not serve the kind (its CRD is not installed): the object cannot exist. */
  | { code: "kind-not-served" }
  /** managedFields says `owner` last wrote these drifted fields. */
  | { code: "written-by"; owner: FieldOwner; paths: string[] }
  /** Fields missing live that no manager claims: removed, or never applied. `managers`: who wrote the object. */
  | { code: "missing-unowned"; paths: string[]; managers: FieldOwner[] }
  /** The live object carries no managedFields (`kubectl get` hides them; old objects lack them). */
  | { code: "managed-fields-absent" }
  | { code: "last-applied-absent" }
  | { code: "last-applied-unreadable"; reason: "not-json" | "not-an-object" }
  /** The last `kubectl apply` did not send these missing fields; `tracked`: what it sent near them. */
  | { code: "last-applied-lacks"; lacking: string[]; tracked: { at: string; fields: string[] }[] }
  /** The live value of these fields is exactly what the last `kubectl apply` sent. */
  | { code: "last-applied-matches-live"; paths: string[] }
  /** The last `kubectl apply` sent these fields, yet they are missing or different live now. */
  | { code: "last-applied-differs-from-live"; paths: string[] }
  /** The next `helm upgrade` re-sends these missing or changed fields. */
  | { code: "upgrade-restores"; mechanism: UpgradePatchMechanism; paths: string[] }
  /** The next `helm upgrade` does not re-send these missing or changed fields. */
  | { code: "upgrade-does-not-restore"; mechanism: UpgradePatchMechanism; paths: string[] }
  /** No `helm upgrade` removes entries added live (no patch mechanism deletes what the old manifest lacked). */
  | { code: "upgrade-keeps-extra"; paths: string[] }
  /** Pods created from the template fail: a volumeMount names a volume the pod does not have. */
  | { code: "volume-not-found"; container: string; volume: string; mountPath: string };

export type ExplanationCode = Explanation["code"];
