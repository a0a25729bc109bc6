"""Benchmark: instructions run from a cold start to the first drawn screen, against hello-world.

Run on demand: `python tests/bench/bench_instructions.py [--tiny]`. Needs valgrind. A tiny run
counts a bare Python printing a line, once: valgrind takes seconds even for that, and half a
minute for hello-world, so it shows only that the counting still works.

The wall-clock bench (`bench_startup.py`) measures what a learner waits for, but this machine's
timings move by tens of percent from one run to the next, so a change of 1% is lost in them.
Counted by valgrind's callgrind, the instructions a start runs are the same from one run to the
next (to about 0.1%), which makes this the bench for telling whether a change helps.

Each program runs in a pseudo-terminal (80x24) and stops as soon as the words of its first
screen have been written to the terminal, so the count covers the start of Python, the imports,
and the app up to its first frame. Python's hashing is seeded, and each program runs once first
to write its bytecode.

The counts are not times. valgrind runs the processor in software, so work that the hardware
speeds up counts for more than it costs: the SHA-256 of the course's files (taken on every
start, to know that a snapshot still matches) is a few million instructions here but uses the
processor's SHA instructions when run for real. The kernel's share of a start (loading the
interpreter and the libraries, mapping memory), which is much the same for every program, is
not counted at all; a ratio of counts is therefore larger than the ratio of times.

"hello + Tree" is hello-world with a Textual Tree of eleven lines in place of its Static: what a
tree costs any app that draws one in its first screen, as the course map does.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HELLO = '''
import sys

from textual.app import App
from textual.widgets import Footer, Header, Static, Tree
from rich.text import Text


class Hello(App[None]):
    def compose(self):
        yield Header()
        if "--tree" in sys.argv:
            tree = Tree(Text("Modules"))
            tree.show_root = False
            for number in range(6):
                module = tree.root.add(Text(f"{number}. A module"), expand=number == 0)
                for lesson in range(4):
                    module.add_leaf(Text(f"A lesson {lesson}"))
            yield tree
        yield Static("Hello, world")
        yield Footer()


Hello().run()
'''

#: Run before the program: stops the process once `FIRST_WORDS` are written to the terminal.
STOPPER = '''
import os, sys
import textual.drivers.linux_driver as driver

_write, _written, _words = driver.LinuxDriver.write, [], os.environ["FIRST_WORDS"]


def write(self, data):
    _write(self, data)
    _written.append(data)
    if _words in "".join(_written):
        self.flush()
        os._exit(0)


driver.LinuxDriver.write = write
sys.argv = sys.argv[1:]
program = sys.argv[0]
if program.endswith(".py"):
    with open(program) as file:
        code = compile(file.read(), program, "exec")
    exec(code, {"__name__": "__main__"})
else:
    from tui.cli import main
    sys.exit(main(sys.argv[1:]))
'''

COLLECTED = re.compile(r"Collected : (\d+)")


def instructions(program: list[str], words: str, folder: Path, *, stop: bool = True) -> int:
    """Instructions that `program` runs until `words` are on its screen (with `stop`, the
    default), or until it ends."""
    stopper = folder / "stopper.py"
    stopper.write_text(STOPPER, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(TERM="xterm-256color", PYTHONHASHSEED="0", FIRST_WORDS=words)
    run = [sys.executable, str(stopper), *program] if stop else program
    # `script` gives the program a terminal; stty makes it 80x24.
    command = ("stty cols 80 rows 24; valgrind --tool=callgrind --callgrind-out-file=/dev/null "
               + " ".join(_quote(a) for a in run))
    result = subprocess.run(["script", "-qc", command, "/dev/null"], env=env,
                            stdin=subprocess.DEVNULL, capture_output=True, text=True,
                            errors="replace", check=False, timeout=600)
    found = COLLECTED.findall(result.stdout + result.stderr)
    if not found:
        raise RuntimeError(f"{program[0]} did not finish under valgrind:\n{result.stdout}")
    return int(found[-1])


def _quote(arg: str) -> str:
    return "'" + arg.replace("'", "'\\''") + "'"


def main() -> int:
    if shutil.which("valgrind") is None or shutil.which("script") is None:
        print("This bench needs valgrind and script (util-linux); install them and run it again.")
        return 1
    from bench_startup import returning_learner  # beside this file, as `python` runs it
    from tiny import tiny

    from course.material.yaml_source import read_file
    from course.paths import shipped_course_dir

    manifest = read_file(shipped_course_dir() / "course.yaml").data
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        hello = folder / "hello.py"
        hello.write_text(HELLO, encoding="utf-8")
        data = folder / "data"
        returning_learner(data, manifest["id"])
        programs = {
            "hello": ([str(hello)], "Hello, world"),
            "hello + Tree": ([str(hello), "--tree"], "Hello, world"),
            "ivstem, first visit": (["ivstem", "--data-dir", str(data), "--learner", "bench"],
                                    manifest["title"]),
            "ivstem, returning": (["ivstem", "--data-dir", str(data), "--learner", "bench-back"],
                                  "Continue where you left off"),
        }
        counts = {}
        if tiny():
            bare = [sys.executable, "-S", "-c", "print('Hello, world')"]
            counts["bare python"] = instructions(bare, "Hello, world", folder, stop=False)
            programs = {}
        for name, (program, words) in programs.items():
            instructions(program, words, folder)  # writes the bytecode
            counts[name] = instructions(program, words, folder)
    print("instructions from a cold start to the first screen (callgrind):")
    first = next(iter(counts.values()))  # hello-world's
    for name, count in counts.items():
        print(f"  {name + ':':21} {count / 1e6:8.1f} M  {count / first:5.3f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
