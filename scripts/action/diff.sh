#!/usr/bin/env bash
# `archsmith diff --base REV` as a Markdown report for a pull-request comment.
#
# INPUT_DIFF_BASE: empty   no diff
#                  auto    on a pull request, its base branch (fetched when missing);
#                          on any other event, no diff
#                  a rev   that revision (a branch, tag or commit the clone has)
# Inputs (env): ARCHSMITH, INPUT_PATHS, INPUT_DIFF_BASE, RUNNER_TEMP,
#               INPUT_DIFF_FAIL_ON (breaking, destructive; empty: report only)
# Outputs: ran (true|false), report (path of the Markdown file), markdown (its text),
#          exit-code
set -euo pipefail
set -f
: "${GITHUB_OUTPUT:?not running as a GitHub Action step (GITHUB_OUTPUT is unset)}"

base="${INPUT_DIFF_BASE:-}"
if [[ "$base" == "auto" ]]; then
  case "${GITHUB_EVENT_NAME:-}" in
    pull_request | pull_request_target) base="origin/${GITHUB_BASE_REF:?GITHUB_BASE_REF is unset}" ;;
    *) base="" ;;
  esac
  if [[ -n "$base" ]] && ! git rev-parse --verify --quiet "$base^{commit}" >/dev/null; then
    # actions/checkout fetches one commit by default; the base branch is not in the clone.
    git fetch --no-tags --depth=1 origin \
      "+refs/heads/$GITHUB_BASE_REF:refs/remotes/origin/$GITHUB_BASE_REF"
  fi
fi
if [[ -z "$base" ]]; then
  echo "ran=false" >> "$GITHUB_OUTPUT"
  echo "archsmith diff: skipped (no base: set 'diff-base', or 'auto' on pull requests)"
  exit 0
fi
: "${ARCHSMITH:?run install.sh first (ARCHSMITH is unset)}"

read -r -a paths <<< "${INPUT_PATHS:-}"
report="${RUNNER_TEMP:?RUNNER_TEMP is unset}/archsmith-diff.md"
rm -f "$report"
args=(diff "${paths[@]}" --base "$base" --format markdown --output "$report")
[[ -z "${INPUT_DIFF_FAIL_ON:-}" ]] || args+=(--fail-on "$INPUT_DIFF_FAIL_ON")
set +e
"$ARCHSMITH" "${args[@]}"
code=$?
set -e
[[ -f "$report" ]] || : > "$report"

delimiter="archsmith-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
{
  echo "ran=true"
  echo "report=$report"
  echo "exit-code=$code"
  echo "markdown<<$delimiter"
  cat "$report"
  # The delimiter must start a line of its own; a report ending in a newline has one.
  if [[ -n "$(tail -c 1 "$report")" ]]; then echo; fi
  echo "$delimiter"
} >> "$GITHUB_OUTPUT"
if [[ -n "${GITHUB_STEP_SUMMARY:-}" ]]; then
  cat "$report" >> "$GITHUB_STEP_SUMMARY"
fi
