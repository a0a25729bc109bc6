"""Benchmark: validating courses against parsing them with libyaml alone; command start-up.

Run on demand: `python tests/bench/bench_validate.py [--tiny]`. Prints figures and ratios; it is
not a pass/fail test. Targets: validate within 1.5x of libyaml's parse of the same files; `ivstem
--version` under 80 ms; `ivstem validate` of the shipped course under 200 ms.
"""

from __future__ import annotations

import gc
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml
from tiny import sized  # beside this file, as `python` runs it

from course.material.loader import load_course

MODULES = sized(1000, 10)
QUESTIONS = 20
ROUNDS = sized(5, 1)
COMMAND_RUNS = sized(15, 1)


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


def write_course(root: Path) -> list[Path]:
    (root / "modules").mkdir(parents=True)
    files = []
    for m in range(MODULES):
        path = root / "modules" / f"{m:04d}.yaml"
        lesson = (f"id: module-{m}\ntitle: Module {m}\nsummary: A generated module.\n"
                  "lessons:\n  - id: only\n    title: Only lesson\n    steps:\n"
                  "      - text: |\n          Some text for the lesson, in Markdown.\n"
                  "quiz:\n  questions:\n")
        path.write_text(lesson + "".join(question(m, q) for q in range(QUESTIONS)),
                        encoding="utf-8")
        files.append(path)
    listing = "".join(f"  - modules/{p.name}\n" for p in files)
    (root / "course.yaml").write_text(
        "format: 1\nid: bench\ntitle: Bench\nversion: '1'\nsummary: Generated.\n"
        f"settings:\n  gating: open\nmodules:\n{listing}", encoding="utf-8")
    return [root / "course.yaml", *files]


def libyaml_alone(files: list[Path]) -> None:
    for path in files:
        yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)


def timed(fn: object, *args: object) -> float:
    start = time.perf_counter()
    fn(*args)  # type: ignore[operator]
    return time.perf_counter() - start


def command_ms(args: list[str], runs: int = COMMAND_RUNS) -> float:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    ivstem = [sys.executable, "-c", "import sys; from tui.cli import main; sys.exit(main())"]
    subprocess.run([*ivstem, *args], capture_output=True, env=env)  # write bytecode once
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([*ivstem, *args], capture_output=True, env=env)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        files = write_course(root)
        result = load_course(root)
        assert result.ok, result.problems[:3]
        del result  # a large live heap would slow the baseline's garbage collection
        lib, lib_nogc, val = [], [], []
        for _ in range(ROUNDS):  # alternate, so drift in machine load hits all alike
            lib.append(timed(libyaml_alone, files))
            gc.disable()
            lib_nogc.append(timed(libyaml_alone, files))
            gc.enable()
            val.append(timed(load_course, root))
        # The fairer baseline of the two: libyaml with or without the cyclic collector.
        lib_s = min(statistics.median(lib), statistics.median(lib_nogc))
        val_s = statistics.median(val)
        print(f"{MODULES} modules x {QUESTIONS} questions ({len(files)} files)")
        print(f"  libyaml alone, gc on:             {statistics.median(lib) * 1000:8.1f} ms")
        print(f"  libyaml alone, gc off:            {statistics.median(lib_nogc) * 1000:8.1f} ms")
        print(f"  ivstem validate (load_course):    {val_s * 1000:8.1f} ms")
        print(f"  ratio validate / libyaml:         {val_s / lib_s:8.2f}x   (target <= 1.5x)")
    version = command_ms(["--version"])
    validate = command_ms(["validate"])
    print(f"ivstem --version:                   {version:8.1f} ms   (target < 80 ms)")
    print(f"ivstem validate (shipped course):   {validate:8.1f} ms   (target < 200 ms)")


if __name__ == "__main__":
    main()
