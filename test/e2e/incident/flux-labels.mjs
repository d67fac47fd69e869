#!/usr/bin/env node
/**
 * Helm post-renderer that labels every rendered object the way Flux's helm-controller does
 * (fluxcd/helm-controller internal/postrender/origin_labels.go): metadata.labels gets
 * `helm.toolkit.fluxcd.io/name` and `helm.toolkit.fluxcd.io/namespace`, naming the HelmRelease.
 *
 *   helm install REL CHART --post-renderer test/e2e/incident/flux-labels.mjs \
 *     --post-renderer-args HELMRELEASE_NAME --post-renderer-args HELMRELEASE_NAMESPACE
 *
 * Reads the rendered manifest on stdin, writes it to stdout. Helm 3.22 requires an executable path.
 */
import { parseAllDocuments } from "yaml";

const [name, namespace] = process.argv.slice(2);
if (!name || !namespace) {
  process.stderr.write("usage: flux-labels.mjs HELMRELEASE_NAME HELMRELEASE_NAMESPACE < manifest\n");
  process.exit(2);
}

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const documents = parseAllDocuments(Buffer.concat(chunks).toString("utf8"));

const out = [];
for (const document of documents) {
  if (document.errors.length > 0) {
    process.stderr.write(`flux-labels.mjs: ${document.errors[0].message}\n`);
    process.exit(1);
  }
  if (document.contents === null) continue; // an empty document (a template that rendered nothing)
  // Edited in place so the `# Source:` comment Helm puts above each document survives (Flux's kustomize
  // run drops it; keeping it lets the report name the template).
  document.setIn(["metadata", "labels", "helm.toolkit.fluxcd.io/name"], name);
  document.setIn(["metadata", "labels", "helm.toolkit.fluxcd.io/namespace"], namespace);
  out.push(document.toString({ lineWidth: 0 }));
}
process.stdout.write(out.map((text) => (text.startsWith("---") ? text : `---\n${text}`)).join(""));
