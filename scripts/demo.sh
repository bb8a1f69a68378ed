#!/usr/bin/env bash
# Sets everything up (scripts/setup.sh) and runs the main job on the bundled
# real data (Olemps, Aveyron); outputs land under reports/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
mkdir -p reports
./build/fibreplan inspect scenarios/olemps.ini
./build/fibreplan --quiet inspect --json scenarios/olemps.ini > reports/olemps-inspect.json.tmp
mv reports/olemps-inspect.json.tmp reports/olemps-inspect.json
echo "demo: wrote reports/olemps-inspect.json"
