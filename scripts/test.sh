#!/usr/bin/env bash
# Sets everything up (scripts/setup.sh) and runs the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# A throwaway PostGIS server for the PostGIS export test (exports FP_TEST_PG;
# if it cannot start, that test fails and says why).
eval "$(bash scripts/postgis.sh start || true)"
trap 'bash scripts/postgis.sh stop || true' EXIT
export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0"
ctest --test-dir "${BUILD_DIR:-build}" --output-on-failure -j"$(nproc)"
