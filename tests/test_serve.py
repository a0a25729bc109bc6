"""`ivstem serve`: the course in a browser, one learner per session, on loopback only.

The real command runs in a subprocess on 127.0.0.1 and a free port; every test that starts one
stops it again, whatever happens.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from course.record.progress import InvalidLearnerNameError, ProgressStore
from tui.cli import main
from tui.serve import (
    SESSION_MEMORY,
    ServeConfig,
    app_command,
    default_max_sessions,
    exposure_warning,
    full_page,
    is_loopback,
    learner_from_token,
    learner_token,
)
from tui.serve_session import EXIT_SERVER_GONE

START_TIMEOUT = 20.0
COURSE = Path(__file__).parent / "data" / "courses" / "valid"


# -- a real server ------------------------------------------------------------------------------


@dataclass
class Served:
    """A running `ivstem serve` and where its output goes."""

    process: subprocess.Popen[bytes]
    port: int
    stdout: Path
    stderr: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def output(self) -> tuple[str, str]:
        return self.stdout.read_text(), self.stderr.read_text()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def ivstem_command() -> list[str]:
    script = Path(sys.executable).with_name("ivstem")
    return [str(script)] if script.exists() else [sys.executable, "-m", "tui.cli"]


def start_server(folder: Path, *options: str) -> Served:
    """Start `ivstem serve` on 127.0.0.1 and wait (at most START_TIMEOUT) until it answers."""
    data_dir = folder / "data"
    env = os.environ | {"IVSTEM_DATA_DIR": str(data_dir), "XDG_DATA_HOME": str(folder / "xdg")}
    port = free_port()
    served = Served(
        subprocess.Popen(
            [*ivstem_command(), "serve", "--host", "127.0.0.1", "--port", str(port), *options],
            stdout=(folder / "stdout").open("wb"), stderr=(folder / "stderr").open("wb"),
            stdin=subprocess.DEVNULL, env=env,
        ),
        port, folder / "stdout", folder / "stderr",
    )
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        if served.process.poll() is not None:
            raise AssertionError(f"ivstem serve exited at start: {served.output()}")
        try:
            with urllib.request.urlopen(served.url, timeout=2):
                return served
        except OSError:
            if time.monotonic() > deadline:
                stop_server(served)
                raise AssertionError(f"ivstem serve did not answer: {served.output()}") from None
            time.sleep(0.1)


def stop_server(served: Served) -> int:
    """Stop the server as Ctrl+C does; kill it if it has not stopped within 15 s."""
    if served.process.poll() is None:
        served.process.send_signal(signal.SIGINT)
    try:
        return served.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        served.process.kill()
        served.process.wait()
        raise


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """One server for the tests that only ask it questions."""
    served = start_server(tmp_path_factory.mktemp("serve"))
    try:
        yield served
    finally:
        stop_server(served)


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, str, str]:
    """(status, content type, body) of a GET, errors included."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers["Content-Type"], response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read().decode()


def app_processes(served: Served) -> dict[int, str]:
    """The server's app processes (children), by process id, with their command lines."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parent = int((entry / "stat").read_text().rpartition(")")[2].split()[1])
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (OSError, IndexError, ValueError):
            continue
        if parent == served.process.pid:
            found[int(entry.name)] = command
    return found


def running(pid: int) -> bool:
    """True while `pid` is a live process (a zombie waiting to be reaped has ended)."""
    try:
        os.kill(pid, 0)
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except (ProcessLookupError, FileNotFoundError):
        return False
    except OSError:
        return True
    return state not in ("Z", "X")


def wait_until_ended(pids: Iterable[int], seconds: float) -> list[int]:
    """Wait up to `seconds` for every process in `pids` to end; those still running."""
    deadline = time.monotonic() + seconds
    while (alive := [pid for pid in pids if running(pid)]) and time.monotonic() < deadline:
        time.sleep(0.05)
    return alive


needs_proc = pytest.mark.skipif(not Path("/proc/self/stat").exists(),
                                reason="reads processes from /proc (Linux)")


def absolute_urls(text: str) -> list[str]:
    return re.findall(r"""(?:https?|wss?):(?://)?[^\s"'()<>]+|(?<=["'(])//[^\s"'()<>]+""", text)


# -- the pages ----------------------------------------------------------------------------------


def test_the_first_served_page_asks_who_is_studying(server: Served) -> None:
    status, content_type, body = fetch(server.url)

    assert status == 200
    assert content_type.startswith("text/html")
    assert "<title>ivstem</title>" in body
    assert '<input id="learner" name="learner"' in body
    assert 'action="/"' in body


def test_a_learners_page_is_the_ivstem_terminal_connected_to_their_session(
    server: Served,
) -> None:
    status, _, body = fetch(server.url + "?learner=" + urllib.parse.quote("Ada L"))

    assert status == 200
    assert "<title>ivstem — Ada L</title>" in body
    assert 'class="textual-terminal"' in body
    assert '<script src="/static/js/textual.js"></script>' in body
    expected = f"ws://127.0.0.1:{server.port}/ws/{learner_token('Ada L')}"
    assert f'data-session-websocket-url="{expected}"' in body


def test_the_served_pages_and_their_assets_need_nothing_but_this_server(server: Served) -> None:
    _, _, name_page = fetch(server.url)
    _, _, app_page = fetch(server.url + "?learner=ada")
    here = (f"http://127.0.0.1:{server.port}/", f"ws://127.0.0.1:{server.port}/")

    for page in (name_page, app_page):
        assert [url for url in absolute_urls(page) if not url.startswith(here)] == []
    assets = re.findall(r"""(?:src|href)="(/static/[^"]+)"|url\("(/static/[^"]+)"\)""", app_page)
    paths = {path for pair in assets for path in pair if path}
    assert {"/static/js/textual.js", "/static/css/xterm.css",
            "/static/fonts/RobotoMono-VariableFont_wght.ttf"} <= paths
    for path in paths:
        with urllib.request.urlopen(server.url.rstrip("/") + path, timeout=10) as response:
            assert response.status == 200, path
            content = response.read()
        if path.endswith(".css"):
            # The licence comment names term.js's home page; the rules load nothing.
            rules = re.sub(r"/\*.*?\*/", "", content.decode(), flags=re.DOTALL)
            assert absolute_urls(rules) == [], path
            assert "@import" not in rules, path
        if path.endswith(".js"):
            # Comments in the bundle name projects' home pages; nothing is loaded from a CDN.
            assert not re.search(rb"googleapis|gstatic|jsdelivr|unpkg|cdnjs", content), path


def test_a_learner_name_with_control_characters_gets_the_form_back_with_the_reason(
    server: Served,
) -> None:
    status, _, body = fetch(server.url + "?learner=" + urllib.parse.quote("\x1b[31mred"))

    assert status == 400
    assert 'role="alert"' in body
    assert "cannot be shown" in body
    assert "textual-terminal" not in body


def test_a_session_opened_from_another_web_site_is_refused(server: Served) -> None:
    status, _, _ = fetch(f"{server.url}ws/{learner_token('ada')}",
                         headers={"Origin": "http://evil.example"})

    assert status == 403


def test_a_request_naming_another_host_is_refused_on_loopback(server: Served) -> None:
    status, _, _ = fetch(server.url, headers={"Host": f"evil.example:{server.port}"})

    assert status == 421


def test_a_session_address_that_names_no_valid_learner_is_refused(server: Served) -> None:
    token = learner_token("tab\there")

    status, _, _ = fetch(f"{server.url}ws/{token}")

    assert status == 400


async def read_screen(url: str, until: str, drawn: asyncio.Event | None = None) -> str:
    """Open a session's websocket and collect the screen's text until `until` shows; `drawn`,
    if given, is set once the screen starts to arrive."""
    import aiohttp

    screen = b""
    async with aiohttp.ClientSession() as client, client.ws_connect(url) as websocket:
        deadline = time.monotonic() + START_TIMEOUT
        while until.encode() not in screen and time.monotonic() < deadline:
            try:
                message = await websocket.receive(timeout=1)
            except TimeoutError:
                continue
            if message.type != aiohttp.WSMsgType.BINARY:
                break
            screen += message.data
            if drawn is not None:
                drawn.set()
    return screen.decode("utf-8", "replace")


async def test_a_session_runs_the_course_for_the_learner_its_page_names(server: Served) -> None:
    _, _, body = fetch(server.url + "?learner=" + urllib.parse.quote("Ada L"))
    websocket_url = re.search(r'data-session-websocket-url="([^"]+)"', body)
    assert websocket_url is not None

    screen = await read_screen(websocket_url.group(1) + "?width=100&height=30", "learner: Ada L")

    assert "learner: Ada L" in screen


# -- starting and stopping ----------------------------------------------------------------------


async def test_sessions_open_the_course_and_data_folder_the_server_was_given(
    tmp_path: Path,
) -> None:
    chosen = tmp_path / "chosen-data"
    served = start_server(tmp_path, "--course", str(COURSE), "--data-dir", str(chosen))
    try:
        url = f"ws://127.0.0.1:{served.port}/ws/{learner_token('cy')}?width=100&height=30"
        screen = await read_screen(url, "A test course")
    finally:
        stop_server(served)

    assert "A test course" in screen
    assert (chosen / "progress.sqlite3").is_file()
    assert not (tmp_path / "data").exists()


def test_with_learner_every_session_is_that_learner_and_no_name_is_asked(tmp_path: Path) -> None:
    served = start_server(tmp_path, "--learner", "Lab Bench 4")
    try:
        status, _, body = fetch(served.url + "?learner=someone-else")
    finally:
        stop_server(served)

    assert status == 200
    assert "<title>ivstem — Lab Bench 4</title>" in body
    assert f"/ws/{learner_token('Lab Bench 4')}" in body


def test_the_server_process_itself_never_loads_textual() -> None:
    code = ("import sys, tui.cli.serve, tui.serve;"
            " print([m for m in sys.modules if m.split('.')[0] == 'textual'])")

    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60, check=True)

    assert result.stdout.strip() == "[]"


async def test_ctrl_c_closes_the_open_sessions_and_stops_without_a_traceback(
    tmp_path: Path,
) -> None:
    served = start_server(tmp_path)
    try:
        url = f"ws://127.0.0.1:{served.port}/ws/{learner_token('bo')}?width=80&height=24"
        assert "learner: bo" in await read_screen(url, "learner: bo")
        # Keep a session open, its screen drawing, while the server is stopped.
        drawn = asyncio.Event()
        reader = asyncio.create_task(read_screen(url, "never shown", drawn))
        await asyncio.wait_for(drawn.wait(), START_TIMEOUT)
        status = await asyncio.to_thread(stop_server, served)
        await asyncio.wait_for(reader, 20)
    finally:
        stop_server(served)

    stdout, stderr = served.output()
    assert status == 0
    assert "Traceback" not in stdout + stderr
    assert stdout.count("session opened") == stdout.count("session closed") == 2
    assert "stopped" in stdout


def test_a_port_in_use_is_reported_with_the_option_to_choose_another(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [*ivstem_command(), "serve", "--port", str(port)], capture_output=True, text=True,
            timeout=30, env=os.environ | {"IVSTEM_DATA_DIR": str(tmp_path)},
        )

    assert result.returncode == 1
    assert f"port {port} is already in use" in result.stderr
    assert "--port" in result.stderr
    assert "Traceback" not in result.stderr


def test_without_textual_serve_the_command_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delitem(sys.modules, "tui.serve", raising=False)
    monkeypatch.setitem(sys.modules, "textual_serve", None)

    status = main(["serve"])

    assert status == 1
    assert "pip install textual-serve" in capsys.readouterr().err


# -- learners and addresses ---------------------------------------------------------------------


def test_a_learner_name_reaches_the_app_as_one_argument_never_through_a_shell() -> None:
    name = "--help; rm -rf ~ $(reboot) `id` 'x\""
    config = ServeConfig(course_dir=Path("/courses/my course"), data_dir=Path("/lab/data"))

    command = app_command(config, name)

    assert command[0] == sys.executable
    assert f"--learner={name}" in command
    assert "--course=/courses/my course" in command
    assert "--data-dir=/lab/data" in command


@pytest.mark.parametrize("name", ["ada", "Ada Lovelace", "José/../..", "--help", "名前", "a" * 64])
def test_every_valid_learner_name_survives_the_session_address(name: str) -> None:
    token = learner_token(name)

    assert re.fullmatch(r"[A-Za-z0-9_-]+", token)
    assert learner_from_token(token) == name


@pytest.mark.parametrize("token", ["", "!!!", "%2e%2e", learner_token("bell\x07"),
                                   learner_token("a" * 65), "_w"])
def test_a_session_address_without_a_valid_learner_name_is_rejected(token: str) -> None:
    with pytest.raises(InvalidLearnerNameError):
        learner_from_token(token)


@pytest.mark.parametrize("host", ["127.0.0.1", "127.8.9.10", "::1", "[::1]", "localhost",
                                  "LOCALHOST."])
def test_loopback_hosts_are_served_without_a_warning(host: str) -> None:
    assert is_loopback(host)
    assert exposure_warning(host) is None


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20", "lab-server", "example.org"])
def test_any_other_host_is_warned_about_as_reachable_without_a_password(host: str) -> None:
    warning = exposure_warning(host)

    assert not is_loopback(host)
    assert warning is not None
    assert "other machines on the network can reach" in warning
    assert "no passwords" in warning


async def test_a_new_name_on_the_page_starts_a_profile_beside_the_others(tmp_path: Path) -> None:
    with ProgressStore.open(tmp_path / "data") as store:
        store.add_learner("ben")
    served = start_server(tmp_path, "--course", str(COURSE))
    try:
        url = f"ws://127.0.0.1:{served.port}/ws/{learner_token('Ada L')}?width=100&height=30"
        screen = await read_screen(url, "learner: Ada L")
    finally:
        stop_server(served)

    assert "learner: Ada L" in screen
    with ProgressStore.open(tmp_path / "data") as store:
        assert store.learners() == ["Ada L", "ben"]


# -- a full room, and no app left behind ----------------------------------------------------------


async def open_session(port: int, learner: str) -> tuple[Any, Any]:
    """Open `learner`'s session, wait until their course shows; (client, websocket), still open."""
    import aiohttp

    client = aiohttp.ClientSession()
    url = f"ws://127.0.0.1:{port}/ws/{learner_token(learner)}?width=100&height=30"
    try:
        websocket = await client.ws_connect(url)
        screen, deadline = b"", time.monotonic() + START_TIMEOUT
        while f"learner: {learner}".encode() not in screen:
            message = await websocket.receive(timeout=max(0.1, deadline - time.monotonic()))
            assert message.type == aiohttp.WSMsgType.BINARY, (message, screen)
            screen += message.data
    except BaseException:
        await client.close()
        raise
    return client, websocket


async def test_past_its_limit_the_server_says_the_room_is_full_until_a_place_frees(
    tmp_path: Path,
) -> None:
    import aiohttp

    served = start_server(tmp_path, "--max-sessions", "2")
    clients = []
    try:
        for learner in ("ada", "bo"):
            clients.append(await open_session(served.port, learner))

        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await open_session(served.port, "cy")
        request = urllib.request.Request(served.url + "?learner=cy")
        with pytest.raises(urllib.error.HTTPError) as page:
            urllib.request.urlopen(request, timeout=10)

        client, websocket = clients.pop(0)
        await websocket.close()
        await client.close()
        deadline = time.monotonic() + 10
        while served.output()[0].count("session closed") < 1 and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        clients.append(await open_session(served.port, "cy"))
    finally:
        for client, websocket in clients:
            await websocket.close()
            await client.close()
        stop_server(served)

    assert refused.value.status == 503
    assert page.value.code == 503
    assert page.value.headers["Retry-After"] == "30"
    body = page.value.read().decode()
    assert "The room is full" in body
    assert "Every place on this ivstem server is taken (2 in all)" in body
    assert "textual-terminal" not in body
    stdout, stderr = served.output()
    assert "At most 2 sessions at once (--max-sessions)" in stdout
    assert "room full (2 sessions): no session for learner 'cy'" in stdout
    assert "Traceback" not in stdout + stderr


def test_the_room_is_full_page_names_the_learner_safely_and_tries_again_by_itself() -> None:
    page = full_page("<b>ada</b>", 12, "/?learner=%3Cb%3E")

    assert "&lt;b&gt;ada&lt;/b&gt;" in page
    assert "<b>ada</b>" not in page
    assert "(12 in all)" in page
    assert '<meta http-equiv="refresh" content="30">' in page
    assert 'href="/?learner=%3Cb%3E"' in page


@pytest.mark.parametrize(("gigabytes", "sessions"), [(4, 32), (8, 64), (16, 128), (0.03, 1)])
def test_the_default_limit_gives_sessions_half_the_memory_at_64_mb_each(
    gigabytes: float, sessions: int
) -> None:
    assert SESSION_MEMORY == 64 * 2**20
    assert default_max_sessions(int(gigabytes * 2**30)) == sessions


def test_the_default_limit_is_printed_when_the_server_starts(tmp_path: Path) -> None:
    served = start_server(tmp_path)
    stop_server(served)

    assert (f"At most {default_max_sessions()} sessions at once (for this machine's memory;"
            " --max-sessions N)") in served.output()[0]


@pytest.mark.parametrize("value", ["0", "-3", "many"])
def test_a_session_limit_that_is_not_a_positive_number_is_a_usage_error(value: str) -> None:
    result = subprocess.run([*ivstem_command(), "serve", "--max-sessions", value],
                            capture_output=True, text=True, timeout=30)

    assert result.returncode == 2
    assert "--max-sessions" in result.stderr
    assert "Traceback" not in result.stderr


@needs_proc
async def test_a_server_killed_with_sigkill_leaves_no_app_process_behind(tmp_path: Path) -> None:
    served = start_server(tmp_path)
    clients = []
    try:
        for learner in ("ada", "bo"):
            clients.append(await open_session(served.port, learner))
        apps = app_processes(served)
        served.process.kill()
        served.process.wait(timeout=10)
        left = await asyncio.to_thread(wait_until_ended, apps, 5.0)
    finally:
        for client, websocket in clients:
            await websocket.close()
            await client.close()
        stop_server(served)

    assert len(apps) == 2
    assert all("tui.serve_session" in command for command in apps.values()), apps
    assert left == []


_LIFELINE_CHILD = """
import sys, time
from tui.serve_session import watch_lifeline
watch_lifeline(int(sys.argv[1]))
print("ready", flush=True)
time.sleep(60)
"""


def test_an_app_ends_when_its_lifeline_to_the_server_closes() -> None:
    read_end, write_end = os.pipe()
    child = subprocess.Popen([sys.executable, "-c", _LIFELINE_CHILD, str(read_end)],
                             pass_fds=(read_end,), stdout=subprocess.PIPE, text=True)
    os.close(read_end)
    try:
        assert child.stdout is not None
        assert child.stdout.readline() == "ready\n"
        os.close(write_end)  # what the kernel does when the server dies
        status = child.wait(timeout=5)
    finally:
        child.kill()
        child.wait()

    assert status == EXIT_SERVER_GONE


_ORPHAN = """
import os, sys, time
from tui.serve_session import die_with_server
assert die_with_server(int(sys.argv[1]))
print("ready", flush=True)
time.sleep(60)
"""
_SERVER = """
import os, subprocess, sys, time
child = subprocess.Popen([sys.executable, "-c", sys.argv[1], str(os.getpid())])
print(child.pid, flush=True)
time.sleep(60)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl is Linux's")
@needs_proc
def test_on_linux_an_app_is_killed_by_the_kernel_when_its_server_dies() -> None:
    # No lifeline here: only the parent-death signal can end the app.
    server = subprocess.Popen([sys.executable, "-c", _SERVER, _ORPHAN],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        app = int(server.stdout.readline())
        assert server.stdout.readline() == "ready\n"
        server.kill()
        server.wait()
        left = wait_until_ended([app], 5.0)
    finally:
        server.kill()
        server.wait()

    assert left == []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl is Linux's")
def test_an_app_whose_server_died_before_it_could_ask_for_the_signal_ends_at_once() -> None:
    # Its parent here is pytest, not the server (process 1) it was told of: that server is gone.
    code = ("from tui.serve_session import die_with_server; die_with_server(1);"
            " print('still here')")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=30)

    assert result.returncode == EXIT_SERVER_GONE
    assert "still here" not in result.stdout
