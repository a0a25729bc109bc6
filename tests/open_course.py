"""An open-gated copy of the shipped course, as a learner who skips about meets it."""

from __future__ import annotations

import shutil
from pathlib import Path

from course.paths import shipped_course_dir


def open_copy(folder: Path, *, quiz_after_lessons: bool | None = None) -> Path:
    """A copy of the shipped course with every module open (and, if given, the quiz rule)."""
    target = folder / "open-course"
    shutil.copytree(shipped_course_dir(), target)
    manifest = target / "course.yaml"
    text = manifest.read_text(encoding="utf-8").replace("gating: sequential", "gating: open")
    if quiz_after_lessons is not None:
        text = text.replace("settings:\n", "settings:\n  quiz_after_lessons:"
                            f" {'true' if quiz_after_lessons else 'false'}\n")
    manifest.write_text(text, encoding="utf-8")
    return target
