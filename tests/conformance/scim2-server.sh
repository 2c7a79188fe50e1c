#!/usr/bin/env bash
# scim2-server (python-scim, from PyPI) as an independent SCIM 2.0 target for Lanyard's client.
#
#   scim2-server.sh                start it, print its base URL (and the bearer token), serve
#                                  until Ctrl+C
#   scim2-server.sh -- CMD ARGS…   start it, run CMD with LANYARD_SCIM2_SERVER_URL and
#                                  LANYARD_SCIM2_SERVER_TOKEN set, stop it; CMD's exit status is
#                                  this script's
#
# The server listens on a free port of 127.0.0.1, keeps its resources in memory, and takes one
# bearer token (LANYARD_SCIM2_SERVER_TOKEN when set, else a random one). The venv is the one of
# the conformance run (scim-venv.sh, pinned in requirements-scim.txt). The server is stopped
# whenever this script ends. Its own log goes to a file, printed only when it fails to start.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scim-venv.sh
source "$here/scim-venv.sh"

fail() {
    echo "scim2-server.sh: $*" >&2
    exit 1
}

if [[ $# -gt 0 ]]; then
    [[ "$1" == "--" ]] || fail "usage: scim2-server.sh [-- COMMAND ARGS...]"
    shift
    [[ $# -gt 0 ]] || fail "no command after --"
fi

ensure_scim_venv || fail "no venv with the pinned scim2-server"
python="$SCIM_VENV/bin/python"
server="$SCIM_VENV/bin/scim2-server"
[[ -x "$server" ]] || fail "$server is missing: the venv does not hold scim2-server"

token="${LANYARD_SCIM2_SERVER_TOKEN:-$("$python" -c 'import secrets; print(secrets.token_urlsafe(24))')}"
log="$(mktemp -d)"
pid=""
stop_server() {
    if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null
    fi
    [[ -n "$pid" ]] && wait "$pid" 2>/dev/null
    pid=""
}
trap 'stop_server; rm -rf "$log"' EXIT
trap 'exit 130' INT TERM

# Ready when the config answers with the token. A free port is picked, then bound by the server:
# another process can take it in between, so a server that exits at once is started again.
ready() {
    "$python" - "$1" "$token" <<'PY'
import sys, urllib.request
req = urllib.request.Request(sys.argv[1] + "/ServiceProviderConfig",
                             headers={"Authorization": "Bearer " + sys.argv[2]})
try:
    with urllib.request.urlopen(req, timeout=2) as r:
        sys.exit(0 if r.status == 200 else 1)
except Exception:
    sys.exit(1)
PY
}

base=""
for _ in 1 2 3 4 5; do
    port="$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
    "$server" --hostname 127.0.0.1 --port "$port" --bearer-token="$token" \
        </dev/null >"$log/out" 2>"$log/err" &
    pid=$!
    for _ in $(seq 100); do
        kill -0 "$pid" 2>/dev/null || break
        if ready "http://127.0.0.1:$port/v2"; then
            base="http://127.0.0.1:$port/v2"
            break
        fi
        sleep 0.1
    done
    [[ -n "$base" ]] && break
    stop_server
done
if [[ -z "$base" ]]; then
    cat "$log/out" "$log/err" >&2
    fail "scim2-server did not start"
fi

echo "scim2-server: serving at $base"
if [[ $# -eq 0 ]]; then
    echo "scim2-server: bearer token $token"
    echo "scim2-server: stop with Ctrl+C"
    wait "$pid"
    exit $?
fi

# In the background, so a TERM (from a caller's timeout) is handled at once.
LANYARD_SCIM2_SERVER_URL="$base" LANYARD_SCIM2_SERVER_TOKEN="$token" "$@" &
wait "$!"
