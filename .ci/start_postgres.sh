#!/usr/bin/env bash
# Install (Debian package) and start a local PostgreSQL server with a test database for the suite.
# Prints the URL to use as STORYLINE_TEST_POSTGRES_URL on its last line.
set -euo pipefail
if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -q "^$version main$"; then
  pg_createcluster "$version" main >/dev/null
fi
pg_ctlcluster "$version" main start 2>/dev/null || true
for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 && break
  sleep 1
done
su postgres -c "psql -q -h 127.0.0.1 -c \"DO \\\$\\\$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname='storyline') THEN CREATE ROLE storyline LOGIN PASSWORD 'storyline' CREATEDB; END IF; END\\\$\\\$;\"" >/dev/null 2>&1 \
  || su postgres -c "psql -q -c \"DO \\\$\\\$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname='storyline') THEN CREATE ROLE storyline LOGIN PASSWORD 'storyline' CREATEDB; END IF; END\\\$\\\$;\"" >/dev/null
su postgres -c "psql -q -tc \"SELECT 1 FROM pg_database WHERE datname='storyline_test'\"" | grep -q 1 \
  || su postgres -c "createdb -O storyline storyline_test"
echo "postgresql://storyline:storyline@127.0.0.1:5432/storyline_test"
