"""Sending learning records, and every way it can fail: one clear line, nothing lost.

A small stand-in LRS on 127.0.0.1 answers as told (wrong credentials, a refused statement, a
conflict, an error), so that each fault can be met on purpose; tests/test_lrs_ralph.py meets a
real LRS.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from course.record.lrs.background import MAX_BACKOFF, BackgroundSender, backoff
from course.record.lrs.config import load_config
from course.record.lrs.sending import BATCH, sync_outbox
from course.record.progress import ProgressStore
from tui.cli import main

Answerer = Callable[[list[dict[str, Any]]], tuple[int, Any]]


class FakeLRS:
    """An LRS that answers each POST with `answer(statements)` and keeps what it stored."""

    def __init__(self) -> None:
        self.stored: dict[str, dict[str, Any]] = {}
        self.posts: list[list[dict[str, Any]]] = []
        self.headers: list[dict[str, str]] = []
        self.answer: Answerer = self.store
        lrs = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                lrs.posts.append(body)
                lrs.headers.append({k.lower(): v for k, v in self.headers.items()})
                status, reply = lrs.answer(body)
                data = b"" if reply is None else json.dumps(reply).encode()
                self.send_response(status)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/xAPI/"

    def store(self, statements: list[dict[str, Any]]) -> tuple[int, Any]:
        """Ralph's way: store the new ones, return their ids (204 when none is new)."""
        new = [s["id"] for s in statements if s["id"] not in self.stored]
        for statement in statements:
            self.stored.setdefault(statement["id"], statement)
        return (200, new) if new else (204, None)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def lrs() -> Iterator[FakeLRS]:
    server = FakeLRS()
    yield server
    server.close()


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


class Maker:
    """Statements as small as xAPI allows, one per act, with ids from the record."""

    def _statement(self, learner: str, ident: str) -> dict[str, Any]:
        return {"id": ident, "actor": {"name": learner, "account": {
                    "homePage": "urn:ivstem", "name": learner}},
                "verb": {"id": "http://adlnet.gov/expapi/verbs/answered"},
                "object": {"id": "urn:ivstem:c:question:q"}}

    def answered(self, learner: str, answer: Any) -> dict[str, Any]:
        import uuid

        return self._statement(learner, str(uuid.uuid5(uuid.NAMESPACE_URL, answer.uid)))

    def completed(self, learner: str, module_id: str, lesson_id: str,
                  at: datetime) -> dict[str, Any]:
        raise NotImplementedError

    def finished(self, learner: str, attempt: Any) -> dict[str, Any]:
        raise NotImplementedError


def store_with(tmp_path: Path, answers: int) -> ProgressStore:
    store = ProgressStore.open(tmp_path / "data", clock=Clock())
    for _ in range(answers):
        store.record_answer("ana", "c", "q", "check", '{"kind":"bool","value":true}', 1.0, 1.0,
                            0, module_id="m", lesson_id="l", xapi=Maker())
    return store


def config_for(url: str, auth: str = "lab:secret") -> Any:
    config = load_config({"IVSTEM_LRS_URL": url, "IVSTEM_LRS_AUTH": auth})
    assert config is not None
    return config


# -- what the LRS answers ---------------------------------------------------------------------


def test_statements_are_posted_in_batches_with_the_xapi_headers_and_leave_the_outbox(
        lrs: FakeLRS, tmp_path: Path) -> None:
    with store_with(tmp_path, BATCH + 3) as store:
        result = sync_outbox(store, config_for(lrs.url))
        assert (result.sent, result.new, result.waiting, result.fault) == (BATCH + 3,
                                                                          BATCH + 3, 0, None)
        assert store.outbox_status().waiting == 0
    assert [len(post) for post in lrs.posts] == [BATCH, 3]
    headers = lrs.headers[0]
    assert headers["x-experience-api-version"] == "1.0.3"
    assert headers["authorization"] == "Basic bGFiOnNlY3JldA=="  # lab:secret
    assert headers["content-type"] == "application/json"


def test_a_conflict_counts_as_sent(lrs: FakeLRS, tmp_path: Path) -> None:
    lrs.answer = lambda statements: (409, {"detail": "Differing statements already exist"})
    with store_with(tmp_path, 2) as store:
        result = sync_outbox(store, config_for(lrs.url))
        assert (result.sent, result.waiting, result.fault) == (2, 0, None)


def test_a_statement_the_lrs_refuses_is_set_aside_with_its_reason_and_the_rest_go(
        lrs: FakeLRS, tmp_path: Path) -> None:
    with store_with(tmp_path, 5) as store:
        bad = store.queued_statements(5)[2].statement_id

        def refuse_one(statements: list[dict[str, Any]]) -> tuple[int, Any]:
            if any(s["id"] == bad for s in statements):
                return 400, {"detail": [{"loc": ["body", 0, "actor"], "msg": "bad actor"}]}
            return lrs.store(statements)

        lrs.answer = refuse_one
        result = sync_outbox(store, config_for(lrs.url))
        assert (result.sent, result.waiting, result.set_aside) == (4, 0, 1)
        assert result.refused == ["HTTP 400: 0.actor: bad actor"]
        assert store.refused_statements() == [(bad, "HTTP 400: 0.actor: bad actor")]
        assert bad not in lrs.stored and len(lrs.stored) == 4
        # Once mended, the refused statement can be sent again: nothing was dropped.
        lrs.answer = lrs.store
        assert store.retry_refused() == 1
        assert sync_outbox(store, config_for(lrs.url)).sent == 1
        assert bad in lrs.stored


@pytest.mark.parametrize(("status", "words"), [
    (401, "refused the credentials (HTTP 401)"),
    (403, "refused the credentials (HTTP 403)"),
    (404, "has no xAPI statements at"),
    (500, "is not taking statements now (HTTP 500)"),
    (503, "is not taking statements now (HTTP 503)"),
])
def test_a_fault_is_one_line_and_every_statement_stays_queued(
        lrs: FakeLRS, tmp_path: Path, status: int, words: str) -> None:
    lrs.answer = lambda statements: (status, {"detail": "no"})
    with store_with(tmp_path, 3) as store:
        result = sync_outbox(store, config_for(lrs.url, "lab:hunter2"))
        assert result.fault is not None and words in result.fault
        assert "\n" not in result.fault and "hunter2" not in result.fault
        assert (result.sent, result.waiting, result.set_aside) == (0, 3, 0)
        assert store.outbox_status().last_error == result.fault


def test_an_lrs_that_cannot_be_reached_keeps_the_statements_queued(tmp_path: Path) -> None:
    from tests.ralph_lrs import free_port

    with store_with(tmp_path, 2) as store:
        result = sync_outbox(store, config_for(f"http://127.0.0.1:{free_port()}/xAPI/"))
        assert result.fault is not None and "the connection was refused" in result.fault
        assert result.waiting == 2


def test_a_tls_error_is_said_as_such(lrs: FakeLRS, tmp_path: Path) -> None:
    with store_with(tmp_path, 1) as store:
        result = sync_outbox(store, config_for(lrs.url.replace("http:", "https:")))
        assert result.fault is not None and result.fault.startswith("TLS error with the LRS")
        assert result.waiting == 1


def test_an_lrs_that_does_not_answer_in_time_is_a_fault(tmp_path: Path) -> None:
    import socket

    with socket.socket() as silent, store_with(tmp_path, 1) as store:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/xAPI/"
        result = sync_outbox(store, config_for(url), timeout=0.5)
        assert result.fault is not None and "did not answer" in result.fault
        assert result.waiting == 1


# -- the background sender --------------------------------------------------------------------


def test_the_wait_after_a_fault_doubles_up_to_five_minutes() -> None:
    assert [backoff(n) for n in (1, 2, 3, 4)] == [2, 4, 8, 16]
    assert backoff(20) == MAX_BACKOFF == 300


def test_the_background_sender_sends_what_was_queued_before_and_each_new_act(
        lrs: FakeLRS, tmp_path: Path) -> None:
    import time

    with store_with(tmp_path, 2) as store:
        sender = BackgroundSender(store, config_for(lrs.url))
        sender.start()
        store.record_answer("ana", "c", "q", "check", '{"kind":"bool","value":true}', 1.0,
                            1.0, 0, xapi=Maker())
        sender.wake()
        deadline = time.monotonic() + 10
        while len(lrs.stored) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        sender.stop()
        assert len(lrs.stored) == 3 and not sender.running
        assert store.outbox_status().waiting == 0


def test_stopping_a_sender_whose_lrs_is_down_does_not_wait(tmp_path: Path) -> None:
    import time

    from tests.ralph_lrs import free_port

    with store_with(tmp_path, 1) as store:
        sender = BackgroundSender(store, config_for(f"http://127.0.0.1:{free_port()}/x/"))
        sender.start()
        deadline = time.monotonic() + 10
        while sender.last is None and time.monotonic() < deadline:
            time.sleep(0.05)
        began = time.monotonic()
        sender.stop()
        assert time.monotonic() - began < 1.5
        assert store.outbox_status().waiting == 1


# -- the commands -----------------------------------------------------------------------------


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        status = main(list(args))
    except SystemExit as exc:
        status = int(exc.code or 0)
    out, err = capsys.readouterr()
    return status, out, err


def test_progress_sync_says_what_was_sent_queued_and_refused(
        lrs: FakeLRS, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    store_with(tmp_path, 3).close()
    bad: list[str] = []

    def refuse_first(statements: list[dict[str, Any]]) -> tuple[int, Any]:
        if not bad:
            bad.append(statements[0]["id"])
        if any(s["id"] in bad for s in statements):
            return 400, {"detail": "The actor is not valid"}
        return lrs.store(statements)

    lrs.answer = refuse_first
    monkeypatch.setenv("IVSTEM_LRS_URL", lrs.url)
    monkeypatch.setenv("IVSTEM_LRS_AUTH", "lab:secret")
    status, out, err = run(capsys, "--data-dir", str(tmp_path / "data"), "progress", "sync")
    assert status == 1
    host = lrs.url.split("/")[2]
    assert f"Learning records: 2 sent to the LRS at {host} (2 new there), 0 still queued," \
           " 1 refused." in out
    assert "refused: 1 record: HTTP 400: The actor is not valid" in out
    assert "--retry-refused" in out and err == ""
    lrs.answer = lrs.store
    status, out, _ = run(capsys, "--data-dir", str(tmp_path / "data"), "progress", "sync",
                         "--retry-refused")
    assert status == 0
    assert "Put 1 refused learning record back in the queue." in out
    assert "1 sent" in out and "0 still queued, 0 refused." in out


def test_progress_sync_with_the_lrs_down_says_why_in_one_line_and_keeps_them(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.ralph_lrs import free_port

    store_with(tmp_path, 2).close()
    monkeypatch.setenv("IVSTEM_LRS_URL", f"http://127.0.0.1:{free_port()}/xAPI/")
    monkeypatch.setenv("IVSTEM_LRS_AUTH", "lab:secret")
    status, out, err = run(capsys, "--data-dir", str(tmp_path / "data"), "progress", "sync")
    assert status == 1
    assert "0 sent" in out and "2 still queued, 0 refused." in out
    assert err.count("\n") == 1 and "the connection was refused" in err
    assert "secret" not in out + err


def test_progress_sync_without_an_lrs_says_how_to_set_one(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "--data-dir", str(tmp_path / "data"), "progress", "sync")
    assert status == 1 and out == ""
    assert "no Learning Record Store is set. Set IVSTEM_LRS_URL and IVSTEM_LRS_AUTH" in err
    assert "lrs.toml" in err


def test_progress_sync_with_credentials_that_cannot_be_used_does_not_repeat_them(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IVSTEM_LRS_URL", "http://127.0.0.1:9/xAPI/")
    monkeypatch.setenv("IVSTEM_LRS_AUTH", "just-a-password")
    status, _, err = run(capsys, "--data-dir", str(tmp_path / "data"), "progress", "sync")
    assert status == 1
    assert "IVSTEM_LRS_AUTH must be user:password" in err and "just-a-password" not in err


def test_progress_show_says_when_learning_records_wait(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store_with(tmp_path, 2).close()
    status, out, _ = run(capsys, "--data-dir", str(tmp_path / "data"), "--learner", "ana",
                         "progress")
    assert status == 0
    assert "Learning records for the lab's LRS: 2 waiting to be sent, 0 refused" in out


def test_report_needs_somewhere_to_go_and_a_usable_lrs_address(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "report", str(tmp_path))
    assert status == 2 and "-o OUT, or --lrs URL" in err
    status, _, err = run(capsys, "report", str(tmp_path), "--lrs", "ftp://lrs.example.edu")
    assert status == 2 and "must start with https:// or http://" in err
    status, _, err = run(capsys, "report", str(tmp_path), "--lrs",
                         "https://lab:pw123@lrs.example.edu/xAPI/")
    assert status == 2 and "holds credentials" in err and "pw123" not in err
