#!/bin/sh
# Runs once, on the first start of an empty PostgreSQL volume: flexcord's case store gets its own database and role.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" <<SQL
CREATE ROLE flexcord LOGIN PASSWORD '${FLEXCORD_DB_PASSWORD}';
CREATE DATABASE flexcord OWNER flexcord;
SQL
