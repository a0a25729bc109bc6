"""`ivstem serve`: the course in a browser, one app process per browser session.

textual-serve supplies the pieces: the browser terminal (its `static/` folder: xterm.js, its
stylesheet and the Roboto Mono fonts, all shipped in the package) and `AppService`, which runs
one Textual app in a subprocess per websocket and relays its screen. The web server around them
is ours, for three reasons:

- textual-serve starts its command with a shell, the same command for every session, and passes
  a session nothing but the terminal size. Here each session's learner comes from the page
  (`/?learner=NAME`), is validated, travels in the websocket's path, is validated again, and is
  given to `python -m tui.cli` as one element of an argument list: no shell ever sees it.
- textual-serve's page loads its font from Google Fonts, which a lab with no internet cannot
  reach; ours declares the fonts shipped in textual-serve's `static/fonts/`.
- textual-serve writes absolute URLs from the address it was bound to, so a page served on
  0.0.0.0 points the browser at 0.0.0.0; ours uses the address the browser asked for.

It also refuses sessions opened by other web sites' pages (the Origin header) and, on loopback,
requests for other host names (DNS rebinding), and it stops every app when the browser goes or
the server stops. It runs at most `max_sessions` apps at once (by default as many as half the
machine's memory holds, see `default_max_sessions`); the next browser gets a page saying the
room is full, which tries again by itself. Each app runs in a process group of its own and is
tied to the server's life (`tui.serve_session`), so even a server killed with SIGKILL leaves no
app behind. `LearnerAppService` overrides textual-serve's `_open_app_process`, so the
dependency is pinned below its next major version, and tests/test_serve.py runs a real session.

Nothing here imports Textual: the app runs in the subprocesses.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import errno
import html
import ipaddress
import json
import os
import signal
import socket
import string
import sys
import time
import urllib.parse
from asyncio.subprocess import PIPE, Process
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any, TypeVar

from aiohttp import WSCloseCode, WSMsgType, web
from aiohttp.typedefs import Handler
from textual_serve.app_service import AppService
from textual_serve.download_manager import DownloadManager

from course.record.profile import Profile
from course.record.progress import (
    InvalidLearnerNameError,
    ProgressStore,
    StoreError,
    validate_learner_name,
)
from tui.serve_session import LIFELINE_ENV, SERVER_PID_ENV

#: textual-serve's browser side: xterm.js and its glue, the stylesheet and the fonts.
STATIC_DIR = Path(str(files("textual_serve"))) / "static"

#: How long a session's app gets to quit on its own before it is killed (seconds).
STOP_TIMEOUT = 5.0
#: How long an app that has quit gets to be reaped before it is killed all the same (seconds).
REAP_GRACE = 1.0
#: How long stopping the server waits for open sessions to close (seconds).
SHUTDOWN_TIMEOUT = 10.0

#: The memory to plan for each session. One session's app measured 40 MB resident when its
#: course had opened and 44 MB after a walk through lessons and a quiz (Python 3.11, Linux
#: x86-64); the rest is room for a long session to grow and for the server's share.
SESSION_MEMORY = 64 * 2**20
#: The share of the machine's memory that the default session limit gives to sessions.
MEMORY_SHARE = 0.5
#: The session limit when the machine's memory cannot be read.
FALLBACK_MAX_SESSIONS = 20
#: How long a browser refused for a full room waits before trying again (seconds).
RETRY_AFTER = 30

#: Environment variables that would make an app connect to Textual's devtools or write its log.
_DEBUG_ENV = ("TEXTUAL", "TEXTUAL_LOG")


T = TypeVar("T")


class ServeError(Exception):
    """The server could not start; `str()` says why and what to do, in one line."""


@dataclass(frozen=True, slots=True)
class ServeConfig:
    """What `ivstem serve` serves, and where.

    `course_dir` and `data_dir` are given to every session's app as --course and --data-dir
    (None: the app's own default, which for the data folder includes $IVSTEM_DATA_DIR, inherited
    by the app processes). `learner`, when set, is used for every session instead of asking.
    """

    host: str = "127.0.0.1"
    port: int = 8000
    course_dir: Path | None = None
    data_dir: Path | None = None
    learner: str | None = None
    max_sessions: int = FALLBACK_MAX_SESSIONS


# -- how many sessions ----------------------------------------------------------------------------


def machine_memory() -> int | None:
    """The memory this server may use, in bytes: the machine's, or its container's limit if
    lower (cgroup v2 or v1); None when it cannot be read."""
    sizes = []
    with contextlib.suppress(ValueError, OSError, AttributeError):
        sizes.append(os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE"))
    for limit in ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"):
        with contextlib.suppress(ValueError, OSError):
            sizes.append(int(Path(limit).read_text().strip()))  # "max" means no limit
    sizes = [size for size in sizes if size > 0]
    return min(sizes) if sizes else None


def default_max_sessions(memory: int | None = None) -> int:
    """The session limit for `memory` bytes (default: this machine's): MEMORY_SHARE of it at
    SESSION_MEMORY a session, at least 1; FALLBACK_MAX_SESSIONS when the memory is unknown.

    4 GB gives 32 sessions, 8 GB 64, 16 GB 128. The other half is left to the system, the server
    and whatever else the machine runs.
    """
    if memory is None:
        memory = machine_memory()
    if memory is None:
        return FALLBACK_MAX_SESSIONS
    return max(1, int(memory * MEMORY_SHARE) // SESSION_MEMORY)


# -- addresses ----------------------------------------------------------------------------------


def is_loopback(host: str) -> bool:
    """True when `host` names this machine only: `localhost` or a loopback IP address.

    Other host names are not looked up (that could need the network), so they count as
    reachable from elsewhere.
    """
    name = host.strip().lower().rstrip(".")
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name.removeprefix("[").removesuffix("]")).is_loopback
    except ValueError:
        return False


def exposure_warning(host: str) -> str | None:
    """The warning to print before serving on `host`, or None when only this machine can connect."""
    if is_loopback(host):
        return None
    return (f"warning: --host {host} is not a loopback address, so other machines on the"
            " network can reach this server. It has no passwords: anyone who can reach it can"
            " study under any learner name and see that learner's progress.")


def _host_name(host_header: str) -> str:
    """The host part of a Host header (`[::1]:8000` -> `::1`, `localhost:8000` -> `localhost`)."""
    if host_header.startswith("["):
        return host_header[1:].partition("]")[0]
    return host_header.rpartition(":")[0] if host_header.count(":") == 1 else host_header


# -- learners in URLs ---------------------------------------------------------------------------


def learner_token(name: str) -> str:
    """`name` as one URL path segment: base64url of its UTF-8, so any printable name fits."""
    return base64.urlsafe_b64encode(name.encode("utf-8")).decode("ascii").rstrip("=")


def learner_from_token(token: str) -> str:
    """The valid learner name in a websocket path; InvalidLearnerNameError when there is none."""
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        name = raw.decode("utf-8")
    except (binascii.Error, ValueError):
        raise InvalidLearnerNameError("the session address does not name a learner") from None
    return validate_learner_name(name)


def app_command(config: ServeConfig, learner: str) -> list[str]:
    """The argument list that runs one session's app, for `learner`.

    An argument list, never a shell string; `--learner=NAME` keeps a name that starts with `-`
    from being read as an option. `-P` keeps the current folder off the module search path.
    `tui.serve_session` runs `ivstem` with these arguments, tied to the server's life.
    """
    command = [sys.executable, "-P", "-m", "tui.serve_session", f"--learner={learner}"]
    if config.course_dir is not None:
        command.append(f"--course={config.course_dir}")
    if config.data_dir is not None:
        command.append(f"--data-dir={config.data_dir}")
    return command


def ensure_profile(config: ServeConfig, learner: str) -> None:
    """Create `learner`'s profile if it is new, before their session's app starts.

    On the page, typing a new name is how a learner starts, so the profile is created on
    purpose; the command line, which the session runs, asks first only about names that do not
    exist (see `tui.new_learner.check_new_learner`), and nobody could answer it here.
    """
    try:
        with ProgressStore.open(config.data_dir) as store:
            profile = Profile(store, learner)
            if not profile.exists():
                profile.create()  # two sessions starting one new learner share one profile
    except StoreError:
        pass  # the session's app opens without saving, and says why, on the learner's screen


# -- one session ----------------------------------------------------------------------------------


class LearnerAppService(AppService):
    """One browser session's app process, started from an argument list instead of a shell."""

    def __init__(self, command: list[str], **kwargs: Any) -> None:
        super().__init__(" ".join(command), **kwargs)
        self.argv = command
        self._lifeline: int | None = None

    async def _open_app_process(self, width: int = 80, height: int = 24) -> Process:
        environment = self._build_environment(width=width, height=height)
        for name in _DEBUG_ENV:
            environment.pop(name, None)
        pass_fds: tuple[int, ...] = ()
        if os.name == "posix":
            # The app keeps the read end; the write end stays here, never inherited, so the
            # pipe closes when this process ends, however it ends (see tui.serve_session).
            read_end, self._lifeline = os.pipe()
            pass_fds = (read_end,)
            environment[LIFELINE_ENV] = str(read_end)
            environment[SERVER_PID_ENV] = str(os.getpid())
        try:
            # A session and process group of its own, so Ctrl+C in the server's terminal
            # reaches the server only, which then closes every app in order.
            self._process = process = await asyncio.create_subprocess_exec(
                *self.argv, stdin=PIPE, stdout=PIPE, stderr=PIPE, env=environment,
                start_new_session=True, pass_fds=pass_fds,
            )
        except BaseException:
            self._close_lifeline()
            raise
        finally:
            for fd in pass_fds:
                os.close(fd)
        assert process.stdin is not None
        self._stdin = process.stdin
        return process

    def _close_lifeline(self) -> None:
        if self._lifeline is not None:
            os.close(self._lifeline)
            self._lifeline = None

    async def run(self) -> None:
        """Relay the app until it ends, then close the browser's session too, however it ended."""
        await super().run()
        with contextlib.suppress(Exception):
            await self.remote_close()

    async def stop(self) -> None:
        """Ask the app to quit; kill it if it has not within STOP_TIMEOUT; reap the process."""
        process = self._process
        if self._task is not None:
            try:
                await asyncio.wait_for(super().stop(), STOP_TIMEOUT)
            except TimeoutError:
                # The relay task ends by itself once the killed app's output closes.
                self._task = None
        if process is not None:
            # An app that has just quit is reaped by asyncio's child watcher; killing it first
            # would reap it here (Popen polls before it signals) and asyncio would log
            # "Unknown child process" for it.
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(process.wait(), REAP_GRACE)
            if process.returncode is None:
                _kill_group(process)
            await process.wait()
        self._close_lifeline()


def _kill_group(process: Process) -> None:
    """Kill `process` and anything it started: its process group (it leads its own)."""
    try:
        if os.name == "posix":
            os.killpg(process.pid, signal.SIGKILL)
        else:
            process.kill()
    except (ProcessLookupError, PermissionError):
        with contextlib.suppress(ProcessLookupError):
            process.kill()


# -- pages ----------------------------------------------------------------------------------------

_PAGE_HEAD = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>$title</title>
<style>
@font-face {
  font-family: "Roboto Mono";
  src: url("/static/fonts/RobotoMono-VariableFont_wght.ttf") format("truetype");
  font-weight: 100 700;
  font-style: normal;
}
@font-face {
  font-family: "Roboto Mono";
  src: url("/static/fonts/RobotoMono-Italic-VariableFont_wght.ttf") format("truetype");
  font-weight: 100 700;
  font-style: italic;
}
"""

#: The first page: who is studying. A GET form, so the next page's address can be bookmarked.
NAME_PAGE = string.Template(_PAGE_HEAD + """
body { background: #0c181f; color: #f2f2f2; font: 18px/1.5 "Roboto Mono", monospace;
       margin: 0; display: flex; justify-content: center; }
main { max-width: 40em; margin: 3em 1em; }
label { display: block; font-weight: bold; margin-top: 1.5em; }
input { font: inherit; width: 100%; box-sizing: border-box; padding: .4em; margin: .4em 0; }
button { font: inherit; padding: .5em 2em; background: #5e0ba7; color: #fff; border: 0;
         cursor: pointer; }
button:hover, button:focus { background: #ac5af4; }
.error { color: #ffb3b3; font-weight: bold; }
.note { color: #b8c4cc; font-size: 16px; margin-top: 2em; }
</style>
</head>
<body>
<main>
<h1>ivstem</h1>
<p>A course on IV stem cell therapy: what it is, what the evidence says, and how it is
regulated.</p>
<form method="get" action="/">
<label for="learner">Your name or lab login</label>
<input id="learner" name="learner" value="$value" maxlength="64" required autofocus
       autocomplete="username" aria-describedby="learner-help$error_id">
$error
<p id="learner-help">Your progress is kept under this name. Use the same name next time to
carry on where you stopped; bookmarking the next page does it for you.</p>
<button type="submit">Start</button>
</form>
<p class="note">Names are not passwords: anyone using this server can open any name.</p>
</main>
</body>
</html>
""")

#: One session's page: textual-serve's terminal, with fonts and scripts from this server only.
APP_PAGE = string.Template(_PAGE_HEAD + """
body { background: #0c181f; margin: 0; }
.dialog-container { position: absolute; width: 100vw; height: 100vh; display: flex;
                    align-items: center; justify-content: center; z-index: 10; }
.shade { position: absolute; width: 100%; height: 100%; background: #0c181f; }
.intro { width: 640px; max-width: 90vw; min-height: 200px; font-size: 16px; z-index: 20;
         font-family: "Roboto Mono", monospace; text-align: center;
         color: rgba(255, 255, 255, 0.95); background-color: #12232d; display: flex;
         flex-direction: column; align-items: center; justify-content: center; margin: 32px; }
button { padding: 16px 32px; background-color: #5e0ba7; color: rgba(255, 255, 255, 0.95);
         border: none; font-family: "Roboto Mono", monospace; margin: 16px; cursor: pointer; }
button:hover, button:focus { background: #ac5af4; }
body.-first-byte .intro-dialog { display: none; }
body .textual-terminal { opacity: 0; transition: opacity 0.3s ease-out; }
body.-first-byte .textual-terminal { opacity: 1; }
.closed-dialog { display: none; }
body.-closed .closed-dialog { display: flex; }
#start { display: none; }
#start.-delay { display: block; }
</style>
<link rel="stylesheet" href="/static/css/xterm.css">
<script src="/static/js/textual.js"></script>
<script>
  // textual.js measures the font when the page has loaded: make sure it is the real one.
  (function () {
    var start = window.onload;
    window.onload = function (event) {
      var go = function () { start(event); };
      if (document.fonts && document.fonts.load) {
        document.fonts.load('$font_size' + 'px "Roboto Mono"').then(go, go);
      } else {
        go();
      }
    };
  })();
  function getStartUrl() {
    var params = new URLSearchParams(window.location.search);
    params.delete("delay");
    return window.location.pathname + "?" + params.toString();
  }
  function refresh() {
    window.location.href = getStartUrl();
  }
  // A session refused before it opened (the room filled up after this page was served):
  // show this server's "room is full" page rather than "Session ended".
  new MutationObserver(function (changes, observer) {
    var body = document.body;
    if (body.classList.contains("-closed")) {
      observer.disconnect();
      if (!body.classList.contains("-loaded")) {
        fetch(getStartUrl(), {cache: "no-store"}).then(function (response) {
          if (response.status === 503) {
            window.location.replace(getStartUrl());
          }
        }, function () {});
      }
    }
  }).observe(document.documentElement, {attributes: true, subtree: true,
                                         attributeFilter: ["class"]});
</script>
</head>
<body>
<div class="dialog-container intro-dialog">
  <div class="shade"></div>
  <div class="intro">
    <div>ivstem: opening the course for $learner&hellip;</div>
    <button type="button" onclick="refresh()" id="start">Start</button>
  </div>
</div>
<div class="dialog-container closed-dialog">
  <div class="shade"></div>
  <div class="intro">
    <div>Session ended. Your progress is saved.</div>
    <button type="button" onclick="refresh()">Open the course again</button>
    <a href="/" style="color: #b8c4cc">Study under another name</a>
  </div>
</div>
<div id="terminal" class="textual-terminal"
     data-session-websocket-url="$websocket_url" data-font-size="$font_size"></div>
</body>
</html>
""")

#: The page for a browser that comes when every session is taken; it tries again by itself.
FULL_PAGE = string.Template(_PAGE_HEAD + """
body { background: #0c181f; color: #f2f2f2; font: 18px/1.5 "Roboto Mono", monospace;
       margin: 0; display: flex; justify-content: center; }
main { max-width: 40em; margin: 3em 1em; }
a { color: #ac5af4; }
.note { color: #b8c4cc; font-size: 16px; margin-top: 2em; }
</style>
<meta http-equiv="refresh" content="$retry">
</head>
<body>
<main>
<h1>The room is full</h1>
<p role="alert">Every place on this ivstem server is taken ($limit in all), so the course
cannot open for $learner just now.</p>
<p>This page tries again every $retry seconds and opens the course as soon as someone leaves;
you can also <a href="$again">try again now</a>. Your progress is saved and waiting.</p>
<p class="note">If the room is often full, ask whoever runs the server to raise its
<code>--max-sessions</code> (each place needs about 64 MB of memory).</p>
</main>
</body>
</html>
""")

_PAGE_HEADERS = {
    # The page names a learner: keep it out of shared caches and of other sites' logs.
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}


def name_page(value: str = "", error: str | None = None) -> str:
    """The page that asks who is studying, with `error` (already a sentence) shown if any."""
    return NAME_PAGE.substitute(
        title="ivstem",
        value=html.escape(value),
        error=(f'<p id="learner-error" class="error" role="alert">{html.escape(error)}</p>'
               if error else ""),
        error_id=" learner-error" if error else "",
    )


def full_page(learner: str, limit: int, again: str) -> str:
    """The page saying all `limit` sessions are taken; `again` is the address to retry."""
    return FULL_PAGE.substitute(
        title="ivstem — the room is full",
        learner=html.escape(learner),
        limit=limit,
        retry=RETRY_AFTER,
        again=html.escape(again),
    )


def app_page(learner: str, websocket_url: str, font_size: int) -> str:
    """The page of one session: the terminal, connected to `websocket_url`."""
    return APP_PAGE.substitute(
        title=html.escape(f"ivstem — {learner}"),
        learner=html.escape(learner),
        websocket_url=html.escape(websocket_url),
        font_size=font_size,
    )


def _int(value: str | None, default: int, low: int, high: int) -> int:
    try:
        return min(max(int(value or ""), low), high)
    except ValueError:
        return default


# -- the server -----------------------------------------------------------------------------------


class CourseServer:
    """The web application: the name page, the session pages, their websockets, the assets."""

    def __init__(self, config: ServeConfig, log: Callable[[str], None] = print) -> None:
        self.config = config
        self.log = log
        self.downloads = DownloadManager()
        self.sessions: dict[web.WebSocketResponse, _Session] = {}
        #: Sessions accepted but not yet in `sessions`: they count against the limit too.
        self.opening = 0

    def make_app(self) -> web.Application:
        """The aiohttp application, with its routes and its shutdown handler."""
        app = web.Application(middlewares=[self._check_host])
        app.add_routes([
            web.get("/", self.handle_index),
            web.get("/ws/{token}", self.handle_websocket),
            web.static("/static", STATIC_DIR),
        ])
        app.on_shutdown.append(self._close_sessions)
        return app

    def room_left(self) -> bool:
        """True while fewer than `max_sessions` apps run (stopping ones still count)."""
        return len(self.sessions) + self.opening < self.config.max_sessions

    def _room_full(self, learner: str, again: str) -> web.Response:
        self.log(f"{time.strftime('%H:%M:%S')} room full ({self.config.max_sessions} sessions):"
                 f" no session for learner {learner!r}")
        return web.Response(status=503, text=full_page(learner, self.config.max_sessions, again),
                            content_type="text/html",
                            headers=_PAGE_HEADERS | {"Retry-After": str(RETRY_AFTER)})

    @web.middleware
    async def _check_host(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        # Served on loopback, only loopback names are answered: a web page whose domain is made
        # to resolve to 127.0.0.1 (DNS rebinding) cannot reach a student's course through it.
        if is_loopback(self.config.host) and not is_loopback(_host_name(request.host)):
            raise web.HTTPMisdirectedRequest(text="This server answers on loopback only.\n")
        response: web.StreamResponse = await handler(request)
        return response

    async def handle_index(self, request: web.Request) -> web.Response:
        """`/`: ask for a name; `/?learner=NAME`: that learner's session page."""
        learner = self.config.learner
        if learner is None:
            given = request.query.get("learner")
            if given is None:
                return web.Response(text=name_page(), content_type="text/html",
                                    headers=_PAGE_HEADERS)
            try:
                learner = validate_learner_name(given)
            except InvalidLearnerNameError as exc:
                return web.Response(status=400, text=name_page(given, f"Please choose another"
                                    f" name: {exc}."), content_type="text/html",
                                    headers=_PAGE_HEADERS)
        if not self.room_left():
            return self._room_full(learner, request.path_qs)
        scheme = "wss" if request.secure else "ws"
        websocket_url = f"{scheme}://{request.host}/ws/{learner_token(learner)}"
        font_size = _int(request.query.get("fontsize"), 16, 8, 48)
        return web.Response(text=app_page(learner, websocket_url, font_size),
                            content_type="text/html", headers=_PAGE_HEADERS)

    async def handle_websocket(self, request: web.Request) -> web.StreamResponse:
        """`/ws/TOKEN`: run the course for the learner named in TOKEN while the socket is open."""
        try:
            learner = learner_from_token(request.match_info["token"])
        except InvalidLearnerNameError as exc:
            raise web.HTTPBadRequest(text=f"{exc}\n") from None
        if self.config.learner is not None:
            learner = self.config.learner
        origin = request.headers.get("Origin")
        if origin is not None and origin.partition("://")[2].lower() != request.host.lower():
            # Another web site's page must not drive a learner's session.
            raise web.HTTPForbidden(text="Sessions can be opened from this server's page only.\n")
        width = _int(request.query.get("width"), 80, 20, 500)
        height = _int(request.query.get("height"), 24, 5, 200)
        if not self.room_left():
            # Refused before the upgrade: the page's script fetches the full page and shows it.
            return self._room_full(learner, "/?" + urllib.parse.urlencode({"learner": learner}))
        self.opening += 1
        try:
            await asyncio.to_thread(ensure_profile, self.config, learner)
            websocket = web.WebSocketResponse(heartbeat=15)
            await websocket.prepare(request)
        finally:
            self.opening -= 1
        session = _Session(learner, LearnerAppService(
            app_command(self.config, learner),
            write_bytes=_unless_closed(websocket, websocket.send_bytes),
            write_str=_unless_closed(websocket, websocket.send_str),
            close=websocket.close, download_manager=self.downloads,
        ))
        self.sessions[websocket] = session
        self.log(f"{time.strftime('%H:%M:%S')} session opened for learner {learner!r}")
        try:
            await session.service.start(width, height)
            await _relay(websocket, session.service)
        finally:
            # Shielded: should this handler be cancelled, the app is still stopped (and
            # `finish` waits for that).
            await asyncio.shield(self._end(websocket))
        return websocket

    def _end(self, websocket: web.WebSocketResponse) -> asyncio.Future[None]:
        """Stop the session of `websocket` (once, however often asked); a future of that."""
        session = self.sessions[websocket]
        if session.ending is None:
            session.ending = asyncio.ensure_future(self._stop(websocket, session))
        return session.ending

    async def _stop(self, websocket: web.WebSocketResponse, session: _Session) -> None:
        try:
            await session.service.stop()
        finally:
            del self.sessions[websocket]
            self.log(f"{time.strftime('%H:%M:%S')} session closed for learner"
                     f" {session.learner!r}")

    async def _close_sessions(self, app: web.Application) -> None:
        for websocket in list(self.sessions):
            await websocket.close(code=WSCloseCode.GOING_AWAY, message=b"server stopped")

    async def finish(self) -> None:
        """Stop every app still running; for after the web server has stopped."""
        endings = [self._end(websocket) for websocket in list(self.sessions)]
        await asyncio.gather(*endings, return_exceptions=True)


@dataclass(slots=True)
class _Session:
    """One browser session: whose it is, its app, and its stopping once begun."""

    learner: str
    service: LearnerAppService
    ending: asyncio.Future[None] | None = None


def _unless_closed(
    websocket: web.WebSocketResponse, send: Callable[[T], Awaitable[None]]
) -> Callable[[T], Awaitable[None]]:
    """`send`, doing nothing once the browser has gone.

    The app's output is still read (and dropped) then, so the app is never stuck writing to a
    full pipe and can quit when told to.
    """

    async def write(data: T) -> None:
        if not websocket.closed:
            with contextlib.suppress(ConnectionError, RuntimeError):
                await send(data)

    return write


async def _relay(websocket: web.WebSocketResponse, service: AppService) -> None:
    """Pass the browser's keys, mouse and size to the app until the socket closes."""
    async for message in websocket:
        if message.type != WSMsgType.TEXT:
            continue
        try:
            envelope = json.loads(message.data)
        except ValueError:
            continue
        if not isinstance(envelope, list) or not envelope:
            continue
        # ["blur"] and ["focus"] come without data.
        kind, data = envelope[0], envelope[1] if len(envelope) > 1 else None
        if kind == "stdin" and isinstance(data, str):
            await service.send_bytes(data.encode("utf-8"))
        elif kind == "resize" and isinstance(data, dict):
            await service.set_terminal_size(_int(str(data.get("width")), 80, 20, 500),
                                            _int(str(data.get("height")), 24, 5, 200))
        elif kind == "ping":
            with contextlib.suppress(ConnectionError):
                await websocket.send_json(["pong", data])
        elif kind == "blur":
            await service.blur()
        elif kind == "focus":
            await service.focus()


def public_urls(addresses: list[Any]) -> list[str]:
    """The addresses to open in a browser, from the bound socket addresses."""
    urls = []
    for address in addresses:
        ip, port = address[0], address[1]
        if ip in ("0.0.0.0", "::"):
            ip = socket.gethostname()
        elif ":" in ip:
            ip = f"[{ip}]"
        urls.append(f"http://{ip}:{port}/")
    return list(dict.fromkeys(urls))


async def serve(
    config: ServeConfig, log: Callable[[str], None] = print, notes: Sequence[str] = ()
) -> None:
    """Serve until SIGINT or SIGTERM (Ctrl+C); raise ServeError if the address cannot be used.

    Once listening, logs where to point a browser, then `notes`.
    """
    server = CourseServer(config, log)
    runner = web.AppRunner(server.make_app(), handle_signals=False, access_log=None,
                           shutdown_timeout=SHUTDOWN_TIMEOUT)
    await runner.setup()
    try:
        await web.TCPSite(runner, config.host, config.port).start()
    except OSError as exc:
        await runner.cleanup()
        raise ServeError(_bind_problem(config, exc)) from None
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):  # Windows: Ctrl+C is KeyboardInterrupt.
            loop.add_signal_handler(signum, stop.set)
    try:
        for url in public_urls(runner.addresses):
            log(f"Serving the course at {url} - open it in a browser.")
        for note in notes:
            log(note)
        log("Press Ctrl+C to stop.")
        await stop.wait()
        log("Stopping: closing the open sessions...")
    finally:
        await runner.cleanup()
        await server.finish()


def _bind_problem(config: ServeConfig, exc: OSError) -> str:
    where = f"{config.host} port {config.port}"
    if exc.errno == errno.EADDRINUSE:
        return (f"{where} is already in use (another ivstem serve, or another server?);"
                " choose another port with --port PORT")
    if exc.errno == errno.EACCES:
        return (f"not allowed to use {where} (ports below 1024 need administrator rights);"
                " choose another port with --port PORT")
    if exc.errno == errno.EADDRNOTAVAIL or isinstance(exc, socket.gaierror):
        return (f"--host {config.host} is not an address of this machine; use 127.0.0.1 (this"
                " machine only) or 0.0.0.0 (every network interface)")
    return f"cannot serve on {where}: {exc.strerror or exc}"


def run_server(
    config: ServeConfig, log: Callable[[str], None] = print, notes: Sequence[str] = ()
) -> None:
    """Serve until stopped; blocking. Raises ServeError when the server cannot start."""
    asyncio.run(serve(config, log, notes))
