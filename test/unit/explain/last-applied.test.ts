import { describe, expect, it } from "vitest";
import {
  type Coverage,
  coverageOf,
  readLastApplied,
  trackedNear,
} from "../../../src/explain/last-applied.js";
import type { KubeObject } from "../../../src/model/kube.js";
import { formatPath, type PathSegment } from "../../../src/model/path.js";
import { corpusObject } from "./corpus.js";
import { incidentDiffFindings, incidentLive } from "./incident-arc.js";

const f = (name: string): PathSegment => ({ kind: "field", name });
const ANNOTATION = "kubectl.kubernetes.io/last-applied-configuration";

function withAnnotation(text: string | undefined): KubeObject {
  const live = incidentLive();
  if (text === undefined) delete live.metadata.annotations?.[ANNOTATION];
  else (live.metadata.annotations ?? {})[ANNOTATION] = text;
  return live;
}

describe("readLastApplied", () => {
  it("reads the configuration of the last kubectl apply", () => {
    const lastApplied = readLastApplied(incidentLive());
    expect(lastApplied.status).toBe("present");
    if (lastApplied.status === "present") expect(lastApplied.config.kind).toBe("AutoscalingRunnerSet");
  });

  it("reads a real annotation written by kubectl", () => {
    const lastApplied = readLastApplied(
      corpusObject("live-vs-desired/kubectl-apply/rc-managedfields-lastapplied.yaml"),
    );
    expect(lastApplied).toMatchObject({ status: "present", config: { kind: "ReplicationController" } });
  });

  it.each([
    ["absent", undefined, { status: "absent" }],
    ["truncated JSON as unreadable", '{"spec":{"template":', { status: "unreadable", reason: "not-json" }],
    [
      "a JSON value that is not an object as unreadable",
      "[1,2]",
      { status: "unreadable", reason: "not-an-object" },
    ],
    ["an empty annotation as unreadable", "", { status: "unreadable", reason: "not-json" }],
  ])("reports %s", (_name, text, expected) => {
    expect(readLastApplied(withAnnotation(text))).toEqual(expected);
  });
});

describe("coverageOf in the incident", () => {
  const live = incidentLive();
  const lastApplied = readLastApplied(live);
  if (lastApplied.status !== "present") throw new Error("the incident fixture has a last-applied annotation");
  const { config } = lastApplied;

  it.each(incidentDiffFindings().map((finding) => [formatPath(finding.path), finding.path] as const))(
    "says the annotation lacks %s",
    (_name, path) => {
      expect(coverageOf(config, live, path)).toBe("lacks");
    },
  );

  it("says the runner container it sent matches live", () => {
    const path = [
      ...["spec", "template", "spec", "containers"].map(f),
      { kind: "key", key: { name: "runner" }, index: 0, liveIndex: 0 } as const,
    ];
    expect(coverageOf(config, live, path)).toBe("matches-live");
  });

  it("says a value it sent that changed since differs from live", () => {
    const changed = incidentLive();
    (changed.spec as Record<string, unknown>).maxRunners = 9;
    expect(coverageOf(config, changed, [f("spec"), f("maxRunners")])).toBe("differs-from-live");
  });

  it("names what the annotation tracks next to the lacking fields", () => {
    const near = trackedNear(config, incidentDiffFindings()[0]?.path ?? []);
    expect(near && { at: formatPath(near.at), fields: near.fields }).toEqual({
      at: "spec.template.spec",
      fields: ["containers"],
    });
  });
});

describe("coverageOf a port kubectl applied without protocol (the server stored protocol TCP)", () => {
  const DEPLOYMENT = "live-vs-desired/gitops-engine/deployment-live.json";
  const RC = "live-vs-desired/kubectl-apply/rc-managedfields-lastapplied.yaml";
  const K9S_DEPLOYMENT = "live-objects/k9s/dp.json";
  const SERVICE = "live-vs-desired/gitops-engine/smd-service-live.yaml";
  const k = (key: Record<string, string | number | boolean>): PathSegment => ({
    kind: "key",
    key,
    index: 0,
    liveIndex: 0,
  });
  const containerPort = (container: string, key: Record<string, string | number>) => [
    ...["spec", "template", "spec", "containers"].map(f),
    k({ name: container }),
    f("ports"),
    k(key),
  ];
  const removeLivePorts = (live: KubeObject) => {
    const spec = live.spec as { template: { spec: { containers: { ports?: unknown }[] } } };
    for (const container of spec.template.spec.containers) delete container.ports;
  };

  it.each<[string, string, PathSegment[], Coverage, ((live: KubeObject) => void)?]>([
    [
      "a Deployment's container port it sent matches the live TCP port",
      DEPLOYMENT,
      [...containerPort("guestbook-ui", { containerPort: 80, protocol: "TCP" }), f("containerPort")],
      "matches-live",
    ],
    [
      "a ReplicationController's container port it sent matches the live TCP port",
      RC,
      [...containerPort("test-rc", { containerPort: 80, protocol: "TCP" }), f("containerPort")],
      "matches-live",
    ],
    [
      "a named container port it sent matches the live TCP port's name",
      K9S_DEPLOYMENT,
      [...containerPort("icx-db", { containerPort: 5432, protocol: "TCP" }), f("name")],
      "matches-live",
    ],
    [
      "a Service port it sent matches the live TCP port's targetPort",
      SERVICE,
      [f("spec"), f("ports"), k({ port: 1935, protocol: "TCP" }), f("targetPort")],
      "matches-live",
    ],
    [
      "a Service port it sent with protocol UDP matches the live UDP port",
      SERVICE,
      [f("spec"), f("ports"), k({ port: 1986, protocol: "UDP" }), f("targetPort")],
      "matches-live",
    ],
    [
      "a container port it sent that is gone live differs from live (it was sent, not lacking)",
      DEPLOYMENT,
      containerPort("guestbook-ui", { containerPort: 80, protocol: "TCP" }),
      "differs-from-live",
      removeLivePorts,
    ],
    [
      "the same port number over UDP is not the port it sent without protocol",
      DEPLOYMENT,
      containerPort("guestbook-ui", { containerPort: 80, protocol: "UDP" }),
      "lacks",
    ],
  ])("%s", (_name, file, path, coverage, mutateLive) => {
    const live = corpusObject(file);
    const lastApplied = readLastApplied(live);
    if (lastApplied.status !== "present") throw new Error(`${file} has a last-applied annotation`);
    mutateLive?.(live);
    expect(coverageOf(lastApplied.config, live, path)).toBe(coverage);
  });
});
