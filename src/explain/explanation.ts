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
  /** No `helm upgrade` removes entries or fields added live (nothing Helm sends deletes what it never rendered). */
  | { code: "upgrade-keeps-extra"; paths: string[] }
  /**
   * The release is applied server-side and `managers` own these changed fields: Helm's apply fails with a
   * field-ownership conflict (unless forced).
   */
  | { code: "upgrade-conflict"; paths: string[]; managers: string[] }
  /**
   * The same conflict with an autoscaler (kube-controller-manager, keda-operator): every upgrade meets it again
   * while the chart renders the field the autoscaler owns.
   */
  | { code: "upgrade-conflict-autoscaler"; paths: string[]; managers: string[] }
  /** The chart generates these Secret values (lookup, rand*): the upgrade re-renders and records new ones. */
  | { code: "upgrade-rerenders"; paths: string[]; by: "lookup" | "random" }
  /** A Service port changed live keeps the rendered port's name: the upgrade adds both and the server rejects it. */
  | { code: "upgrade-duplicate-port"; paths: string[] }
  /** Pods created from the template fail: a volumeMount names a volume the pod does not have. */
  | { code: "volume-not-found"; container: string; volume: string; mountPath: string };

export type ExplanationCode = Explanation["code"];
