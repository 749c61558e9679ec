"""Copy Sanbao's uploaded files out of their store into a directory, or back in
(ops/backup.sh and ops/restore.sh). The store is the one the production profile
uses: the S3-compatible bucket when SANBAO_S3_BUCKET is set (SANBAO_S3_ENDPOINT_URL,
SANBAO_S3_REGION, SANBAO_S3_PREFIX; credentials as boto3 reads them), else the
directory SANBAO_MEDIA_ROOT (default var/media).

    python ops/uploads.py export DIR    # store -> DIR (DIR must not exist)
    python ops/uploads.py import DIR    # DIR -> store (existing keys are overwritten)
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _bucket():
    import boto3

    client = boto3.client(
        "s3",
        endpoint_url=os.environ.get("SANBAO_S3_ENDPOINT_URL") or None,
        region_name=os.environ.get("SANBAO_S3_REGION") or None,
    )
    prefix = os.environ.get("SANBAO_S3_PREFIX", "").strip("/")
    return client, os.environ["SANBAO_S3_BUCKET"], (prefix + "/") if prefix else ""


def _media_root() -> Path:
    var = Path(os.environ.get("SANBAO_VAR_DIR") or ROOT / "var")
    root = Path(os.environ.get("SANBAO_MEDIA_ROOT") or var / "media")
    return root if root.is_absolute() else ROOT / root


def export(dest: Path) -> int:
    """Every stored file under ``dest``; returns how many."""
    dest.mkdir(parents=True, exist_ok=False)
    if not os.environ.get("SANBAO_S3_BUCKET"):
        source = _media_root()
        if source.exists():
            shutil.copytree(source, dest, dirs_exist_ok=True)
        return sum(1 for p in dest.rglob("*") if p.is_file())
    client, bucket, prefix = _bucket()
    count = 0
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        for item in page.get("Contents", []):
            target = dest / item["Key"][len(prefix) :]
            if not target.resolve().is_relative_to(dest.resolve()):
                raise SystemExit(f"refusing key outside the backup: {item['Key']!r}")
            target.parent.mkdir(parents=True, exist_ok=True)
            client.download_file(bucket, item["Key"], str(target))
            count += 1
    return count


def import_(source: Path) -> int:
    """Every file under ``source`` back into the store; returns how many."""
    files = [p for p in sorted(source.rglob("*")) if p.is_file()]
    if not os.environ.get("SANBAO_S3_BUCKET"):
        shutil.copytree(source, _media_root(), dirs_exist_ok=True)
        return len(files)
    client, bucket, prefix = _bucket()
    for path in files:
        client.upload_file(str(path), bucket, prefix + path.relative_to(source).as_posix())
    return len(files)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("direction", choices=["export", "import"])
    parser.add_argument("directory", type=Path)
    args = parser.parse_args(argv)
    copy = export if args.direction == "export" else import_
    count = copy(args.directory)
    print(f"{args.direction}: {count} files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
