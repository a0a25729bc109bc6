"""What a session's writes came to: which were lost, and whether saving works now.

Both front ends run every write of the study layer through a `SaveTally`, so they tell the
learner the same things at the same moments: each lost answer, the first of other lost writes,
that saving works again once a write succeeds after failures (a lock released, space freed),
and at the end exactly what was not kept, rather than "nothing was saved" when only one write
of many was lost.
"""

from __future__ import annotations

from course.record.progress import StoreError

#: What is said at the end when the store lives only in memory.
NOTHING_KEPT = "Your progress was NOT saved in this session."

#: Told at the first write that succeeds after one that failed.
SAVING_AGAIN = "Saving works again: what you do from now on is saved."


class SaveTally:
    """Counts the writes of one session that failed, and says what to tell about each.

    `persistent` is false for a store in memory: then nothing is ever kept, whatever the
    writes do.
    """

    def __init__(self, persistent: bool) -> None:
        self.persistent = persistent
        self.lost_answers = 0
        self.lost_changes = 0
        self.failing = False  # the last write failed

    @property
    def saving(self) -> bool:
        """True while writes are being kept: a store on disk whose last write succeeded."""
        return self.persistent and not self.failing

    @property
    def lost(self) -> int:
        """How many writes of the session failed."""
        return self.lost_answers + self.lost_changes

    def failed(self, error: StoreError, *, answer: bool = False) -> str | None:
        """Count a write that failed; the words to show now, or None when a learner already
        told that saving fails need not hear it again (only each lost answer is told)."""
        tell = answer or not self.failing
        self.failing = True
        if answer:
            self.lost_answers += 1
        else:
            self.lost_changes += 1
        if not tell:
            return None
        what = ("This answer was NOT saved." if answer
                else "Your progress is NOT being saved while this lasts.")
        return f"{error} {what}"

    def succeeded(self) -> str | None:
        """Note a write that was kept; the words to show when it is the first after failures."""
        if not self.failing:
            return None
        self.failing = False
        return SAVING_AGAIN

    def lost_words(self) -> str:
        """What was lost, counted: `1 answer and 2 other changes`; empty when nothing was."""
        parts = []
        if self.lost_answers:
            parts.append(_plural(self.lost_answers, "answer"))
        if self.lost_changes:
            other = "other change" if self.lost_answers else "change"
            parts.append(_plural(self.lost_changes, other))
        return " and ".join(parts)

    def closing(self, kept: str) -> str:
        """The session's last words about the record; `kept` is what to say when all of it
        was saved (each front end names its own way to continue)."""
        if not self.persistent:
            return NOTHING_KEPT
        if not self.lost:
            return kept
        return (f"Your progress is saved, except {self.lost_words()} that could not be saved"
                " when you made them (you were told each time).")


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"
