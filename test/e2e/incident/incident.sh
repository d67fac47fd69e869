#!/usr/bin/env bash
# The incident's steps against a real cluster, in one place for test/e2e/*.test.ts and make-fixture.sh:
# a Flux-labelled gha-runner-scale-set release (the real ARC chart) whose AutoscalingRunnerSet loses
# serviceAccountName, initContainers and volumes to a stale `kubectl apply`, which `helm upgrade` then
# does not restore.
#
#   incident.sh crds                               install the ARC and Flux HelmRelease CRDs (server-side)
#   incident.sh helmrelease FLUX_NS NS             HelmRelease arc-runners in FLUX_NS, targeting NS
#   incident.sh install NS FLUX_NS                 helm install arc-runners into NS, Flux labels post-rendered
#   incident.sh stale-apply NS                     the two client-side kubectl applies that remove the fields
#   incident.sh upgrade NS FLUX_NS [HELM_FLAGS…]   helm upgrade arc-runners --reuse-values (same post-renderer)
#
# Needs kubectl and helm on PATH and KUBECONFIG set (source test/cluster/.state/env.sh); HELM picks another
# helm binary. The release and the HelmRelease are both named arc-runners (ars-*.yaml name its objects).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../../.." && pwd)"
# The corpus files copied into the repository (test/fixtures/corpus/SOURCES.md): the ARC chart and the CRDs.
CORPUS="${HELM_DRIFT_CORPUS:-$REPO/test/fixtures/corpus}"
CHART="$CORPUS/arc/gha-runner-scale-set"
HELM="${HELM:-helm}"
RELEASE=arc-runners
# Every command against the API server is timeboxed: a hung apiserver fails the step, it does not hang it.
KUBECTL=(kubectl --request-timeout=20s)

die() { printf 'incident.sh: %s\n' "$*" >&2; exit 1; }

crds() {
  "${KUBECTL[@]}" apply --server-side --force-conflicts \
    -f "$CORPUS/arc/crds/actions.github.com_autoscalingrunnersets.yaml" \
    -f "$CORPUS/flux/crds/helm.toolkit.fluxcd.io_helmreleases.yaml" >/dev/null
  # `kubectl wait --for condition=established` errors out while .status.conditions is still null,
  # so poll: the kinds are usable once the API server serves them.
  local crd deadline=$(( $(date +%s) + 30 ))
  for crd in autoscalingrunnersets.actions.github.com helmreleases.helm.toolkit.fluxcd.io; do
    until [ "$("${KUBECTL[@]}" get crd "$crd" \
        -o jsonpath='{.status.conditions[?(@.type=="Established")].status}' 2>/dev/null)" = True ]; do
      [ "$(date +%s)" -lt "$deadline" ] || die "CRD $crd not established after 30s"
      sleep 0.2
    done
  done
}

helmrelease() { # FLUX_NS NS
  local flux_ns="$1" ns="$2"
  "${KUBECTL[@]}" apply -f - >/dev/null <<EOF
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: $RELEASE
  namespace: $flux_ns
spec:
  interval: 10m
  releaseName: $RELEASE
  targetNamespace: $ns
  chart:
    spec:
      chart: gha-runner-scale-set
      version: 0.14.2
      sourceRef:
        kind: HelmRepository
        name: actions-runner-controller
EOF
}

post_renderer() { # FLUX_NS → helm flags that add Flux's labels naming HelmRelease FLUX_NS/arc-runners
  printf '%s\n' --post-renderer "$HERE/flux-labels.mjs" \
    --post-renderer-args "$RELEASE" --post-renderer-args "$1"
}

install() { # NS FLUX_NS
  local ns="$1" flux_ns="$2" flags
  mapfile -t flags < <(post_renderer "$flux_ns")
  "$HELM" install "$RELEASE" "$CHART" -n "$ns" -f "$HERE/values.yaml" "${flags[@]}" --timeout 60s
}

# A Helm-created object has no last-applied-configuration, so one `kubectl apply` of the stale copy would
# remove nothing: kubectl's three-way patch deletes only what the previous apply recorded. The first apply
# records a configuration that has the three fields; the second, stale one lacks them, so kubectl sends
# `null` for each and they are removed live. The end state is the incident's: fields gone live, and
# last-applied lists only `containers` under spec.template.spec. (kubectl replace or edit would remove
# them too, but would leave last-applied absent or listing them, which is not what was found.)
stale_apply() { # NS
  local ns="$1"
  "${KUBECTL[@]}" apply -n "$ns" -f "$HERE/ars-kubectl-apply.yaml"
  "${KUBECTL[@]}" apply -n "$ns" -f "$HERE/ars-stale.yaml"
}

upgrade() { # NS FLUX_NS [HELM_FLAGS…]
  local ns="$1" flux_ns="$2" flags
  shift 2
  mapfile -t flags < <(post_renderer "$flux_ns")
  "$HELM" upgrade "$RELEASE" "$CHART" -n "$ns" --reuse-values "${flags[@]}" --timeout 60s "$@"
}

[ $# -ge 1 ] || die "usage: incident.sh crds|helmrelease|install|stale-apply|upgrade ARGS…"
step="$1"
shift
case "$step" in
  crds) crds ;;
  helmrelease) [ $# -eq 2 ] || die "usage: incident.sh helmrelease FLUX_NS NS"; helmrelease "$@" ;;
  install) [ $# -eq 2 ] || die "usage: incident.sh install NS FLUX_NS"; install "$@" ;;
  stale-apply) [ $# -eq 1 ] || die "usage: incident.sh stale-apply NS"; stale_apply "$@" ;;
  upgrade) [ $# -ge 2 ] || die "usage: incident.sh upgrade NS FLUX_NS [HELM_FLAGS…]"; upgrade "$@" ;;
  *) die "unknown step \"$step\"" ;;
esac
