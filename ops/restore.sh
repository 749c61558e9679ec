#!/usr/bin/env bash
# Restore a backup made by ops/backup.sh into an EMPTY database and the upload store
# the environment names (the S3 bucket, or SANBAO_MEDIA_ROOT); docs/deploy.md.
#
#   DATABASE_URL=postgres://.../new_db [SANBAO_S3_BUCKET=...] ops/restore.sh BACKUP_DIR
#
# Checks SHA256SUMS first; refuses a database that already holds Sanbao's tables
# (restore into a new database, then point the app servers at it).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
python=${PYTHON:-$root/.venv/bin/python}
[[ -x $python ]] || python=python3
backup=${1:?usage: ops/restore.sh BACKUP_DIR}
: "${DATABASE_URL:?DATABASE_URL must name the (empty) PostgreSQL database to restore into}"

(cd "$backup" && sha256sum --quiet --check SHA256SUMS)
existing=$(psql "$DATABASE_URL" -XtAc "select to_regclass('public.django_migrations') is not null")
if [[ $existing == t ]]; then
  echo "restore.sh: the target database already holds Sanbao's tables; restore into an empty one" >&2
  exit 2
fi
pg_restore --no-owner --no-privileges --exit-on-error --dbname="$DATABASE_URL" "$backup/database.dump"
if [[ -d $backup/uploads ]]; then
  "$python" "$root/ops/uploads.py" import "$backup/uploads" >&2
fi
echo "restored $backup"
