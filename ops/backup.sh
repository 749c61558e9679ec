#!/usr/bin/env bash
# Back up Sanbao: the PostgreSQL database (pg_dump, custom format) and every
# uploaded file (the S3 bucket, or SANBAO_MEDIA_ROOT) into one dated directory
# DEST/YYYYmmddTHHMMSSZ with a SHA256SUMS file. docs/deploy.md: schedule, retention.
#
#   DATABASE_URL=postgres://... [SANBAO_S3_BUCKET=...] ops/backup.sh [DEST]
#
# DEST defaults to $SANBAO_BACKUP_DIR, else /var/backups/sanbao. With
# SANBAO_BACKUP_KEEP_DAYS set, dated backups older than that many days are deleted
# after this one has been written. Prints the new backup's directory.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
python=${PYTHON:-$root/.venv/bin/python}
[[ -x $python ]] || python=python3
: "${DATABASE_URL:?DATABASE_URL must name the PostgreSQL database to back up}"
case $DATABASE_URL in
  postgres://* | postgresql://*) ;;
  *) echo "backup.sh: DATABASE_URL is not PostgreSQL" >&2; exit 2 ;;
esac

dest_root=${1:-${SANBAO_BACKUP_DIR:-/var/backups/sanbao}}
stamp=$(date -u +%Y%m%dT%H%M%SZ)
dest=$dest_root/$stamp
work=$dest.partial
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT

pg_dump --format=custom --no-owner --no-privileges --file="$work/database.dump" "$DATABASE_URL"
"$python" "$root/ops/uploads.py" export "$work/uploads" >&2
(
  cd "$work"
  sha256sum database.dump
  find uploads -type f -print0 | sort -z | xargs -0 -r sha256sum
) > "$work/SHA256SUMS.tmp"
mv "$work/SHA256SUMS.tmp" "$work/SHA256SUMS"
mv "$work" "$dest"
trap - EXIT

if [[ -n ${SANBAO_BACKUP_KEEP_DAYS:-} ]]; then
  find "$dest_root" -mindepth 1 -maxdepth 1 -type d -name '[0-9]*T[0-9]*Z' \
    -mtime +"$SANBAO_BACKUP_KEEP_DAYS" -exec rm -rf {} +
fi
echo "$dest"
