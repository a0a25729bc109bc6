"""`ivstem serve` in a real browser: headless Chromium, driven by keys, as a student uses it.

The browser is Debian's `chromium`, driven through its `chromedriver` (package `chromium-driver`)
with selenium; nothing is downloaded. Without them the tests are skipped, except in CI
(`CI=true`), where `.ci/run` installs them and a missing browser is a failure.

xterm.js draws the terminal on a canvas, so the screen is read from xterm's own buffer: a
script added before the page's own ones catches the terminal object when textual.js stores it.
"""

from __future__ import annotations

import asyncio
import http.server
import os
import re
import shutil
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.test_serve import (
    COURSE,
    START_TIMEOUT,
    Served,
    app_processes,
    free_port,
    needs_proc,
    open_session,
    start_server,
    stop_server,
    wait_until_ended,
)

#: Chromium's switches: no sandbox (tests may run as root), no GPU, and nothing that reaches
#: the network on its own (updates, sync, first-run pages).
CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--window-size=1024,768",
)

#: Runs in every page before its scripts: keeps the xterm.js terminal that textual.js creates
#: (it assigns `this.terminal = new Terminal(...)`) in `window.ivstemTerminals`.
CATCH_TERMINAL = """
window.ivstemTerminals = [];
Object.defineProperty(Object.prototype, "terminal", {
  configurable: true,
  set: function (value) {
    Object.defineProperty(this, "terminal", {value: value, writable: true, enumerable: true,
                                             configurable: true});
    if (value && value.buffer && typeof value.write === "function") {
      window.ivstemTerminals.push(value);
    }
  },
});
"""

#: The terminal's visible rows as text, or null before the terminal exists.
READ_SCREEN = """
var terminal = window.ivstemTerminals && window.ivstemTerminals[0];
if (!terminal) { return null; }
var buffer = terminal.buffer.active, rows = [];
for (var row = 0; row < terminal.rows; row++) {
  var line = buffer.getLine(buffer.viewportY + row);
  rows.push(line ? line.translateToString(true) : "");
}
return rows.join("\\n");
"""


# -- the browser ----------------------------------------------------------------------------------


def _missing_browser() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    programs = [name for name in ("chromium", "chromedriver") if shutil.which(name) is None]
    missing = []
    if programs:
        missing.append(f"{' and '.join(programs)} (Debian: apt-get install chromium"
                       " chromium-driver; .ci/run installs them)")
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("the selenium package (pip install -e '.[test]')")
    return f"needs {' and '.join(missing)}" if missing else None


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
    """Headless Chromium with a new, empty profile; quit after the test."""
    reason = _missing_browser()
    if reason is not None:
        if os.environ.get("CI", "").lower() in ("true", "1", "yes"):
            pytest.fail(f"the browser tests must run in CI, but this machine {reason}")
        pytest.skip(reason)
    from selenium import webdriver

    options = webdriver.ChromeOptions()
    options.binary_location = str(shutil.which("chromium"))
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    profile = tmp_path / "chromium-profile"
    profile.mkdir()
    options.add_argument(f"--user-data-dir={profile}")
    # Naming the driver keeps Selenium Manager from looking for (or downloading) one.
    service = webdriver.ChromeService(executable_path=str(shutil.which("chromedriver")))
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_page_load_timeout(START_TIMEOUT)
    try:
        yield driver
    finally:
        driver.quit()


def open_tab(driver: Any, url: str, *, new: bool = False) -> str:
    """Load `url` (in a new tab if `new`), ready to read its terminal; the tab's handle."""
    if new:
        driver.switch_to.new_window("tab")
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": CATCH_TERMINAL})
    driver.get(url)
    return str(driver.current_window_handle)


def screen(driver: Any) -> str:
    """The text on the current tab's terminal ("" before it exists)."""
    return str(driver.execute_script(READ_SCREEN) or "")


def wait_for(driver: Any, test: Callable[[str], bool], what: str,
             seconds: float = START_TIMEOUT) -> str:
    """Wait until `test` holds for the terminal's text; that text."""
    deadline = time.monotonic() + seconds
    while not test(text := screen(driver)):
        if time.monotonic() > deadline:
            raise AssertionError(f"the browser never showed {what}; its screen:\n{text}")
        time.sleep(0.1)
    return text


def wait_for_text(driver: Any, words: str) -> str:
    return wait_for(driver, lambda text: words in text, repr(words))


def press(driver: Any, *keys: str) -> None:
    """Type `keys` into the terminal, as a student at the keyboard does."""
    from selenium.webdriver.common.action_chains import ActionChains

    # A student clicks into the terminal first; focusing it does the same without a click
    # that the app would also receive.
    driver.execute_script("document.querySelector('.xterm-helper-textarea').focus()")
    for key in keys:
        ActionChains(driver).send_keys(key).perform()


def answer_the_first_check_right(driver: Any) -> None:
    """From the welcome screen: start, continue to the lesson's check, and answer it right."""
    from selenium.webdriver.common.keys import Keys

    press(driver, Keys.ENTER)
    wait_for_text(driver, "Continue where you left off")
    press(driver, "c")
    wait_for_text(driver, "step 1 of 4")
    press(driver, "n")
    wait_for_text(driver, "step 2 of 4")
    press(driver, "n")
    # The options are shuffled for each learner: find the right one's number on the screen.
    shown = wait_for(driver, lambda text: re.search(r"(\d) \( \) Paracrine", text) is not None,
                     "the check's options")
    number = re.search(r"(\d) \( \) Paracrine", shown)
    assert number is not None
    press(driver, number.group(1), Keys.ENTER)
    wait_for_text(driver, "✓ Right")


def app_of(served: Served, learner: str) -> int:
    """The process id of `learner`'s app."""
    apps = [pid for pid, command in app_processes(served).items()
            if f"--learner={learner} " in command]
    assert len(apps) == 1, app_processes(served)
    return apps[0]


# -- the tests ------------------------------------------------------------------------------------


@needs_proc
def test_a_learner_names_themself_studies_by_keyboard_and_closing_the_tab_ends_their_app(
    tmp_path: Path, browser: Any
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    served = start_server(tmp_path, "--course", str(COURSE))
    try:
        open_tab(browser, served.url)
        browser.find_element(By.ID, "learner").send_keys("Ada L", Keys.ENTER)
        welcome = wait_for_text(browser, "A test course")
        address = browser.current_url
        answer_the_first_check_right(browser)
        app = app_of(served, "Ada L")

        home = open_tab(browser, "about:blank", new=True)
        browser.switch_to.window(browser.window_handles[0])
        browser.close()
        browser.switch_to.window(home)
        left = wait_until_ended([app], 5.0)
    finally:
        stop_server(served)

    assert urllib.parse.urlsplit(address).query == "learner=Ada+L"
    assert "ivstem — learner: Ada L" in welcome
    assert left == [], "the app of a closed tab is still running"
    stdout, stderr = served.output()
    assert "session closed for learner 'Ada L'" in stdout
    assert "Traceback" not in stdout + stderr


def test_two_learners_at_once_each_see_their_own_progress(tmp_path: Path, browser: Any) -> None:
    from selenium.webdriver.common.keys import Keys

    served = start_server(tmp_path, "--course", str(COURSE))
    try:
        ann = open_tab(browser, served.url + "?learner=Ann")
        wait_for_text(browser, "learner: Ann")
        bob = open_tab(browser, served.url + "?learner=Bob", new=True)
        wait_for_text(browser, "learner: Bob")

        browser.switch_to.window(ann)
        answer_the_first_check_right(browser)
        press(browser, Keys.ESCAPE)
        ann_map = wait_for_text(browser, "In progress")

        browser.switch_to.window(bob)
        press(browser, Keys.ENTER)
        bob_map = wait_for(browser, lambda text: "○ Open" in text or "In progress" in text,
                           "Bob's map")
        browser.switch_to.window(ann)
        ann_again = screen(browser)
    finally:
        stop_server(served)

    assert "learner: Ann" in ann_map
    assert "◐ In progress" in ann_map
    assert "learner: Bob" in bob_map
    assert "○ Open" in bob_map
    assert "In progress" not in bob_map
    assert "learner: Ann" in ann_again and "◐ In progress" in ann_again


async def test_a_browser_that_finds_the_room_full_is_shown_the_room_is_full_page(
    tmp_path: Path, browser: Any
) -> None:
    released = threading.Event()

    class Hold(http.server.BaseHTTPRequestHandler):
        """Answers only once `released` is set: holds back the page's connection."""

        def do_GET(self) -> None:
            released.wait(START_TIMEOUT)
            self.send_response(204)
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    served = start_server(tmp_path, "--course", str(COURSE), "--max-sessions", "1")
    hold = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), Hold)
    threading.Thread(target=hold.serve_forever, daemon=True).start()
    ping = f"http://127.0.0.1:{hold.server_address[1]}/hold"
    taken = None
    try:
        # Bob's page is served while there is room, but (textual.js waits for `ping` first)
        # connects only after Ada has taken the last place.
        open_tab(browser, served.url + "?" + urllib.parse.urlencode(
            {"learner": "Bob", "ping": ping}))
        taken = await open_session(served.port, "Ada")
        released.set()
        await asyncio.to_thread(_wait_for_title, browser, "the room is full")
        raced = browser.page_source
        # And a browser that comes while the room is full gets the page straight away.
        await asyncio.to_thread(open_tab, browser, served.url + "?learner=Cy", new=True)
        direct = browser.page_source
    finally:
        hold.shutdown()
        if taken is not None:
            await taken[1].close()
            await taken[0].close()
        stop_server(served)

    for page in (raced, direct):
        assert "<h1>The room is full</h1>" in page
        assert "Every place on this ivstem server is taken (1 in all)" in page
    assert "cannot open for Bob just now" in raced
    assert "cannot open for Cy just now" in direct
    stdout, _ = served.output()
    assert "no session for learner 'Bob'" in stdout
    assert "no session for learner 'Cy'" in stdout


def _wait_for_title(driver: Any, words: str) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while words not in driver.title:
        if time.monotonic() > deadline:
            raise AssertionError(f"the page never became {words!r}: {driver.page_source}")
        time.sleep(0.1)
