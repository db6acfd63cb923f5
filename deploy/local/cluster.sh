#!/usr/bin/env bash
# A local Mindspace cluster on loopback, on Orleans: a throwaway PostgreSQL, N silos and M gateways,
# every Orleans connection mutual TLS with a development certificate made here.
#
#   deploy/local/cluster.sh start            build (Release), make the TLS pair, start everything, wait until ready
#   deploy/local/cluster.sh stop             stop everything, delete the PostgreSQL data and the TLS pair
#   deploy/local/cluster.sh status           what runs, with pids, ports and /health/ready
#   deploy/local/cluster.sh kill-silo N      SIGKILL silo N (1-based)
#   deploy/local/cluster.sh stop-silo N      SIGTERM silo N (a graceful leave) and wait until it has exited
#   deploy/local/cluster.sh start-silo N     start silo N again and wait until it is ready
#   deploy/local/cluster.sh kill-gateway N / stop-gateway N / start-gateway N   the same for a gateway
#   deploy/local/cluster.sh urls             the gateway URLs, one a line
#   deploy/local/cluster.sh env              non-secret facts about the running cluster (KEY=value)
#
# Settings (environment; defaults in brackets) are read by `start` and remembered for the
# other commands in $RUN_DIR/cluster.env:
#   SILOS [3]  GATEWAYS [2]  GATEWAY_ONLY [true]   (SILOS=0 GATEWAY_ONLY=false GATEWAYS=1 is
#                                                   the single-process gateway on PostgreSQL)
#   GATEWAY_HTTP_PORT_BASE [5081]   gateways' HTTP PORT
#   SILO_PORT_BASE [11111]  SILO_GATEWAY_PORT_BASE [30000]   Orleans' SILO_PORT and GATEWAY_PORT
#   SILO_HEALTH_PORT_BASE [8091]    silos' health PORT        PG_PORT [55432]
#   METRICS_PORT_BASE [off]         METRICS_PORT (/metrics) of silos, then of gateways
#                             ports of process n are BASE+n-1; a gateway that co-hosts a silo
#                             (GATEWAY_ONLY=false) takes the Orleans ports after the silos'
#   ORLEANS_CLUSTER_ID, ORLEANS_SERVICE_ID [mindspace]
#   CLUSTER_TLS_MODE [ca]     ca: a throwaway CA signs the cluster certificate, members trust that CA
#                             (CLUSTER_TLS_CA); pin: one self-signed certificate, members pin it
#   CLUSTER_TLS_CERT, CLUSTER_TLS_KEY, CLUSTER_TLS_CA   your own PEM files instead of generated ones
#   CONFIGURATION [Release]  SKIP_BUILD [0]  TFM [net10.0]
#   ASPNETCORE_ENVIRONMENT [Production]  SHUTDOWN_TIMEOUT [30s]  JWT_EXPIRES_IN [1h]
#   RATE_LIMIT_AUTH_PER_MINUTE / RATE_LIMIT_USER_PER_MINUTE [1000000]
#   JWT_SECRET [random per start]  MASTER_KEY [random per start, like the database]
#   SILO_ENV, GATEWAY_ENV    extra KEY=VALUE words for every silo / gateway
#   READY_TIMEOUT [120] seconds to wait for /health/ready   STOP_GRACE [45] seconds from
#                             SIGTERM to SIGKILL on stop
#   RUN_DIR [deploy/local/.run]  pids, logs, state and the TLS pair;  PG data goes to a mktemp dir under ${TMPDIR:-/tmp}
#   OWNER_PID                 if set on start: a watchdog stops the cluster once that process is gone

# Single-quoted `bash -c` scripts below expand their variables in the child, on purpose.
# shellcheck disable=SC2016
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SCRIPT_PATH=$SCRIPT_DIR/$(basename "${BASH_SOURCE[0]}")
ROOT=$(cd "$SCRIPT_DIR/../.." && pwd)
RUN_DIR=${RUN_DIR:-$SCRIPT_DIR/.run}
[[ $RUN_DIR == /* ]] || RUN_DIR=$PWD/$RUN_DIR
STATE_FILE=$RUN_DIR/cluster.env
LOG_DIR=$RUN_DIR/logs
TLS_DIR=$RUN_DIR/tls

# Inherited variables that would change what a process does on this loopback cluster (Orleans'
# Kubernetes hosting, ports, listen URLs, another certificate): unset for every process we start.
# The settings each process needs are then passed explicitly.
SCRUBBED_ENV=(
    KUBERNETES_SERVICE_HOST KUBERNETES_SERVICE_PORT POD_NAME POD_NAMESPACE POD_IP
    SILO_PORT GATEWAY_PORT SILO_ADVERTISE_ADDRESS METRICS_PORT ASPNETCORE_URLS DATA_DIR
    CLUSTER_TLS_CERT CLUSTER_TLS_KEY CLUSTER_TLS_CA MASTER_KEY MASTER_KEY_PREVIOUS NEW_MASTER_KEY
)

say() { printf '%s\n' "$*" >&2; }
die() { say "cluster.sh: $*"; exit 1; }

# ---------------------------------------------------------------- settings and state

load_settings() {
    [[ -z ${GATEWAY_PORT_BASE:-} ]] \
        || die "GATEWAY_PORT_BASE was split in two: GATEWAY_HTTP_PORT_BASE (gateways' HTTP ports) and SILO_GATEWAY_PORT_BASE (Orleans' GATEWAY_PORT of silos)"
    SILOS=${SILOS:-3}
    GATEWAYS=${GATEWAYS:-2}
    GATEWAY_ONLY=${GATEWAY_ONLY:-true}
    GATEWAY_HTTP_PORT_BASE=${GATEWAY_HTTP_PORT_BASE:-5081}
    SILO_PORT_BASE=${SILO_PORT_BASE:-11111}
    SILO_GATEWAY_PORT_BASE=${SILO_GATEWAY_PORT_BASE:-30000}
    SILO_HEALTH_PORT_BASE=${SILO_HEALTH_PORT_BASE:-8091}
    METRICS_PORT_BASE=${METRICS_PORT_BASE:-}
    PG_PORT=${PG_PORT:-55432}
    ORLEANS_CLUSTER_ID=${ORLEANS_CLUSTER_ID:-mindspace}
    ORLEANS_SERVICE_ID=${ORLEANS_SERVICE_ID:-mindspace}
    CLUSTER_TLS_MODE=${CLUSTER_TLS_MODE:-ca}
    TLS_CERT=${CLUSTER_TLS_CERT:-} TLS_KEY=${CLUSTER_TLS_KEY:-} TLS_CA=${CLUSTER_TLS_CA:-} TLS_GENERATED=0
    CONFIGURATION=${CONFIGURATION:-Release}
    TFM=${TFM:-net10.0}
    APP_ENVIRONMENT=${ASPNETCORE_ENVIRONMENT:-Production}
    SHUTDOWN_TIMEOUT=${SHUTDOWN_TIMEOUT:-30s}
    JWT_EXPIRES_IN=${JWT_EXPIRES_IN:-1h}
    RATE_LIMIT_AUTH_PER_MINUTE=${RATE_LIMIT_AUTH_PER_MINUTE:-1000000}
    RATE_LIMIT_USER_PER_MINUTE=${RATE_LIMIT_USER_PER_MINUTE:-1000000}
    SILO_ENV=${SILO_ENV:-}
    GATEWAY_ENV=${GATEWAY_ENV:-}
    JWT_SECRET=${JWT_SECRET:-$(random_secret 48)}
    MASTER_KEY=${MASTER_KEY:-$(head -c 32 /dev/urandom | base64 -w0)}
    SILO_DLL=$ROOT/Mindspace.Silo/bin/$CONFIGURATION/$TFM/Mindspace.Silo.dll
    GATEWAY_DLL=$ROOT/Mindspace.Gateway/bin/$CONFIGURATION/$TFM/Mindspace.Gateway.dll
    PG_BIN="" PG_AS_POSTGRES=0 PG_DIR="" DATABASE_URL=""
    local n
    for n in SILOS GATEWAYS GATEWAY_HTTP_PORT_BASE SILO_PORT_BASE SILO_GATEWAY_PORT_BASE SILO_HEALTH_PORT_BASE PG_PORT; do
        [[ ${!n} =~ ^[0-9]+$ ]] || die "$n must be a whole number (got '${!n}')"
    done
    [[ -z $METRICS_PORT_BASE || $METRICS_PORT_BASE =~ ^[0-9]+$ ]] || die "METRICS_PORT_BASE must be a whole number or unset"
    [[ $GATEWAY_ONLY == true || $GATEWAY_ONLY == false ]] || die "GATEWAY_ONLY must be true or false (got '$GATEWAY_ONLY')"
    [[ $CLUSTER_TLS_MODE == ca || $CLUSTER_TLS_MODE == pin ]] || die "CLUSTER_TLS_MODE must be ca or pin (got '$CLUSTER_TLS_MODE')"
    if [[ -n $TLS_CERT || -n $TLS_KEY ]]; then
        [[ -f $TLS_CERT && -f $TLS_KEY ]] || die "CLUSTER_TLS_CERT and CLUSTER_TLS_KEY must both name PEM files"
        [[ -z $TLS_CA || -f $TLS_CA ]] || die "CLUSTER_TLS_CA names no file: $TLS_CA"
        TLS_CERT=$(realpath "$TLS_CERT") TLS_KEY=$(realpath "$TLS_KEY")
        [[ -z $TLS_CA ]] || TLS_CA=$(realpath "$TLS_CA")
    fi
    ((GATEWAYS >= 1)) || die "GATEWAYS must be at least 1"
    if [[ $GATEWAY_ONLY == true ]] && ((SILOS < 1)); then
        die "GATEWAY_ONLY=true needs at least one silo (SILOS >= 1); SILOS=0 goes with GATEWAY_ONLY=false"
    fi
    ((${#JWT_SECRET} >= 32)) || die "JWT_SECRET must be at least 32 characters"
}

random_secret() { # bytes -> base64url text
    head -c "$1" /dev/urandom | base64 -w0 | tr '+/' '-_' | tr -d '='
}

save_state() {
    mkdir -p "$RUN_DIR"
    local tmp=$STATE_FILE.tmp
    (
        umask 077
        for n in SILOS GATEWAYS GATEWAY_ONLY GATEWAY_HTTP_PORT_BASE SILO_PORT_BASE SILO_GATEWAY_PORT_BASE \
            SILO_HEALTH_PORT_BASE METRICS_PORT_BASE PG_PORT ORLEANS_CLUSTER_ID ORLEANS_SERVICE_ID CLUSTER_TLS_MODE \
            TLS_CERT TLS_KEY TLS_CA TLS_GENERATED CONFIGURATION TFM APP_ENVIRONMENT SHUTDOWN_TIMEOUT JWT_EXPIRES_IN \
            RATE_LIMIT_AUTH_PER_MINUTE RATE_LIMIT_USER_PER_MINUTE SILO_ENV GATEWAY_ENV JWT_SECRET MASTER_KEY SILO_DLL GATEWAY_DLL \
            PG_BIN PG_AS_POSTGRES PG_DIR DATABASE_URL; do
            printf '%s=%q\n' "$n" "${!n}"
        done >"$tmp"
    )
    mv "$tmp" "$STATE_FILE"
}

load_state() {
    [[ -f $STATE_FILE ]] || die "no cluster state in $RUN_DIR (run: $0 start)"
    # shellcheck disable=SC1090
    source "$STATE_FILE"
}

# ---------------------------------------------------------------- the cluster certificate

# A development TLS identity for every member under $TLS_DIR (mode 700), made fresh on each start:
#   ca   a throwaway CA (ca.crt; its key never leaves $TLS_DIR) signs the cluster certificate
#        (tls.crt/tls.key); members get CLUSTER_TLS_CA=ca.crt and trust whatever chains to it
#   pin  one self-signed certificate (tls.crt/tls.key); no CLUSTER_TLS_CA, so members accept only
#        a peer presenting exactly that certificate
# Either way the cluster certificate carries both extended key usages, serverAuth and clientAuth:
# every member is a TLS server (its own ports) and a TLS client (dialling the others).
make_dev_tls() {
    command -v openssl >/dev/null 2>&1 || die "openssl is not on PATH (apt-get install openssl), or pass CLUSTER_TLS_CERT and CLUSTER_TLS_KEY"
    rm -rf "$TLS_DIR"
    mkdir -p "$TLS_DIR"
    chmod 700 "$TLS_DIR"
    local log=$LOG_DIR/tls.log
    local leaf_ext=(
        -addext "basicConstraints=critical,CA:FALSE"
        -addext "keyUsage=critical,digitalSignature"
        -addext "extendedKeyUsage=serverAuth,clientAuth"
        -addext "subjectAltName=DNS:mindspace-cluster,DNS:localhost,IP:127.0.0.1"
    )
    (
        umask 077
        cd "$TLS_DIR"
        if [[ $CLUSTER_TLS_MODE == pin ]]; then
            openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 \
                -keyout tls.key -out tls.crt -subj "/O=Mindspace local cluster/CN=mindspace-cluster" "${leaf_ext[@]}"
        else
            openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 \
                -keyout ca.key -out ca.crt -subj "/O=Mindspace local cluster/CN=Mindspace local cluster CA" \
                -addext "basicConstraints=critical,CA:TRUE,pathlen:0" -addext "keyUsage=critical,keyCertSign,cRLSign"
            openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
                -keyout tls.key -out tls.csr -subj "/O=Mindspace local cluster/CN=mindspace-cluster" "${leaf_ext[@]}"
            # -copy_extensions needs OpenSSL 3; the same extensions again via -extfile work everywhere.
            printf '%s\n' "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature" \
                "extendedKeyUsage=serverAuth,clientAuth" "subjectAltName=DNS:mindspace-cluster,DNS:localhost,IP:127.0.0.1" \
                "subjectKeyIdentifier=hash" "authorityKeyIdentifier=keyid" >leaf.ext
            openssl x509 -req -in tls.csr -CA ca.crt -CAkey ca.key -set_serial "0x$(openssl rand -hex 16)" -days 30 \
                -extfile leaf.ext -out tls.crt
            openssl verify -CAfile ca.crt -purpose sslserver tls.crt && openssl verify -CAfile ca.crt -purpose sslclient tls.crt
            rm -f tls.csr leaf.ext
        fi
    ) >"$log" 2>&1 || { tail -n 20 "$log" >&2; die "could not make the development TLS pair (see $log)"; }
    # Readable by this user only; the processes run as this user.
    chmod 600 "$TLS_DIR"/*.key
    TLS_CERT=$TLS_DIR/tls.crt TLS_KEY=$TLS_DIR/tls.key TLS_CA="" TLS_GENERATED=1
    [[ $CLUSTER_TLS_MODE == pin ]] || TLS_CA=$TLS_DIR/ca.crt
    say "made a development cluster certificate ($CLUSTER_TLS_MODE mode) in $TLS_DIR"
}

# ---------------------------------------------------------------- processes

pid_file() { echo "$RUN_DIR/$1.pid"; }
log_file() { echo "$LOG_DIR/$1.log"; }
dll_of() { case $1 in silo-*) echo "$SILO_DLL" ;; gateway-*) echo "$GATEWAY_DLL" ;; watchdog) echo "$SCRIPT_PATH" ;; esac; }

# The pid of a process we started, if it still runs (the command line is checked so a reused pid is never ours).
running_pid() { # name
    local file pid
    file=$(pid_file "$1")
    [[ -f $file ]] || return 1
    pid=$(<"$file")
    [[ $pid =~ ^[0-9]+$ && -r /proc/$pid/cmdline ]] || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$(dll_of "$1")" || return 1
    # A zombie (killed, not yet reaped) does not run.
    [[ $(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null) != Z ]] || return 1
    echo "$pid"
}

port_in_use() { # port
    if command -v ss >/dev/null 2>&1 && [[ -n $(ss -Hltn "sport = :$1" 2>/dev/null) ]]; then
        return 0
    fi
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# HTTP status of GET http://127.0.0.1:port/path, 000 when nothing answers.
http_status() { # port path
    if command -v curl >/dev/null 2>&1; then
        curl -s -o /dev/null -m 5 -w '%{http_code}' "http://127.0.0.1:$1$2" 2>/dev/null || true
        return 0
    fi
    timeout 6 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$0" || exit 1
        printf "GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n" "$1" >&3
        IFS=" " read -r _ code _ <&3 && printf "%s" "$code"' "$1" "$2" 2>/dev/null || printf '000'
}

# Ports of process n. Silos 1..SILOS take the first Orleans port pairs; a gateway that co-hosts a silo
# (GATEWAY_ONLY=false) is silo number SILOS+n for them. Metrics ports: silos first, then gateways.
silo_port() { echo $((SILO_PORT_BASE + $1 - 1)); }
silo_gateway_port() { echo $((SILO_GATEWAY_PORT_BASE + $1 - 1)); }
silo_health_port() { echo $((SILO_HEALTH_PORT_BASE + $1 - 1)); }
gateway_port() { echo $((GATEWAY_HTTP_PORT_BASE + $1 - 1)); }
health_port_of() { case $1 in silo-*) silo_health_port "${1#silo-}" ;; gateway-*) gateway_port "${1#gateway-}" ;; esac; }

cohosts_silo() { [[ $GATEWAY_ONLY == false ]]; }

orleans_index() { # name -> the silo number whose Orleans ports it uses
    case $1 in
        silo-*) echo "${1#silo-}" ;;
        gateway-*) echo $((SILOS + ${1#gateway-})) ;;
    esac
}

metrics_port_of() { # name -> its METRICS_PORT, or nothing when metrics are off
    [[ -n ${METRICS_PORT_BASE:-} ]] || return 0
    case $1 in
        silo-*) echo $((METRICS_PORT_BASE + ${1#silo-} - 1)) ;;
        gateway-*) echo $((METRICS_PORT_BASE + SILOS + ${1#gateway-} - 1)) ;;
    esac
}

all_names() {
    local i
    for ((i = 1; i <= SILOS; i++)); do echo "silo-$i"; done
    for ((i = 1; i <= GATEWAYS; i++)); do echo "gateway-$i"; done
}

ports_of() { # name -> every port it listens on
    local orleans
    orleans=$(orleans_index "$1")
    case $1 in
        silo-*) echo "$(silo_port "$orleans") $(silo_gateway_port "$orleans") $(silo_health_port "${1#silo-}") $(metrics_port_of "$1")" ;;
        gateway-*)
            if cohosts_silo; then
                echo "$(gateway_port "${1#gateway-}") $(silo_port "$orleans") $(silo_gateway_port "$orleans") $(metrics_port_of "$1")"
            else
                echo "$(gateway_port "${1#gateway-}") $(metrics_port_of "$1")"
            fi
            ;;
    esac
}

check_ports_free() { # name...
    local name port busy=()
    for name in "$@"; do
        for port in $(ports_of "$name"); do
            port_in_use "$port" && busy+=("$port ($name)")
        done
    done
    ((${#busy[@]} == 0)) || die "port(s) in use: ${busy[*]}. Stop whatever holds them or choose other ports (GATEWAY_HTTP_PORT_BASE, SILO_PORT_BASE, SILO_GATEWAY_PORT_BASE, SILO_HEALTH_PORT_BASE, METRICS_PORT_BASE, PG_PORT)."
}

# The environment every member gets: the database, the cluster's ids and its TLS identity.
member_env() {
    local words=(
        "DATABASE_URL=$DATABASE_URL"
        "ORLEANS_CLUSTER_ID=$ORLEANS_CLUSTER_ID" "ORLEANS_SERVICE_ID=$ORLEANS_SERVICE_ID"
        "CLUSTER_TLS_CERT=$TLS_CERT" "CLUSTER_TLS_KEY=$TLS_KEY"
        "SHUTDOWN_TIMEOUT=$SHUTDOWN_TIMEOUT"
        "ASPNETCORE_ENVIRONMENT=$APP_ENVIRONMENT" "DOTNET_ENVIRONMENT=$APP_ENVIRONMENT"
    )
    [[ -z $TLS_CA ]] || words+=("CLUSTER_TLS_CA=$TLS_CA")
    printf '%s\n' "${words[@]}"
}

# What a grain-hosting process adds: Orleans' two ports, on loopback, and the journal's master key
# (one per cluster run, like its database; gateways that host no grains never see it).
orleans_env() { # silo-number
    printf '%s\n' "SILO_PORT=$(silo_port "$1")" "GATEWAY_PORT=$(silo_gateway_port "$1")" "SILO_ADVERTISE_ADDRESS=127.0.0.1" \
        "MASTER_KEY=$MASTER_KEY"
}

# Starts one silo or gateway detached (own session: a Ctrl-C in the terminal does not reach it).
launch() { # name
    local name=$1 dll pidfile log workdir env_words=() unset_words=() variable metrics
    dll=$(dll_of "$name")
    pidfile=$(pid_file "$name")
    log=$(log_file "$name")
    workdir=$RUN_DIR/work/$name
    [[ -f $dll ]] || die "$dll is missing (build with: dotnet build -c $CONFIGURATION, or unset SKIP_BUILD)"
    mkdir -p "$workdir" "$LOG_DIR"
    rm -f "$pidfile"
    for variable in "${SCRUBBED_ENV[@]}"; do unset_words+=(-u "$variable"); done
    mapfile -t env_words < <(member_env)
    metrics=$(metrics_port_of "$name")
    [[ -z $metrics ]] || env_words+=("METRICS_PORT=$metrics")
    case $name in
        silo-*)
            local n=${name#silo-}
            mapfile -t -O "${#env_words[@]}" env_words < <(orleans_env "$n")
            env_words+=("PORT=$(silo_health_port "$n")" "HOST=127.0.0.1")
            # shellcheck disable=SC2206
            env_words+=($SILO_ENV)
            ;;
        gateway-*)
            local n=${name#gateway-}
            env_words+=(
                "JWT_SECRET=$JWT_SECRET" "JWT_EXPIRES_IN=$JWT_EXPIRES_IN"
                "PORT=$(gateway_port "$n")" "HOST=127.0.0.1" "GATEWAY_ONLY=$GATEWAY_ONLY"
                "RATE_LIMIT_AUTH_PER_MINUTE=$RATE_LIMIT_AUTH_PER_MINUTE"
                "RATE_LIMIT_USER_PER_MINUTE=$RATE_LIMIT_USER_PER_MINUTE"
            )
            if cohosts_silo; then
                mapfile -t -O "${#env_words[@]}" env_words < <(orleans_env "$(orleans_index "$name")")
            fi
            # shellcheck disable=SC2206
            env_words+=($GATEWAY_ENV)
            ;;
    esac
    printf '=== %s start %s ===\n' "$(date -u +%FT%TZ)" "$name" >>"$log"
    # The inner shell records its own pid, then becomes dotnet: the pid file names the dotnet process.
    (cd "$workdir" && exec setsid env "${unset_words[@]}" "${env_words[@]}" bash -c 'echo $$ >"$0"; exec dotnet "$1"' "$pidfile" "$dll" \
        >>"$log" 2>&1 </dev/null) &
    local i
    for ((i = 0; i < 100; i++)); do
        [[ -s $pidfile ]] && return 0
        sleep 0.05
    done
    die "$name did not start (see $log)"
}

# Waits until every named process answers 200 on /health/ready; fails at once if one exits.
wait_ready() { # name...
    local deadline=$((SECONDS + ${READY_TIMEOUT:-120})) pending=("$@") name still
    while ((${#pending[@]} > 0)); do
        still=()
        for name in "${pending[@]}"; do
            if ! running_pid "$name" >/dev/null; then
                say "$name exited before it was ready; last lines of $(log_file "$name"):"
                tail -n 30 "$(log_file "$name")" >&2 || true
                return 1
            fi
            if [[ $(http_status "$(health_port_of "$name")" /health/ready) == 200 ]]; then
                say "  $name ready (http://127.0.0.1:$(health_port_of "$name")/health/ready)"
            else
                still+=("$name")
            fi
        done
        pending=(${still[@]+"${still[@]}"})
        ((${#pending[@]} == 0)) && break
        if ((SECONDS >= deadline)); then
            say "not ready after ${READY_TIMEOUT:-120}s: ${pending[*]} (logs in $LOG_DIR)"
            return 1
        fi
        sleep 0.5
    done
}

# SIGTERM, wait up to the grace period, then SIGKILL whatever is left.
terminate() { # name...
    local name pid pids=() names=() deadline=$((SECONDS + ${STOP_GRACE:-45}))
    for name in "$@"; do
        if pid=$(running_pid "$name"); then
            kill -TERM "$pid" 2>/dev/null || true
            pids+=("$pid")
            names+=("$name")
        fi
        rm -f "$(pid_file "$name")"
    done
    local i alive
    while :; do
        alive=0
        for i in "${!pids[@]}"; do
            if kill -0 "${pids[$i]}" 2>/dev/null && [[ $(awk '{print $3}' "/proc/${pids[$i]}/stat" 2>/dev/null) != Z ]]; then
                alive=1
            fi
        done
        ((alive == 0)) && break
        if ((SECONDS >= deadline)); then
            for i in "${!pids[@]}"; do
                if kill -0 "${pids[$i]}" 2>/dev/null; then
                    say "  ${names[$i]} (pid ${pids[$i]}) ignored SIGTERM for ${STOP_GRACE:-45}s: SIGKILL"
                    kill -KILL "${pids[$i]}" 2>/dev/null || true
                fi
            done
            break
        fi
        sleep 0.2
    done
    ((${#names[@]} == 0)) || say "  stopped ${names[*]}"
}

# ---------------------------------------------------------------- PostgreSQL

find_pg_bin() {
    local dir best=""
    while IFS= read -r dir; do
        [[ -x $dir/initdb && -x $dir/pg_ctl ]] && best=$dir
    done < <(shopt -s nullglob; for dir in /usr/lib/postgresql/*/bin; do echo "$dir"; done | sort -V)
    if [[ -z $best ]] && command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
        best=$(dirname "$(command -v initdb)")
    fi
    [[ -n $best ]] || die "PostgreSQL binaries not found (initdb, pg_ctl): apt-get install postgresql"
    echo "$best"
}

pg() { # program args... (as the postgres user when we are root: PostgreSQL refuses to run as root)
    local program=$1
    shift
    if [[ $PG_AS_POSTGRES == 1 ]]; then
        runuser -u postgres -- "$PG_BIN/$program" "$@"
    else
        "$PG_BIN/$program" "$@"
    fi
}

start_postgres() {
    PG_BIN=$(find_pg_bin)
    PG_AS_POSTGRES=0
    [[ $(id -u) == 0 ]] && PG_AS_POSTGRES=1
    PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/mindspace-cluster-pg.XXXXXX")
    save_state # from here on, stop removes PG_DIR
    mkdir -p "$PG_DIR/socket"
    [[ $PG_AS_POSTGRES == 1 ]] && chown -R postgres:postgres "$PG_DIR"
    say "starting PostgreSQL on 127.0.0.1:$PG_PORT ($PG_BIN, data in $PG_DIR)"
    pg initdb -D "$PG_DIR/data" -U postgres -A trust -E UTF8 --locale=C --no-sync >"$LOG_DIR/initdb.log" 2>&1 \
        || { tail -n 20 "$LOG_DIR/initdb.log" >&2; die "initdb failed (is $PG_DIR reachable by the postgres user? set TMPDIR)"; }
    pg pg_ctl -D "$PG_DIR/data" -l "$PG_DIR/postgres.log" -w -t 60 \
        -o "-p $PG_PORT -k $PG_DIR/socket -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=500 -c shared_buffers=128MB" \
        start >"$LOG_DIR/pg_ctl.log" 2>&1 \
        || { tail -n 20 "$PG_DIR/postgres.log" >&2 || true; die "PostgreSQL did not start"; }
    pg createdb -h 127.0.0.1 -p "$PG_PORT" -U postgres mindspace
    DATABASE_URL=postgres://postgres@127.0.0.1:$PG_PORT/mindspace
    save_state
}

stop_postgres() {
    [[ -n ${PG_DIR:-} && -d $PG_DIR ]] || return 0
    if [[ -f $PG_DIR/data/postmaster.pid ]]; then
        pg pg_ctl -D "$PG_DIR/data" -m fast -w -t 30 stop >/dev/null 2>&1 \
            || pg pg_ctl -D "$PG_DIR/data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
        say "  stopped PostgreSQL"
    fi
    if [[ -f $PG_DIR/postgres.log ]]; then cp "$PG_DIR/postgres.log" "$LOG_DIR/postgres.log" 2>/dev/null || true; fi
    rm -rf "$PG_DIR"
}

# ---------------------------------------------------------------- commands

cmd_stop() {
    [[ -f $STATE_FILE ]] || { say "nothing to stop (no state in $RUN_DIR)"; return 0; }
    load_state
    if [[ ${CLUSTER_WATCHDOG:-0} != 1 ]]; then
        local pid
        if pid=$(running_pid watchdog); then kill -TERM "$pid" 2>/dev/null || true; fi
    fi
    rm -f "$(pid_file watchdog)"
    say "stopping the cluster"
    local gateways=() silos=() name
    for name in $(all_names); do
        case $name in gateway-*) gateways+=("$name") ;; silo-*) silos+=("$name") ;; esac
    done
    terminate ${gateways[@]+"${gateways[@]}"}
    terminate ${silos[@]+"${silos[@]}"}
    stop_postgres
    if [[ ${TLS_GENERATED:-0} == 1 ]]; then rm -rf "$TLS_DIR"; fi
    rm -rf "$RUN_DIR/work" "$STATE_FILE"
    say "stopped (logs kept in $LOG_DIR until the next start)"
}

start_watchdog() {
    [[ -n ${OWNER_PID:-} ]] || return 0
    [[ $OWNER_PID =~ ^[0-9]+$ ]] || die "OWNER_PID must be a pid"
    local pidfile
    pidfile=$(pid_file watchdog)
    # A detached shell that stops the cluster once OWNER_PID is gone, however it ended.
    setsid bash -c 'echo $$ >"$0"; while kill -0 "$2" 2>/dev/null; do sleep 1; done
        CLUSTER_WATCHDOG=1 RUN_DIR="$3" exec bash "$1" stop' "$pidfile" "$SCRIPT_PATH" "$OWNER_PID" "$RUN_DIR" \
        >>"$LOG_DIR/watchdog.log" 2>&1 </dev/null &
}

cmd_start() {
    if [[ -f $STATE_FILE ]]; then
        (
            load_state
            for name in $(all_names); do running_pid "$name" >/dev/null && exit 0; done
            [[ -n ${PG_DIR:-} && -f $PG_DIR/data/postmaster.pid ]] && exit 0
            exit 1
        ) && die "a cluster is already running from $RUN_DIR ($0 status; $0 stop)"
        say "removing the leftovers of a cluster that is no longer running"
        (cmd_stop)
    fi
    load_settings
    local names
    mapfile -t names < <(all_names)
    check_ports_free ${names[@]+"${names[@]}"}
    port_in_use "$PG_PORT" && die "PG_PORT $PG_PORT is in use; choose another with PG_PORT=..."
    command -v dotnet >/dev/null 2>&1 || die "dotnet is not on PATH"
    [[ -n $TLS_CERT ]] || command -v openssl >/dev/null 2>&1 || die "openssl is not on PATH (apt-get install openssl)"

    rm -rf "$LOG_DIR"
    mkdir -p "$LOG_DIR"
    if [[ ${SKIP_BUILD:-0} != 1 ]]; then
        say "building $CONFIGURATION (log: $LOG_DIR/build.log)"
        local project
        for project in Mindspace.Silo/Mindspace.Silo.csproj Mindspace.Gateway/Mindspace.Gateway.csproj; do
            dotnet build -c "$CONFIGURATION" -nologo "$ROOT/$project" >>"$LOG_DIR/build.log" 2>&1 \
                || { grep -E 'error|Error' "$LOG_DIR/build.log" | tail -n 20 >&2; die "build of $project failed (see $LOG_DIR/build.log)"; }
        done
    fi
    [[ -f $SILO_DLL || $SILOS == 0 ]] || die "$SILO_DLL is missing"
    [[ -f $GATEWAY_DLL ]] || die "$GATEWAY_DLL is missing"

    # From here on, a failure or Ctrl-C stops whatever was started.
    trap 'say "start failed: cleaning up"; cmd_stop' EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM

    start_postgres
    if [[ -z $TLS_CERT ]]; then
        make_dev_tls
    else
        say "using the cluster certificate $TLS_CERT${TLS_CA:+ (trusting the CA $TLS_CA)}"
    fi
    save_state
    local name
    for name in ${names[@]+"${names[@]}"}; do
        [[ $name == silo-* ]] || continue
        launch "$name"
        say "started $name: pid $(<"$(pid_file "$name")"), silo port $(silo_port "${name#silo-}"), gateway port $(silo_gateway_port "${name#silo-}"), health http://127.0.0.1:$(silo_health_port "${name#silo-}")"
    done
    for name in ${names[@]+"${names[@]}"}; do
        [[ $name == gateway-* ]] || continue
        launch "$name"
        say "started $name: pid $(<"$(pid_file "$name")"), http://127.0.0.1:$(gateway_port "${name#gateway-}")"
    done
    say "waiting for /health/ready (up to ${READY_TIMEOUT:-120}s)"
    wait_ready ${names[@]+"${names[@]}"}
    start_watchdog
    trap - EXIT INT TERM
    say "cluster ready: $SILOS silo(s), $GATEWAYS gateway(s) (GATEWAY_ONLY=$GATEWAY_ONLY), PostgreSQL $DATABASE_URL, mutual TLS ($([[ -n $TLS_CA ]] && echo "CA $TLS_CA" || echo "pinned $TLS_CERT")); logs in $LOG_DIR"
    cmd_urls
}

cmd_urls() {
    load_state
    local i
    for ((i = 1; i <= GATEWAYS; i++)); do echo "http://127.0.0.1:$(gateway_port "$i")"; done
}

cmd_env() {
    load_state
    local urls=() i
    for ((i = 1; i <= GATEWAYS; i++)); do urls+=("http://127.0.0.1:$(gateway_port "$i")"); done
    echo "SILOS=$SILOS"
    echo "GATEWAYS=$GATEWAYS"
    echo "GATEWAY_ONLY=$GATEWAY_ONLY"
    echo "GATEWAY_URLS=$(IFS=,; echo "${urls[*]}")"
    echo "LOG_DIR=$LOG_DIR"
    # What another Orleans client needs to join this cluster (a test driver, say). The key is a path.
    echo "DATABASE_URL=$DATABASE_URL"
    echo "ORLEANS_CLUSTER_ID=$ORLEANS_CLUSTER_ID"
    echo "ORLEANS_SERVICE_ID=$ORLEANS_SERVICE_ID"
    echo "CLUSTER_TLS_CERT=$TLS_CERT"
    echo "CLUSTER_TLS_KEY=$TLS_KEY"
    echo "CLUSTER_TLS_CA=$TLS_CA"
    echo "SILO_PORT_BASE=$SILO_PORT_BASE"
    # chaos.py reads Orleans' membership table with it (trust authentication on loopback).
    if [[ -x ${PG_BIN:-}/psql ]]; then echo "PSQL=$PG_BIN/psql"; elif command -v psql >/dev/null 2>&1; then echo "PSQL=$(command -v psql)"; fi
}

cmd_status() {
    if [[ ! -f $STATE_FILE ]]; then
        echo "not running (no state in $RUN_DIR)"
        return 3
    fi
    load_state
    local name pid state health port down=0
    if [[ -n ${PG_DIR:-} && -f $PG_DIR/data/postmaster.pid ]] && pg pg_ctl -D "$PG_DIR/data" status >/dev/null 2>&1; then
        printf '%-11s %-8s %-8s %s\n' postgres "$(head -n1 "$PG_DIR/data/postmaster.pid")" running "$DATABASE_URL"
    else
        printf '%-11s %-8s %-8s %s\n' postgres - stopped "$DATABASE_URL"
        down=1
    fi
    for name in $(all_names); do
        port=$(health_port_of "$name")
        if pid=$(running_pid "$name"); then
            state=running
            health=$(http_status "$port" /health/ready)
        else
            pid=- state=stopped health=- down=1
        fi
        local metrics orleans
        metrics=$(metrics_port_of "$name")
        orleans=$(orleans_index "$name")
        case $name in
            silo-*) printf '%-11s %-8s %-8s ready=%s silo=127.0.0.1:%s gateway=127.0.0.1:%s health=http://127.0.0.1:%s%s log=%s\n' \
                "$name" "$pid" "$state" "$health" "$(silo_port "$orleans")" "$(silo_gateway_port "$orleans")" "$port" \
                "${metrics:+ metrics=http://127.0.0.1:$metrics/metrics}" "$(log_file "$name")" ;;
            gateway-*) printf '%-11s %-8s %-8s ready=%s url=http://127.0.0.1:%s%s%s log=%s\n' \
                "$name" "$pid" "$state" "$health" "$port" \
                "$(cohosts_silo && echo " silo=127.0.0.1:$(silo_port "$orleans") gateway=127.0.0.1:$(silo_gateway_port "$orleans")")" \
                "${metrics:+ metrics=http://127.0.0.1:$metrics/metrics}" "$(log_file "$name")" ;;
        esac
    done
    return $down
}

cmd_kill() { # kind n
    load_state
    local name=$1-$2 pid
    valid_index "$1" "$2"
    pid=$(running_pid "$name") || die "$name is not running"
    kill -KILL "$pid"
    local i
    for ((i = 0; i < 100; i++)); do
        running_pid "$name" >/dev/null || break
        sleep 0.05
    done
    rm -f "$(pid_file "$name")"
    say "killed $name (pid $pid, SIGKILL)"
}

cmd_stop_one() { # kind n: SIGTERM (a graceful leave), SIGKILL after STOP_GRACE
    load_state
    local name=$1-$2
    valid_index "$1" "$2"
    running_pid "$name" >/dev/null || die "$name is not running"
    local began=$SECONDS
    terminate "$name"
    say "stopped $name (SIGTERM, $((SECONDS - began))s)"
}

cmd_start_one() { # kind n
    load_state
    local name=$1-$2
    valid_index "$1" "$2"
    running_pid "$name" >/dev/null && die "$name is already running"
    check_ports_free "$name"
    launch "$name"
    say "started $name: pid $(<"$(pid_file "$name")")"
    [[ ${NO_WAIT:-0} == 1 ]] || wait_ready "$name"
}

valid_index() { # kind n
    local count
    case $1 in silo) count=$SILOS ;; gateway) count=$GATEWAYS ;; esac
    ((count > 0)) || die "this cluster has no ${1}s"
    if ! [[ $2 =~ ^[0-9]+$ ]] || (($2 < 1 || $2 > count)); then
        die "$1 number must be 1..$count (got '$2')"
    fi
}

usage() {
    sed -n '2,13p' "$SCRIPT_PATH" | sed 's/^# \{0,1\}//'
    exit 2
}

main() {
    local command=${1:-}
    [[ $# -gt 0 ]] && shift
    case $command in
        start) cmd_start ;;
        stop) cmd_stop ;;
        status) cmd_status ;;
        urls) cmd_urls ;;
        env) cmd_env ;;
        kill-silo) [[ $# == 1 ]] || usage; cmd_kill silo "$1" ;;
        stop-silo) [[ $# == 1 ]] || usage; cmd_stop_one silo "$1" ;;
        stop-gateway) [[ $# == 1 ]] || usage; cmd_stop_one gateway "$1" ;;
        start-silo) [[ $# == 1 ]] || usage; cmd_start_one silo "$1" ;;
        kill-gateway) [[ $# == 1 ]] || usage; cmd_kill gateway "$1" ;;
        start-gateway) [[ $# == 1 ]] || usage; cmd_start_one gateway "$1" ;;
        *) usage ;;
    esac
}

main "$@"
