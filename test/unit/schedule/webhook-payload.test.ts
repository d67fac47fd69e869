import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import formatsPlugin from "ajv-formats";
import { describe, expect, it } from "vitest";
import { ObjectsClusterReader } from "../../../src/cluster/objects-cluster-reader.js";
import { checkReleases } from "../../../src/core/check-releases.js";
import { offlineRelease } from "../../../src/core/offline-release.js";
import type { KubeObject } from "../../../src/model/kube.js";
import type { DriftReport } from "../../../src/model/report.js";
import type { DriftChanges, ResolvedFinding } from "../../../src/schedule/drift-changes.js";
import type { FindingRecord } from "../../../src/schedule/finding-record.js";
import {
  jsonWebhookPayload,
  SLACK_LIMITS,
  type SlackBlock,
  type SlackMessage,
  type SlackText,
  slackWebhookPayload,
} from "../../../src/schedule/webhook-payload.js";
import { parseLiveObjects } from "../../../src/sources/live-objects.js";
import { checkOne } from "../../helpers/check-one.js";
import { repoPath } from "../../helpers/repo-path.js";
import { fluentdPair, podSpecOf } from "../diff/mutated-fixtures.js";

/*
 * The webhook bodies of `helm-drift report`, built from reports the real core produced: the shipped incident
 * (fixtures/incident), drifted Secrets seeded with values that must never leave, and the fluentd DaemonSet of
 * the k9s corpus mutated per case. DriftChanges are written here as plain objects (what drift-changes.ts
 * computes is its own test's business).
 */

const NOW = new Date("2026-11-30T06:00:00.000Z");

const schemaUrl = new URL("../../../schema/notification.schema.json", import.meta.url);
const ajv = new Ajv2020({ allErrors: true, allowUnionTypes: true, strict: true });
formatsPlugin.default(ajv);
const validateNotification = ajv.compile(JSON.parse(readFileSync(schemaUrl, "utf8")));

/** The schema's errors for `payload` (after a JSON round trip, as a receiver parses it); empty when valid. */
function schemaErrors(payload: unknown): string[] {
  if (validateNotification(JSON.parse(JSON.stringify(payload)))) return [];
  return (validateNotification.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? e.keyword}`);
}

async function offlineReport(manifest: string, live: KubeObject[], release: string | null = null) {
  return checkReleases(
    {
      kind: "given",
      releases: [offlineRelease({ manifest, origin: "manifest", live, release, namespace: null })],
    },
    { reader: new ObjectsClusterReader(live), now: () => NOW },
  );
}

async function incidentReport(): Promise<DriftReport> {
  const manifest = readFileSync(repoPath("fixtures/incident/manifest.yaml"), "utf8");
  const live = parseLiveObjects(readFileSync(repoPath("fixtures/incident/live.yaml"), "utf8"), "live.yaml");
  return offlineReport(manifest, live);
}

/** One record per reported finding of a named release, as finding-record.ts makes them (fingerprints made up). */
function recordsOf(report: DriftReport): FindingRecord[] {
  let n = 0;
  return report.releases.flatMap((release) =>
    release.name === null || release.namespace === null
      ? []
      : release.resources.flatMap((resource) =>
          resource.findings.map((finding) => ({
            fingerprint: (++n).toString(16).padStart(16, "0"),
            release: { namespace: release.namespace as string, name: release.name as string },
            object: {
              apiVersion: resource.apiVersion,
              kind: resource.kind,
              namespace: resource.namespace,
              name: resource.name,
            },
            code: finding.code,
            path: finding.path,
            severity: finding.severity,
            valueDigest: "0000000000000000",
          })),
        ),
  );
}

function stored(record: FindingRecord): ResolvedFinding {
  const { valueDigest: _v, ...rest } = record;
  return { ...rest, firstSeen: "2026-11-29T06:00:00.000Z", notifiedAt: "2026-11-29T06:00:00.000Z" };
}

function changes(part: Partial<DriftChanges>): DriftChanges {
  return { firstRun: false, new: [], resolved: [], reminded: [], standing: 0, ...part };
}

/** Every text object of a Slack message, with where it is. */
function slackTexts(message: SlackMessage): { where: string; text: SlackText }[] {
  return message.blocks.flatMap((block, i) => blockTexts(block).map((text) => ({ where: `${i}`, text })));
}

function blockTexts(block: SlackBlock): SlackText[] {
  switch (block.type) {
    case "header":
      return [block.text];
    case "section":
      return [block.text, ...(block.fields ?? [])];
    case "context":
      return block.elements;
  }
}

/** `&`, `<`, `>` only as Slack's three entities: no raw control character of Slack's left in the text. */
function unescapedSlackControls(text: string): string[] {
  return [...text.matchAll(/<|>|&(?!amp;|lt;|gt;)/g)].map((m) => `${m[0]} at ${m.index}`);
}

const sections = (message: SlackMessage) =>
  message.blocks.filter((b): b is Extract<SlackBlock, { type: "section" }> => b.type === "section");

/** A finding an earlier run reported on the incident's Role, repaired since. */
const ROLE_RULES_CHANGED: ResolvedFinding = {
  fingerprint: "0123456789abcdef",
  release: { namespace: "arc-runners", name: "arc-runners" },
  object: {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "Role",
    namespace: "arc-runners",
    name: "arc-runners-gha-rs-manager",
  },
  code: "value-changed",
  path: "rules[0].verbs",
  severity: "high",
  firstSeen: "2026-11-29T06:00:00.000Z",
  notifiedAt: "2026-11-29T06:00:00.000Z",
};

describe("the incident as a notification", () => {
  it("JSON: the four new findings with message, first repair command and step count; valid; golden", async () => {
    const report = await incidentReport();
    const payload = jsonWebhookPayload({
      report,
      changes: changes({ firstRun: true, new: recordsOf(report) }),
      cluster: "prod-eu",
    });
    expect(schemaErrors(payload)).toEqual([]);
    expect(payload.generatedAt).toBe(NOW.toISOString());
    expect(payload.summary).toEqual(report.summary);
    expect(
      payload.changes.new.map((f) => [f.code, f.path, f.severity, f.repair, f.repairSteps, f.message]),
    ).toEqual([
      [
        "volume-mount-broken",
        "spec.template.spec.containers[name=runner].volumeMounts[mountPath=/usr/local/kubectl-bin]",
        "critical",
        "flux suspend helmrelease arc-runners -n flux-system",
        5,
        'container "runner" mounts volume "kubectl-bin" at /usr/local/kubectl-bin, but the pod has no volume named "kubectl-bin"',
      ],
      [
        "field-missing",
        "spec.template.spec.serviceAccountName",
        "high",
        "flux suspend helmrelease arc-runners -n flux-system",
        5,
        'spec.template.spec.serviceAccountName is missing live; the release sets "arc-runners-kubectl"',
      ],
      [
        "list-missing",
        "spec.template.spec.initContainers",
        "high",
        "flux suspend helmrelease arc-runners -n flux-system",
        5,
        "spec.template.spec.initContainers is missing live; the release sets a list of 1 entry (kubectl-bin)",
      ],
      [
        "list-missing",
        "spec.template.spec.volumes",
        "high",
        "flux suspend helmrelease arc-runners -n flux-system",
        5,
        "spec.template.spec.volumes is missing live; the release sets a list of 1 entry (kubectl-bin)",
      ],
    ]);
    await expect(`${JSON.stringify(payload, null, 2)}\n`).toMatchFileSnapshot(
      "./__golden__/incident-notification.json",
    );
  });

  it("Slack: fallback line, header, context, one section per finding with its repair in a code block; golden", async () => {
    const report = await incidentReport();
    const records = recordsOf(report);
    const message = slackWebhookPayload({
      report,
      changes: changes({
        new: records.slice(1),
        resolved: [ROLE_RULES_CHANGED],
        reminded: records.slice(0, 1),
      }),
      cluster: "prod-eu",
    });
    expect(message.text).toBe(
      "helm-drift: 3 new drift findings, 1 still drifted, 1 resolved in cluster prod-eu",
    );
    expect(message.blocks.map((b) => b.type)).toEqual([
      "header",
      "context",
      "section",
      "section",
      "section",
      "section",
      "section",
    ]);
    expect(message.blocks[0]).toEqual({
      type: "header",
      text: { type: "plain_text", text: "helm-drift: 3 new drift findings, 1 still drifted, 1 resolved" },
    });
    expect(sections(message).at(-1)?.text.text).toBe(
      "*Resolved (1):*\n• `Role/arc-runners/arc-runners-gha-rs-manager` `rules[0].verbs` (release `arc-runners/arc-runners`, high)",
    );
    const first = sections(message)[0];
    // The critical (a repeated one) comes first: most severe first, whatever the change.
    expect(first?.text.text).toBe(
      '*Still drifted* · container "runner" mounts volume "kubectl-bin" at /usr/local/kubectl-bin, but the pod ' +
        'has no volume named "kubectl-bin"\nFirst repair step (1 of 5):\n```flux suspend helmrelease arc-runners -n flux-system```',
    );
    expect(first?.fields?.map((f) => f.text)).toEqual([
      "*Release*\n`arc-runners/arc-runners`",
      "*Object*\n`AutoscalingRunnerSet/arc-runners/arc-runners`",
      "*Path*\n`spec.template.spec.containers[name=runner].volumeMounts[mountPath=/usr/local/kubectl-bin]`",
      "*Severity*\nCRITICAL",
    ]);
    expect(
      slackTexts(message).filter(({ text }) => text.type === "mrkdwn" && text.verbatim !== true),
    ).toEqual([]);
    await expect(`${JSON.stringify(message, null, 2)}\n`).toMatchFileSnapshot(
      "./__golden__/incident-slack.json",
    );
  });
});

describe("secret values never leave in a notification", () => {
  const b64 = (text: string) => Buffer.from(text, "utf8").toString("base64");
  /** One distinct value per place a secret can sit (as test/unit/cli/secret-grep.test.ts seeds them). */
  const SECRETS = {
    changedRendered: "rendered-pw-Q7vX2m9LkP4t",
    changedLive: "live-pw-hT3nR8wZ1cY6",
    stringData: "stringdata-tok-Jd5sF0aV7bN2",
    stringDataLive: "stringdata-live-Uo9eK3xM6gW1",
    missingKey: "missing-key-Rb4yC8qH2nE5",
    extraKey: "extra-key-Zp1tL6vD9sA3",
    wholeMissing: "whole-missing-Fk7mX2jQ5rT8",
    configLike: "config-like-Wn3bG9cE4yH6",
  } as const;
  const SEEDED = Object.values(SECRETS).flatMap((secret) => [secret, b64(secret)]);

  const secret = (
    name: string,
    body: Record<string, unknown>,
    managedBy?: [string, Record<string, unknown>],
  ) => ({
    apiVersion: "v1",
    kind: "Secret",
    type: "Opaque",
    metadata: {
      name,
      namespace: "shop",
      annotations: { "meta.helm.sh/release-name": "web", "meta.helm.sh/release-namespace": "shop" },
      ...(managedBy
        ? {
            managedFields: [
              {
                manager: managedBy[0],
                operation: "Update",
                apiVersion: "v1",
                time: "2025-11-03T14:22:07Z",
                fieldsType: "FieldsV1",
                fieldsV1: managedBy[1],
              },
            ],
          }
        : {}),
    },
    ...body,
  });

  async function secretsReport(): Promise<DriftReport> {
    const rendered = [
      secret("db", { data: { password: b64(SECRETS.changedRendered) } }),
      secret("api", { stringData: { token: SECRETS.stringData } }),
      secret("creds", { data: { user: b64("app"), key: b64(SECRETS.missingKey) } }),
      secret("extra", { data: { user: b64("app") } }),
      secret("gone", { data: { password: b64(SECRETS.wholeMissing) } }),
      secret("app-config", { data: { "config.yaml": b64(`password: ${SECRETS.configLike}\n`) } }),
    ];
    const live = [
      secret("db", { data: { password: b64(SECRETS.changedLive) } }, [
        "kubectl-edit",
        { "f:data": { "f:password": {} } },
      ]),
      secret("api", { data: { token: b64(SECRETS.stringDataLive) } }),
      secret("creds", { data: { user: b64("app") } }),
      secret("extra", { data: { user: b64("app"), added: b64(SECRETS.extraKey) } }, [
        "kubectl-patch",
        { "f:data": { "f:added": {} } },
      ]),
      secret("app-config", { data: { "config.yaml": b64("password: changed\n") } }),
    ] as KubeObject[];
    const manifest = rendered
      .map(
        (object, i) => `---\n# Source: web/templates/secret-${i}.yaml\n${JSON.stringify(object, null, 2)}\n`,
      )
      .join("");
    return offlineReport(manifest, live, "web");
  }

  it("the report has each shape of Secret drift, so the grep below covers them", async () => {
    const report = await secretsReport();
    expect(recordsOf(report).map((r) => [r.object.name, r.code, r.path])).toEqual([
      ["db", "value-changed", "data.password"],
      ["api", "value-changed", "data.token"],
      ["creds", "field-missing", "data.key"],
      ["extra", "field-added", "data.added"],
      ["gone", "object-missing", ""],
      ["app-config", "value-changed", 'data["config.yaml"]'],
    ]);
  });

  it.each([
    ["JSON", (input: Parameters<typeof jsonWebhookPayload>[0]) => jsonWebhookPayload(input)],
    ["Slack", (input: Parameters<typeof slackWebhookPayload>[0]) => slackWebhookPayload(input)],
  ])(
    "%s: no seeded value, plain or base64, and the Secrets' repairs name them only",
    async (_format, build) => {
      const report = await secretsReport();
      const records = recordsOf(report);
      const text = JSON.stringify(
        build({
          report,
          changes: changes({
            new: records.slice(0, 3),
            reminded: records.slice(3),
            resolved: records.map(stored),
          }),
          cluster: "shop",
        }),
      );
      expect(SEEDED.filter((value) => text.includes(value))).toEqual([]);
      expect(text).toContain("kubectl delete secret db -n shop");
      expect(text).toContain("data.password differs from the release (Secret values are not shown)");
    },
  );
});

describe("Slack: data cannot form a link, a mention or a channel reference", () => {
  const cases: [string, (pair: { desired: KubeObject; live: KubeObject }) => void, string][] = [
    [
      "a container named <!channel> shows as text, not a mention of everyone",
      ({ desired, live }) => {
        for (const object of [desired, live]) podSpecOf(object).containers[0].name = "<!channel>";
        podSpecOf(live).containers[0].image = "evil:1";
      },
      "containers[name=&lt;!channel&gt;].image",
    ],
    [
      "an object named like a Slack link shows as text",
      ({ desired, live }) => {
        for (const object of [desired, live]) object.metadata.name = "<https://evil.example/|click & see>";
        podSpecOf(live).containers[0].image = "evil:1";
      },
      "DaemonSet/kube-system/&lt;https://evil.example/|click &amp; see&gt;",
    ],
    [
      "an image holding <@U024BE7LH> and & in a patch command shows as text in the code block",
      ({ live }) => {
        podSpecOf(live).containers[0].image = "evil:<@U024BE7LH>&1";
      },
      '"value":"evil:&lt;@U024BE7LH&gt;&amp;1"',
    ],
    [
      "a control character in a path is shown escaped, never sent raw",
      ({ desired, live }) => {
        for (const object of [desired, live]) podSpecOf(object).containers[0].name = "a\u202eb";
        podSpecOf(live).containers[0].image = "evil:1";
      },
      "containers[name=a\\u202eb].image",
    ],
  ];

  it.each(cases)("%s", async (_name, mutate, escaped) => {
    const { desired, live } = fluentdPair();
    mutate({ desired, live });
    const { report } = await checkOne(desired, live);
    const message = slackWebhookPayload({
      report,
      changes: changes({ new: recordsOf(report) }),
      cluster: "<!here> & co",
    });
    const texts = slackTexts(message);
    expect(
      texts.flatMap(({ where, text }) => unescapedSlackControls(text.text).map((at) => `${where}: ${at}`)),
    ).toEqual([]);
    expect(unescapedSlackControls(message.text)).toEqual([]);
    expect(message.text).toContain("in cluster &lt;!here&gt; &amp; co");
    expect(texts.some(({ text }) => text.text.includes(escaped))).toBe(true);
    expect(JSON.stringify(message).includes("\u202e")).toBe(false);
  });

  it("a command holding three backticks is not put in a code block it would end", async () => {
    const { desired, live } = fluentdPair();
    podSpecOf(live).containers[0].image = "evil:```rm -rf```";
    const { report } = await checkOne(desired, live);
    const input = { report, changes: changes({ new: recordsOf(report) }), cluster: null };
    const section = sections(slackWebhookPayload(input))[0];
    expect(section?.text.text.split("\n").slice(1)).toEqual([
      "First repair step (1 of 2):",
      "Command not shown: it contains three backticks in a row, which would end the code block; take it from " +
        "the job's JSON report: .releases[].resources[].remediation.steps[0].command",
    ]);
    // The JSON payload carries the command whole: a program does not render it.
    expect(jsonWebhookPayload(input).changes.new[0]?.repair).toContain("evil:```rm -rf```");
  });
});

describe("long repair commands", () => {
  it.each([
    ["2 KiB: whole in JSON, replaced by its size and digest in Slack", 2000, false, true],
    ["5 KiB: replaced in both, as the text report replaces it", 5000, true, true],
    ["200 bytes: whole in both", 200, false, false],
  ])("%s", async (_name, length, replacedInJson, replacedInSlack) => {
    const { desired, live } = fluentdPair();
    podSpecOf(live).containers[0].image = `evil:${"x".repeat(length)}`;
    const { report } = await checkOne(desired, live);
    const input = { report, changes: changes({ new: recordsOf(report) }), cluster: null };
    const repair = jsonWebhookPayload(input).changes.new[0]?.repair ?? "";
    const notShown =
      /^# command not shown: it is \d+ KiB \(sha256 [0-9a-f]{12}\); take it whole from -o json: /;
    expect(notShown.test(repair)).toBe(replacedInJson);
    expect(repair.startsWith("kubectl patch daemonset.apps fluentd-gcp-v3.2.0")).toBe(!replacedInJson);
    const section = sections(slackWebhookPayload(input))[0]?.text.text ?? "";
    const block = /```([^`]*)```/.exec(section)?.[1] ?? "";
    expect(notShown.test(block)).toBe(replacedInSlack);
    expect(section.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionChars);
  });
});

describe("Slack limits", () => {
  /** `count` records cycling through the incident's four findings, with made-up fingerprints and severities. */
  async function manyRecords(count: number, severityOf: (i: number) => FindingRecord["severity"]) {
    const report = await incidentReport();
    const base = recordsOf(report);
    const records = Array.from({ length: count }, (_, i) => {
      const record = base[i % base.length] as FindingRecord;
      return { ...record, fingerprint: i.toString(16).padStart(16, "0"), severity: severityOf(i) };
    });
    return { report, records };
  }

  it("120 new findings, the critical ones last: at most 50 blocks, the criticals kept, 'and K more' at the end", async () => {
    const { report, records } = await manyRecords(120, (i) =>
      i >= 115 ? "critical" : i % 2 ? "low" : "medium",
    );
    const message = slackWebhookPayload({
      report,
      changes: changes({ new: records, resolved: records.slice(0, 30).map(stored) }),
      cluster: "prod-eu",
    });
    expect(message.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
    const shown = sections(message).filter((s) => s.fields !== undefined);
    const severities = shown.map((s) => s.fields?.[3]?.text.split("\n")[1]);
    expect(severities.slice(0, 5)).toEqual(["CRITICAL", "CRITICAL", "CRITICAL", "CRITICAL", "CRITICAL"]);
    expect(severities.slice(5).every((s) => s === "MEDIUM")).toBe(true);
    const last = message.blocks.at(-1);
    expect(last).toEqual({
      type: "context",
      elements: [
        {
          type: "mrkdwn",
          text: `and ${120 - shown.length} more findings: see the job's JSON report`,
          verbatim: true,
        },
      ],
    });
    const resolved = message.blocks.at(-2);
    expect(resolved?.type === "section" && resolved.text.text.split("\n")).toEqual([
      "*Resolved (30):*",
      ...Array.from({ length: 20 }, () =>
        expect.stringMatching(
          /^• `AutoscalingRunnerSet\/arc-runners\/arc-runners` `spec\.template\.spec\.[^`]+` \(release `arc-runners\/arc-runners`, (medium|low)\)$/,
        ),
      ),
      "… and 10 more resolved",
    ]);
  });

  it("every text within its limit, and the message within the total the API accepts", async () => {
    const { report, records } = await manyRecords(300, () => "high");
    const message = slackWebhookPayload({
      report,
      changes: changes({ new: records, reminded: records.slice(0, 50), resolved: records.map(stored) }),
      cluster: "c".repeat(5000),
    });
    expect(message.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
    const over: string[] = [];
    let total = 0;
    for (const block of message.blocks) {
      if (block.type === "header" && block.text.text.length > SLACK_LIMITS.headerChars) over.push("header");
      if (block.type === "section") {
        if (block.text.text.length > SLACK_LIMITS.sectionChars) over.push("section text");
        if ((block.fields ?? []).length > SLACK_LIMITS.fields) over.push("fields");
        if ((block.fields ?? []).some((f) => f.text.length > SLACK_LIMITS.fieldChars)) over.push("field");
      }
      if (block.type === "context" && block.elements.length > SLACK_LIMITS.contextElements)
        over.push("context");
      for (const text of blockTexts(block)) {
        total += text.text.length;
        if (text.text.length === 0 || text.text.length > SLACK_LIMITS.textChars) over.push("text");
      }
    }
    expect(over).toEqual([]);
    expect(total).toBeLessThanOrEqual(SLACK_LIMITS.messageChars);
    expect(message.blocks.at(-1)?.type).toBe("context");
  });

  it("a 3000-character path is cut in its field, with its length and digest", async () => {
    const { desired, live } = fluentdPair();
    const name = "n".repeat(3000);
    for (const object of [desired, live]) podSpecOf(object).containers[0].name = name;
    podSpecOf(live).containers[0].image = "evil:1";
    const { report } = await checkOne(desired, live);
    const message = slackWebhookPayload({
      report,
      changes: changes({ new: recordsOf(report) }),
      cluster: null,
    });
    const path = sections(message)[0]?.fields?.[2]?.text ?? "";
    expect(path.length).toBeLessThanOrEqual(SLACK_LIMITS.fieldChars);
    expect(path).toMatch(
      /^\*Path\*\n`spec\.template\.spec\.containers\[name=n+… \(\+\d+ chars, sha256 [0-9a-f]{12}\)`$/,
    );
  });
});

describe("what each payload says about a run", () => {
  it.each([
    ["only resolved", { resolved: 2 }, null, "helm-drift: 2 resolved"],
    [
      "new and resolved in a named cluster",
      { new: 3, resolved: 1 },
      "X",
      "helm-drift: 3 new drift findings, 1 resolved in cluster X",
    ],
    ["one new", { new: 1 }, null, "helm-drift: 1 new drift finding"],
    ["nothing (not sent by the run, still well-formed)", {}, null, "helm-drift: no drift changes"],
  ])("%s: %s", async (_name, counts: { new?: number; resolved?: number }, cluster, fallback) => {
    const report = await incidentReport();
    const records = recordsOf(report);
    const input = {
      report,
      changes: changes({
        new: records.slice(0, counts.new ?? 0),
        resolved: records.slice(0, counts.resolved ?? 0).map(stored),
        standing: 2,
      }),
      cluster,
    };
    const message = slackWebhookPayload(input);
    expect(message.text).toBe(fallback);
    expect(sections(message).filter((s) => s.fields !== undefined)).toHaveLength(counts.new ?? 0);
    expect(message.blocks[1]).toEqual({
      type: "context",
      elements: [
        {
          type: "mrkdwn",
          text: `Cluster: ${cluster ?? "(unnamed)"} · 2 standing findings not repeated`,
          verbatim: true,
        },
      ],
    });
    const json = jsonWebhookPayload(input);
    expect(schemaErrors(json)).toEqual([]);
    expect([
      json.changes.new.length,
      json.changes.resolved.length,
      json.changes.standing,
      json.cluster,
    ]).toEqual([counts.new ?? 0, counts.resolved ?? 0, 2, cluster]);
  });

  it("JSON: a resolved finding carries what was stored and its fingerprint, no value", async () => {
    const report = await incidentReport();
    const [record] = recordsOf(report);
    const payload = jsonWebhookPayload({
      report,
      changes: changes({ resolved: [stored(record as FindingRecord)] }),
      cluster: null,
    });
    expect(payload.changes.resolved).toEqual([
      {
        release: { namespace: "arc-runners", name: "arc-runners" },
        object: {
          apiVersion: "actions.github.com/v1alpha1",
          kind: "AutoscalingRunnerSet",
          namespace: "arc-runners",
          name: "arc-runners",
        },
        code: "volume-mount-broken",
        path: "spec.template.spec.containers[name=runner].volumeMounts[mountPath=/usr/local/kubectl-bin]",
        severity: "critical",
        fingerprint: (record as FindingRecord).fingerprint,
      },
    ]);
  });

  it("JSON: a record the report does not hold has no message and no repair, and is still valid", async () => {
    const report = await incidentReport();
    const [record] = recordsOf(report);
    const stray = { ...(record as FindingRecord), path: "spec.elsewhere" };
    const payload = jsonWebhookPayload({ report, changes: changes({ new: [stray] }), cluster: null });
    expect(payload.changes.new.map((f) => [f.path, f.message, f.repair, f.repairSteps])).toEqual([
      ["spec.elsewhere", null, null, 0],
    ]);
    expect(schemaErrors(payload)).toEqual([]);
  });

  it("the schema refuses a payload with a value in it", async () => {
    const report = await incidentReport();
    const payload = jsonWebhookPayload({
      report,
      changes: changes({ new: recordsOf(report) }),
      cluster: null,
    });
    const leaky = JSON.parse(JSON.stringify(payload));
    leaky.changes.new[0].live = "a value";
    expect(schemaErrors(leaky)).toEqual(["/changes/new/0 must NOT have additional properties"]);
  });
});
