#!/bin/bash
# The replica's entrypoint: on the first start (no data directory yet) copy the primary
# with pg_basebackup -R, which also writes standby.signal and the primary_conninfo the
# standby streams from; then run PostgreSQL as a hot standby (read-only queries).
#
# The copy goes to a directory beside the real one and is renamed when complete, so a
# copy that was interrupted is thrown away and made again on the next start, and a
# replica that has been promoted (no standby.signal) is never overwritten.
set -euo pipefail

PGDATA="${PGDATA:-/var/lib/postgresql/data/pgdata}"
PRIMARY_HOST="${PRIMARY_HOST:-primary}"

if [ ! -s "$PGDATA/PG_VERSION" ]; then
    echo "replica: no data yet; copying the primary at $PRIMARY_HOST"
    until pg_isready --host="$PRIMARY_HOST" --port=5432 --quiet; do sleep 1; done
    rm -rf "$PGDATA.new"
    PGPASSWORD="$REPLICATION_PASSWORD" pg_basebackup \
        --host="$PRIMARY_HOST" --port=5432 --username=replicator \
        --pgdata="$PGDATA.new" --write-recovery-conf --wal-method=stream \
        --slot=replica1 --checkpoint=fast
    chmod 0700 "$PGDATA.new"
    mv "$PGDATA.new" "$PGDATA"
    echo "replica: copy complete"
fi

# hot_standby_feedback: long public reads on the replica are not cancelled by the
# primary's vacuum removing rows they still see.
exec postgres -D "$PGDATA" -c hot_standby=on -c hot_standby_feedback=on
