#!/usr/bin/env bash
# Sets everything up (scripts/setup.sh) and runs the main job on the bundled
# real data (Olemps, Aveyron); outputs land under reports/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
mkdir -p reports
./build/fibreplan run scenarios/olemps.ini scenarios/olemps-budget.ini
