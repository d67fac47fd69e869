// One-shot stand-in for kube-controller-manager's clusterrole-aggregation
// controller (not run by up.sh): without it the aggregated bootstrap roles
// `admin`, `edit` and `view` have no rules at all.
//
//   kubectl get clusterroles -o json | node aggregate-clusterroles.mjs | kubectl replace -f -
//
// Reads a ClusterRoleList on stdin, writes a List of the aggregated
// ClusterRoles whose rules changed (empty List when nothing changed). Like the
// controller, rules of the selected roles (sorted by name) are concatenated
// with exact duplicates removed; repeated until a fixed point because
// aggregated roles feed each other (view -> edit -> admin).
import { readFileSync } from "node:fs";

const list = JSON.parse(readFileSync(0, "utf8"));
const roles = new Map(list.items.map((r) => [r.metadata.name, r]));

function matches(sel, labels = {}) {
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of sel.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, e.key);
    const inValues = has && (e.values ?? []).includes(labels[e.key]);
    if (e.operator === "In" && !inValues) return false;
    if (e.operator === "NotIn" && inValues) return false;
    if (e.operator === "Exists" && !has) return false;
    if (e.operator === "DoesNotExist" && has) return false;
  }
  return true;
}

const changed = new Set();
for (let round = 0; round < 10; round++) {
  let any = false;
  for (const role of roles.values()) {
    const selectors = role.aggregationRule?.clusterRoleSelectors;
    if (!selectors?.length) continue;
    const rules = [];
    const seen = new Set();
    const sources = [...roles.values()]
      .filter((r) => r.metadata.name !== role.metadata.name)
      .filter((r) => selectors.some((s) => matches(s, r.metadata.labels)))
      .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
    for (const src of sources) {
      for (const rule of src.rules ?? []) {
        const key = JSON.stringify(rule);
        if (!seen.has(key)) {
          seen.add(key);
          rules.push(rule);
        }
      }
    }
    if (JSON.stringify(rules) !== JSON.stringify(role.rules ?? [])) {
      role.rules = rules;
      changed.add(role.metadata.name);
      any = true;
    }
  }
  if (!any) break;
}

const items = [...changed].sort().map((n) => roles.get(n));
process.stdout.write(JSON.stringify({ apiVersion: "v1", kind: "List", items }));
process.stderr.write(`aggregated cluster roles: ${[...changed].sort().join(", ") || "(none changed)"}\n`);
