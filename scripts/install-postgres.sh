#!/usr/bin/env bash
# Installs Debian's PostgreSQL server binaries when missing, so the store tests run on a real
# PostgreSQL as well as SQLite (the tests start a throwaway cluster of their own; no service is used).
set -euo pipefail
if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "install-postgres: PostgreSQL is missing and this user cannot install it (apt-get install postgresql)" >&2
    exit 1
  fi
fi
echo "install-postgres: installing Debian's postgresql for the store tests"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends postgresql >/dev/null
ls /usr/lib/postgresql/*/bin/initdb
