"""The outbox: xAPI statements waiting to be sent to a Learning Record Store.

A statement is written here by the same transaction that keeps the act it records (an answer, a
completed lesson, a finished quiz: see `course.record.progress.record`), so whatever happens
next (the program killed, the network down, the LRS refusing) it is on disk until the LRS has
it. The store only keeps them: `course.record.lrs` sends them and says here what became of each.

A statement leaves the outbox when the LRS has taken it. One the LRS refuses (it finds it
invalid) is set aside with the reason, never dropped, until `retry_refused` puts it back.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from course.record.progress.opening import StoreBase

#: Longest reason or error kept with a statement (an LRS may answer with a whole page).
MAX_REASON = 500


class Queued(NamedTuple):
    """A statement in the outbox: its row, its xAPI id and its JSON text."""

    row: int
    statement_id: str
    statement_json: str


class OutboxStatus(NamedTuple):
    """How many statements wait to be sent, how many were refused, and the last error met."""

    waiting: int
    refused: int
    last_error: str | None


def queue_statement(db: sqlite3.Connection, learner_id: int, statement: Mapping[str, Any],
                    now: str) -> None:
    """Put a statement in the outbox, inside the caller's transaction.

    A statement whose id is already there is not queued twice: it records the same act.
    """
    db.execute(
        "INSERT OR IGNORE INTO xapi_outbox (statement_id, learner_id, statement_json, queued_at)"
        " VALUES (?, ?, ?, ?)",
        (str(statement["id"]), learner_id,
         json.dumps(statement, ensure_ascii=False, separators=(",", ":")), now),
    )


def stored_name(db: sqlite3.Connection, learner_id: int) -> str:
    """The learner's name as the profile spells it (a learner may type it in another case)."""
    row = db.execute("SELECT name FROM learner WHERE id = ?", (learner_id,)).fetchone()
    return str(row[0])


class Outbox(StoreBase):
    """The statements waiting for a Learning Record Store, for every learner of this store."""

    def queued_statements(self, limit: int) -> list[Queued]:
        """Up to `limit` statements waiting to be sent (not refused), oldest first."""
        with self._reading() as db:
            rows = db.execute(
                "SELECT id, statement_id, statement_json FROM xapi_outbox"
                " WHERE refused IS NULL ORDER BY id LIMIT ?", (int(limit),)).fetchall()
        return [Queued(*row) for row in rows]

    def statements_sent(self, rows: Sequence[int]) -> None:
        """The LRS has these statements: they leave the outbox."""
        with self._writing() as db:
            db.executemany("DELETE FROM xapi_outbox WHERE id = ?", [(row,) for row in rows])

    def statement_refused(self, row: int, reason: str) -> None:
        """The LRS refused this statement: set it aside with the reason."""
        with self._writing() as db:
            db.execute("UPDATE xapi_outbox SET refused = ?, tries = tries + 1 WHERE id = ?",
                       (reason[:MAX_REASON] or "refused", row))

    def statements_not_sent(self, rows: Sequence[int], error: str) -> None:
        """An attempt to send these failed (the LRS unreachable, say): they stay, with why."""
        with self._writing() as db:
            db.executemany(
                "UPDATE xapi_outbox SET tries = tries + 1, last_error = ? WHERE id = ?",
                [(error[:MAX_REASON], row) for row in rows])

    def outbox_status(self) -> OutboxStatus:
        """How many statements wait, how many were refused, and the newest error met."""
        with self._reading() as db:
            waiting, refused = db.execute(
                "SELECT count(*) FILTER (WHERE refused IS NULL),"
                " count(*) FILTER (WHERE refused IS NOT NULL) FROM xapi_outbox").fetchone()
            row = db.execute(
                "SELECT last_error FROM xapi_outbox WHERE refused IS NULL"
                " AND last_error IS NOT NULL ORDER BY id LIMIT 1").fetchone()
        return OutboxStatus(int(waiting), int(refused), None if row is None else str(row[0]))

    def refused_statements(self) -> list[tuple[str, str]]:
        """(statement id, reason) of every statement the LRS refused, oldest first."""
        with self._reading() as db:
            rows = db.execute(
                "SELECT statement_id, refused FROM xapi_outbox WHERE refused IS NOT NULL"
                " ORDER BY id").fetchall()
        return [(str(ident), str(reason)) for ident, reason in rows]

    def retry_refused(self) -> int:
        """Put every refused statement back in the queue (the LRS was mended); return how many."""
        with self._writing() as db:
            cursor = db.execute(
                "UPDATE xapi_outbox SET refused = NULL WHERE refused IS NOT NULL")
        return cursor.rowcount
