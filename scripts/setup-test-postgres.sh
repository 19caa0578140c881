#!/usr/bin/env bash
# Test-only server set-up: password authentication for one canary role, so that the tests can prove a
# wrong password gives exit 3 without printing it. Every other role keeps the server's own rules.
# Idempotent; needs a superuser connection (SQLMIG_TEST_DATABASE_URL or the local default).
set -euo pipefail
url="${SQLMIG_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
hba=$(psql -X -At "$url" -c 'SHOW hba_file')
rule='host all sqlmig_password_canary 127.0.0.1/32 scram-sha-256'
if ! grep -qxF "$rule" "$hba"; then
  # pg_hba.conf is read top-down: the canary rule must come before any catch-all trust rule.
  { echo "$rule"; cat "$hba"; } > "$hba.new" && cat "$hba.new" > "$hba" && rm -f "$hba.new"
  psql -X -q "$url" -c 'SELECT pg_reload_conf()' > /dev/null
fi
