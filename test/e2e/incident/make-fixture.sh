#!/usr/bin/env bash
# Regenerates fixtures/incident/{manifest,live}.yaml from a real API server: the incident of
# test/e2e/incident.test.ts (incident.sh: install, stale kubectl apply, helm upgrade) with the names of the
# shipped example — release arc-runners in namespace arc-runners, HelmRelease arc-runners in flux-system.
#
#   bash test/e2e/incident/make-fixture.sh      # starts the e2e cluster first if it is not up
#
# manifest.yaml is `helm get manifest` verbatim; live.yaml is `kubectl get -o yaml --show-managed-fields`
# of every object of that manifest, verbatim (a v1 List). The Secret's token is the fake one of values.yaml.
#
# Namespaces never finish deleting on the e2e cluster (no controller-manager), so namespace arc-runners is
# reused: it is created labelled as this script's, and a later run first removes the previous run's release
# there. A namespace arc-runners without that label belongs to someone else and stops the script.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../../.." && pwd)"
OUT="$REPO/fixtures/incident"
NS=arc-runners
FLUX_NS=flux-system
RELEASE=arc-runners
OWNER_LABEL=helm-drift.dev/fixture=incident

bash "$REPO/test/cluster/up.sh"
# shellcheck disable=SC1091
source "$REPO/test/cluster/.state/env.sh"
KUBECTL=(kubectl --request-timeout=20s)
die() { printf 'make-fixture.sh: %s\n' "$*" >&2; exit 1; }

ensure_namespace() { # NAME: create it with our label, or check that an existing one carries it
  local ns="$1" owner
  if ! "${KUBECTL[@]}" get namespace "$ns" >/dev/null 2>&1; then
    "${KUBECTL[@]}" create namespace "$ns" >/dev/null
    "${KUBECTL[@]}" label namespace "$ns" "$OWNER_LABEL" >/dev/null
    return
  fi
  owner="$("${KUBECTL[@]}" get namespace "$ns" -o jsonpath='{.metadata.labels.helm-drift\.dev/fixture}')"
  [ "$owner" = incident ] || die "namespace $ns exists and was not created by this script (no label $OWNER_LABEL)"
}

# A previous run's release: its objects carry ARC's actions.github.com/cleanup-protection finalizer, which only
# the ARC controller removes, so drop the finalizers first or helm uninstall leaves them terminating forever.
remove_previous_release() {
  helm status "$RELEASE" -n "$NS" >/dev/null 2>&1 || return 0
  echo "make-fixture.sh: removing the previous run's release $NS/$RELEASE" >&2
  helm get manifest "$RELEASE" -n "$NS" | "${KUBECTL[@]}" patch -n "$NS" -f - --type merge \
    -p '{"metadata":{"finalizers":null}}' >/dev/null
  helm uninstall "$RELEASE" -n "$NS" --timeout 60s >/dev/null
  "${KUBECTL[@]}" delete autoscalingrunnerset.actions.github.com "$RELEASE" -n "$NS" --ignore-not-found >/dev/null
}

ensure_namespace "$NS"
if ! "${KUBECTL[@]}" get namespace "$FLUX_NS" >/dev/null 2>&1; then
  "${KUBECTL[@]}" create namespace "$FLUX_NS" >/dev/null
fi
remove_previous_release

step() { bash "$HERE/incident.sh" "$@"; }
step crds
step helmrelease "$FLUX_NS" "$NS"
step install "$NS" "$FLUX_NS" >/dev/null
# kubectl warns that the Helm-created object lacks last-applied (expected: that is the point); other errors show.
step stale-apply "$NS" 2> >(grep -v "is missing the kubectl.kubernetes.io/last-applied-configuration" >&2)
step upgrade "$NS" "$FLUX_NS" --set-json maxRunners=6 >/dev/null

mkdir -p "$OUT"
helm get manifest "$RELEASE" -n "$NS" > "$OUT/manifest.yaml"
# `kubectl get -f` reads the kind, name and namespace of each document and prints them in manifest order.
"${KUBECTL[@]}" get -f "$OUT/manifest.yaml" -o yaml --show-managed-fields > "$OUT/live.yaml"
echo "make-fixture.sh: wrote $OUT/manifest.yaml and $OUT/live.yaml (release $NS/$RELEASE, revision 2)" >&2
