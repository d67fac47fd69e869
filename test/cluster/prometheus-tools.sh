#!/usr/bin/env bash
# Provides Prometheus' `pushgateway` and `promtool` for the e2e tests (the chart's alert rules, metrics pushed
# by `helm-drift report`), from Debian's packages: the Go module proxy refuses github.com/prometheus/pushgateway
# (its go.mod path does not match), and Debian has both, built from source, at known versions.
#
#   bash test/cluster/prometheus-tools.sh
#   pushgateway=/root/.cache/helm-drift-e2e/prometheus-debs-2.42.0_1.5.1/usr/bin/prometheus-pushgateway
#   promtool=/root/.cache/helm-drift-e2e/prometheus-debs-2.42.0_1.5.1/usr/bin/promtool
#
# `apt-get download` fetches the two .deb files (no root needed, nothing is installed) into
#   $(cache_root)/prometheus-debs-<prometheus version>_<pushgateway version>/
# and `dpkg -x` unpacks them there. A second run only checks the cached binaries and prints their paths.
# When the download fails (a fresh machine has no apt lists), `apt-get update` runs once (with sudo when not
# root) and the download is retried. The upstream versions are pinned below: Debian bookworm's, so promtool's
# rule and test-file syntax is the one the tests were written against; another distribution's packages are
# refused with a message rather than used silently.
set -euo pipefail
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

PROMETHEUS_VERSION=2.42.0  # Debian bookworm: prometheus 2.42.0+ds-5+deb12u1
PUSHGATEWAY_VERSION=1.5.1  # Debian bookworm: prometheus-pushgateway 1.5.1-2+b5

log() { printf '[prometheus-tools] %s\n' "$*" >&2; }
die() { printf '[prometheus-tools] ERROR: %s\n' "$*" >&2; exit 1; }

out="$(cache_root)/prometheus-debs-${PROMETHEUS_VERSION}_${PUSHGATEWAY_VERSION}"
pushgateway="$out/usr/bin/prometheus-pushgateway"
promtool="$out/usr/bin/promtool"

print_paths() {
  printf 'pushgateway=%s\npromtool=%s\n' "$pushgateway" "$promtool"
}

cached_ok() {
  [ -x "$pushgateway" ] && [ -x "$promtool" ] &&
    "$promtool" --version >/dev/null 2>&1 && "$pushgateway" --version >/dev/null 2>&1
}

if cached_ok; then
  print_paths
  exit 0
fi

command -v apt-get >/dev/null || die "apt-get not found: these tools come from Debian's packages (see $0)"
command -v dpkg >/dev/null || die "dpkg not found"

mkdir -p "$(cache_root)"
work="$(mktemp -d "$(cache_root)/.prometheus-debs.XXXXXX")"
trap 'rm -rf "$work"' EXIT
# apt drops to user _apt to download; it needs to write here (else it warns and downloads as root).
chmod 755 "$work"

download() { (cd "$work" && apt-get download -q prometheus prometheus-pushgateway >&2); }

if ! download; then
  log "apt-get download failed; updating the package lists and retrying"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq >&2 || die "apt-get update failed"
  download || die "apt-get download prometheus prometheus-pushgateway failed after apt-get update"
fi

check_version() { # package upstream-version
  local deb version
  deb="$(echo "$work"/"$1"_*.deb)"
  [ -f "$deb" ] || die "no $1 package downloaded"
  version="$(dpkg-deb -f "$deb" Version)"
  case "$version" in
    "$2"+* | "$2"-*) ;;
    *) die "$1 $version is not the pinned upstream $2 (Debian bookworm's); update the pin in $0 after checking the tests" ;;
  esac
  log "$1 $version"
}
check_version prometheus "$PROMETHEUS_VERSION"
check_version prometheus-pushgateway "$PUSHGATEWAY_VERSION"

mkdir "$work/root"
for deb in "$work"/*.deb; do dpkg -x "$deb" "$work/root"; done
for bin in usr/bin/prometheus-pushgateway usr/bin/promtool; do
  [ -x "$work/root/$bin" ] || die "$bin is not in the packages (found: $(cd "$work/root" && find . -type f -path '*bin/*' | tr '\n' ' '))"
  "$work/root/$bin" --version >/dev/null 2>&1 || die "$bin does not run on this machine"
done

# Into place atomically: a concurrent run either finds the complete directory or makes its own.
rm -rf "$out"
mv "$work/root" "$out" 2>/dev/null || cached_ok || die "could not move the unpacked packages to $out"
cached_ok || die "the unpacked binaries in $out do not run"
log "unpacked into $out"
print_paths
