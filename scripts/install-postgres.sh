#!/usr/bin/env bash
# Installs a PostgreSQL server from Debian's packages when none is here, for the tests on PostgreSQL:
# tests/pg.py starts a throwaway server from its binaries (/usr/lib/postgresql/<version>/bin), and
# under CI=true a PostgreSQL test that cannot get a server fails instead of skipping. The packaged
# cluster is not started; psycopg (the driver) comes with `pip install -e '.[test]'`.
set -euo pipefail

if ! command -v initdb >/dev/null 2>&1 && ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
    SUDO=""
    if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then
        SUDO="sudo"
    fi
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -q
    $SUDO apt-get install -y -q --no-install-recommends postgresql
fi
