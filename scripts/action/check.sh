#!/usr/bin/env bash
# `archsmith build --check`: exit 1 when the committed output differs from a fresh
# build. INPUT_ONLY (e.g. "openapi,ddl,design") compares only those artifacts, for
# teams that commit the text and not the site. Never fails the step (see verdict.sh).
#
# Inputs (env): ARCHSMITH, INPUT_PATHS, INPUT_ONLY
# Outputs: exit-code
set -euo pipefail
set -f
: "${ARCHSMITH:?run install.sh first (ARCHSMITH is unset)}"
: "${GITHUB_OUTPUT:?not running as a GitHub Action step (GITHUB_OUTPUT is unset)}"

read -r -a paths <<< "${INPUT_PATHS:-}"
args=(build "${paths[@]}" --check)
[[ -z "${INPUT_ONLY:-}" ]] || args+=(--only "$INPUT_ONLY")
set +e
"$ARCHSMITH" "${args[@]}"
code=$?
set -e
echo "exit-code=$code" >> "$GITHUB_OUTPUT"
