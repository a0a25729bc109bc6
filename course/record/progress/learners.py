"""Learner profiles: their names, how a name is checked, and each learner's preferences.

Every record hangs from a learner's row, made on the learner's first write (`ensure_learner`), so
recording for a new name creates the profile. Names ignore ASCII case.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping

from course.record.progress.opening import StoreBase, StoreError
from course.record.progress.values import require_ids

MAX_LEARNER_NAME = 64
PREFERENCE_MAX_CHARS = 200


class LearnerNotFoundError(StoreError):
    """No learner profile has that name."""


class LearnerExistsError(StoreError):
    """A learner profile with that name already exists."""


class InvalidLearnerNameError(ValueError):
    """A learner name that is empty, too long, or has characters that cannot be shown."""


# -- learner names ----------------------------------------------------------------------------


def validate_learner_name(name: str) -> str:
    """Return `name` without surrounding spaces, or raise InvalidLearnerNameError saying why.

    Names are shown in tables and prompts, so they must be printable (no control characters that
    could drive the terminal) and short.
    """
    if not isinstance(name, str):
        raise InvalidLearnerNameError("a learner name must be text")
    cleaned = name.strip()
    if not cleaned:
        raise InvalidLearnerNameError("a learner name cannot be empty")
    if len(cleaned) > MAX_LEARNER_NAME:
        raise InvalidLearnerNameError(
            f"a learner name can have at most {MAX_LEARNER_NAME} characters"
            f" ({len(cleaned)} given)"
        )
    if not cleaned.isprintable():
        raise InvalidLearnerNameError(
            f"the learner name {cleaned!r} has characters that cannot be shown"
            " (tabs, new lines or control characters)"
        )
    return cleaned


def default_learner_name() -> str:
    """The profile used without --learner: the OS user name, or "learner" if it is unknown."""
    import getpass  # only without --learner: it brings in termios and pwd

    try:
        return validate_learner_name(getpass.getuser())
    except (OSError, KeyError, ImportError, InvalidLearnerNameError):
        # getuser() fails in containers and under some lab login systems with no passwd entry.
        return "learner"


# -- learner rows -------------------------------------------------------------------------------


def find_learner(db: sqlite3.Connection, name: str) -> int | None:
    """The row id of the learner with this (checked) name, or None when there is none."""
    row = db.execute("SELECT id FROM learner WHERE name = ?", (name,)).fetchone()
    return None if row is None else int(row[0])


def ensure_learner(db: sqlite3.Connection, name: str, now: str) -> int:
    """The row id of the learner with this (checked) name, made at `now` if there is none."""
    db.execute("INSERT OR IGNORE INTO learner (name, created_at) VALUES (?, ?)", (name, now))
    learner_id = find_learner(db, name)
    assert learner_id is not None
    return learner_id


# -- the profiles -------------------------------------------------------------------------------


class LearnerProfiles(StoreBase):
    """The learner profiles and their preferences."""

    def learners(self) -> list[str]:
        """The names of every learner profile, in alphabetical order."""
        with self._reading() as db:
            rows = db.execute("SELECT name FROM learner ORDER BY name COLLATE NOCASE").fetchall()
        return [name for (name,) in rows]

    def has_learner(self, name: str) -> bool:
        """Whether a profile called `name` exists (names ignore ASCII case)."""
        name = validate_learner_name(name)
        with self._reading() as db:
            return find_learner(db, name) is not None

    def learner_name(self, name: str) -> str | None:
        """The stored spelling of a learner's name (names ignore ASCII case), or None."""
        name = validate_learner_name(name)
        with self._reading() as db:
            row = db.execute("SELECT name FROM learner WHERE name = ?", (name,)).fetchone()
        return None if row is None else str(row[0])

    def add_learner(self, name: str) -> str:
        """Create a profile; raise LearnerExistsError if the name is taken. Returns the name."""
        name = validate_learner_name(name)
        with self._writing() as db:
            existing = db.execute("SELECT name FROM learner WHERE name = ?", (name,)).fetchone()
            if existing is not None:
                raise LearnerExistsError(f"A learner named {existing[0]!r} already exists.")
            db.execute(
                "INSERT INTO learner (name, created_at) VALUES (?, ?)", (name, self._stamp())
            )
        return name

    def rename_learner(self, old: str, new: str) -> str:
        """Rename a profile, keeping all its records; returns the new name.

        Changing only the case of a name is allowed; taking another profile's name is not.
        """
        old, new = validate_learner_name(old), validate_learner_name(new)
        with self._writing() as db:
            learner_id = find_learner(db, old)
            if learner_id is None:
                raise LearnerNotFoundError(f"There is no learner named {old!r};"
                                           " `ivstem learners` lists them.")
            clash = db.execute("SELECT id, name FROM learner WHERE name = ?", (new,)).fetchone()
            if clash is not None and clash[0] != learner_id:
                raise LearnerExistsError(f"A learner named {clash[1]!r} already exists.")
            db.execute("UPDATE learner SET name = ? WHERE id = ?", (new, learner_id))
        return new

    def remove_learner(self, name: str) -> None:
        """Delete a profile and every record it has."""
        name = validate_learner_name(name)
        with self._writing() as db:
            cursor = db.execute("DELETE FROM learner WHERE name = ?", (name,))
            if cursor.rowcount == 0:
                raise LearnerNotFoundError(f"There is no learner named {name!r};"
                                           " `ivstem learners` lists them.")

    # preferences ------------------------------------------------------------------------

    def preferences(self, learner: str) -> dict[str, str]:
        """The learner's preferences by name (empty for a learner with none, or no profile)."""
        learner = validate_learner_name(learner)
        with self._reading() as db:
            rows = db.execute(
                "SELECT p.name, p.value FROM preference p JOIN learner l ON l.id = p.learner_id"
                " WHERE l.name = ?",
                (learner,),
            ).fetchall()
        return {str(name): str(value) for name, value in rows}

    def set_preferences(self, learner: str, values: Mapping[str, str]) -> None:
        """Keep some of the learner's preferences (such as `theme`), replacing old values, in
        one transaction."""
        learner = validate_learner_name(learner)
        for name, value in values.items():
            require_ids(name=name)
            if not isinstance(value, str) or len(value) > PREFERENCE_MAX_CHARS:
                raise ValueError(f"the preference {name!r} must be text of at most"
                                 f" {PREFERENCE_MAX_CHARS} characters")
        with self._writing() as db:
            now = self._stamp()
            learner_id = ensure_learner(db, learner, now)
            db.executemany(
                "INSERT INTO preference (learner_id, name, value, updated_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (learner_id, name)"
                " DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
                [(learner_id, name, value, now) for name, value in values.items()],
            )
