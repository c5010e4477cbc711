#!/usr/bin/env bash
# `archsmith lint` once, writing SARIF for code scanning to a file and GitHub
# annotations to the log. Spec errors are results in both, so a typo in a pull
# request is annotated too. Never fails the step: verdict.sh decides at the end, so
# `build --check` and the diff still run and report.
#
# Inputs (env): ARCHSMITH, INPUT_PATHS (space-separated; empty: the configuration
# decides), INPUT_SARIF (default archsmith.sarif), INPUT_FAIL_ON (empty: configuration)
# Outputs: sarif (absolute path, empty when not written), exit-code
set -euo pipefail
set -f  # paths are passed as written, never globbed by this shell
: "${ARCHSMITH:?run install.sh first (ARCHSMITH is unset)}"
: "${GITHUB_OUTPUT:?not running as a GitHub Action step (GITHUB_OUTPUT is unset)}"

read -r -a paths <<< "${INPUT_PATHS:-}"
sarif="${INPUT_SARIF:-archsmith.sarif}"
[[ "$sarif" == /* ]] || sarif="$PWD/$sarif"
mkdir -p "$(dirname "$sarif")"
rm -f "$sarif"

args=(lint "${paths[@]}" --format sarif --output "$sarif" --format github)
[[ -z "${INPUT_FAIL_ON:-}" ]] || args+=(--fail-on "$INPUT_FAIL_ON")
set +e
"$ARCHSMITH" "${args[@]}"
code=$?
set -e

if [[ ! -s "$sarif" ]]; then
  echo "::warning::archsmith lint wrote no SARIF file (exit $code)"
  sarif=""
fi
{
  echo "sarif=$sarif"
  echo "exit-code=$code"
} >> "$GITHUB_OUTPUT"
