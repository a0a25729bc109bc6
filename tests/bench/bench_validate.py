"""Benchmark: `ivstem validate` against a floor that only parses the same files, and keeps them.

Run on demand: `python tests/bench/bench_validate.py [--tiny]`. Prints figures and ratios; it is
not a pass/fail test.

The floor is a Python process that reads the files of the course (course.yaml and each file it
names) and parses each with libyaml's CSafeLoader, keeping what it parsed: no program can check
a course with less. Both are run as whole processes, as an author runs them, alternately so
that drift in machine load hits both alike; each figure is the median of the runs (time) or
their largest peak (memory: the maximum resident set size from /usr/bin/time).

Courses: the shipped one, and generated ones of 300 and 1,000 modules of 20 questions each.
Targets: the shipped course within 2.0x of the floor's time (a fixed cost of imports weighs
most there); 300 and 1,000 modules within 1.5x of its time and 3.0x of its peak memory; and
the memory a module adds (between 300 and 1,000) within 3.0x of what it adds to the floor, so
that validation stays flat per module. Also `ivstem --version`, which imports nothing of the
course, in milliseconds.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tiny import sized  # beside this file, as `python` runs it

QUESTIONS = 20
SIZES = (sized(300, 3), sized(1000, 10))
RUNS = sized(5, 1)

#: The targets: ratios to the floor.
SHIPPED_TIME, TIME, MEMORY = 2.0, 1.5, 3.0

FLOOR = """
import sys
from pathlib import Path

import yaml

root = Path(sys.argv[1])
manifest = yaml.load((root / "course.yaml").read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
named = [*manifest.get("modules", []), manifest.get("glossary"), manifest.get("references")]
kept = [manifest]
for relative in filter(None, named):
    kept.append(yaml.load((root / relative).read_text(encoding="utf-8"), Loader=yaml.CSafeLoader))
"""

IVSTEM = [sys.executable, "-c", "import sys; from tui.cli import main; sys.exit(main())"]


def question(module: int, number: int) -> str:
    qid = f"m{module}-q{number}"
    kind = number % 8
    head = f"    - id: {qid}\n      prompt: Question {number} of module {module}?\n" \
           f"      explanation: Because the lesson said so.\n      tags: [t{number % 5}]\n"
    body = [
        "      type: single\n      options:\n        - {text: Right, correct: true,"
        " feedback: Yes.}\n        - {text: Wrong, feedback: No.}\n        - {text: Also wrong,"
        " feedback: No.}\n",
        "      type: multiple\n      options:\n        - {text: A, correct: true}\n"
        "        - {text: B, correct: true}\n        - {text: C}\n",
        "      type: true_false\n      answer: true\n",
        "      type: short\n      accept: [IND, Investigational New Drug]\n",
        "      type: numeric\n      answer: 2024\n      tolerance: 0\n",
        "      type: order\n      items: [Phase I, Phase II, Phase III]\n",
        "      type: match\n      pairs:\n        - [Autologous, Own cells]\n"
        "        - [Allogeneic, Donor cells]\n",
        "      type: categorize\n      categories: [Approved, Unproven]\n      items:\n"
        "        - {text: HSCT, category: Approved}\n        - {text: IV MSCs for MS,"
        " category: Unproven}\n",
    ][kind]
    return head + body


def write_course(root: Path, modules: int) -> Path:
    """A valid course of `modules` generated modules in `root`."""
    (root / "modules").mkdir(parents=True)
    names = []
    for m in range(modules):
        path = root / "modules" / f"{m:04d}.yaml"
        lesson = (f"id: module-{m}\ntitle: Module {m}\nsummary: A generated module.\n"
                  "lessons:\n  - id: only\n    title: Only lesson\n    steps:\n"
                  "      - text: |\n          Some text for the lesson, in Markdown.\n"
                  "quiz:\n  questions:\n")
        path.write_text(lesson + "".join(question(m, q) for q in range(QUESTIONS)),
                        encoding="utf-8")
        names.append(path.name)
    listing = "".join(f"  - modules/{name}\n" for name in names)
    (root / "course.yaml").write_text(
        "format: 1\nid: bench\ntitle: Bench\nversion: '1'\nsummary: Generated.\n"
        f"settings:\n  gating: open\nmodules:\n{listing}", encoding="utf-8")
    return root


class Run:
    """One program's runs: wall times in seconds and peaks in KiB."""

    def __init__(self) -> None:
        self.times: list[float] = []
        self.peaks: list[int] = []

    @property
    def time(self) -> float:
        return statistics.median(self.times)

    @property
    def peak(self) -> int:
        return max(self.peaks)


def measure(command: list[str], into: Run, memory: Path, expect: int = 0) -> None:
    """Run `command` once under /usr/bin/time, adding its wall time and peak memory to `into`."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    start = time.perf_counter()
    done = subprocess.run(["/usr/bin/time", "-o", str(memory), "-f", "%M", *command],
                          capture_output=True, text=True, env=env)
    into.times.append(time.perf_counter() - start)
    if done.returncode != expect:
        raise RuntimeError(f"{command} exited with {done.returncode}:\n{done.stdout}{done.stderr}")
    into.peaks.append(int(memory.read_text().split()[-1]))


def compare(course: Path, memory: Path) -> tuple[Run, Run]:
    """The floor's and `ivstem validate`'s runs on `course`, alternated."""
    floor, validate = Run(), Run()
    commands = ((floor, [sys.executable, "-c", FLOOR, str(course)]),
                (validate, [*IVSTEM, "validate", str(course)]))
    for _, command in commands:  # once each first, to write bytecode
        measure(command, Run(), memory)
    for _ in range(RUNS):
        for into, command in commands:
            measure(command, into, memory)
    return floor, validate


def _line(what: str, ratio: float, target: float, more: str = "") -> None:
    """Print a ratio beside its target."""
    against = "within target" if ratio <= target else f"OVER the {target:.1f}x target"
    print(f"  {what + ':':28} {ratio:5.2f}x  {against}{more}")


def main() -> None:
    from course.paths import shipped_course_dir

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        memory = folder / "memory.txt"
        courses = {"the shipped course": shipped_course_dir()}
        for size in SIZES:
            courses[f"{size} modules"] = write_course(folder / f"c{size}", size)
        results = {name: compare(course, memory) for name, course in courses.items()}
        version = Run()
        for _ in range(sized(15, 1)):
            measure([*IVSTEM, "--version"], version, memory)

    print(f"ivstem validate against libyaml's parse of the same files, kept ({RUNS} runs each,"
          f" {QUESTIONS} questions a generated module)")
    print(f"  {'course':20} {'floor':>9} {'validate':>9} {'ratio':>6}   {'floor':>9}"
          f" {'validate':>9} {'ratio':>6}")
    for name, (floor, validate) in results.items():
        print(f"  {name:20} {floor.time * 1000:6.0f} ms {validate.time * 1000:6.0f} ms"
              f" {validate.time / floor.time:5.2f}x   {floor.peak / 1024:5.1f} MiB"
              f" {validate.peak / 1024:5.1f} MiB {validate.peak / floor.peak:5.2f}x")
    print("against the targets:")
    shipped_floor, shipped = results["the shipped course"]
    _line("time, the shipped course", shipped.time / shipped_floor.time, SHIPPED_TIME)
    for size in SIZES:
        floor, validate = results[f"{size} modules"]
        _line(f"time, {size} modules", validate.time / floor.time, TIME)
        _line(f"memory, {size} modules", validate.peak / floor.peak, MEMORY)
    (small_floor, small), (large_floor, large) = (results[f"{size} modules"] for size in SIZES)
    per_floor = (large_floor.peak - small_floor.peak) / (SIZES[1] - SIZES[0])
    per_module = (large.peak - small.peak) / (SIZES[1] - SIZES[0])
    if per_floor > 0:
        _line("memory a module adds", per_module / per_floor, MEMORY,
              f"  ({per_module:.0f} KiB against {per_floor:.0f} KiB)")
    print(f"ivstem --version: {version.time * 1000:.0f} ms")


if __name__ == "__main__":
    main()
