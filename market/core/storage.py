"""Where uploaded files are kept (FILE_STORAGE), the same way for every kind of file and every server.

- `local` (the default, for `make run`): under UPLOAD_DIR on this machine's disk. Enough for one server.
- `database`: in the `stored_file` table of the site's own database, which every server reaches. A file is
  written in the same transaction as the row that names it: a failed request or a crash leaves nothing.
  Fine on PostgreSQL for a city's documents and photos (they are at most 20 MB each).
- `s3`: in an S3-compatible bucket (S3_BUCKET, S3_PREFIX, S3_ENDPOINT_URL, S3_REGION; the credentials the usual
  AWS way: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or the machine's role), through boto3.

A file is named by its key, "<area>/<name>": "files" (documents and photos of the portal, procurement and the
reports), "catalog" (listing images and logos), "imports" (a catalog import between its preview and its
confirmation). Names are random and checked by their area's module before they reach a key.

Tied to the transaction: `save` writes at once and, on disk or in a bucket, removes the file again if the
transaction rolls back; `remove_after_commit` deletes once the deletion has committed. A crash between the
write and the commit (or the delete) can still leave a file that no row names on disk or in a bucket:
`flask files sweep` (also a daily job) removes those, once older than SWEEP_GRACE.
"""
from __future__ import annotations

import io
import os
import secrets
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import Flask, Response, current_app, send_file
from sqlalchemy import event
from sqlalchemy.orm import Session

from market.extensions import db

AREAS = ("files", "catalog", "imports")
SWEEP_GRACE = timedelta(hours=1)  # longer than any request takes between writing a file and committing its row
TRANSIENT = {"imports": timedelta(days=1)}  # areas no row refers to: kept this long, then swept


class LocalStorage:
    """Files under a folder of this machine (UPLOAD_DIR)."""

    transactional = False

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path(self, key: str) -> Path:
        return self.root / key

    def write(self, key: str, data: bytes) -> None:
        """Written under a temporary name, flushed, then renamed: a reader never sees half a file."""
        path = self.path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.part")
        try:
            with open(temporary, "xb") as file:
                file.write(data)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, path)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise

    def read(self, key: str) -> bytes | None:
        try:
            return self.path(key).read_bytes()
        except FileNotFoundError:
            return None

    def delete(self, key: str) -> None:
        self.path(key).unlink(missing_ok=True)

    def listing(self, area: str) -> Iterator[tuple[str, datetime]]:
        folder = self.root / area
        if not folder.is_dir():
            return
        for entry in os.scandir(folder):
            if entry.is_file():
                yield entry.name, datetime.fromtimestamp(entry.stat().st_mtime, UTC).replace(tzinfo=None)


class DatabaseStorage:
    """Files as rows of `stored_file`, in the caller's transaction."""

    transactional = True

    def write(self, key: str, data: bytes) -> None:
        from market.core.models import StoredFile

        db.session.add(StoredFile(key=key, data=data, size_bytes=len(data)))
        db.session.flush()

    def read(self, key: str) -> bytes | None:
        from market.core.models import StoredFile

        return db.session.scalar(sa.select(StoredFile.data).where(StoredFile.key == key))

    def delete(self, key: str) -> None:
        from market.core.models import StoredFile

        db.session.execute(sa.delete(StoredFile).where(StoredFile.key == key))

    def listing(self, area: str) -> Iterator[tuple[str, datetime]]:
        from market.core.models import StoredFile

        prefix = f"{area}/"
        rows = db.session.execute(sa.select(StoredFile.key, StoredFile.created_at)
                                  .where(StoredFile.key.startswith(prefix, autoescape=True)))
        for key, created_at in rows:
            yield key[len(prefix):], created_at


class S3Storage:
    """Objects in an S3-compatible bucket, through boto3."""

    transactional = False

    def __init__(self, bucket: str, prefix: str = "", endpoint_url: str | None = None,
                 region: str | None = None) -> None:
        import boto3

        self.bucket, self.prefix = bucket, prefix
        self.client = boto3.client("s3", endpoint_url=endpoint_url or None, region_name=region or None)

    def write(self, key: str, data: bytes) -> None:
        self.client.put_object(Bucket=self.bucket, Key=self.prefix + key, Body=data)

    def read(self, key: str) -> bytes | None:
        from botocore.exceptions import ClientError

        try:
            return self.client.get_object(Bucket=self.bucket, Key=self.prefix + key)["Body"].read()
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("NoSuchKey", "404", "NotFound"):
                return None
            raise

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self.prefix + key)

    def listing(self, area: str) -> Iterator[tuple[str, datetime]]:
        prefix = f"{self.prefix}{area}/"
        for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=prefix):
            for item in page.get("Contents", ()):
                name = item["Key"][len(prefix):]
                if "/" not in name:
                    yield name, item["LastModified"].astimezone(UTC).replace(tzinfo=None)


def init_app(app: Flask) -> None:
    kind = (app.config.get("FILE_STORAGE") or "local").lower()
    if kind == "local":
        backend = LocalStorage(app.config["UPLOAD_DIR"])
    elif kind == "database":
        backend = DatabaseStorage()
    elif kind == "s3":
        if not app.config.get("S3_BUCKET"):
            raise RuntimeError("FILE_STORAGE=s3 needs S3_BUCKET (and S3_ENDPOINT_URL for a store other than AWS).")
        backend = S3Storage(app.config["S3_BUCKET"], app.config.get("S3_PREFIX") or "",
                            app.config.get("S3_ENDPOINT_URL"), app.config.get("S3_REGION"))
    else:
        raise RuntimeError(f"FILE_STORAGE: unknown storage {kind!r} (local, database or s3).")
    app.extensions["market.storage"] = backend


def backend():
    return current_app.extensions["market.storage"]


def _check(key: str) -> str:
    area, _, name = key.partition("/")
    if area not in AREAS or not name or "/" in name or name.startswith("."):
        raise ValueError(f"not a storage key: {key!r}")
    return key


# --- tied to the transaction ---

def save(session: Session, key: str, data: bytes) -> None:
    """Store `data` under `key` now; if `session`'s transaction rolls back, the file goes with it."""
    store = backend()
    session.connection()  # a transaction to follow, even if nothing else was read yet: its end decides the file's
    store.write(_check(key), data)
    if not store.transactional:
        session.info.setdefault("storage_written", []).append((store, key))


def remove_after_commit(session: Session, key: str) -> None:
    """Delete the file once `session` commits (at once, in the same transaction, in the database)."""
    store = backend()
    if store.transactional:
        store.delete(_check(key))
    else:
        session.connection()
        session.info.setdefault("storage_to_remove", []).append((store, _check(key)))


def _delete(pending) -> None:
    for store, key in pending:
        try:
            store.delete(key)
        except Exception:  # a file that cannot be removed now is an orphan for the sweep, never a failed request
            current_app.logger.warning("storage: could not remove %s; `flask files sweep` will", key, exc_info=True)


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    session.info.pop("storage_written", None)
    _delete(session.info.pop("storage_to_remove", []))


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop("storage_to_remove", None)
    _delete(session.info.pop("storage_written", []))


# --- reading ---

def read(key: str) -> bytes | None:
    return backend().read(_check(key))


def delete(key: str) -> None:
    """Delete at once, outside any transaction (a file no row refers to, such as a pending import)."""
    backend().delete(_check(key))


def send(key: str, *, mimetype: str, download_name: str | None = None, as_attachment: bool = False,
         max_age: int | None = None, data: bytes | None = None) -> Response | None:
    """The stored file as a conditional response (ETag, Range), or None if there is no such file.

    From local disk the file is streamed; from the database or a bucket it is read whole (at most 20 MB)."""
    store = backend()
    if isinstance(store, LocalStorage) and data is None:
        path = store.path(_check(key))
        if not path.is_file():
            return None
        source = path
    else:
        data = read(key) if data is None else data
        if data is None:
            return None
        source = io.BytesIO(data)
    return send_file(source, mimetype=mimetype, as_attachment=as_attachment, download_name=download_name,
                     conditional=True, etag=key if not isinstance(source, Path) else True, max_age=max_age)


# --- the sweep ---

def referenced_names(area: str) -> set[str]:
    """Every name a row refers to in `area`: the columns marked `info={"storage": area}` in the models."""
    names: set[str] = set()
    for table in db.metadata.tables.values():
        for column in table.columns:
            if column.info.get("storage") == area:
                names.update(db.session.scalars(sa.select(column).where(column.is_not(None))))
    return names


def sweep(now: datetime | None = None, dry_run: bool = False) -> list[str]:
    """Remove stored files no row refers to, written more than SWEEP_GRACE ago (and pending imports older than
    a day). Returns their keys."""
    from market.core.timeutil import utcnow

    now = now or utcnow()
    store, removed = backend(), []
    for area in AREAS:
        if area in TRANSIENT:
            keep, cutoff = set(), now - TRANSIENT[area]
        else:
            keep, cutoff = referenced_names(area), now - SWEEP_GRACE
        for name, modified in list(store.listing(area)):  # a write that never finished (.part) included
            if name not in keep and modified < cutoff:
                removed.append(f"{area}/{name}")
                if not dry_run:
                    store.delete(f"{area}/{name}")
    if store.transactional and not dry_run:
        db.session.commit()
    return removed
