#!/usr/bin/env bash
# Installs what is missing, builds, and opens EBM Lab on the lecture's default ellipse.
# Arguments are passed to ebmlab (e.g. scripts/run.sh field --help).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/bootstrap.sh
bash scripts/configure.sh build
exec build/app/ebmlab "$@"
