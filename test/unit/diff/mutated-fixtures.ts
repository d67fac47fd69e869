import type { KubeObject } from "../../../src/model/kube.js";
import { lastAppliedOf, loadCorpusObject } from "./corpus-fixtures.js";

/** A live object's pod spec, typed loosely for mutation in tests. */
// biome-ignore lint/suspicious/noExplicitAny: tests reach into fixture objects by known paths
export type Loose = any;

/**
 * The fluentd-gcp DaemonSet recorded from a GKE cluster (k9s corpus) and the object kubectl applied to create it
 * (its last-applied annotation): a real rendered/live pair in sync, to mutate per case.
 */
export function fluentdPair(): { desired: KubeObject; live: KubeObject } {
  const live = loadCorpusObject("live-objects/k9s/ds.json");
  return { desired: lastAppliedOf(live), live };
}

export function podSpecOf(object: KubeObject): Loose {
  return (object as Loose).spec.template.spec;
}

export interface MutationCase {
  name: string;
  mutate: (pair: { desired: KubeObject; live: KubeObject }) => void;
  expected: string[];
}

/** Each case mutates a fresh copy of the fluentd pair; `expected` are `code path` lines in walk order. */
export const FLUENTD_MUTATIONS: MutationCase[] = [
  {
    name: "volumes removed live is one list-missing for the whole list, not one per volume",
    mutate: ({ live }) => {
      delete podSpecOf(live).volumes;
    },
    expected: ["list-missing spec.template.spec.volumes"],
  },
  {
    name: "serviceAccountName removed live is field-missing",
    mutate: ({ live }) => {
      delete podSpecOf(live).serviceAccountName;
    },
    expected: ["field-missing spec.template.spec.serviceAccountName"],
  },
  {
    name: "nodeSelector removed live is one map-missing",
    mutate: ({ live }) => {
      delete podSpecOf(live).nodeSelector;
    },
    expected: ["map-missing spec.template.spec.nodeSelector"],
  },
  {
    name: "a sidecar container added live is an extra entry",
    mutate: ({ live }) => {
      podSpecOf(live).containers.push({ name: "istio-proxy", image: "docker.io/istio/proxyv2:1.22.0" });
    },
    expected: ["entry-extra spec.template.spec.containers[name=istio-proxy]"],
  },
  {
    name: "a container removed live is entry-missing",
    mutate: ({ live }) => {
      podSpecOf(live).containers.splice(1, 1);
    },
    expected: ["entry-missing spec.template.spec.containers[name=prometheus-to-sd-exporter]"],
  },
  {
    name: "a changed image is value-changed at the container's key",
    mutate: ({ live }) => {
      podSpecOf(live).containers[0].image = "gcr.io/stackdriver-agents/stackdriver-logging-agent:0.7";
    },
    expected: ["value-changed spec.template.spec.containers[name=fluentd-gcp].image"],
  },
  {
    name: "a volumeMount removed live is entry-missing keyed by mountPath",
    mutate: ({ live }) => {
      podSpecOf(live).containers[0].volumeMounts.splice(0, 1);
    },
    expected: [
      "entry-missing spec.template.spec.containers[name=fluentd-gcp].volumeMounts[mountPath=/var/log]",
    ],
  },
  {
    name: "an env var removed live is entry-missing keyed by name",
    mutate: ({ live }) => {
      podSpecOf(live).containers[1].env.splice(1, 1);
    },
    expected: [
      "entry-missing spec.template.spec.containers[name=prometheus-to-sd-exporter].env[name=POD_NAMESPACE]",
    ],
  },
  {
    name: "one changed command argument is one value-changed of the whole atomic command list",
    mutate: ({ live }) => {
      podSpecOf(live).containers[1].command[4] = "--pod-id=other";
    },
    expected: ["value-changed spec.template.spec.containers[name=prometheus-to-sd-exporter].command"],
  },
  {
    name: "tolerations in another order are changed: tolerations are atomic, compared in order",
    mutate: ({ live }) => {
      podSpecOf(live).tolerations.reverse();
    },
    expected: ["value-changed spec.template.spec.tolerations"],
  },
  {
    name: "containers, env vars, volume mounts and volumes in another live order are in sync",
    mutate: ({ live }) => {
      const spec = podSpecOf(live);
      spec.containers.reverse();
      for (const container of spec.containers) {
        container.env?.reverse();
        container.volumeMounts?.reverse();
      }
      spec.volumes.reverse();
    },
    expected: [],
  },
  {
    name: "a label changed live is value-changed; a label added live is not drift",
    mutate: ({ live }) => {
      (live as Loose).metadata.labels.version = "v3.3.0";
      (live as Loose).metadata.labels.team = "logging";
    },
    expected: ["value-changed metadata.labels.version"],
  },
  {
    name: "the incident shape on a DaemonSet: volumes and serviceAccountName gone, a sidecar added, image changed",
    mutate: ({ live }) => {
      const spec = podSpecOf(live);
      delete spec.volumes;
      delete spec.serviceAccountName;
      spec.containers.push({ name: "istio-proxy", image: "docker.io/istio/proxyv2:1.22.0" });
      spec.containers[0].image = "gcr.io/stackdriver-agents/stackdriver-logging-agent:0.7";
    },
    expected: [
      "value-changed spec.template.spec.containers[name=fluentd-gcp].image",
      "entry-extra spec.template.spec.containers[name=istio-proxy]",
      "field-missing spec.template.spec.serviceAccountName",
      "list-missing spec.template.spec.volumes",
    ],
  },
  {
    name: "a container the chart adds that is not live is entry-missing",
    mutate: ({ desired }) => {
      podSpecOf(desired).containers.push({
        name: "log-rotate",
        image: "busybox:1.36",
        args: ["sleep", "3600"],
      });
    },
    expected: ["entry-missing spec.template.spec.containers[name=log-rotate]"],
  },
];
