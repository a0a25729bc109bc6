"""Sending xAPI statements to a Learning Record Store, with the standard library's HTTP.

Statements go in batches (`POST …/statements`, xAPI 1.0.3). What the LRS answers decides what
becomes of them:

- 200 or 204: stored. 409 (a statement with that id is already there) counts as stored too:
  ids are made from the act, so the LRS has this one already.
- 400, 413 or 422: the LRS will not take the batch. It is split in halves until the statement
  it refuses is found; that one is set aside with the LRS's reason, the others go on.
- anything else (wrong credentials, no LRS at that address, the LRS down or unreachable, a TLS
  error, a timeout): a fault. Nothing is lost: the statements stay queued, and the fault is
  said in one line.

`deliver` does this for any list of statements (the instructor's `ivstem report --lrs`);
`sync_outbox` for the progress store's outbox (`ivstem progress sync`, and the background
sender of `course.record.lrs.background`).
"""

from __future__ import annotations

import json
import socket
import ssl
import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from course import __version__
from course.record.lrs.config import LrsConfig
from course.record.progress import ProgressStore
from course.record.xapi import XAPI_VERSION

#: Statements posted at once: small enough for any LRS's request limit.
BATCH = 50
#: Seconds to wait for the LRS to answer one batch.
TIMEOUT = 10.0
#: Longest reason kept from an LRS's answer.
_REASON_CHARS = 300


class Item(NamedTuple):
    """A statement to send: a key of the caller's (a row of the outbox, a list index) and its
    JSON text."""

    key: int
    text: str


class Stored(NamedTuple):
    """The LRS has the batch; `new` of them it did not have before (when it says)."""

    new: int


class Refused(NamedTuple):
    """The LRS will not take the batch, for `reason`."""

    reason: str


class Fault(NamedTuple):
    """The batch could not be delivered: `line` says why, fit to show as it is."""

    line: str


Reply = Stored | Refused | Fault


@dataclass
class Delivery:
    """What became of the statements handed to `deliver`."""

    sent: int = 0  # the LRS has them (new, or already there)
    new: int = 0  # of those, the ones the LRS said it stored now
    refused: list[tuple[int, str]] = field(default_factory=list)  # (key, reason)
    fault: str | None = None  # why the rest was not sent; None when nothing stopped it


def post(config: LrsConfig, texts: Sequence[str], *, timeout: float = TIMEOUT) -> Reply:
    """POST statements (JSON texts) as one batch; what the LRS answered, or the fault."""
    body = ("[" + ",".join(texts) + "]").encode("utf-8")
    request = urllib.request.Request(config.statements_url, data=body, method="POST")
    request.add_header("Content-Type", "application/json")
    request.add_header("X-Experience-API-Version", XAPI_VERSION)
    request.add_header("User-Agent", f"ivstem/{__version__}")
    if config.authorization:
        request.add_header("Authorization", config.authorization)
    where = f"the LRS at {config.host}"
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            answer = response.read()
            return Stored(_new_count(answer, len(texts)) if response.status == 200 else 0)
    except urllib.error.HTTPError as exc:
        with exc:
            detail = _reason(exc.read())
        return _http_reply(exc.code, detail, where, config)
    except urllib.error.URLError as exc:
        return Fault(_network_line(exc.reason, where))
    except TimeoutError:
        return Fault(f"{where} did not answer within {timeout:g} seconds; the statements stay"
                     " queued.")
    except (OSError, ssl.SSLError) as exc:
        return Fault(_network_line(exc, where))


def deliver(config: LrsConfig, items: Sequence[Item], *,
            on_stored: Callable[[Sequence[int]], None] | None = None,
            on_refused: Callable[[int, str], None] | None = None,
            stop: threading.Event | None = None, timeout: float = TIMEOUT) -> Delivery:
    """Send `items` in batches; find and set aside any the LRS refuses; stop at a fault.

    `on_stored` is told the keys the LRS has, batch by batch, and `on_refused` each key it
    refused with the reason, as soon as they are known: what was told stays true even if the
    program dies the next moment.
    """
    delivery = Delivery()

    def send(batch: Sequence[Item]) -> None:
        reply = post(config, [item.text for item in batch], timeout=timeout)
        if isinstance(reply, Stored):
            if on_stored is not None:
                on_stored([item.key for item in batch])
            delivery.sent += len(batch)
            delivery.new += reply.new
        elif isinstance(reply, Fault):
            delivery.fault = reply.line
        elif len(batch) == 1:
            if on_refused is not None:
                on_refused(batch[0].key, reply.reason)
            delivery.refused.append((batch[0].key, reply.reason))
        else:
            middle = len(batch) // 2
            for half in (batch[:middle], batch[middle:]):
                send(half)
                if delivery.fault is not None:
                    return

    for start in range(0, len(items), BATCH):
        if stop is not None and stop.is_set():
            break
        send(items[start:start + BATCH])
        if delivery.fault is not None:
            break
    return delivery


@dataclass
class SyncResult:
    """What a round of sending the outbox did, and what is left in it."""

    sent: int
    new: int
    refused: list[str]  # the reasons of the statements refused in this round
    fault: str | None
    waiting: int  # still queued
    set_aside: int  # refused, this round or before


def sync_outbox(store: ProgressStore, config: LrsConfig, *,
                stop: threading.Event | None = None, timeout: float = TIMEOUT) -> SyncResult:
    """Send everything queued in the store's outbox, batch by batch, until it is empty or a
    fault stops it. Each batch leaves the outbox as soon as the LRS has it."""
    sent = new = 0
    refused: list[str] = []
    fault = None
    while stop is None or not stop.is_set():
        queued = store.queued_statements(BATCH)
        if not queued:
            break
        delivery = deliver(config, [Item(q.row, q.statement_json) for q in queued],
                           on_stored=store.statements_sent, on_refused=store.statement_refused,
                           stop=stop, timeout=timeout)
        sent, new = sent + delivery.sent, new + delivery.new
        refused += [reason for _, reason in delivery.refused]
        if delivery.fault is not None:
            fault = delivery.fault
            done = {row for row, _ in delivery.refused}
            store.statements_not_sent([q.row for q in queued if q.row not in done], fault)
            break
    status = store.outbox_status()
    return SyncResult(sent, new, refused, fault, status.waiting, status.refused)


# -- reading the LRS's answers ----------------------------------------------------------------


def _http_reply(code: int, detail: str, where: str, config: LrsConfig) -> Reply:
    if code == 409:
        return Stored(0)
    if code in (400, 413, 422):
        return Refused(f"HTTP {code}: {detail}" if detail else f"HTTP {code}")
    said = f" ({detail})" if detail else ""
    if code in (401, 403):
        fix = ("check the user and password in IVSTEM_LRS_AUTH or the LRS config file"
               if config.authorization else "set IVSTEM_LRS_AUTH to user:password")
        return Fault(f"{where} refused the credentials (HTTP {code}){said}: {fix}.")
    if code in (404, 405):
        return Fault(f"{where} has no xAPI statements at {config.statements_url} (HTTP {code}):"
                     " check the address; it usually ends in /xAPI/.")
    if code == 429 or code >= 500:
        return Fault(f"{where} is not taking statements now (HTTP {code}){said}; they stay"
                     " queued and are sent later.")
    return Fault(f"{where} answered HTTP {code}{said}; the statements stay queued.")


def _reason(body: bytes) -> str:
    """The LRS's reason, from its answer (`{"detail": …}` for Ralph), short and on one line."""
    text = body.decode("utf-8", "replace").strip()
    try:
        data: Any = json.loads(text)
    except ValueError:
        data = text
    if isinstance(data, dict):
        data = data.get("detail", data.get("message", data.get("error", data)))
    if isinstance(data, list):
        parts = []
        for entry in data:
            if isinstance(entry, dict) and "msg" in entry:
                loc = ".".join(str(p) for p in entry.get("loc", ()) if p != "body")
                parts.append(f"{loc}: {entry['msg']}" if loc else str(entry["msg"]))
            else:
                parts.append(str(entry))
        data = "; ".join(parts)
    line = " ".join(str(data).split())
    return line if len(line) <= _REASON_CHARS else line[: _REASON_CHARS - 1] + "…"


def _new_count(body: bytes, sent: int) -> int:
    """How many statements the LRS says it stored (the ids it returns); all when unsaid."""
    try:
        ids = json.loads(body)
    except ValueError:
        return sent
    return len(ids) if isinstance(ids, list) else sent


def _network_line(reason: object, where: str) -> str:
    tail = "; the statements stay queued."
    if isinstance(reason, ssl.SSLCertVerificationError):
        return (f"TLS error with {where}: its certificate is not trusted"
                f" ({reason.verify_message}){tail}")
    if isinstance(reason, ssl.SSLError):
        return f"TLS error with {where}: {reason.reason or reason}{tail}"
    if isinstance(reason, ConnectionRefusedError):
        return f"cannot reach {where}: the connection was refused (is the LRS running?){tail}"
    if isinstance(reason, socket.gaierror):
        return f"cannot reach {where}: the host name is not known{tail}"
    if isinstance(reason, TimeoutError):
        return f"{where} did not answer in time{tail}"
    if isinstance(reason, OSError):
        return f"cannot reach {where}: {reason.strerror or reason}{tail}"
    return f"cannot reach {where}: {reason}{tail}"
