#!/usr/bin/env bash
# Checks a Lanyard .deb as a new user would meet it: its Depends cover what dpkg-shlibdeps
# computes for the binaries inside, it Recommends a keyring, describes itself, ships the app,
# the CLI, the desktop entry and icons, and the packaged CLI runs (--version, info) against a
# throwaway data folder. Builds the package first unless one is given.
#   tests/package/check-deb.sh [PATH.deb]
# Last line: "deb package: N passed, M failed".
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
deb="${1:-}"
if [ -z "$deb" ]; then
  deb="$(bash "$here/../../.ci/package-deb" | tail -1)" || { echo "deb package: 0 passed, 1 failed"; exit 1; }
fi
passed=0
failed=0
check() {
  local what="$1"; shift
  if "$@"; then passed=$((passed + 1)); echo "ok   $what"; else failed=$((failed + 1)); echo "FAIL $what"; fi
}
root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
dpkg-deb -x "$deb" "$root/pkg"
depends="$(dpkg-deb -f "$deb" Depends)"
mkdir -p "$root/src/debian"
printf 'Source: lanyard\n\nPackage: lanyard\nArchitecture: any\n' > "$root/src/debian/control"
computed="$(cd "$root/src" && dpkg-shlibdeps -O "-e$root/pkg/usr/bin/lanyard-app" "-e$root/pkg/usr/bin/lanyard" 2>/dev/null)"
computed="${computed#shlibs:Depends=}"
covers() {
  local dep name
  IFS=',' read -ra deps <<<"$computed"
  for dep in "${deps[@]}"; do
    name="$(echo "$dep" | sed 's/^ *//; s/ .*//; s/|.*//')"
    [ -z "$name" ] && continue
    if ! grep -qE "(^|[ ,|])$name( |,|$|\()" <<<"$depends"; then
      echo "     missing from Depends: $name (dpkg-shlibdeps: $dep)"; return 1
    fi
  done
}
check "Depends covers dpkg-shlibdeps ($computed)" covers
for lib in libwebkit2gtk-4.1-0 libgtk-3-0 libxmlsec1-openssl libxml2 libssl3; do
  check "Depends names $lib" grep -q "$lib" <<<"$depends"
done
check "Recommends gnome-keyring" grep -q gnome-keyring <<<"$(dpkg-deb -f "$deb" Recommends)"
check "Maintainer is Name <email>" grep -qE '^.+ <[^>]+@[^>]+>$' <<<"$(dpkg-deb -f "$deb" Maintainer)"
check "Description has a long part" test "$(dpkg-deb -f "$deb" Description | wc -l)" -gt 3
check "Homepage set" test -n "$(dpkg-deb -f "$deb" Homepage)"
check "ships /usr/bin/lanyard-app" test -x "$root/pkg/usr/bin/lanyard-app"
check "ships /usr/bin/lanyard" test -x "$root/pkg/usr/bin/lanyard"
check "ships a desktop entry" sh -c "ls '$root'/pkg/usr/share/applications/*.desktop >/dev/null"
check "ships icons" sh -c "ls '$root'/pkg/usr/share/icons/hicolor/*/apps/* >/dev/null"
check "lanyard --version runs" sh -c "'$root/pkg/usr/bin/lanyard' --version | grep -q 'lanyard '"
check "lanyard info runs on a fresh data folder" sh -c "'$root/pkg/usr/bin/lanyard' info --json --data-dir '$root/data' | grep -q schema_version"
echo "deb package: $passed passed, $failed failed"
[ "$failed" = 0 ]
