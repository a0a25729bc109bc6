"""Benchmark: cold start to the first drawn screen, and peak memory, against a bare Textual app.

Run on demand: `python tests/bench/bench_startup.py [RUNS]`. Each program runs in a real
pseudo-terminal (80x24); the clock stops when its first screen's text is on the terminal. The
two are alternated so that drift in machine load hits both alike. Peak memory is the maximum
resident set size reported by /usr/bin/time. Targets: time within 1.15x, memory within 1.3x.
"""

from __future__ import annotations

import contextlib
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pexpect
import pyte

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


def first_screen(command: list[str], words: str, memory_file: Path) -> float:
    """Seconds from spawning `command` until `words` is on its screen; it is then quit."""
    screen = pyte.Screen(80, 24)
    stream = pyte.ByteStream(screen)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["TERM"] = "xterm-256color"
    start = time.perf_counter()
    child = pexpect.spawn("/usr/bin/time", ["-o", str(memory_file), "-f", "%M", *command],
                          dimensions=(24, 80), env=env)
    try:
        while words not in "\n".join(screen.display):
            with contextlib.suppress(pexpect.TIMEOUT):
                stream.feed(child.read_nonblocking(65536, timeout=0.05))
            if time.perf_counter() - start > 60:
                raise RuntimeError(f"{command[0]} never showed {words!r}")
        elapsed = time.perf_counter() - start
        child.send("\x11")  # ctrl+q quits both
        child.expect(pexpect.EOF, timeout=20)
    finally:
        child.close(force=True)
    return elapsed


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        hello = folder / "hello.py"
        hello.write_text(HELLO, encoding="utf-8")
        memory = folder / "memory.txt"
        data = folder / "data"
        ours = [IVSTEM, "--data-dir", str(data), "--learner", "bench"]
        bare = [sys.executable, str(hello)]
        # Once each first, to write bytecode and create the store, as an installed copy has.
        first_screen(ours, "Start the course", memory)
        first_screen(bare, "Hello, world", memory)
        times: dict[str, list[float]] = {"ivstem": [], "hello": []}
        peaks: dict[str, list[int]] = {"ivstem": [], "hello": []}
        for _ in range(runs):
            for name, command, words in (("ivstem", ours, "Start the course"),
                                         ("hello", bare, "Hello, world")):
                times[name].append(first_screen(command, words, memory))
                peaks[name].append(int(memory.read_text().split()[-1]))
    ivstem_s, hello_s = statistics.median(times["ivstem"]), statistics.median(times["hello"])
    ivstem_kb, hello_kb = max(peaks["ivstem"]), max(peaks["hello"])
    print(f"cold start to first screen, median of {runs} alternating runs:")
    print(f"  bare Textual app:  {hello_s * 1000:7.1f} ms")
    print(f"  ivstem:            {ivstem_s * 1000:7.1f} ms")
    print(f"  ratio:             {ivstem_s / hello_s:7.2f}x   (target <= 1.15x)")
    print("peak memory (max RSS):")
    print(f"  bare Textual app:  {hello_kb / 1024:7.1f} MiB")
    print(f"  ivstem:            {ivstem_kb / 1024:7.1f} MiB")
    print(f"  ratio:             {ivstem_kb / hello_kb:7.2f}x   (target <= 1.3x)")


if __name__ == "__main__":
    main()
