# Shared settings for build.sh / up.sh / down.sh. Source it; do not run it.
# shellcheck shell=bash disable=SC2034 # variables are used by the sourcing scripts
CLUSTER_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# State of the running cluster; override to run a second, independent cluster.
STATE_DIR="${HELM_DRIFT_E2E_STATE:-$CLUSTER_DIR/.state}"
# shellcheck source=versions.env
source "$CLUSTER_DIR/versions.env"

# Bump when the build recipe (flags, ldflags) changes in a way that should
# invalidate cached binaries.
BUILD_RECIPE_REV=2

# Cache key: readable versions + a hash of everything that determines the
# binaries (versions, wrapper go.mod/go.sum, recipe revision, Go toolchain).
cache_key() {
  local h
  h="$(
    {
      cat "$CLUSTER_DIR/versions.env"
      echo "recipe=$BUILD_RECIPE_REV"
      go env GOVERSION GOOS GOARCH
      for m in apiserver etcd helm3 helm4; do
        cat "$CLUSTER_DIR/$m/go.mod" "$CLUSTER_DIR/$m/go.sum"
      done
    } | sha256sum | cut -c1-10
  )"
  echo "k8s-${K8S_VERSION}_etcd-${ETCD_VERSION}_helm-${HELM3_VERSION}_helm4-${HELM4_VERSION}_${h}"
}

cache_root() { echo "${HELM_DRIFT_E2E_CACHE:-$HOME/.cache/helm-drift-e2e}"; }
bin_dir() { echo "$(cache_root)/$(cache_key)/bin"; }

BINARIES=(kube-apiserver etcd kubectl helm helm4)

log() { printf '[cluster] %s\n' "$*" >&2; }
die() { printf '[cluster] ERROR: %s\n' "$*" >&2; exit 1; }
