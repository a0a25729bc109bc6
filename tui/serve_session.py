"""One `ivstem serve` session's app, which ends when the server ends, however it ends.

`ivstem serve` runs each browser session's app as `python -m tui.serve_session ARGS...`, where
ARGS are `ivstem`'s own. A server that stops in order stops its apps itself; this module is for
a server that is killed (SIGKILL, the out-of-memory killer, a crash) and cannot. Two bindings,
either enough alone:

- the lifeline: the server passes the read end of a pipe whose write end only it holds. When
  the server's process ends the kernel closes that end, and a thread here, blocked reading it,
  wakes and ends the app. Works on every POSIX system.
- on Linux, the parent-death signal (prctl PR_SET_PDEATHSIG): the kernel kills the app the
  moment the server dies, even when the app's Python is too busy to run that thread. The kernel
  sends it when the *thread* that started the app ends, so the server starts apps from its
  event loop's thread, which lives as long as the server does.

Progress is safe either way: every answer is committed to the store as it is given.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
from collections.abc import Sequence

#: The environment variable naming the descriptor of the lifeline's read end.
LIFELINE_ENV = "IVSTEM_SERVE_LIFELINE"
#: The environment variable holding the server's process id.
SERVER_PID_ENV = "IVSTEM_SERVE_PID"

#: The exit status of an app whose server has gone.
EXIT_SERVER_GONE = 1

_PR_SET_PDEATHSIG = 1


def die_with_server(server_pid: int) -> bool:
    """On Linux, have the kernel kill this process when its parent, `server_pid`, dies.

    Returns False where that cannot be asked (other systems); ends the process at once if the
    server has already gone.
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) != 0:
            return False
    except (OSError, AttributeError):
        return False
    # The server may have died between starting this process and the call above.
    if os.getppid() != server_pid:
        os._exit(EXIT_SERVER_GONE)
    return True


def watch_lifeline(fd: int) -> threading.Thread:
    """End this process when the pipe read through `fd` closes (its writer, the server, ended)."""
    os.set_inheritable(fd, False)

    def watch() -> None:
        try:
            while os.read(fd, 64):
                pass  # the server writes nothing; only the end of the pipe matters
        except OSError:
            pass
        os._exit(EXIT_SERVER_GONE)

    thread = threading.Thread(target=watch, name="ivstem-serve-lifeline", daemon=True)
    thread.start()
    return thread


def main(argv: Sequence[str] | None = None) -> int:
    """Bind this process to the server named in its environment, then run `ivstem` with `argv`."""
    server_pid = os.environ.pop(SERVER_PID_ENV, "")
    lifeline = os.environ.pop(LIFELINE_ENV, "")
    if server_pid.isdigit():
        die_with_server(int(server_pid))
    if lifeline.isdigit():
        watch_lifeline(int(lifeline))
    from tui.cli import main as ivstem

    return ivstem(sys.argv[1:] if argv is None else argv)


if __name__ == "__main__":
    sys.exit(main())
