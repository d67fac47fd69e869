import type { ClusterReader } from "../cluster/cluster-reader.js";
import { InflightCache } from "../cluster/inflight-cache.js";
import { listPages } from "../cluster/list-pages.js";
import { AUTOSCALER_KINDS, type ScaleTarget, scaleTargetOf, targets } from "../model/autoscaler.js";
import type { ObjectRef } from "../model/kube.js";
import type { Limiter } from "./limiter.js";

/**
 * What the autoscalers live in the cluster scale, listed once per namespace for a whole run (HPAs, then KEDA
 * ScaledObjects): every object of a namespace whose replicas an autoscaler's manager wrote asks the same
 * question, and each used to list both kinds again. A kind the cluster does not serve (no KEDA) or that may not
 * be listed adds no target: the replicas change is then graded as anyone else's. A failed list is not kept (the
 * next object of the namespace asks again; see InflightCache).
 */
export class ClusterAutoscalers {
  private readonly byNamespace = new InflightCache<readonly ScaleTarget[]>();

  constructor(
    private readonly reader: ClusterReader,
    private readonly limit: Limiter,
  ) {}

  /** Whether an autoscaler in the object's namespace targets it; never for a cluster-scoped object. */
  async target(ref: ObjectRef): Promise<boolean> {
    const { namespace } = ref;
    if (namespace === null) return false;
    const inNamespace = await this.byNamespace.get(namespace, () => this.listTargets(namespace));
    return inNamespace.some((target) => targets(target, ref));
  }

  private async listTargets(namespace: string): Promise<ScaleTarget[]> {
    const found: ScaleTarget[] = [];
    for (const { apiVersion, kind } of AUTOSCALER_KINDS) {
      const served = await this.limit(() => this.reader.resolve(apiVersion, kind));
      if (!served) continue;
      for await (const page of listPages(this.reader, { apiVersion, kind, namespace }, { limit: 500 })) {
        if (page.status !== "listed") break;
        for (const item of page.items) {
          const target = scaleTargetOf(item, namespace);
          if (target !== null) found.push(target);
        }
      }
    }
    return found;
  }
}
