#!/bin/sh
# Installs the Debian packages that sechk's build and tests need, when missing.
set -eu
PKGS="build-essential pkg-config libxlsxwriter-dev libzip-dev libxml2-dev libxml2-utils
zlib1g-dev libjansson-dev libcmocka-dev python3 python3-openpyxl python3-jsonschema libreoffice-calc-nogui
fonts-ipaexfont-gothic poppler-utils zip unzip valgrind time mandoc libssl-dev python3-msoffcrypto-tool"
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -z "$missing" ]; then
    echo "deps: all packages present"
    exit 0
fi
if [ "$(id -u)" = 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq $missing
else
    echo "deps: missing packages:$missing"
    echo "deps: run: sudo apt-get install$missing"
    exit 1
fi
