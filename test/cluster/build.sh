#!/usr/bin/env bash
# Builds the e2e binaries (kube-apiserver, etcd, kubectl, helm v3, helm v4)
# from the Go module proxy into
#   ${HELM_DRIFT_E2E_CACHE:-$HOME/.cache/helm-drift-e2e}/<key>/bin/
# Only missing binaries are built. GOMODCACHE/GOCACHE stay at their defaults.
#
# Usage: test/cluster/build.sh [--print-bin-dir] [binary...]
set -euo pipefail
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

command -v go >/dev/null || die "go is not installed (need Go >= 1.24)"

if [ "${1:-}" = "--print-bin-dir" ]; then bin_dir; exit 0; fi

BIN="$(bin_dir)"
mkdir -p "$BIN"

export CGO_ENABLED=0
export GOFLAGS="-trimpath -buildvcs=false -mod=readonly"

k8s_minor="$(echo "$K8S_VERSION" | cut -d. -f2)"
now="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
k8s_ldflags=""
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  k8s_ldflags+=" -X $pkg.gitVersion=$K8S_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$k8s_minor"
  k8s_ldflags+=" -X $pkg.gitTreeState=clean -X $pkg.gitCommit= -X $pkg.buildDate=$now"
done

helm_ldflags() { # $1 = 3|4, $2 = version, $3 = module dir
  local v="$1" ver="$2" dir="$3" f
  f="-X helm.sh/helm/v$v/internal/version.version=$ver -X helm.sh/helm/v$v/internal/version.gitTreeState=clean"
  if [ "$v" = 3 ]; then
    # As helm's Makefile: default capabilities from the client-go version.
    local cg major minor
    cg="$(cd "$dir" && go list -m -f '{{.Version}}' k8s.io/client-go)" # v0.MINOR.PATCH
    major=$(( $(echo "$cg" | tr -d v | cut -d. -f1) + 1 ))
    minor="$(echo "$cg" | cut -d. -f2)"
    for p in pkg/lint/rules pkg/chartutil; do
      f+=" -X helm.sh/helm/v3/$p.k8sVersionMajor=$major -X helm.sh/helm/v3/$p.k8sVersionMinor=$minor"
    done
  fi
  echo "$f"
}

# build NAME MODULE_DIR PACKAGE LDFLAGS
build() {
  local name="$1" dir="$2" pkg="$3" ldflags="$4" start end
  if [ -x "$BIN/$name" ]; then
    log "$name: cached ($BIN/$name)"
    return 0
  fi
  log "$name: building $pkg (module test/cluster/$dir) ..."
  start=$(date +%s)
  (cd "$CLUSTER_DIR/$dir" && go build -ldflags "-s -w $ldflags" -o "$BIN/.$name.tmp" "$pkg")
  mv -f "$BIN/.$name.tmp" "$BIN/$name"
  end=$(date +%s)
  log "$name: built in $((end - start))s"
  echo "$name $((end - start))s $(date -u +%Y-%m-%dT%H:%M:%SZ)" >> "$BIN/../build-times.txt"
}

wanted=("$@")
[ ${#wanted[@]} -gt 0 ] || wanted=("${BINARIES[@]}")

# One build at a time per cache entry.
exec 9>"$BIN/../.build.lock"
flock 9

total_start=$(date +%s)
log "go: $(go env GOVERSION), GOMODCACHE=$(go env GOMODCACHE), GOCACHE=$(go env GOCACHE), GOPROXY=$(go env GOPROXY)"
log "cache: $BIN"
for b in "${wanted[@]}"; do
  case "$b" in
    kube-apiserver) build kube-apiserver apiserver k8s.io/kubernetes/cmd/kube-apiserver "$k8s_ldflags" ;;
    kubectl)        build kubectl apiserver k8s.io/kubernetes/cmd/kubectl "$k8s_ldflags" ;;
    etcd)           build etcd etcd go.etcd.io/etcd/server/v3 "-X go.etcd.io/etcd/api/v3/version.GitSHA=go-module-$ETCD_VERSION" ;;
    helm)           build helm helm3 helm.sh/helm/v3/cmd/helm "$(helm_ldflags 3 "$HELM3_VERSION" "$CLUSTER_DIR/helm3")" ;;
    helm4)          build helm4 helm4 helm.sh/helm/v4/cmd/helm "$(helm_ldflags 4 "$HELM4_VERSION" "$CLUSTER_DIR/helm4")" ;;
    *) die "unknown binary: $b (known: ${BINARIES[*]})" ;;
  esac
done
log "all done in $(( $(date +%s) - total_start ))s: $BIN"
