#!/usr/bin/env bash
# Prepare this checkout: a local venv with archsmith installed, plus the system tools
# a target needs. Usage: scripts/setup.sh site|test
# Installs Debian packages with apt-get when missing and running as root; otherwise
# says exactly what to install. Safe to re-run: it only does what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

target="${1:-site}"
venv=".venv"
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
if [[ ! -f "$stamp" || pyproject.toml -nt "$stamp" ]]; then
  echo "setup: installing archsmith$extras into $venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -e ".$extras"
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
      echo "setup: npm ci (OpenAPI linter)"
      npm ci --no-audit --no-fund --loglevel=error
      touch node_modules
    fi
  fi
fi
