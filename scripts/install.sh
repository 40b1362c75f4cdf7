#!/usr/bin/env bash
# Installs what building and testing this package needs on a fresh Debian machine with Node 20+:
# the npm dependencies, and Debian's Python ML libraries for the training tests.
set -euo pipefail
cd "$(dirname "$0")/.."

# A lockfile written on one platform can miss another platform's optional binaries; npm install
# then resolves them for this machine.
if ! npm ci --no-audit --no-fund; then
  echo "npm ci failed; falling back to npm install" >&2
  npm install --no-audit --no-fund
fi

need=()
/usr/bin/python3 -c 'import xgboost, sklearn, pandas' 2>/dev/null || need+=(python3-xgboost python3-sklearn python3-pandas)
command -v shellcheck >/dev/null || need+=(shellcheck)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
  else
    echo "missing Debian packages: ${need[*]} (run as root or: sudo apt-get install -y ${need[*]})" >&2
    exit 1
  fi
fi
