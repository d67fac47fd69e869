#!/usr/bin/env bash
# Builds yamlconv (the sigs.k8s.io/yaml side of the YAML differential test) from the Go module proxy into
#   ${HELM_DRIFT_E2E_CACHE:-$HOME/.cache/helm-drift-e2e}/yamlconv-<hash>/yamlconv
# keyed by the module's files and the Go toolchain, and prints the binary's path. A cached binary is reused.
set -euo pipefail
dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
log() { printf '[yamlconv] %s\n' "$*" >&2; }

command -v go >/dev/null || { log "ERROR: go is not installed"; exit 1; }

key="$({ cat "$dir/go.mod" "$dir/go.sum" "$dir/main.go"; go env GOVERSION GOOS GOARCH; } | sha256sum | cut -c1-10)"
out="${HELM_DRIFT_E2E_CACHE:-$HOME/.cache/helm-drift-e2e}/yamlconv-$key"
bin="$out/yamlconv"
if [ ! -x "$bin" ]; then
  mkdir -p "$out"
  start=$(date +%s)
  (cd "$dir" && CGO_ENABLED=0 GOFLAGS="-trimpath -buildvcs=false -mod=readonly" \
    go build -ldflags "-s -w" -o "$out/.yamlconv.$$.tmp" .)
  mv -f "$out/.yamlconv.$$.tmp" "$bin"
  log "built in $(($(date +%s) - start))s: $bin"
fi
echo "$bin"
