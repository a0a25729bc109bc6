"""A real Learning Record Store for the tests: Ralph (`ralph runserver -b fs`) on 127.0.0.1.

`RalphLRS` makes a credentials file with `ralph auth ... -w`, starts the server on a free port
with its statements in a folder of the test's, waits until it answers, and stops it (its
whole process group: uvicorn's reloader runs the server in a child). `statements()` reads back
what it stores, through its xAPI API; `stored_lines()` counts the lines of its store file, the
plainest proof of how many statements it holds.

Ralph 5.1.0's `fs` backend writes each POST as if creating its one file (operation `create`),
so it stores the first batch and answers HTTP 500 to every later one ("already exists and
overwrite is not allowed"). A real lab's Ralph stores in Elasticsearch, MongoDB or ClickHouse;
here a `sitecustomize` module, on the server's path only, makes the file backend append
instead. Nothing else of Ralph is changed: its API, its validation and its duplicate checks are
its own.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

USER, PASSWORD = "lab", "lab-secret"



def _ralph() -> str:
    """Ralph's command, installed beside this Python by the `test` extra (the README's test
    command runs .venv/bin/pytest without putting .venv/bin on PATH)."""
    beside = Path(sys.executable).parent / "ralph"
    return str(beside) if beside.exists() else shutil.which("ralph") or "ralph"


RALPH = _ralph()

_APPEND = '''\
"""Ralph's file backend appends each POST (see tests/ralph_lrs.py)."""
from ralph.backends.data.base import BaseOperationType
from ralph.backends.data.fs import FSDataBackend

FSDataBackend.default_operation_type = BaseOperationType.APPEND
'''


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class RalphLRS:
    """One Ralph server and its folder; `start()`, `stop()`, and start again on the same port."""

    def __init__(self, folder: Path, port: int | None = None) -> None:
        self.folder = folder
        self.port = port or free_port()
        self.data = folder / "statements"
        self.log = folder / "ralph.log"
        self.process: subprocess.Popen[bytes] | None = None
        shim = folder / "shim"
        shim.mkdir(parents=True, exist_ok=True)
        (shim / "sitecustomize.py").write_text(_APPEND, encoding="utf-8")
        self.env = {
            **os.environ,
            "RALPH_APP_DIR": str(folder / "app"),
            "RALPH_AUTH_FILE": str(folder / "auth.json"),
            "RALPH_RUNSERVER_BACKEND": "fs",
            "RALPH_RUNSERVER_MAX_SEARCH_HITS_COUNT": "1000",
            "PYTHONPATH": str(shim),
        }
        subprocess.run(
            [RALPH, "auth", "-u", USER, "-p", PASSWORD, "-s", "all",
             "-M", "mailto:lab@example.org", "-w"],
            env=self.env, cwd=folder, check=True, capture_output=True, timeout=60)

    @property
    def url(self) -> str:
        """The xAPI address, as a lab administrator gives it to ivstem."""
        return f"http://127.0.0.1:{self.port}/xAPI/"

    @property
    def auth(self) -> str:
        """The credentials, as IVSTEM_LRS_AUTH takes them."""
        return f"{USER}:{PASSWORD}"

    def start(self, timeout: float = 60.0) -> None:
        """Start the server and wait until it answers."""
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [RALPH, "runserver", "-b", "fs", "-h", "127.0.0.1", "-p", str(self.port),
                 "--fs-default-directory-path", str(self.data)],
                env=self.env, cwd=self.folder / "shim", stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"ralph stopped at start:\n{self.log.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(
                        f"http://127.0.0.1:{self.port}/__heartbeat__", timeout=2) as reply:
                    if reply.status == 200:
                        return
            except (OSError, urllib.error.URLError):
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"ralph did not answer within {timeout} s:\n"
                           f"{self.log.read_text()[-3000:]}")

    def stop(self) -> None:
        """Stop the server and everything it started."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=15)
        # The reloader's child may outlive its parent for a moment.
        for _ in range(50):
            try:
                os.killpg(process.pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.1)
        os.killpg(process.pid, signal.SIGKILL)

    def statements(self, **query: str) -> list[dict[str, Any]]:
        """Every statement the LRS stores (filtered by xAPI query parameters), through its API."""
        token = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
        found: list[dict[str, Any]] = []
        params = "&".join(f"{key}={value}" for key, value in {"limit": "1000", **query}.items())
        address = f"http://127.0.0.1:{self.port}/xAPI/statements?{params}"
        while address:
            request = urllib.request.Request(address, headers={
                "Authorization": f"Basic {token}", "X-Experience-API-Version": "1.0.3"})
            with urllib.request.urlopen(request, timeout=10) as reply:
                page = json.loads(reply.read())
            found.extend(page["statements"])
            more = page.get("more")
            address = f"http://127.0.0.1:{self.port}{more}" if more else ""
        return found

    def stored_lines(self) -> int:
        """How many statements the store file holds."""
        path = self.data / "fs_lrs.jsonl"
        if not path.exists():
            return 0
        return sum(1 for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
