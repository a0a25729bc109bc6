"""Every bench in tests/bench still runs: once each, tiny, as a person would start it.

The benches are run on demand and print figures, never pass or fail on time; a bench that
nobody ran for a while can break unnoticed (one once crashed on Python 3.11). This runs each
with `--tiny` (see tests/bench/tiny.py), a few seconds' worth, and checks only that it finished
and printed its figures; the figures of a tiny run mean nothing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

BENCHES = Path(__file__).parent / "bench"
REPO = Path(__file__).parent.parent


def test_there_are_benches_to_run() -> None:
    assert len(sorted(BENCHES.glob("bench_*.py"))) >= 6


@pytest.mark.parametrize("bench", sorted(p.name for p in BENCHES.glob("bench_*.py")))
def test_the_bench_runs_tiny_and_prints_its_figures(bench: str, tmp_path: Path) -> None:
    if bench == "bench_instructions.py" and not (shutil.which("valgrind")
                                                 and shutil.which("script")):
        pytest.skip("this bench counts instructions with valgrind, which is not installed")
    env = {**os.environ, "IVSTEM_BENCH_TINY": "1",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO),
                                                       os.environ.get("PYTHONPATH")]))}
    result = subprocess.run([sys.executable, str(BENCHES / bench), "--tiny"], cwd=tmp_path,
                            env=env, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout.strip(), "a bench prints its figures"
