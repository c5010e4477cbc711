#!/usr/bin/env bash
# The action's result, after every step had its say: the highest exit code of lint and
# `build --check` (1 findings or drift, 2 invalid input, 3 missing tool). A diff fails the
# job when it could not run (2 or more), or with exit 1 (breaking or destructive changes)
# only when asked to (the action's `diff-fail-on`); otherwise it is a report.
#
# Inputs (env): LINT_EXIT, CHECK_EXIT, DIFF_EXIT (empty for a step that did not run),
#               DIFF_FAIL_ON (the action's diff-fail-on input)
set -euo pipefail

worst=0
report() {
  # $1: step, $2: its exit code, $3: the lowest code that fails the job
  local step="$1" code="$2" floor="$3"
  [[ -n "$code" ]] || return 0
  if ((code >= floor)); then
    echo "::error::archsmith $step exited $code"
    ((code > worst)) && worst=$code
  else
    echo "archsmith $step: exit $code"
  fi
  return 0
}
report lint "${LINT_EXIT:-}" 1
report "build --check" "${CHECK_EXIT:-}" 1
diff_floor=2
case "${DIFF_FAIL_ON:-}" in "" | none) ;; *) diff_floor=1 ;; esac
report diff "${DIFF_EXIT:-}" "$diff_floor"
exit "$worst"
