"""What every process of the site shares for a short, stated time: computed figures and public pages.

`CACHE_URL` names the store: unset (or `simple://`) keeps values in each process's memory, enough for
`make run`; `file:///path/to/folder` keeps them in a folder the processes of one machine share;
`redis://host:6379/N` in Redis, shared by every server; `null://` keeps nothing. Keys begin with
`CACHE_KEY_PREFIX`. The store is Flask-Caching's; a store that fails (Redis down) costs speed, never a page.

No stampede: when a kept value expires, one caller, in whichever process or server, computes it again while
it holds a short lock in the store; the others serve the stale copy meanwhile or, when there is none yet, wait
for the one computing (up to WAIT_SECONDS, then they compute it themselves). So a page that takes 400 ms is
computed once per expiry, not once per request that arrives meanwhile.
"""
from __future__ import annotations

import hashlib
import itertools
import os
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, current_app
from redis.exceptions import LockError, RedisError

from market.extensions import cache

LOCK_SECONDS = 30   # the longest a computation may hold its lock (a crashed process's lock expires then)
WAIT_SECONDS = 10   # how long a caller without a stale copy waits for another's computation
_POLL_SECONDS = (0.01, 0.02, 0.05, 0.1)
MEMORY_ENTRIES = 2000  # what a memory or folder store keeps at most (pages are kept compressed, ~10 KB each)


def now() -> float:
    """Wall-clock seconds: every server compares the same clock (tests move it)."""
    return time.time()


@dataclass(frozen=True)
class Kept:
    """A value, when it was computed and until when it is fresh (`now()` seconds)."""

    value: Any
    computed_at: float
    fresh_until: float

    @property
    def fresh(self) -> bool:
        return now() < self.fresh_until


def init_app(app: Flask) -> None:
    """Configure Flask-Caching from CACHE_URL, and the locks that go with the store."""
    url = app.config.get("CACHE_URL") or "simple://"
    scheme = urlsplit(url).scheme
    settings = {"CACHE_KEY_PREFIX": app.config["CACHE_KEY_PREFIX"], "CACHE_DEFAULT_TIMEOUT": 300,
                "CACHE_THRESHOLD": MEMORY_ENTRIES}
    if scheme == "simple":
        settings["CACHE_TYPE"] = "SimpleCache"
        locks = _MemoryLocks()
    elif scheme == "file":
        folder = Path(urlsplit(url).path)
        settings.update(CACHE_TYPE="FileSystemCache", CACHE_DIR=str(folder))
        locks = _FileLocks(folder / "locks")
    elif scheme in ("redis", "rediss", "unix"):
        import redis

        settings.update(CACHE_TYPE="RedisCache", CACHE_REDIS_URL=url)
        locks = _RedisLocks(redis.Redis.from_url(url), app.config["CACHE_KEY_PREFIX"])
    elif scheme == "null":
        settings.update(CACHE_TYPE="NullCache", CACHE_NO_NULL_WARNING=True)
        locks = None
    else:
        raise RuntimeError(f"CACHE_URL: unknown store {url!r} (simple://, file:///folder, redis://host:port/db, "
                           "null://)")
    cache.init_app(app, config=settings)
    app.extensions["market.cache_locks"] = locks


def enabled() -> bool:
    return current_app.extensions.get("market.cache_locks") is not None


STORE_ERRORS = (OSError, RedisError)  # the store is down or unreachable: compute without it


def _warn(error: BaseException) -> None:
    current_app.logger.warning("cache store unavailable (%s): computing without it", error)


def get(key: str) -> Kept | None:
    try:
        kept = cache.get(key)
    except STORE_ERRORS as error:
        _warn(error)
        return None
    return kept if isinstance(kept, Kept) else None


def put(key: str, value: Any, seconds: float) -> None:
    """Keep `value` fresh for `seconds`, and stale (served only while it is computed again) as long again."""
    moment = now()
    try:
        cache.set(key, Kept(value, moment, moment + seconds), timeout=int(seconds * 2) + 60)
    except STORE_ERRORS as error:
        _warn(error)


def lock(key: str) -> str | None:
    """Take the computing lock of `key` (a token to release it with), or None when another holds it."""
    locks = current_app.extensions.get("market.cache_locks")
    try:
        return locks.acquire(f"lock:{key}") if locks else None
    except STORE_ERRORS as error:
        _warn(error)
        return ""  # the store is down: compute, as if the lock were ours


def unlock(key: str, token: str) -> None:
    locks = current_app.extensions.get("market.cache_locks")
    if locks and token:
        try:
            locks.release(f"lock:{key}", token)
        except STORE_ERRORS as error:
            _warn(error)


def fetch_or_claim(key: str) -> tuple[Kept | None, str | None]:
    """What to do about `key`: (a copy to serve, None) when it is fresh, or stale while another computes it;
    (None, token) when the caller must compute it, holding the lock `token` ("" when it waited WAIT_SECONDS
    for another's computation in vain: compute without the lock). Release the token with `unlock`."""
    deadline = time.monotonic() + WAIT_SECONDS
    for attempt in itertools.count():
        kept = get(key)
        if kept is not None and kept.fresh:
            return kept, None
        token = lock(key)
        if token is not None:
            return None, token
        if kept is not None:
            return kept, None  # another is computing it: the copy of a moment ago meanwhile
        if time.monotonic() >= deadline:
            return None, ""  # the one computing failed or is far too slow: do not wait any longer
        time.sleep(_POLL_SECONDS[min(attempt, len(_POLL_SECONDS) - 1)])


def remember(key: str, seconds: float, compute: Callable[[], Any]) -> Any:
    """`compute()`'s value, kept for `seconds` in the shared store; computed once per expiry (see above)."""
    if seconds <= 0 or not enabled():
        return compute()
    kept, token = fetch_or_claim(key)
    if token is None:
        return kept.value
    try:
        value = compute()
        put(key, value, seconds)
        return value
    finally:
        unlock(key, token)


def generation(name: str) -> int:
    """A counter that `bump` raises: part of a family of keys, so that bumping it forgets the whole family."""
    try:
        return int(cache.get(f"generation:{name}") or 0)
    except STORE_ERRORS as error:
        _warn(error)
        return 0


def bump(name: str) -> None:
    try:
        cache.set(f"generation:{name}", time.time_ns(), timeout=0)  # a value never seen before, kept for good
    except STORE_ERRORS as error:
        _warn(error)


# --- locks, one kind per store ---

class _MemoryLocks:
    """Locks of one process (the store itself is per process)."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._held: dict[str, tuple[str, float]] = {}

    def acquire(self, name: str) -> str | None:
        with self._guard:
            held = self._held.get(name)
            if held and held[1] > time.monotonic():
                return None
            token = secrets.token_hex(8)
            self._held[name] = (token, time.monotonic() + LOCK_SECONDS)
            return token

    def release(self, name: str, token: str) -> None:
        with self._guard:
            if self._held.get(name, ("",))[0] == token:
                del self._held[name]


class _FileLocks:
    """A lock file created exclusively (O_EXCL) in the cache's folder; one older than LOCK_SECONDS is stale."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, name: str) -> Path:
        return self.folder / hashlib.sha256(name.encode()).hexdigest()

    def acquire(self, name: str) -> str | None:
        self.folder.mkdir(parents=True, exist_ok=True)
        path, token = self._path(name), secrets.token_hex(8)
        for _ in range(2):
            try:
                descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                try:
                    if time.time() - path.stat().st_mtime < LOCK_SECONDS:
                        return None
                    path.unlink()  # its holder died: take it over
                except FileNotFoundError:
                    pass
                continue
            with os.fdopen(descriptor, "w") as file:
                file.write(token)
            return token
        return None

    def release(self, name: str, token: str) -> None:
        path = self._path(name)
        try:
            if path.read_text() == token:
                path.unlink()
        except FileNotFoundError:
            pass


class _RedisLocks:
    """SET NX PX, released only by its holder (redis-py's Lock does the compare-and-delete in one script)."""

    def __init__(self, client, prefix: str) -> None:
        self.client, self.prefix = client, prefix
        self._locks: dict[str, Any] = {}

    def acquire(self, name: str) -> str | None:
        token = secrets.token_hex(8)
        held = self.client.lock(self.prefix + name, timeout=LOCK_SECONDS, blocking=False)
        if not held.acquire(token=token):
            return None
        self._locks[token] = held
        return token

    def release(self, name: str, token: str) -> None:
        held = self._locks.pop(token, None)
        if held is not None:
            try:
                held.release()
            except LockError:  # it expired and someone else holds it now: theirs to release
                pass
