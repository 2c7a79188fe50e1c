#!/usr/bin/env bash
# SCIM 2.0 conformance of the practice org with scim2-tester (see scim-check.py).
#
# Needs the CLI built first (cargo build -p lanyard-cli). Creates or reuses a Python venv at
# $HOME/.cache/lanyard/venv-scim with the pinned packages of requirements-scim.txt, starts
# `lanyard sim serve` on a free port, runs the checks against it, stops it, and exits non-zero
# when a check fails that is not an expected deviation. The last line printed is
# "scim conformance: N passed, M failed, K skipped". Extra arguments go to scim-check.py
# (--verbose prints the data of failed checks).
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$HOME/.cache/lanyard/venv-scim"
lanyard="${CARGO_TARGET_DIR:-$HOME/.cache/lanyard/target}/debug/lanyard"
requirements="$here/requirements-scim.txt"

fail() {
    echo "run-scim: $*" >&2
    echo "scim conformance: 0 passed, 1 failed"
    exit 1
}

[[ -x "$lanyard" ]] || fail "no lanyard binary at $lanyard: build it with cargo build -p lanyard-cli"

# The venv is remade when the pins change (a copy of the requirements marks what it holds).
if ! cmp -s "$requirements" "$venv/requirements-scim.txt" 2>/dev/null; then
    echo "run-scim: installing the pinned scim2-tester into $venv" >&2
    rm -rf "$venv"
    python3 -m venv "$venv" || fail "python3 -m venv failed (python3 3.11+ with venv is needed)"
    "$venv/bin/pip" install --quiet --disable-pip-version-check --no-deps -r "$requirements" >&2 \
        || fail "pip install failed"
    cp "$requirements" "$venv/requirements-scim.txt"
fi

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
