import { groupOf, isPlainObject, type KubeObject, type ObjectRef } from "./kube.js";

/**
 * The field managers that write `spec.replicas` for an autoscaler: the HorizontalPodAutoscaler controller runs
 * in kube-controller-manager and scales through the scale subresource under that name; KEDA drives scaling
 * through an HPA it creates (so the same name), and scales to and from zero itself as keda-operator. A
 * person's `kubectl scale` writes as `kubectl` (subresource scale, observed on kubectl 1.34), a `kubectl
 * patch` as `kubectl-patch`: a hand scale.
 */
const AUTOSCALER_MANAGERS: ReadonlySet<string> = new Set(["kube-controller-manager", "keda-operator"]);

export function isAutoscalerManager(manager: string): boolean {
  return AUTOSCALER_MANAGERS.has(manager);
}

/**
 * The kinds that scale another object's replicas, and where they name it. A VerticalPodAutoscaler is not
 * here: it changes the resources of pods it recreates (or resizes in place), never the workload's template or
 * replicas, so it explains no drift of the rendered object.
 * - HorizontalPodAutoscaler (autoscaling/v1, v2): `spec.scaleTargetRef` {apiVersion, kind, name};
 * - KEDA ScaledObject (keda.sh/v1alpha1): `spec.scaleTargetRef` {name, kind = Deployment, apiVersion = apps/v1}
 *   (https://keda.sh/docs/latest/reference/scaledobject-spec/).
 */
export const AUTOSCALER_KINDS: readonly { apiVersion: string; kind: string }[] = [
  { apiVersion: "autoscaling/v2", kind: "HorizontalPodAutoscaler" },
  { apiVersion: "keda.sh/v1alpha1", kind: "ScaledObject" },
];

export interface ScaleTarget {
  group: string;
  kind: string;
  namespace: string | null;
  name: string;
}

/** The object an autoscaler scales, or null when `object` is not an autoscaler (or names no target). */
export function scaleTargetOf(object: KubeObject, namespace: string | null): ScaleTarget | null {
  const group = groupOf(object.apiVersion);
  const isHpa = group === "autoscaling" && object.kind === "HorizontalPodAutoscaler";
  const isScaledObject = group === "keda.sh" && object.kind === "ScaledObject";
  if (!isHpa && !isScaledObject) return null;
  const spec = isPlainObject(object.spec) ? object.spec : {};
  const target = isPlainObject(spec.scaleTargetRef) ? spec.scaleTargetRef : null;
  if (target === null || typeof target.name !== "string") return null;
  const apiVersion =
    typeof target.apiVersion === "string" ? target.apiVersion : isScaledObject ? "apps/v1" : "";
  const kind = typeof target.kind === "string" ? target.kind : isScaledObject ? "Deployment" : "";
  return {
    group: groupOf(apiVersion),
    kind,
    namespace: object.metadata.namespace ?? namespace,
    name: target.name,
  };
}

/** Whether an autoscaler's target is this object (an autoscaler only scales objects of its own namespace). */
export function targets(target: ScaleTarget, ref: ObjectRef): boolean {
  return (
    target.name === ref.name &&
    target.kind === ref.kind &&
    target.group === groupOf(ref.apiVersion) &&
    (target.namespace === null || target.namespace === ref.namespace)
  );
}
