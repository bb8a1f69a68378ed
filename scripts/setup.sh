#!/usr/bin/env bash
# Installs the Debian packages fibreplan needs (if missing), then configures
# and builds it. Environment: BUILD_DIR (default build), FP_CMAKE_ARGS (extra
# CMake arguments, e.g. "-DFP_WERROR=ON").
set -euo pipefail
cd "$(dirname "$0")/.."

PKGS="build-essential cmake pkg-config libgdal-dev gdal-bin libproj-dev proj-bin
      proj-data libglpk-dev libspatialite-dev libsqlite3-dev sqlite3
      libsqlite3-mod-spatialite libgeos-dev check libsubunit-dev libinih-dev
      libcjson-dev libcairo2-dev fonts-dejavu-core"
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
    echo "setup: installing$missing" >&2
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

BUILD_DIR="${BUILD_DIR:-build}"
# shellcheck disable=SC2086
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" ${FP_CMAKE_ARGS:-} >/dev/null
cmake --build "$BUILD_DIR" -j"$(nproc)"
