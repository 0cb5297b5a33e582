#!/usr/bin/env bash
# migrate.sh - applies sql/migrations/NNNN_*.sql in order, each exactly once, recorded in schema_migrations.
# Usage: sql/migrate.sh <mysql client arguments...>   e.g. sql/migrate.sh --socket=var/run/mysql.sock -uroot im
# IM_READONLY_PASSWORD: the password 0006_dba.sql gives the read-only account (kept out of git).
set -euo pipefail

readonly MIGRATIONS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/migrations"

die() { echo "migrate.sh: $*" >&2; exit 1; }

client() {
  if command -v mariadb >/dev/null 2>&1; then echo mariadb; else echo mysql; fi
}

# sql ARGS...: runs the client in batch mode with the caller's connection arguments.
# CONNECT comes first: a --no-defaults in it must be the first option.
sql() { "$(client)" "${CONNECT[@]}" --batch --skip-column-names "$@"; }

ensure_table() {
  sql -e "CREATE TABLE IF NOT EXISTS schema_migrations (
            version    INT UNSIGNED NOT NULL COMMENT 'the NNNN of sql/migrations/NNNN_name.sql',
            applied_at DATETIME(3)  NOT NULL,
            PRIMARY KEY (version)
          ) ENGINE=InnoDB"
}

is_applied() {
  [ "$(sql -e "SELECT COUNT(*) FROM schema_migrations WHERE version = $1")" != 0 ]
}

# Session variables a migration may read: secrets come from the environment, never from git.
preamble() {
  local pw="${IM_READONLY_PASSWORD:-}"
  [ -n "$pw" ] || return 0
  # It becomes one SQL string literal: no quote or backslash can end it early.
  case "$pw" in *"'"* | *\\*) die "IM_READONLY_PASSWORD must not contain ' or \\" ;; esac
  printf "SET @im_readonly_password = '%s';\n" "$pw"
}

# DDL commits implicitly in MySQL, so a migration cannot be rolled back as a
# whole. The batch-mode client stops at the first failing statement, so the
# version row (the file's last statement) is written only if all the rest ran.
apply() {
  local file=$1 version=$2
  echo "migrate.sh: applying $(basename "$file")"
  { preamble; cat "$file"; printf '\nINSERT INTO schema_migrations (version, applied_at) VALUES (%d, UTC_TIMESTAMP(3));\n' "$version"; } \
    | sql || die "$(basename "$file") failed; fix it and run again"
}

main() {
  [ $# -gt 0 ] || die "usage: $0 <mysql client arguments> <database>"
  CONNECT=("$@")
  ensure_table
  local file name version
  for file in "$MIGRATIONS_DIR"/[0-9][0-9][0-9][0-9]_*.sql; do
    [ -e "$file" ] || continue
    name=$(basename "$file")
    version=$((10#${name%%_*}))
    is_applied "$version" || apply "$file" "$version"
  done
}

main "$@"
