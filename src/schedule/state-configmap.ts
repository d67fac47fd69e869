import { httpDetail } from "../cluster/api-responses.js";
import type { ApiResponse, KubeApi, KubeWriteApi } from "../cluster/kube-api-client.js";
import { DeadlineExceededError } from "../cluster/retry.js";
import { HelmDriftError } from "../errors.js";
import { isPlainObject } from "../model/kube.js";
import { parseState, type ReportState, STATE_KEY, serializeState } from "./report-state.js";
import type { LoadedState, StateStore } from "./sinks.js";

/** The state ConfigMap could not be read (403, an answer that is not a ConfigMap, the server unreachable). */
export class StateReadError extends HelmDriftError {
  constructor(
    readonly where: string,
    problem: string,
    options?: { cause?: unknown },
  ) {
    super(`cannot read the state ConfigMap ${where}: ${problem}`, options);
  }
}

/** The state ConfigMap could not be written: this run's state is lost, the next run repeats its reports. */
export class StateWriteError extends HelmDriftError {
  constructor(
    readonly where: string,
    problem: string,
    options?: { cause?: unknown },
  ) {
    super(`cannot write the state ConfigMap ${where}: ${problem}`, options);
  }
}

type ConfigMap = Record<string, unknown> & { metadata?: Record<string, unknown>; data?: unknown };

export const MANAGED_BY_LABEL = { "app.kubernetes.io/managed-by": "helm-drift" } as const;

/**
 * The report state in one key (STATE_KEY) of a ConfigMap. The ConfigMap may belong to helm-drift's own Helm
 * release, rendered with no `data` so that a `helm upgrade` keeps what the runs wrote: this store therefore
 * only ever writes that one `data` key and leaves every other field as read (Helm's labels and annotations,
 * other keys, binaryData). An update is a PUT of the object read, carrying its resourceVersion, so a run that
 * raced another one fails with 409 Conflict instead of overwriting it.
 */
export class ConfigMapStateStore implements StateStore {
  readonly where: string;
  /** The ConfigMap each LoadedState was read from, for the PUT (LoadedState itself has no room for it). */
  private readonly read = new WeakMap<LoadedState, ConfigMap>();

  constructor(
    private readonly api: KubeApi & KubeWriteApi,
    private readonly target: { namespace: string; name: string },
  ) {
    this.where = `${target.namespace}/${target.name}`;
  }

  private get collectionPath(): string {
    return `/api/v1/namespaces/${encodeURIComponent(this.target.namespace)}/configmaps`;
  }

  private get objectPath(): string {
    return `${this.collectionPath}/${encodeURIComponent(this.target.name)}`;
  }

  async load(): Promise<LoadedState> {
    const response = await this.request(() => this.api.getJson(this.objectPath), StateReadError);
    if (response.status === 404) {
      return { state: null, firstRunReason: `no state ConfigMap ${this.where} yet`, resourceVersion: null };
    }
    if (response.status !== 200) throw new StateReadError(this.where, refusal(response, "get"));
    const configMap = response.body;
    const metadata = isPlainObject(configMap) ? configMap.metadata : undefined;
    const version = isPlainObject(metadata) ? metadata.resourceVersion : undefined;
    if (!isPlainObject(configMap) || typeof version !== "string") {
      throw new StateReadError(this.where, "the API server's answer is not a ConfigMap");
    }
    const data = isPlainObject(configMap.data) ? configMap.data : {};
    const text = data[STATE_KEY];
    const parsed = parseState(typeof text === "string" ? text : undefined);
    const loaded: LoadedState =
      parsed.state !== null
        ? { state: parsed.state, firstRunReason: null, resourceVersion: version }
        : {
            state: null,
            firstRunReason:
              typeof text === "string" && text.trim() !== ""
                ? `the state in ConfigMap ${this.where} is unreadable: ${parsed.reason}`
                : `no state in ConfigMap ${this.where} yet`,
            resourceVersion: version,
          };
    this.read.set(loaded, configMap as ConfigMap);
    return loaded;
  }

  async save(state: ReportState, loaded: LoadedState): Promise<void> {
    const text = serializeState(state);
    if (loaded.resourceVersion === null) return this.create(text);
    const read = this.read.get(loaded);
    if (read === undefined) {
      throw new Error(
        `ConfigMapStateStore.save: the LoadedState of ${this.where} was not read by this store`,
      );
    }
    const { managedFields: _, ...metadata } = read.metadata ?? {};
    const data = isPlainObject(read.data) ? read.data : {};
    const update = {
      ...read,
      metadata: { ...metadata, resourceVersion: loaded.resourceVersion },
      data: { ...data, [STATE_KEY]: text },
    };
    const response = await this.request(
      () => this.api.sendJson("PUT", this.objectPath, update),
      StateWriteError,
    );
    if (response.status === 200 || response.status === 201) return;
    if (response.status === 409) return this.conflict(response, text);
    if (response.status === 404) {
      throw new StateWriteError(this.where, "it was deleted since this run read it");
    }
    throw new StateWriteError(this.where, refusal(response, "update"));
  }

  private async create(text: string): Promise<void> {
    const configMap = {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: this.target.name, namespace: this.target.namespace, labels: { ...MANAGED_BY_LABEL } },
      data: { [STATE_KEY]: text },
    };
    const response = await this.request(
      () => this.api.sendJson("POST", this.collectionPath, configMap),
      StateWriteError,
    );
    if (response.status === 201 || response.status === 200) return;
    if (response.status === 409) return this.conflict(response, text);
    if (response.status === 403) {
      throw new StateWriteError(
        this.where,
        `the ServiceAccount may not create it (${httpDetail(response)}); helm-drift's chart creates it, ` +
          "and a `helm upgrade` of helm-drift's release restores it",
      );
    }
    throw new StateWriteError(this.where, refusal(response, "create"));
  }

  /**
   * 409 Conflict (update) or AlreadyExists (create). After a retry it may be this run's own first try that
   * landed: the ConfigMap is read again, and holding exactly this run's state means the write is done.
   */
  private async conflict(response: ApiResponse, text: string): Promise<void> {
    if ((response.attempts ?? 1) > 1) {
      const again = await this.request(() => this.api.getJson(this.objectPath), StateWriteError);
      const data = isPlainObject(again.body) ? again.body.data : undefined;
      if (again.status === 200 && isPlainObject(data) && data[STATE_KEY] === text) return;
    }
    throw new StateWriteError(
      this.where,
      "it was changed by someone else since this run read it (two runs at once?)",
    );
  }

  /**
   * Sends a request; a failure to reach the API server becomes `ErrorClass` naming the ConfigMap. The run's
   * deadline and anything that is not a known failure (a bug) pass through unchanged.
   */
  private async request(
    send: () => Promise<ApiResponse>,
    ErrorClass: typeof StateReadError | typeof StateWriteError,
  ): Promise<ApiResponse> {
    try {
      return await send();
    } catch (error) {
      if (error instanceof DeadlineExceededError || !(error instanceof HelmDriftError)) throw error;
      throw new ErrorClass(this.where, error.message, { cause: error });
    }
  }
}

/** `the ServiceAccount may not get it (HTTP 403: configmaps "x" is forbidden: …)`, or the status and message. */
function refusal(response: ApiResponse, verb: string): string {
  if (response.status === 403) return `the ServiceAccount may not ${verb} it (${httpDetail(response)})`;
  if (response.status === 401)
    return `the API server did not accept the credentials (${httpDetail(response)})`;
  return httpDetail(response);
}
