#!/usr/bin/env bash
# Starts a throwaway Kubernetes control plane (etcd + kube-apiserver, no
# controller-manager, no scheduler, no nodes) on 127.0.0.1 for e2e tests.
#
#   test/cluster/up.sh          # npm run cluster:up
#   export KUBECONFIG=test/cluster/.state/kubeconfig
#   test/cluster/.state/bin/{kubectl,helm,helm4}
#
# Idempotent: exits 0 at once when a cluster started by this script is up.
# State (certs, data, logs, pids, kubeconfig) lives in test/cluster/.state/.
set -euo pipefail
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

READY_TIMEOUT="${HELM_DRIFT_E2E_READY_TIMEOUT:-120}"

# One up.sh/down.sh at a time per state dir (down.sh takes the same lock
# unless called from here). The started daemons must not inherit fd 8.
exec 8>"$STATE_DIR.lock"
flock 8
export HELM_DRIFT_E2E_LOCK_HELD=1
CTX=helm-drift-e2e

pid_alive() { # $1 = pid file, $2 = expected executable name
  local pid
  [ -f "$1" ] || return 1
  pid="$(cat "$1")"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  # " (deleted)": the cached binary was replaced while running.
  [ "$(basename "$(readlink "/proc/$pid/exe" 2>/dev/null)" 2>/dev/null)" = "$2" ] \
    || [ "$(basename "$(readlink "/proc/$pid/exe" 2>/dev/null)" 2>/dev/null)" = "$2 (deleted)" ]
}

healthy() {
  [ -f "$STATE_DIR/cluster.env" ] || return 1
  # shellcheck disable=SC1091
  source "$STATE_DIR/cluster.env"
  pid_alive "$STATE_DIR/etcd.pid" etcd && pid_alive "$STATE_DIR/kube-apiserver.pid" kube-apiserver || return 1
  curl -fsS --max-time 5 --cacert "$STATE_DIR/pki/ca.crt" \
    -H "Authorization: Bearer $(cat "$STATE_DIR/admin-token")" \
    "https://127.0.0.1:${APISERVER_PORT}/readyz" >/dev/null 2>&1
}

if healthy; then
  log "already up: https://127.0.0.1:${APISERVER_PORT} (KUBECONFIG=$STATE_DIR/kubeconfig)"
  exit 0
fi
if [ -e "$STATE_DIR" ]; then
  log "found stale state in $STATE_DIR, cleaning up first"
  "$CLUSTER_DIR/down.sh"
fi

t0=$(date +%s)
"$CLUSTER_DIR/build.sh"
BIN="$(bin_dir)"
for b in "${BINARIES[@]}"; do [ -x "$BIN/$b" ] || die "missing $BIN/$b after build"; done
t_built=$(date +%s)

command -v openssl >/dev/null || die "openssl is required"
command -v curl >/dev/null || die "curl is required"

mkdir -p "$STATE_DIR"/{pki,bin,etcd-data,apiserver-certs}
chmod 700 "$STATE_DIR" "$STATE_DIR/etcd-data"
: > "$STATE_DIR/.helm-drift-e2e-state" # marker: down.sh only deletes such dirs

# --- free ports --------------------------------------------------------------
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
declare -A used=()
free_port() {
  local p
  for _ in $(seq 1 200); do
    p=$(( 20000 + RANDOM % 30000 ))
    [ -z "${used[$p]:-}" ] || continue
    if ! port_in_use "$p"; then used[$p]=1; echo "$p"; return 0; fi
  done
  die "no free port found"
}
ETCD_CLIENT_PORT="$(free_port)"
ETCD_PEER_PORT="$(free_port)"
APISERVER_PORT="$(free_port)"

# --- PKI ---------------------------------------------------------------------
PKI="$STATE_DIR/pki"
ossl() { openssl "$@" 2>>"$STATE_DIR/openssl.log" >/dev/null || die "openssl $1 failed, see $STATE_DIR/openssl.log"; }
# ECDSA P-256 keys: ~30x faster to generate than RSA-2048.
EC=(-newkey ec -pkeyopt ec_paramgen_curve:P-256)
ossl req -x509 "${EC[@]}" -nodes -sha256 -days 3650 \
  -keyout "$PKI/ca.key" -out "$PKI/ca.crt" -subj "/CN=helm-drift-e2e-ca" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign,digitalSignature"

sign() { # name subj extfile-content
  local name="$1" subj="$2" ext="$3"
  ossl req "${EC[@]}" -nodes -sha256 -keyout "$PKI/$name.key" -out "$PKI/$name.csr" -subj "$subj"
  printf '%s\n' "$ext" > "$PKI/$name.ext"
  ossl x509 -req -sha256 -days 3650 -in "$PKI/$name.csr" -CA "$PKI/ca.crt" -CAkey "$PKI/ca.key" \
    -CAcreateserial -out "$PKI/$name.crt" -extfile "$PKI/$name.ext"
}
sign apiserver "/CN=kube-apiserver" "basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=serverAuth
subjectAltName=IP:127.0.0.1,IP:10.96.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local"
sign admin "/O=system:masters/CN=admin" "basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=clientAuth"
ossl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$PKI/sa.key"
ossl pkey -in "$PKI/sa.key" -pubout -out "$PKI/sa.pub"

t_pki=$(date +%s)

ADMIN_TOKEN="$(openssl rand -hex 24)"
printf '%s\n' "$ADMIN_TOKEN" > "$STATE_DIR/admin-token"
printf '%s,admin,admin,"system:masters"\n' "$ADMIN_TOKEN" > "$PKI/tokens.csv"
chmod 600 "$PKI"/*.key "$PKI/tokens.csv" "$STATE_DIR/admin-token"

cat > "$STATE_DIR/cluster.env" <<ENV
ETCD_CLIENT_PORT=$ETCD_CLIENT_PORT
ETCD_PEER_PORT=$ETCD_PEER_PORT
APISERVER_PORT=$APISERVER_PORT
BIN_DIR=$BIN
ENV

# --- etcd --------------------------------------------------------------------
start_detached() { # name, args...
  local name="$1"; shift
  # setsid: own session, survives the calling shell; stdin closed.
  setsid nohup "$BIN/$name" "$@" >"$STATE_DIR/$name.log" 2>&1 </dev/null 8>&- 9>&- &
  echo $! > "$STATE_DIR/$name.pid"
}
tail_logs() { for f in "$STATE_DIR"/etcd.log "$STATE_DIR"/kube-apiserver.log; do
  [ -f "$f" ] && { echo "----- tail -n 40 $f" >&2; tail -n 40 "$f" >&2; }; done; }
fail() { log "$*"; tail_logs; "$CLUSTER_DIR/down.sh" --keep-state >/dev/null 2>&1 || true; exit 1; }

ETCD_URL="http://127.0.0.1:$ETCD_CLIENT_PORT"
start_detached etcd \
  --name helm-drift-e2e \
  --data-dir "$STATE_DIR/etcd-data" \
  --listen-client-urls "$ETCD_URL" --advertise-client-urls "$ETCD_URL" \
  --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
  --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
  --initial-cluster "helm-drift-e2e=http://127.0.0.1:$ETCD_PEER_PORT" \
  --unsafe-no-fsync --log-level warn

deadline=$(( $(date +%s) + READY_TIMEOUT ))
until curl -fsS --max-time 2 "$ETCD_URL/health" 2>/dev/null | grep -q '"health":"true"'; do
  pid_alive "$STATE_DIR/etcd.pid" etcd || fail "etcd exited"
  [ "$(date +%s)" -lt "$deadline" ] || fail "etcd not healthy after ${READY_TIMEOUT}s"
  sleep 0.2
done
t_etcd=$(date +%s)

# --- kube-apiserver ----------------------------------------------------------
start_detached kube-apiserver \
  --etcd-servers "$ETCD_URL" \
  --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$APISERVER_PORT" \
  --cert-dir "$STATE_DIR/apiserver-certs" \
  --tls-cert-file "$PKI/apiserver.crt" --tls-private-key-file "$PKI/apiserver.key" \
  --client-ca-file "$PKI/ca.crt" \
  --token-auth-file "$PKI/tokens.csv" \
  --authorization-mode Node,RBAC \
  --service-account-issuer https://kubernetes.default.svc.cluster.local \
  --service-account-key-file "$PKI/sa.pub" \
  --service-account-signing-key-file "$PKI/sa.key" \
  --service-cluster-ip-range 10.96.0.0/16 \
  --allow-privileged=true \
  --endpoint-reconciler-type none \
  --profiling=false \
  --v 1

# --- kubeconfig + tools -------------------------------------------------------
b64() { base64 -w0 < "$1"; }
cat > "$STATE_DIR/kubeconfig" <<KCFG
apiVersion: v1
kind: Config
clusters:
- name: $CTX
  cluster:
    server: https://127.0.0.1:$APISERVER_PORT
    certificate-authority-data: $(b64 "$PKI/ca.crt")
users:
- name: $CTX-admin
  user:
    # Static admin token (system:masters): a bearer token, not a client
    # certificate, so that kubectl --token=X really acts as X (a client
    # certificate would still be presented and win). pki/admin.crt+key is an
    # equivalent system:masters client certificate.
    token: $ADMIN_TOKEN
contexts:
- name: $CTX
  context:
    cluster: $CTX
    user: $CTX-admin
    namespace: default
current-context: $CTX
KCFG
chmod 600 "$STATE_DIR/kubeconfig"
for b in kubectl helm helm4 kube-apiserver etcd; do ln -sfn "$BIN/$b" "$STATE_DIR/bin/$b"; done
mkdir -p "$STATE_DIR/helm"/{config,cache,data}
cat > "$STATE_DIR/cluster.json" <<JSON
{
  "context": "$CTX",
  "server": "https://127.0.0.1:$APISERVER_PORT",
  "kubeconfig": "$STATE_DIR/kubeconfig",
  "caFile": "$PKI/ca.crt",
  "adminTokenFile": "$STATE_DIR/admin-token",
  "adminCertFile": "$PKI/admin.crt",
  "adminKeyFile": "$PKI/admin.key",
  "etcd": "$ETCD_URL",
  "binDir": "$STATE_DIR/bin",
  "kubectl": "$STATE_DIR/bin/kubectl",
  "helm": "$STATE_DIR/bin/helm",
  "helm4": "$STATE_DIR/bin/helm4",
  "helmEnv": {
    "HELM_CONFIG_HOME": "$STATE_DIR/helm/config",
    "HELM_CACHE_HOME": "$STATE_DIR/helm/cache",
    "HELM_DATA_HOME": "$STATE_DIR/helm/data"
  },
  "versions": {
    "kubernetes": "$K8S_VERSION", "etcd": "$ETCD_VERSION",
    "helm3": "$HELM3_VERSION", "helm4": "$HELM4_VERSION"
  }
}
JSON
cat > "$STATE_DIR/env.sh" <<ENVSH
# source test/cluster/.state/env.sh
export KUBECONFIG="$STATE_DIR/kubeconfig"
export PATH="$STATE_DIR/bin:\$PATH"
export HELM_CONFIG_HOME="$STATE_DIR/helm/config"
export HELM_CACHE_HOME="$STATE_DIR/helm/cache"
export HELM_DATA_HOME="$STATE_DIR/helm/data"
ENVSH

# --- wait for readiness ----------------------------------------------------------
KUBECTL=("$BIN/kubectl" --kubeconfig "$STATE_DIR/kubeconfig" --request-timeout 5s)
until curl -fsS --max-time 5 --cacert "$PKI/ca.crt" -H "Authorization: Bearer $ADMIN_TOKEN" \
      "https://127.0.0.1:$APISERVER_PORT/readyz" >/dev/null 2>&1; do
  pid_alive "$STATE_DIR/kube-apiserver.pid" kube-apiserver || fail "kube-apiserver exited"
  [ "$(date +%s)" -lt "$deadline" ] || fail "kube-apiserver /readyz not ok after ${READY_TIMEOUT}s"
  sleep 0.5
done
t_readyz=$(date +%s)
# The default namespace (bootstrap controller) and RBAC bootstrap roles.
until "${KUBECTL[@]}" get namespace default >/dev/null 2>&1 \
   && "${KUBECTL[@]}" get clusterrole view >/dev/null 2>&1 \
   && "${KUBECTL[@]}" get service kubernetes -n default >/dev/null 2>&1; do
  [ "$(date +%s)" -lt "$deadline" ] || fail "default namespace / RBAC bootstrap roles missing after ${READY_TIMEOUT}s"
  sleep 0.5
done
# No kube-controller-manager: fill the aggregated roles (admin/edit/view) once,
# as its clusterrole-aggregation controller would.
aggregate_roles() {
  local out
  out="$("${KUBECTL[@]}" get clusterroles -o json | node "$CLUSTER_DIR/aggregate-clusterroles.mjs" 2>/dev/null)" || return 1
  case "$out" in *'"items":[]'*) return 0 ;; esac
  printf '%s' "$out" | "${KUBECTL[@]}" replace -f - >/dev/null
}
if command -v node >/dev/null; then
  aggregate_roles || aggregate_roles || fail "could not aggregate cluster roles admin/edit/view"
else
  log "WARNING: node not found, cluster roles admin/edit/view stay empty (no aggregation)"
fi
t_ready=$(date +%s)

log "etcd:           pid $(cat "$STATE_DIR/etcd.pid"), $ETCD_URL, log $STATE_DIR/etcd.log"
log "kube-apiserver: pid $(cat "$STATE_DIR/kube-apiserver.pid"), https://127.0.0.1:$APISERVER_PORT, log $STATE_DIR/kube-apiserver.log"
log "ready in $((t_ready - t0))s (build check $((t_built - t0))s, certs $((t_pki - t_built))s, etcd $((t_etcd - t_pki))s, apiserver /readyz $((t_readyz - t_etcd))s, bootstrap objects + role aggregation $((t_ready - t_readyz))s)"
log "export KUBECONFIG=$STATE_DIR/kubeconfig   # or: source $STATE_DIR/env.sh"
