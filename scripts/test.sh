#!/usr/bin/env bash
# The test command: install, build (bundle, jsii compile, unit and template tests, lint), the
# Python training tests, then the end-to-end scaffold of a project from the packed tarball.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
# AWS's validators, when install.sh had to put them in a virtual environment.
if [ -d .tmp/aws-validators/bin ]; then export PATH="$PWD/.tmp/aws-validators/bin:$PATH"; fi
export JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION=1
npx projen build
npx projen test:python
npx projen test:e2e
