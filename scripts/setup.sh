#!/usr/bin/env bash
# Prepare this checkout: a local venv with archsmith installed, plus the system tools
# a target needs. Usage: scripts/setup.sh site|test|freeze
# Installs Debian packages with apt-get when missing and running as root; otherwise
# says exactly what to install. Safe to re-run: it only does what is missing.
# Python packages are installed at the versions pinned in constraints.txt, so every
# machine builds the same site; `freeze` rewrites that file from .venv after a
# dependency change (install the new versions first, then run the tests).
set -euo pipefail
cd "$(dirname "$0")/.."

target="${1:-site}"
venv=".venv"

if [[ "$target" == "freeze" ]]; then
  [[ -x "$venv/bin/python" ]] || { echo "setup: error: no $venv; run scripts/setup.sh test first" >&2; exit 1; }
  {
    echo "# The exact versions archsmith is tested with: every runtime and test dependency."
    echo "# scripts/setup.sh (make site, make test) installs with 'pip install -c constraints.txt',"
    echo "# so two machines produce the same website byte for byte (another mkdocs-material patch"
    echo "# release changes site pages). Regenerate with 'scripts/setup.sh freeze'."
    "$venv/bin/python" -m pip freeze --disable-pip-version-check --exclude-editable | grep -v '^archsmith=='
  } > constraints.txt.new
  mv constraints.txt.new constraints.txt
  echo "setup: wrote constraints.txt ($(grep -vc '^#' constraints.txt) packages)"
  exit 0
fi
python="${PYTHON:-}"
if [[ -z "$python" ]]; then
  for candidate in python3.11 python3.12 python3.13 python3; do
    if command -v "$candidate" >/dev/null 2>&1; then python="$candidate"; break; fi
  done
fi
[[ -n "$python" ]] || { echo "setup: error: no python3 found; install Python 3.11+ (apt-get install python3)" >&2; exit 1; }

apt_updated=""
apt_install() {
  # $@: Debian packages
  if [[ $(id -u) -ne 0 ]]; then
    echo "setup: error: missing $*; run as root or install them: sudo apt-get install -y $*" >&2
    exit 1
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "setup: error: missing $* and apt-get is not available; install them with your package manager" >&2
    exit 1
  fi
  if [[ -z "$apt_updated" ]]; then
    echo "setup: apt-get update"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    apt_updated=1
  fi
  echo "setup: apt-get install $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

if [[ ! -x "$venv/bin/python" ]]; then
  echo "setup: creating $venv with $python"
  if ! "$python" -m venv "$venv" 2>/dev/null; then
    rm -rf "$venv"
    version=$("$python" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
    apt_install "python${version}-venv"
    "$python" -m venv "$venv"
  fi
fi

extras=""
[[ "$target" == "test" ]] && extras="[test]"
stamp="$venv/.installed-$target"
if [[ ! -f "$stamp" || pyproject.toml -nt "$stamp" || constraints.txt -nt "$stamp" ]]; then
  echo "setup: installing archsmith$extras into $venv (versions from constraints.txt)"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -c constraints.txt -e ".$extras"
  touch "$stamp"
fi

command -v dot >/dev/null 2>&1 || apt_install graphviz

if [[ "$target" == "test" ]]; then
  [[ -x /usr/bin/chromium ]] || apt_install chromium fonts-dejavu-core
  # tests/test_sql.py starts its own throwaway MariaDB (mariadb-install-db + mariadbd)
  # when nothing answers on 127.0.0.1:3306. Only the core packages: mariadb-server would
  # also install and start the mariadb system service, which we do not want.
  if ! { command -v mariadbd >/dev/null 2>&1 || [[ -x /usr/sbin/mariadbd ]]; } ||
    ! command -v my_print_defaults >/dev/null 2>&1; then
    apt_install mariadb-server-core mariadb-client-core
  fi
  if [[ -f package-lock.json ]]; then
    command -v npm >/dev/null 2>&1 || apt_install nodejs npm
    if [[ ! -d node_modules || package-lock.json -nt node_modules ]]; then
      echo "setup: npm ci (OpenAPI linter, AsyncAPI parser, Backstage catalog model, Mermaid)"
      npm ci --no-audit --no-fund --loglevel=error
      touch node_modules
    fi
    tools=tests/diff_tools  # an independent OpenAPI diff tool the diff tests compare with
    if [[ ! -d $tools/node_modules || $tools/package-lock.json -nt $tools/node_modules ]]; then
      echo "setup: npm ci --prefix $tools (OpenAPI diff tool)"
      npm ci --prefix "$tools" --no-audit --no-fund --loglevel=error
      touch "$tools/node_modules"
    fi
  fi
fi
