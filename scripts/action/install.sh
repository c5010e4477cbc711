#!/usr/bin/env bash
# Install archsmith from this action's own checkout, at the versions in its
# constraints.txt (the ones its release was tested with), and graphviz when `dot` is
# missing. Exports ARCHSMITH (the executable) for the later steps.
#
# Inputs (env): INPUT_ARCHSMITH  an archsmith executable to use instead of installing
#               INPUT_PYTHON     the Python to create the venv with (default python3)
# Why a venv of its own under RUNNER_TEMP: the workflow's Python packages and
# archsmith's pinned ones must not resolve against each other.
set -euo pipefail
action_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
: "${GITHUB_ENV:?not running as a GitHub Action step (GITHUB_ENV is unset)}"
: "${GITHUB_OUTPUT:?not running as a GitHub Action step (GITHUB_OUTPUT is unset)}"

archsmith="${INPUT_ARCHSMITH:-}"
if [[ -z "$archsmith" ]]; then
  venv="${RUNNER_TEMP:?RUNNER_TEMP is unset}/archsmith-venv"
  python="${INPUT_PYTHON:-python3}"
  echo "::group::install archsmith into $venv"
  "$python" -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
    -c "$action_root/constraints.txt" "$action_root"
  echo "::endgroup::"
  archsmith="$venv/bin/archsmith"
fi
version="$("$archsmith" --version)" || {
  echo "::error::archsmith cannot run: $archsmith --version failed"
  exit 1
}

# Tests point these at stand-ins; on a runner they are the real tools.
dot="${ARCHSMITH_DOT:-dot}"
apt_get="${ARCHSMITH_APT_GET:-apt-get}"
if ! command -v "$dot" >/dev/null 2>&1; then
  echo "::group::install graphviz"
  if command -v "$apt_get" >/dev/null 2>&1; then  # Ubuntu runners
    sudo=()
    [[ $(id -u) -eq 0 ]] || sudo=(sudo -n)
    "${sudo[@]}" "$apt_get" update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" "$apt_get" install -y -qq --no-install-recommends graphviz
  elif command -v brew >/dev/null 2>&1; then  # macOS runners
    brew install graphviz
  else
    echo "::error::graphviz (dot) is missing and neither apt-get nor brew is here; install graphviz before this action"
    exit 1
  fi
  echo "::endgroup::"
fi

echo "ARCHSMITH=$archsmith" >> "$GITHUB_ENV"
{
  echo "archsmith=$archsmith"
  echo "version=$version"
} >> "$GITHUB_OUTPUT"
echo "archsmith: $version"
