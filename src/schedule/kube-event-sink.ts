import { httpDetail } from "../cluster/api-responses.js";
import type { ApiResponse, KubeWriteApi } from "../cluster/kube-api-client.js";
import { DeadlineExceededError } from "../cluster/retry.js";
import { ClusterUnreachableError, HelmDriftError, KubeconfigError } from "../errors.js";
import type { EventWrite, KubeEvent } from "./event-plan.js";
import type { EventSink, EventWriteResult } from "./sinks.js";

const MERGE_PATCH = "application/merge-patch+json";

/** What became of one write. */
type Outcome = "created" | "updated" | { reason: string };

/**
 * Writes the planned core/v1 Events one after the other. A create that finds the Event already there (409)
 * patches it instead; a bump whose Event is gone (the API server deletes Events after its `--event-ttl`, one
 * hour by default) creates it whole. A write the API server refuses is recorded with its status and message
 * and the others go on; once the API server cannot be reached at all, the writes left are recorded as not
 * sent rather than each waiting through its own retries. The run's deadline, and errors that are not known
 * failures (bugs), are thrown.
 */
export class KubeEventSink implements EventSink {
  constructor(private readonly api: KubeWriteApi) {}

  async write(writes: readonly EventWrite[]): Promise<EventWriteResult> {
    const result: EventWriteResult = { created: 0, updated: 0, failed: [] };
    let unreachable: string | null = null;
    for (const write of writes) {
      if (unreachable !== null) {
        result.failed.push({ write, reason: `not sent: ${unreachable}` });
        continue;
      }
      let outcome: Outcome;
      try {
        outcome = write.verb === "create" ? await this.create(write) : await this.bump(write);
      } catch (error) {
        if (error instanceof DeadlineExceededError || !(error instanceof HelmDriftError)) throw error;
        if (error instanceof ClusterUnreachableError || error instanceof KubeconfigError) {
          unreachable = error.message;
        }
        outcome = { reason: error.message };
      }
      if (outcome === "created") result.created++;
      else if (outcome === "updated") result.updated++;
      else result.failed.push({ write, reason: outcome.reason });
    }
    return result;
  }

  /** POST the Event; 409: it exists (ours from an earlier try when this was a retry, else patched). */
  private async create(write: EventWrite): Promise<Outcome> {
    const response = await this.api.sendJson("POST", collectionPath(write.event), write.event);
    if (isSuccess(response)) return "created";
    if (response.status !== 409) return failure(response);
    if ((response.attempts ?? 1) > 1) return "created";
    const patched = await this.patch(write);
    return isSuccess(patched) ? "updated" : failure(patched);
  }

  /** PATCH the Event; 404: it expired, so it is created whole. */
  private async bump(write: EventWrite): Promise<Outcome> {
    const response = await this.patch(write);
    if (isSuccess(response)) return "updated";
    if (response.status !== 404) return failure(response);
    const created = await this.api.sendJson("POST", collectionPath(write.event), write.event);
    if (isSuccess(created) || (created.status === 409 && (created.attempts ?? 1) > 1)) return "created";
    return failure(created);
  }

  private patch(write: EventWrite): Promise<ApiResponse> {
    const path = `${collectionPath(write.event)}/${encodeURIComponent(write.event.metadata.name)}`;
    return this.api.sendJson("PATCH", path, write.patch, MERGE_PATCH);
  }
}

function collectionPath(event: KubeEvent): string {
  return `/api/v1/namespaces/${encodeURIComponent(event.metadata.namespace)}/events`;
}

function isSuccess(response: ApiResponse): boolean {
  return response.status >= 200 && response.status < 300;
}

/** `HTTP 403: events is forbidden: User "…" cannot create resource "events" …`: status and message only. */
function failure(response: ApiResponse): Outcome {
  return { reason: httpDetail(response) };
}
