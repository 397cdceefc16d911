#!/bin/bash
# Run once by the postgres image when the primary's data directory is first created
# (/docker-entrypoint-initdb.d): a role the replica copies and streams with, its slot (so
# the primary keeps the WAL a briefly stopped replica still needs, up to
# max_slot_wal_keep_size), and the pg_hba line that lets it connect for replication.
set -euo pipefail

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    --set=password="$REPLICATION_PASSWORD" <<'SQL'
CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD :'password';
SELECT pg_create_physical_replication_slot('replica1');
SQL

echo "host replication replicator all scram-sha-256" >> "$PGDATA/pg_hba.conf"
