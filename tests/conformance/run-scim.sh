#!/usr/bin/env bash
# SCIM 2.0 conformance of the practice org with scim2-tester (see scim-check.py).
#
# Needs the CLI built first (cargo build -p lanyard-cli). Creates or reuses a Python venv at
# $HOME/.cache/lanyard/venv-scim with the pinned packages of requirements-scim.txt (scim-venv.sh), starts
# `lanyard sim serve` on a free port, runs the checks against it, stops it, and exits non-zero
# when a check fails that is not an expected deviation. The last line printed is
# "scim conformance: N passed, M failed, K skipped". Extra arguments go to scim-check.py
# (--verbose prints the data of failed checks).
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scim-venv.sh
source "$here/scim-venv.sh"
venv="$SCIM_VENV"
lanyard="${CARGO_TARGET_DIR:-$HOME/.cache/lanyard/target}/debug/lanyard"

fail() {
    echo "run-scim: $*" >&2
    echo "scim conformance: 0 passed, 1 failed"
    exit 1
}

[[ -x "$lanyard" ]] || fail "no lanyard binary at $lanyard: build it with cargo build -p lanyard-cli"

ensure_scim_venv || fail "no venv with the pinned scim2-tester"

log="$(mktemp -d)"
sim_pid=""
stop_sim() {
    if [[ -n "$sim_pid" ]] && kill -0 "$sim_pid" 2>/dev/null; then
        kill -TERM "$sim_pid" 2>/dev/null
        for _ in $(seq 50); do kill -0 "$sim_pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$sim_pid" 2>/dev/null
        wait "$sim_pid" 2>/dev/null
    fi
    sim_pid=""
}
trap 'stop_sim; rm -rf "$log"' EXIT
trap 'exit 130' INT TERM

"$lanyard" sim serve --port 0 --users 20 --print-tool-token >"$log/out" 2>"$log/err" &
sim_pid=$!

# Wait for the token line (key generation makes a debug build take a few seconds).
for _ in $(seq 600); do
    grep -q "tool token" "$log/out" && break
    kill -0 "$sim_pid" 2>/dev/null || break
    sleep 0.1
done
base="$(awk '$1 == "base" && $2 == "URL" {print $3}' "$log/out")"
token="$(awk '$1 == "tool" && $2 == "token" {print $3}' "$log/out")"
if [[ -z "$base" || -z "$token" ]]; then
    cat "$log/out" "$log/err" >&2
    fail "the practice org did not start"
fi

SCIM_TOKEN="$token" "$venv/bin/python" "$here/scim-check.py" --url "$base/services/scim/v2" "$@"
status=$?
stop_sim
exit "$status"
