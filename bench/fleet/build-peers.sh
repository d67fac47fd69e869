#!/usr/bin/env bash
# Builds the two peer tools from their source snapshots and installs each as a Helm plugin, for
# bench/fleet.mjs. For each tarball in PEERS_DIR (default ../shared/peers, or $HELM_DRIFT_PEERS):
#   $(cache_root)/peers-<sha256 of the tarball, 10 hex>/<plugin name>/   plugin.yaml + bin/<binary>
# so that HELM_PLUGINS=$(cache_root)/peers-<hash> makes `helm <plugin>` run it. The binary goes where the
# peer's own plugin.yaml points (`${HELM_PLUGIN_DIR}/bin/diff`, `$HELM_PLUGIN_DIR/bin/helm-drift`); its
# install hook (which downloads a release binary) is not run. Cached: a tarball already built is skipped.
# Prints one line per peer: `<plugin name> <HELM_PLUGINS dir> <seconds to build, 0 if cached>`.
#
#   bash bench/fleet/build-peers.sh [PEERS_DIR]
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../../test/cluster/common.sh
source "$HERE/../../test/cluster/common.sh"

PEERS_DIR="${1:-${HELM_DRIFT_PEERS:-$HERE/../../../shared/peers}}"
[ -d "$PEERS_DIR" ] || { echo "peers: $PEERS_DIR does not exist" >&2; exit 3; }

# tarball name prefix → plugin directory name (the `name:` of its plugin.yaml) and binary path in it
declare -A PLUGIN=([helm-diff]=diff [helm-drift-nikhilsbhat]=drift)
declare -A BINARY=([helm-diff]=bin/diff [helm-drift-nikhilsbhat]=bin/helm-drift)

for prefix in helm-diff helm-drift-nikhilsbhat; do
  tarball="$(find "$PEERS_DIR" -maxdepth 1 -name "$prefix-[0-9]*.tar.gz" | sort | tail -n 1)"
  if [ -z "$tarball" ]; then
    echo "peers: no $prefix-*.tar.gz in $PEERS_DIR" >&2
    continue
  fi
  hash="$(sha256sum "$tarball" | cut -c1-10)"
  plugins="$(cache_root)/peers-$hash"
  dir="$plugins/${PLUGIN[$prefix]}"
  if [ -x "$dir/${BINARY[$prefix]}" ] && [ -f "$dir/plugin.yaml" ]; then
    echo "${PLUGIN[$prefix]} $plugins 0"
    continue
  fi
  start=$(date +%s)
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  tar -xzf "$tarball" -C "$work"
  src="$(find "$work" -mindepth 1 -maxdepth 1 -type d | head -n 1)"
  grep -q "^name: *\"\?${PLUGIN[$prefix]}\"\?" "$src/plugin.yaml" \
    || { echo "peers: $tarball's plugin.yaml does not name the plugin ${PLUGIN[$prefix]}" >&2; exit 1; }
  (cd "$src" && CGO_ENABLED=0 go build -trimpath -o "$work/binary" .) >&2
  rm -rf "$dir.tmp" && mkdir -p "$dir.tmp/bin"
  cp "$src/plugin.yaml" "$dir.tmp/"
  [ -f "$src/completion.yaml" ] && cp "$src/completion.yaml" "$dir.tmp/"
  mv "$work/binary" "$dir.tmp/${BINARY[$prefix]}"
  rm -rf "$dir" && mv "$dir.tmp" "$dir"
  rm -rf "$work"
  trap - EXIT
  echo "${PLUGIN[$prefix]} $plugins $(($(date +%s) - start))"
done
