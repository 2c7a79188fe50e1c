# Sourced by run-scim.sh and scim2-server.sh: the Python venv holding exactly the pinned packages
# of requirements-scim.txt (scim2-tester, scim2-server and what they run on), made afresh when the
# pins change (a copy of the requirements in the venv marks what it holds). LANYARD_SCIM_VENV
# puts it elsewhere (default $HOME/.cache/lanyard/venv-scim). No internet but PyPI is needed.
SCIM_VENV="${LANYARD_SCIM_VENV:-$HOME/.cache/lanyard/venv-scim}"
SCIM_REQUIREMENTS="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/requirements-scim.txt"

# Makes or reuses the venv; answers non-zero with a message on stderr when it cannot.
ensure_scim_venv() {
    if cmp -s "$SCIM_REQUIREMENTS" "$SCIM_VENV/requirements-scim.txt" 2>/dev/null; then
        return 0
    fi
    echo "scim-venv: installing the pinned SCIM test tools into $SCIM_VENV" >&2
    rm -rf "$SCIM_VENV"
    if ! python3 -m venv "$SCIM_VENV"; then
        echo "scim-venv: python3 -m venv failed (python3 3.11+ with venv is needed)" >&2
        return 1
    fi
    if ! "$SCIM_VENV/bin/pip" install --quiet --disable-pip-version-check --no-deps \
        -r "$SCIM_REQUIREMENTS" >&2; then
        echo "scim-venv: pip install failed" >&2
        return 1
    fi
    cp "$SCIM_REQUIREMENTS" "$SCIM_VENV/requirements-scim.txt"
}
