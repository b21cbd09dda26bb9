#!/bin/sh
# The logins Cairn needs on a fresh server (README "Database privileges"), as the superuser:
# an owner with CREATEROLE but not SUPERUSER (it creates the cairn_app group role in its first
# migration), its database, and a login-only run-time role. The official postgres image runs
# this once from /docker-entrypoint-initdb.d; on another server run it with PG* variables set.
set -eu
psql -v ON_ERROR_STOP=1 --username "${POSTGRES_USER:-postgres}" --dbname postgres \
  -v owner_password="$CAIRN_OWNER_PASSWORD" -v app_password="$CAIRN_APP_PASSWORD" <<'SQL'
CREATE ROLE cairn_owner LOGIN CREATEROLE NOSUPERUSER NOBYPASSRLS PASSWORD :'owner_password';
CREATE ROLE cairn_api LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE PASSWORD :'app_password';
CREATE DATABASE cairn OWNER cairn_owner;
SQL
