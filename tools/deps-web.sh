#!/bin/sh
# make deps-web: what `make web` needs, from Debian's archive only.
#  - a deb-src entry for the suites the machine already uses (added when missing),
#  - emscripten (emcc), chromium and node/npm (for tests/web),
#  - the Debian source packages of the exact versions the native build links
#    (libxml2, libzip, zlib, libxlsxwriter, jansson), unpacked by `apt-get source`
#    (which checks their signatures) into build/web-src.
set -eu
OUT=${WEB_SRC:-build/web-src}
PKGS="emscripten chromium dpkg-dev"
command -v node >/dev/null 2>&1 || PKGS="$PKGS nodejs"
command -v npm >/dev/null 2>&1 || PKGS="$PKGS npm"
DEVS="libxml2-dev libzip-dev zlib1g-dev libxlsxwriter-dev libjansson-dev"

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

# deb-src: copy every deb822 "Types: deb" stanza of Debian's archive as "deb-src".
have_src() {
    grep -rqsE '^(Types:.*deb-src|deb-src )' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null
}
if ! have_src; then
    src=/etc/apt/sources.list.d/debian.sources
    if [ -f "$src" ]; then # deb822 (Debian 12's default)
        echo "deps-web: adding deb-src entries (/etc/apt/sources.list.d/sechk-deb-src.sources)"
        sed -n 's/^Types: deb$/Types: deb-src/; p' "$src" | as_root tee /etc/apt/sources.list.d/sechk-deb-src.sources >/dev/null
    elif grep -qs '^deb ' /etc/apt/sources.list; then # one-line format
        echo "deps-web: adding deb-src lines (/etc/apt/sources.list.d/sechk-deb-src.list)"
        sed -n 's/^deb /deb-src /p' /etc/apt/sources.list | as_root tee /etc/apt/sources.list.d/sechk-deb-src.list >/dev/null
    else
        echo "deps-web: no Debian source list found; add a deb-src line for Debian and retry" >&2
        exit 1
    fi
    updated=0
else
    updated=1
fi

missing=""
for p in $PKGS $DEVS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ] || [ "$updated" = 0 ]; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
fi
if [ -n "$missing" ]; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=900 $missing
fi

mkdir -p "$OUT"
for dev in $DEVS; do
    spec=$(dpkg-query -W -f='${source:Package}=${source:Version}' "$dev")
    name=${spec%%=*}
    ver=${spec#*=}
    stamp="$OUT/$name.version"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$ver" ]; then
        continue
    fi
    echo "deps-web: apt-get source $spec"
    rm -rf "$OUT/$name"
    tmp="$OUT/.get-$name"
    rm -rf "$tmp" && mkdir -p "$tmp"
    (cd "$tmp" && apt-get source -qq --only-source "$spec" >/dev/null)
    dir=$(find "$tmp" -mindepth 1 -maxdepth 1 -type d | head -n 1)
    [ -n "$dir" ] || { echo "deps-web: apt-get source $spec unpacked nothing" >&2; exit 1; }
    mv "$dir" "$OUT/$name"
    rm -rf "$tmp"
    echo "$ver" > "$stamp"
done
echo "deps-web: done (sources in $OUT)"
