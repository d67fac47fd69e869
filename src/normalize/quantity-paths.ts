/**
 * Where a value is a resource quantity, so that `1` = `"1"` = `1000m` and `1024Mi` = `1Gi` (see quantity.ts).
 * Matched on field names only (list entries add no name), from the end of the path, so the rule holds wherever
 * a pod spec is embedded — Deployments, CronJobs, custom resources.
 * Fields: k8s.io/api core/v1 ResourceRequirements, EmptyDirVolumeSource.sizeLimit, ResourceFieldSelector.divisor,
 * PodSpec.overhead, RuntimeClass overhead.podFixed, ResourceQuotaSpec.hard, LimitRangeItem, PersistentVolumeSpec.capacity,
 * https://github.com/kubernetes/api/blob/master/core/v1/types.go; autoscaling/v2 MetricTarget.value/averageValue
 * (an HPA's `averageValue: 0.5` reads back `500m`), https://github.com/kubernetes/api/blob/master/autoscaling/v2/types.go
 */
const LIMIT_RANGE_BOUNDS = new Set(["max", "min", "default", "defaultRequest", "maxLimitRequestRatio"]);

export function isQuantityPath(kind: string, fieldNames: readonly string[]): boolean {
  const n = fieldNames.length;
  const last = fieldNames[n - 1];
  const parent = fieldNames[n - 2];
  const grandparent = fieldNames[n - 3];
  if (last === undefined) return false;
  if (grandparent === "resources" && (parent === "limits" || parent === "requests")) return true;
  if (parent === "emptyDir" && last === "sizeLimit") return true;
  if (parent === "resourceFieldRef" && last === "divisor") return true;
  if (parent === "overhead" || (grandparent === "overhead" && parent === "podFixed")) return true;
  if (parent === "capacity" || parent === "allocatable") return true;
  if (kind === "ResourceQuota" && parent === "hard") return true;
  if (
    kind === "HorizontalPodAutoscaler" &&
    parent === "target" &&
    (last === "value" || last === "averageValue")
  ) {
    return true;
  }
  if (
    kind === "LimitRange" &&
    grandparent === "limits" &&
    parent !== undefined &&
    LIMIT_RANGE_BOUNDS.has(parent)
  ) {
    return true;
  }
  return false;
}
