import type { ListType } from "./list-type.js";

/**
 * List types inside a PodSpec, relative to the pod spec, from k8s.io/api core/v1 `patchMergeKey` /
 * `+listType=map` / `+listMapKey` markers (the keys server-side apply uses).
 * https://github.com/kubernetes/api/blob/master/core/v1/types.go
 * Lists not named here (command, args, envFrom, tolerations, readinessGates, …) are atomic.
 */
const byName: ListType = { type: "map", keys: ["name"] };

const CONTAINER_LISTS: ReadonlyArray<[string, ListType]> = [
  ["env", byName],
  ["ports", { type: "map", keys: ["containerPort", "protocol"] }],
  ["volumeMounts", { type: "map", keys: ["mountPath"] }],
  ["volumeDevices", { type: "map", keys: ["devicePath"] }],
  ["resources.claims", byName],
];

const CONTAINER_KINDS = ["containers", "initContainers", "ephemeralContainers"] as const;

export const POD_SPEC_LIST_TYPES: ReadonlyMap<string, ListType> = new Map<string, ListType>([
  ...CONTAINER_KINDS.map((list): [string, ListType] => [list, byName]),
  ...CONTAINER_KINDS.flatMap((list) =>
    CONTAINER_LISTS.map(([field, type]): [string, ListType] => [`${list}.${field}`, type]),
  ),
  ["volumes", byName],
  ["imagePullSecrets", byName],
  ["schedulingGates", byName],
  ["resourceClaims", byName],
  ["resources.claims", byName],
  ["hostAliases", { type: "map", keys: ["ip"] }],
  ["topologySpreadConstraints", { type: "map", keys: ["topologyKey", "whenUnsatisfiable"] }],
]);
