"""`ivstem serve`'s log holds what the lab administrator needs, not harmless tracebacks.

A browser tab closed while its course was still starting made the app log a crash (Textual's
header looking for its title after the shutdown had removed it) and print it, with a
"never awaited" warning, into the server's log. Nothing was lost in those, so nothing is said;
an error while the app runs is still logged.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest
from textual.css.query import NoMatches

from course.record.progress import ProgressStore
from tests.test_serve import COURSE, START_TIMEOUT, start_server, stop_server
from tui.app import make_app
from tui.serve import learner_token


async def test_tabs_closed_while_their_course_starts_leave_nothing_in_the_log(
        tmp_path: Path) -> None:
    import aiohttp

    served = start_server(tmp_path)
    try:
        url = f"ws://127.0.0.1:{served.port}/ws/{learner_token('ana')}?width=80&height=24"
        for _ in range(3):
            async with aiohttp.ClientSession() as client:
                websocket = await client.ws_connect(url)
                await websocket.close()
        deadline = time.monotonic() + START_TIMEOUT
        while served.output()[0].count("session closed") < 3 and time.monotonic() < deadline:
            await asyncio.sleep(0.2)
    finally:
        stop_server(served)
    stdout, stderr = served.output()
    assert stdout.count("session closed") == 3
    log = stdout + stderr
    assert "unexpected error" not in log
    assert "Traceback" not in log
    assert "RuntimeWarning" not in log
    assert "Unknown child process" not in log
    assert not (tmp_path / "data" / "ivstem-crash.log").exists()


def test_a_widget_missing_its_child_during_shutdown_is_no_crash(tmp_path: Path) -> None:
    app = make_app(COURSE, learner="ana", store=ProgressStore.in_memory(), data_dir=tmp_path)
    app._handle_exception(NoMatches("No nodes match 'HeaderTitle' on Header()"))  # not running
    assert app.crash_log is None
    assert not (tmp_path / "ivstem-crash.log").exists()


async def test_the_same_error_while_the_app_runs_is_still_logged(tmp_path: Path) -> None:
    app = make_app(COURSE, learner="ana", store=ProgressStore.in_memory(), data_dir=tmp_path)
    with pytest.raises(NoMatches):  # run_test raises the app's error again, as it should
        async with app.run_test(size=(80, 24)):
            await app.loaded.wait()
            app._handle_exception(NoMatches("No nodes match '#gone'"))
    assert app.crash_log is not None
    assert (tmp_path / "ivstem-crash.log").exists()
