#!/usr/bin/env bash
# Runs one trivy scan with a pinned trivy release, verified against its sha256 before it is used.
#
# Usage:
#   scripts/trivy.sh fs [DIR]       dependencies (lockfiles) and secrets in DIR (default: .)
#   scripts/trivy.sh config [DIR]   misconfigurations of the synthesized CloudFormation templates in DIR
#                                   (default: cdk.out), without the asset folders (asset.*)
#   scripts/trivy.sh image IMAGE    vulnerabilities and secrets of a container image (for ECR, trivy
#                                   takes AWS credentials from the environment)
#
# Reports, in $TRIVY_REPORT_DIR (default: trivy-results):
#   trivy-<scan>.json   every finding, as trivy reports it
#   trivy-<scan>.sarif  every finding, for GitHub code scanning
#   trivy-<scan>.txt    the findings at or above FAIL_ON_SEVERITY, as a table (also printed, and
#                       added to $GITHUB_STEP_SUMMARY when it is set)
# Findings listed in .trivyignore (one ID a line, optional "exp:YYYY-MM-DD") are left out.
#
# Exit status: 0 no finding at or above FAIL_ON_SEVERITY; 1 findings at or above it;
#              2 usage error, trivy could not be installed, or the scan itself failed.
#
# Environment:
#   TRIVY_DOWNLOAD_URL  the release tarball to fetch instead of the GitHub release (a mirror, or a
#                       file:// URL); whatever it serves must still match the pinned sha256
#   TRIVY_INSTALL_DIR   where the pinned trivy is unpacked (default: ~/.cache/aidlc/trivy-<version>)
#   TRIVY_REPORT_DIR    where the reports are written (default: trivy-results)
set -euo pipefail

# The lowest severity that fails the scan (security.failOnSeverity in .projenrc.ts).
FAIL_ON_SEVERITY=HIGH

# trivy v0.75.0 (released 2026-10-01). Each sha256 is the one published for that tarball in the
# release's trivy_0.75.0_checksums.txt, cross-checked against several independent public
# repositories that pin the same tarballs. Moving to another release means updating all five lines
# from that release's checksums file.
TRIVY_VERSION=0.75.0
TRIVY_SHA256_LINUX_64BIT=c6e65abddb348e25f10549df887045629cf28cc72453cd1c63acb717316b3f3f
TRIVY_SHA256_LINUX_ARM64=a1ee9f6ffb7d112b64ff726a2a0717c21175c1114361391f4a132956751a13b3
TRIVY_SHA256_MACOS_64BIT=291edaa9778acbe4693d067b5ad60ee11570e5ac68296e85595417528ca641e4
TRIVY_SHA256_MACOS_ARM64=4a77108cccf8e55c8d6823e1e759939a622277e66cd0daa3c1fc621ed69e4568

readonly EXIT_FINDINGS=1
readonly EXIT_ERROR=2
# The code trivy convert is told to return on findings: distinct from its own error code (1).
readonly TRIVY_FOUND=3

# No update check and no usage telemetry from CI.
export TRIVY_SKIP_VERSION_CHECK=true
export TRIVY_DISABLE_TELEMETRY=true

die() {
  echo "trivy.sh: $*" >&2
  exit "$EXIT_ERROR"
}

usage() {
  cat >&2 <<'USAGE'
Usage: scripts/trivy.sh fs [DIR]       dependencies and secrets (default DIR: .)
       scripts/trivy.sh config [DIR]   CloudFormation misconfigurations (default DIR: cdk.out)
       scripts/trivy.sh image IMAGE    vulnerabilities and secrets of a container image
USAGE
  exit "$EXIT_ERROR"
}

# Severities at or above FAIL_ON_SEVERITY, as trivy's --severity list.
severities_from() {
  case "$1" in
    LOW) echo LOW,MEDIUM,HIGH,CRITICAL ;;
    MEDIUM) echo MEDIUM,HIGH,CRITICAL ;;
    HIGH) echo HIGH,CRITICAL ;;
    CRITICAL) echo CRITICAL ;;
    *) die "FAIL_ON_SEVERITY must be LOW, MEDIUM, HIGH or CRITICAL, not \"$1\"" ;;
  esac
}

sha256_of() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d ' ' -f 1
  elif command -v shasum >/dev/null 2>&1; then
    shasum -a 256 "$1" | cut -d ' ' -f 1
  else
    die "neither sha256sum nor shasum is installed: cannot verify the trivy download"
  fi
}

# Prints "<release asset suffix> <sha256>" for this machine.
release_asset() {
  case "$(uname -s)/$(uname -m)" in
    Linux/x86_64 | Linux/amd64) echo "Linux-64bit $TRIVY_SHA256_LINUX_64BIT" ;;
    Linux/aarch64 | Linux/arm64) echo "Linux-ARM64 $TRIVY_SHA256_LINUX_ARM64" ;;
    Darwin/x86_64) echo "macOS-64bit $TRIVY_SHA256_MACOS_64BIT" ;;
    Darwin/arm64) echo "macOS-ARM64 $TRIVY_SHA256_MACOS_ARM64" ;;
    *) die "no pinned trivy $TRIVY_VERSION build for $(uname -s)/$(uname -m): install trivy $TRIVY_VERSION on PATH" ;;
  esac
}

# The version a trivy binary reports ("Version: X" on its first lines), or nothing.
version_of() {
  "$1" --version 2>/dev/null | sed -n 's/^Version: *//p' | head -n 1 || true
}

# Downloads the pinned release into $TRIVY_INSTALL_DIR, refusing it unless its sha256 matches.
install_trivy() {
  local dir=$1 pair asset expected url work actual
  pair=$(release_asset)
  asset=${pair%% *}
  expected=${pair#* }
  url=${TRIVY_DOWNLOAD_URL:-https://github.com/aquasecurity/trivy/releases/download/v${TRIVY_VERSION}/trivy_${TRIVY_VERSION}_${asset}.tar.gz}
  command -v curl >/dev/null 2>&1 || die "curl is needed to download trivy $TRIVY_VERSION"
  work=$(mktemp -d)
  # shellcheck disable=SC2064 # expand now: $work is local to this function
  trap "rm -rf '$work'" EXIT
  echo "trivy.sh: downloading trivy $TRIVY_VERSION from $url" >&2
  curl --fail --silent --show-error --location --retry 3 --output "$work/trivy.tar.gz" "$url" \
    || die "could not download trivy $TRIVY_VERSION from $url"
  actual=$(sha256_of "$work/trivy.tar.gz")
  if [ "$actual" != "$expected" ]; then
    die "checksum mismatch for $url: expected sha256 $expected, got $actual. Refusing to install or run it."
  fi
  tar -xzf "$work/trivy.tar.gz" -C "$work" trivy || die "the trivy $TRIVY_VERSION archive has no trivy binary"
  mkdir -p "$dir"
  chmod 0755 "$work/trivy"
  mv -f "$work/trivy" "$dir/trivy"
  rm -rf "$work"
  trap - EXIT
}

# Sets TRIVY to a trivy binary of exactly TRIVY_VERSION: the one on PATH, the cached one, or a fresh download.
resolve_trivy() {
  local on_path dir found
  on_path=$(command -v trivy 2>/dev/null || true)
  if [ -n "$on_path" ]; then
    found=$(version_of "$on_path")
    if [ "$found" = "$TRIVY_VERSION" ]; then
      TRIVY=$on_path
      return
    fi
    echo "trivy.sh: trivy on PATH is version ${found:-unknown}, not $TRIVY_VERSION: using the pinned release" >&2
  fi
  dir=${TRIVY_INSTALL_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/aidlc/trivy-$TRIVY_VERSION}
  if [ ! -x "$dir/trivy" ] || [ "$(version_of "$dir/trivy")" != "$TRIVY_VERSION" ]; then
    install_trivy "$dir"
  fi
  found=$(version_of "$dir/trivy")
  [ "$found" = "$TRIVY_VERSION" ] || die "$dir/trivy reports version ${found:-unknown}, not $TRIVY_VERSION"
  TRIVY=$dir/trivy
}

summarize() {
  local scan=$1 status=$2 table=$3
  [ -n "${GITHUB_STEP_SUMMARY:-}" ] || return 0
  {
    echo "### trivy $scan"
    echo
    if [ "$status" -eq 0 ]; then
      echo "No finding at or above $FAIL_ON_SEVERITY."
    else
      echo "Findings at or above $FAIL_ON_SEVERITY:"
      echo
      echo '```'
      cat "$table"
      echo '```'
    fi
    echo
  } >>"$GITHUB_STEP_SUMMARY"
}

main() {
  [ $# -ge 1 ] || usage
  local scan=$1 target
  shift
  local -a scan_args
  case "$scan" in
    fs)
      [ $# -le 1 ] || usage
      target=${1:-.}
      scan_args=(fs --scanners 'vuln,secret' --skip-dirs '**/node_modules' --skip-dirs '**/cdk.out' --skip-dirs '**/.git')
      ;;
    config)
      [ $# -le 1 ] || usage
      target=${1:-cdk.out}
      [ -d "$target" ] || die "$target does not exist: synthesize first (npx projen synth:silent)"
      scan_args=(config --skip-dirs '**/asset.*')
      ;;
    image)
      [ $# -eq 1 ] || usage
      target=$1
      scan_args=(image --scanners 'vuln,secret')
      ;;
    -h | --help) usage ;;
    *) echo "trivy.sh: unknown scan \"$scan\"" >&2; usage ;;
  esac

  local fail_on
  fail_on=$(severities_from "$FAIL_ON_SEVERITY")
  local reports=${TRIVY_REPORT_DIR:-trivy-results}
  local ignorefile=.trivyignore
  local json="$reports/trivy-$scan.json" sarif="$reports/trivy-$scan.sarif" table="$reports/trivy-$scan.txt"
  mkdir -p "$reports"

  local TRIVY
  resolve_trivy

  "$TRIVY" "${scan_args[@]}" --format json --output "$json" --ignorefile "$ignorefile" \
    --severity UNKNOWN,LOW,MEDIUM,HIGH,CRITICAL --exit-code 0 --no-progress --timeout 15m "$target" \
    || die "trivy $scan failed on $target"

  "$TRIVY" convert --format sarif --output "$sarif" --ignorefile "$ignorefile" "$json" \
    || die "could not convert the $scan report to SARIF"

  local status=0
  "$TRIVY" convert --format table --severity "$fail_on" --exit-code "$TRIVY_FOUND" \
    --output "$table" --ignorefile "$ignorefile" "$json" || status=$?
  [ "$status" -eq 0 ] || [ "$status" -eq "$TRIVY_FOUND" ] || die "could not render the $scan report as a table"

  [ ! -f "$table" ] || cat "$table"
  summarize "$scan" "$status" "$table"
  if [ "$status" -eq "$TRIVY_FOUND" ]; then
    echo "trivy.sh: $scan found issues at or above $FAIL_ON_SEVERITY (reports in $reports/)" >&2
    exit "$EXIT_FINDINGS"
  fi
  echo "trivy.sh: $scan found nothing at or above $FAIL_ON_SEVERITY (reports in $reports/)" >&2
}

main "$@"
