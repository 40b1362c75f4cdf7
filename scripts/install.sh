#!/usr/bin/env bash
# Installs what building and testing this package needs on a fresh Debian machine with Node 20+:
# the npm dependencies, Debian's Python ML libraries for the training tests, and AWS's own
# validators the tests judge with (cfn-lint, moto_server, botocore) from PyPI where it is reachable.
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

# AWS's validators: cfn-lint (every synthesized template), moto_server (the integration tests) and
# botocore (the SageMaker API shapes of the pipeline definition). They come from PyPI only: when the
# machine lacks them they go into a virtual environment, .tmp/aws-validators, which scripts/test.sh
# puts first on PATH. Where PyPI cannot be reached the tests that need them are skipped and say so.
VALIDATORS=.tmp/aws-validators
py_need=()
command -v cfn-lint >/dev/null || py_need+=(cfn-lint)
command -v moto_server >/dev/null || py_need+=('moto[server]')
python3 -c 'import botocore' 2>/dev/null || py_need+=(botocore)
if [ ${#py_need[@]} -gt 0 ] && [ ! -x "$VALIDATORS/bin/python" ]; then
  if ! python3 -m venv "$VALIDATORS" 2>/dev/null && [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv && python3 -m venv "$VALIDATORS"
  fi
  if [ -x "$VALIDATORS/bin/pip" ] \
    && "$VALIDATORS/bin/pip" install --quiet --disable-pip-version-check --timeout 20 --retries 1 cfn-lint 'moto[server]' botocore; then
    echo "installed cfn-lint, moto[server] and botocore into $VALIDATORS"
  else
    rm -rf "$VALIDATORS"
    echo "skipped: ${py_need[*]} (could not install them from PyPI; the cfn-lint, moto and botocore tests are skipped and say so)" >&2
  fi
fi
[ -d "$VALIDATORS/bin" ] && export PATH="$PWD/$VALIDATORS/bin:$PATH"
for tool in cfn-lint moto_server; do
  if command -v "$tool" >/dev/null; then echo "$tool: $(command -v "$tool")"; else echo "$tool: not installed" >&2; fi
done
