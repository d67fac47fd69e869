import { CONTAINER_LISTS } from "../model/pod-spec.js";
import type { ListType } from "./list-type.js";

/**
 * List types inside a PodSpec, relative to the pod spec, from k8s.io/api core/v1 `patchMergeKey` /
 * `+listType=map` / `+listMapKey` markers (the keys server-side apply uses).
 * https://github.com/kubernetes/api/blob/master/core/v1/types.go
 * Lists not named here (command, args, envFrom, tolerations, readinessGates, …) are atomic.
 */
const byName: ListType = { type: "map", keys: ["name"] };

/** Keyed lists inside each container, relative to the container. */
const LISTS_IN_CONTAINER: ReadonlyArray<[string, ListType]> = [
  ["env", byName],
  ["ports", { type: "map", keys: ["containerPort", "protocol"] }],
  ["volumeMounts", { type: "map", keys: ["mountPath"] }],
  ["volumeDevices", { type: "map", keys: ["devicePath"] }],
  ["resources.claims", byName],
];

export const POD_SPEC_LIST_TYPES: ReadonlyMap<string, ListType> = new Map<string, ListType>([
  ...CONTAINER_LISTS.map((list): [string, ListType] => [list, byName]),
  ...CONTAINER_LISTS.flatMap((list) =>
    LISTS_IN_CONTAINER.map(([field, type]): [string, ListType] => [`${list}.${field}`, type]),
  ),
  ["volumes", byName],
  ["imagePullSecrets", byName],
  ["schedulingGates", byName],
  ["resourceClaims", byName],
  ["resources.claims", byName],
  ["hostAliases", { type: "map", keys: ["ip"] }],
  ["topologySpreadConstraints", { type: "map", keys: ["topologyKey", "whenUnsatisfiable"] }],
]);
