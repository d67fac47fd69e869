import { createHash } from "node:crypto";
import {
  desiredFromText,
  fluxIgnoreText,
  HTML_REPORT_TEXT,
  newerRevisionText,
} from "../catalogue/messages.js";
import { SEVERITIES } from "../model/finding.js";
import type { DriftReport, ReleaseReport, ResourceReport } from "../model/report.js";
import { htmlProse, htmlText } from "./html-escape.js";
import { resourceDetails } from "./html-resource.js";
import { countBySeverity, findingsPhrase, plural, summaryColumns } from "./text-values.js";

/**
 * The severity filter: shows the checkboxes (hidden without scripts, when everything stays visible) and hides
 * every element whose `data-severity` is unchecked. Its hash goes in the page's Content-Security-Policy.
 */
export const FILTER_SCRIPT =
  'const f=document.getElementById("severity-filter");f.hidden=false;' +
  "const apply=()=>{const off=new Set([...f.querySelectorAll('input:not(:checked)')].map((i)=>i.value));" +
  'for(const e of document.querySelectorAll("main [data-severity]"))e.hidden=off.has(e.dataset.severity);};' +
  'f.addEventListener("change",apply);apply();';

export const PAGE_STYLE = [
  "body{font:14px/1.45 system-ui,sans-serif;margin:0 auto;max-width:80rem;padding:1rem;color:#1f2328}",
  "[hidden]{display:none!important}",
  "table{border-collapse:collapse}th,td{border:1px solid #d0d7de;padding:.2rem .6rem;text-align:right}",
  "code,pre{font:12px/1.4 ui-monospace,monospace}code{background:#f6f8fa;padding:0 .2rem}",
  "pre{background:#f6f8fa;padding:.5rem;overflow-x:auto;white-space:pre}",
  "details.resource{border:1px solid #d0d7de;border-radius:6px;margin:.5rem 0;padding:.3rem .8rem}",
  "summary{cursor:pointer}.note,.error{color:#9a6700}.error{color:#cf222e}",
  "dl{display:grid;grid-template-columns:auto 1fr;gap:0 .6rem;margin:.2rem 0}dd{margin:0}",
  ".badge{font:bold 11px monospace;padding:0 .3rem;border-radius:3px;color:#fff}",
  ".badge.critical{background:#82071e}.badge.high{background:#cf222e}.badge.medium{background:#9a6700}",
  ".badge.low{background:#0969da}.badge.info{background:#6e7781}",
  ".diff .add{color:#116329;background:#dafbe1}.diff .del{color:#82071e;background:#ffebe9}",
  ".diff .hunk{color:#8250df}.diff .file{font-weight:bold}",
].join("\n");

/** `'sha256-…'`, the CSP source that allows exactly `text` as an inline script or style. */
export function cspHash(text: string): string {
  return `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;
}

/**
 * No remote load of any kind, no plugin, no base URL, no form: only this page's own style and script, by hash.
 * The hashes are computed from the constants above, so the page stays a pure function of the report.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `style-src ${cspHash(PAGE_STYLE)}`,
  `script-src ${cspHash(FILTER_SCRIPT)}`,
  "base-uri 'none'",
  "form-action 'none'",
].join("; ");

/**
 * The report as one self-contained HTML page for a CI artifact: the summary in a header, then per release a
 * section with one collapsible `<details>` per drifted, missing or unreadable resource (html-resource.ts), and
 * checkboxes that hide findings and resources by severity. Nothing is loaded from anywhere (see the CSP); every
 * piece of data is escaped on its way in (html-escape.ts).
 */
export function renderHtml(report: DriftReport): string {
  const body =
    report.releases.length === 0
      ? [`<p>${htmlText(HTML_REPORT_TEXT.noReleases)}</p>`]
      : report.releases.flatMap(releaseSection);
  const lines = [
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${htmlText(HTML_REPORT_TEXT.title)}</title>`,
    `<style>${PAGE_STYLE}</style>`,
    "</head>",
    "<body>",
    ...headerLines(report),
    "<main>",
    ...body,
    "</main>",
    `<script>${FILTER_SCRIPT}</script>`,
    "</body>",
    "</html>",
  ];
  return `${lines.join("\n")}\n`;
}

function headerLines(report: DriftReport): string[] {
  const { summary } = report;
  const columns = summaryColumns(summary);
  const generated = `${htmlText(HTML_REPORT_TEXT.generatedAt)} <time>${htmlText(report.generatedAt)}</time>.`;
  const desiredFrom =
    report.desiredFrom === undefined ? "" : ` ${htmlText(desiredFromText(report.desiredFrom))}`;
  const boxes = SEVERITIES.map(
    (severity) => `<label><input type="checkbox" value="${severity}" checked> ${severity}</label>`,
  );
  return [
    "<header>",
    `<h1>${htmlText(HTML_REPORT_TEXT.title)}</h1>`,
    '<table class="summary">',
    `<thead><tr>${columns.map(([name]) => `<th>${name}</th>`).join("")}</tr></thead>`,
    `<tbody><tr>${columns.map(([, count]) => `<td>${count}</td>`).join("")}</tr></tbody>`,
    "</table>",
    `<p>${generated}${desiredFrom}</p>`,
    `<fieldset id="severity-filter" hidden><legend>${htmlText(HTML_REPORT_TEXT.severityFilter)}</legend>${boxes.join(" ")}</fieldset>`,
    "</header>",
  ];
}

/** A release: heading with its status, namespace, revision, chart and Flux owner, notes, counts, its resources. */
function releaseSection(release: ReleaseReport): string[] {
  const icon = release.status === "InSync" ? "✓" : release.status === "Drifted" ? "✗" : "!";
  const name = release.name === null ? "(unnamed)" : `<code>${htmlText(release.name)}</code>`;
  const details = [
    release.namespace === null ? null : `namespace <code>${htmlText(release.namespace)}</code>`,
    release.revision === null ? null : `revision ${release.revision}`,
    release.chart === null ? null : `chart <code>${htmlText(release.chart)}</code>`,
    release.flux
      ? `Flux HelmRelease <code>${htmlText(`${release.flux.namespace}/${release.flux.name}`)}</code>`
      : null,
  ].filter((detail) => detail !== null);
  const lines = [
    `<section class="release">`,
    `<h2>${icon} Release ${name} — ${htmlText(release.status)}</h2>`,
  ];
  if (details.length > 0) lines.push(`<p>${details.join(" · ")}</p>`);
  if (release.newerRevision) {
    const newer = newerRevisionText({ ...release, newerRevision: release.newerRevision });
    lines.push(`<p class="note">${htmlProse(newer)}</p>`);
  }
  if (release.fluxIgnore?.status === "forbidden" && release.flux) {
    lines.push(`<p class="note">${htmlProse(fluxIgnoreText(release.fluxIgnore, release.flux) ?? "")}</p>`);
  }
  if (release.status === "Error") {
    lines.push(`<p class="error"><b>Error:</b> ${htmlProse(release.error ?? "")}</p>`);
  } else {
    lines.push(`<p>${htmlText(countsPhrase(release.resources))}</p>`);
  }
  for (const resource of release.resources) {
    if (resource.status !== "InSync") lines.push(...resourceDetails(resource));
  }
  lines.push("</section>");
  return lines;
}

/** `4 resources: 1 drifted, 0 missing, 0 unreadable; 4 findings (1 critical, 3 high)`, as the Markdown has it. */
function countsPhrase(resources: readonly ResourceReport[]): string {
  const count = (status: ResourceReport["status"]) => resources.filter((r) => r.status === status).length;
  const findings = resources.flatMap((resource) => resource.findings);
  const statuses = `${count("Drifted")} drifted, ${count("Missing")} missing, ${count("Unreadable")} unreadable`;
  return `${plural(resources.length, "resource")}: ${statuses}; ${findingsPhrase(findings.length, countBySeverity(findings))}`;
}
