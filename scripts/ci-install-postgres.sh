#!/usr/bin/env bash
# Installs a PostgreSQL server from the operating system's packages when none is there, for
# test/external-postgres.e2e-spec.ts and test/replica.e2e-spec.ts (which fail, not skip, under
# CI=true without one). Only the binaries are needed (initdb, pg_ctl, pg_basebackup): the tests run
# their own throw-away clusters on free ports — a primary and a streaming replica for the latter.
set -euo pipefail
if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ls /usr/lib/postgresql/*/bin/pg_basebackup >/dev/null 2>&1; then
  echo "PostgreSQL server present: $(ls -d /usr/lib/postgresql/*/bin | tr '\n' ' ')"
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "no PostgreSQL server under /usr/lib/postgresql and no apt-get: install one (or set CAIRN_EXTERNAL_PG_BIN)" >&2
  exit 1
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# The package's post-install may try to start a cluster; the test does not need or use it.
$sudo apt-get install -y -qq --no-install-recommends postgresql >/dev/null
ls -d /usr/lib/postgresql/*/bin
