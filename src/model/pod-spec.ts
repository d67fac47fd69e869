/**
 * The lists of a PodSpec that hold containers, each entry a Container keyed by `name` (k8s.io/api core/v1
 * `PodSpec.Containers`, `InitContainers`, `EphemeralContainers`: `patchMergeKey:"name"`, `+listMapKey=name`).
 * Anything that looks at "every container of a pod" goes through these three, in this order.
 * https://github.com/kubernetes/api/blob/master/core/v1/types.go
 */
export const CONTAINER_LISTS = ["containers", "initContainers", "ephemeralContainers"] as const;

export type ContainerList = (typeof CONTAINER_LISTS)[number];

/** True for `containers`, `initContainers` and `ephemeralContainers`. */
export function isContainerList(field: string): field is ContainerList {
  return (CONTAINER_LISTS as readonly string[]).includes(field);
}
