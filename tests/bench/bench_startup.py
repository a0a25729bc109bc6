"""Benchmark: cold start to the first drawn screen, and peak memory, against a bare Textual app.

Run on demand: `python tests/bench/bench_startup.py [--tiny] [RUNS]`. Each program runs in a real
pseudo-terminal (80x24). Two moments are timed from the spawn:

- the first screen: its body text is on the terminal (for hello-world, "Hello, world");
- its keys: its footer's keys are drawn too. Textual fills the footer in a later refresh, in
  every app, so this comes some tens of milliseconds after the first screen.

The programs are alternated so that drift in machine load hits all alike.

Three starts of ivstem are timed: a first visit (the welcome) and a returning learner (the course
map, which needs the whole course loaded), both of the shipped course, whose checked snapshot
ships with it; and the first start of a course given with `--course` (a copy of the shipped
one) that has no snapshot yet, so that it is read and checked behind the welcome, as an author's
course is on its first start. After its keys are drawn each program is left alone for SETTLE
seconds before it is quit, so that the peak memory (the maximum resident set size reported by
/usr/bin/time) includes whatever the program goes on to do by itself at start-up, such as
checking the course behind the welcome when it has no snapshot.

Targets, as ratios to the bare Textual app (a Header, a Static and a Footer), each the median of
the interleaved runs: the first screen within FIRST_SCREEN (1.25x), its footer's keys within
KEYS (1.3x), and the peak memory within MEMORY (1.3x). The bench prints each ratio beside its
target; it never passes or fails, since a single start varies by a third on a busy machine. Use
15 runs or more, and compare two versions of the code in the same period.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pexpect
import pyte
from tiny import arguments, tiny  # beside this file, as `python` runs it

HELLO = '''
from textual.app import App
from textual.widgets import Footer, Header, Static


class Hello(App[None]):
    def compose(self):
        yield Header()
        yield Static("Hello, world")
        yield Footer()


Hello().run()
'''

IVSTEM = str(Path(sys.executable).parent / "ivstem")

#: Seconds each program is left running after its first screen, before it is quit.
SETTLE = 0.2 if tiny() else 2.0

#: The targets: ratios to the bare Textual app.
FIRST_SCREEN, KEYS, MEMORY = 1.25, 1.3, 1.3


def first_screen(command: list[str], words: tuple[str, str],
                 memory_file: Path) -> tuple[float, float]:
    """Seconds from spawning `command` until each of `words` (the body's, then the footer's)
    is on its screen; it is then quit."""
    screen = pyte.Screen(80, 24)
    stream = pyte.ByteStream(screen)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["TERM"] = "xterm-256color"
    start = time.perf_counter()
    child = pexpect.spawn("/usr/bin/time", ["-o", str(memory_file), "-f", "%M", *command],
                          dimensions=(24, 80), env=env)
    seen: list[float] = []
    try:
        while len(seen) < len(words):
            with contextlib.suppress(pexpect.TIMEOUT):
                stream.feed(child.read_nonblocking(65536, timeout=0.01))
            text = "\n".join(screen.display)
            while len(seen) < len(words) and words[len(seen)] in text:
                seen.append(time.perf_counter() - start)
            if time.perf_counter() - start > 60:
                raise RuntimeError(f"{command[0]} never showed {words[len(seen)]!r}")
        settled = time.perf_counter() + SETTLE
        while time.perf_counter() < settled:
            with contextlib.suppress(pexpect.TIMEOUT):
                stream.feed(child.read_nonblocking(65536, timeout=0.05))
        child.send("\x11")  # ctrl+q quits both
        child.expect(pexpect.EOF, timeout=20)
    finally:
        child.close(force=True)
    return seen[0], seen[1]


def returning_learner(data: Path, course_id: str) -> None:
    """Create the learners `bench` (on a first visit) and `bench-back`, with a saved place, as
    after a first lesson step. Both exist, so that ivstem does not ask whether to create one."""
    from course.record.progress import ProgressStore

    store = ProgressStore.open(data)
    store.add_learner("bench")
    store.set_position("bench-back", course_id, {"module": "orientation"})
    store.close()


def main() -> None:
    runs = int(arguments()[0]) if arguments() else 1 if tiny() else 10
    from course.material.yaml_source import read_file
    from course.paths import shipped_course_dir

    manifest = read_file(shipped_course_dir() / "course.yaml").data
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        hello = folder / "hello.py"
        hello.write_text(HELLO, encoding="utf-8")
        memory = folder / "memory.txt"
        data = folder / "data"
        returning_learner(data, manifest["id"])
        course = folder / "course"
        shutil.copytree(shipped_course_dir(), course)
        fresh = folder / "fresh"
        returning_learner(fresh, manifest["id"])
        programs = {
            "hello": ([sys.executable, str(hello)], ("Hello, world", "palette")),
            "ivstem, first visit": ([IVSTEM, "--data-dir", str(data), "--learner", "bench"],
                                    (manifest["title"], "Start the course")),
            "ivstem, returning": ([IVSTEM, "--data-dir", str(data), "--learner", "bench-back"],
                                  ("Continue where you left off", "c Continue")),
            "ivstem --course, new": ([IVSTEM, "--data-dir", str(fresh), "--learner", "bench",
                                      "--course", str(course)],
                                     (manifest["title"], "Start the course")),
        }
        # Once each first, to write bytecode and create the store, as on any start after the
        # first. (The shipped course's snapshot comes with it.)
        for command, words in programs.values() if not tiny() else ():
            first_screen(command, words, memory)
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in programs}
        peaks: dict[str, list[int]] = {name: [] for name in programs}
        for _ in range(runs):
            for name, (command, words) in programs.items():
                # Its checked copy is kept beside the progress: forget it, for a first start.
                shutil.rmtree(fresh / "snapshots", ignore_errors=True)
                times[name].append(first_screen(command, words, memory))
                peaks[name].append(int(memory.read_text().split()[-1]))
    first = {name: [t[0] for t in ts] for name, ts in times.items()}
    keys = {name: [t[1] for t in ts] for name, ts in times.items()}
    report(f"cold start to the first screen, median of {runs} alternating runs"
           f" (target <= {FIRST_SCREEN:.2f}x):", first, FIRST_SCREEN)
    paired("the same, as the median of each round's ratio to the hello-world run beside it:",
           first, FIRST_SCREEN)
    report(f"cold start until the footer's keys are drawn too (target <= {KEYS:.2f}x):", keys,
           KEYS)
    paired("the same, as the median of each round's ratio:", keys, KEYS)
    hello_kb = max(peaks["hello"])
    print(f"peak memory (max RSS) with {SETTLE:g} s to settle (target <= {MEMORY:.2f}x):")
    for name in programs:
        peak = max(peaks[name])
        print(f"  {name + ':':21} {peak / 1024:7.1f} MiB {peak / hello_kb:5.2f}x"
              f"{_against(peak / hello_kb, MEMORY, name)}")


def paired(heading: str, times: dict[str, list[float]], target: float) -> None:
    """Print the median over the rounds of each program's time over hello-world's in the same
    round: the runs of a round follow one another, so a drift in the machine's speed over the
    bench, which moves a ratio of medians, cancels out."""
    print(heading)
    for name, values in times.items():
        if name != "hello":
            ratios = [value / hello for value, hello in zip(values, times["hello"], strict=True)]
            ratio = statistics.median(ratios)
            print(f"  {name + ':':21} {ratio:5.2f}x  (quartiles {_quartiles(ratios)})"
                  f"{_against(ratio, target, name)}")


def _against(ratio: float, target: float, name: str) -> str:
    """How a ratio stands against its target, for ivstem's lines."""
    if name == "hello":
        return ""
    return "  within target" if ratio <= target else f"  OVER the {target:.2f}x target"


def _quartiles(values: list[float]) -> str:
    if len(values) < 2:
        return "one run"
    low, _, high = statistics.quantiles(values, n=4)
    return f"{low:.2f}x to {high:.2f}x"


def report(heading: str, times: dict[str, list[float]], target: float) -> None:
    """Print the median of each program's `times`, and its ratio to hello-world's."""
    hello = statistics.median(times["hello"])
    print(heading)
    for name, values in times.items():
        median = statistics.median(values)
        print(f"  {name + ':':21} {median * 1000:7.1f} ms  {median / hello:5.2f}x"
              f"{_against(median / hello, target, name)}")


if __name__ == "__main__":
    main()
