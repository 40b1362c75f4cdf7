#!/usr/bin/env bash
# Scaffolds and builds a demo model repository from this checkout:
#   pack this package, `projen new --from` the tarball, install, `npx projen build`.
# DEMO_DIR (default: ./.demo/churn) receives the generated repository.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
demo=${DEMO_DIR:-$root/.demo/churn}
bash scripts/install.sh
export JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION=1
npx projen bundle && npx projen compile
mkdir -p "$root/.demo"
tgz=$(npm pack --silent --pack-destination "$root/.demo" | tail -n 1)
rm -rf "$demo" && mkdir -p "$demo" && cd "$demo"
git init -q
node "$root/node_modules/projen/bin/projen" new --from "aidlc-pipeline@file:$root/.demo/$tgz" \
  --model-name churn --github-repository acme/churn --no-git
npm install --no-audit --no-fund
npx projen build
echo "demo repository built in $demo"
