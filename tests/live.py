"""Real servers for the tests that need real connections: the app in a werkzeug thread, or gunicorn processes,
and a small HTTP client that keeps its cookies and fills in the CSRF token as a browser would."""
from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parent.parent


@contextmanager
def served_in_thread(app):
    """The app on a free loopback port, in a thread of this process; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn(environment: dict[str, str], *, workers: int = 1, threads: int = 4, log: Path | None = None):
    """`gunicorn wsgi:app` in its own process on a free loopback port, with `environment` added to this one's.

    Yields the base URL once /healthz answers; stops the process (and so its workers) afterwards."""
    port = free_port()
    env = {**os.environ, **environment}
    env.pop("TEST_DATABASE_URL", None)
    output = open(log, "ab") if log else subprocess.DEVNULL
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
         "--threads", str(threads), "--timeout", "60", "wsgi:app"],
        cwd=ROOT, env=env, stdout=output, stderr=output)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {process.returncode}" + (f"; see {log}" if log else ""))
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=2):
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.monotonic() > deadline:
                    raise RuntimeError("gunicorn did not answer /healthz within 60 s") from None
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if log:
            output.close()


_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class Visitor:
    """One person's browser: cookies kept, redirects followed, every status returned (never raised)."""

    def __init__(self, base: str, forwarded_for: str | None = None):
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))
        self.headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}

    def request(self, path: str, data: dict | None = None, files: dict | None = None,
                headers: dict | None = None) -> tuple[int, bytes, dict]:
        url = urllib.parse.quote(path if path.startswith("http") else self.base + path, safe=":/?&=%#+")
        body, content_type = None, None
        if files:
            body, content_type = _multipart(data or {}, files)
        elif data is not None:
            body, content_type = urllib.parse.urlencode(data).encode(), "application/x-www-form-urlencoded"
        request = urllib.request.Request(url, data=body, headers={**self.headers, **(headers or {})})
        if content_type:
            request.add_header("Content-Type", content_type)
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read(), dict(response.headers)
        except urllib.error.HTTPError as error:
            return error.code, error.read(), dict(error.headers)

    def get(self, path: str, **kwargs):
        return self.request(path, **kwargs)

    def csrf_token(self, path: str) -> str:
        status, body, _ = self.get(path)
        match = _CSRF.search(body.decode("utf-8", "replace"))
        return match.group(1) if match else ""

    def post(self, path: str, data: dict, form_page: str | None = None, files: dict | None = None):
        """POST a form; with `form_page`, first read the CSRF token from that page as a browser would."""
        if form_page:
            data = {"csrf_token": self.csrf_token(form_page), **data}
        return self.request(path, data=data, files=files)

    def log_in(self, email: str, password: str, csrf: bool = True):
        return self.post("/accounts/login", {"email": email, "password": password},
                         form_page="/accounts/login" if csrf else None)


def _multipart(fields: dict, files: dict) -> tuple[bytes, str]:
    boundary = f"----market{time.time_ns()}"
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, content) in files.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                     f'Content-Type: application/octet-stream\r\n\r\n'.encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"
