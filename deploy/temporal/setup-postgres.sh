#!/bin/sh
# Creates Temporal's persistence and visibility databases and applies every schema version shipped with the
# admin-tools image. Safe to re-run: create fails harmlessly when the database exists, update-schema is incremental.
set -eu
SQL="temporal-sql-tool --plugin postgres12 --ep ${POSTGRES_SEEDS} -u ${POSTGRES_USER} -p 5432"
SCHEMA=/etc/temporal/schema/postgresql/v12

echo "waiting for PostgreSQL at ${POSTGRES_SEEDS}:5432"
until nc -z "${POSTGRES_SEEDS}" 5432; do sleep 1; done

for db in temporal temporal_visibility; do
  case "$db" in
    temporal) dir="$SCHEMA/temporal/versioned" ;;
    *) dir="$SCHEMA/visibility/versioned" ;;
  esac
  $SQL --db "$db" create || echo "database $db exists"
  $SQL --db "$db" setup-schema -v 0.0 || echo "schema of $db already initialised"
  $SQL --db "$db" update-schema -d "$dir"
done
echo "Temporal schema is up to date"
