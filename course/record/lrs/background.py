"""The background sender: the outbox goes to the LRS while the learner studies.

A thread of its own, so that the screen never waits for the network: it sends what earlier
sessions left queued as soon as it starts, then sleeps until an act queues a statement (`wake`).
After a fault it waits before trying again, twice as long each time up to five minutes, however
often it is woken: an LRS that is down is not asked again and again. Stopping it leaves in the
outbox whatever was not sent; the next session, or `ivstem progress sync`, sends it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from course.record.lrs.config import LrsConfig
from course.record.lrs.sending import TIMEOUT, SyncResult, sync_outbox
from course.record.progress import ProgressStore, StoreError

#: Seconds to wait after the first fault; doubled after each one in a row, up to `MAX_BACKOFF`.
FIRST_BACKOFF = 2.0
MAX_BACKOFF = 300.0


def backoff(faults: int) -> float:
    """Seconds to wait after `faults` faults in a row."""
    return min(FIRST_BACKOFF * 2 ** max(faults - 1, 0), MAX_BACKOFF)


class BackgroundSender:
    """Sends a store's outbox to an LRS from a daemon thread.

    `on_round` is called (from the thread) after each round with its `SyncResult`, for an
    interface that shows how many statements wait.
    """

    def __init__(self, store: ProgressStore, config: LrsConfig, *,
                 on_round: Callable[[SyncResult], None] | None = None,
                 timeout: float = TIMEOUT) -> None:
        self.store = store
        self.config = config
        self.on_round = on_round
        self.timeout = timeout
        self.faults = 0
        self.last: SyncResult | None = None
        self.error: str | None = None  # why sending stopped, if it did on an unexpected error
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="ivstem-lrs", daemon=True)

    def start(self) -> None:
        """Start sending: what is queued now goes at once."""
        self._wake.set()
        self._thread.start()

    def wake(self) -> None:
        """A statement was queued: send it (unless waiting after a fault)."""
        self._wake.set()

    def stop(self, wait: float = 2.0) -> None:
        """Stop sending, within `wait` seconds: in that time, unless the LRS is failing, what is
        queued is sent first (the learner's last answer, say)."""
        deadline = time.monotonic() + wait
        while self.running and not self.faults and self.error is None:
            try:
                if not self.store.outbox_status().waiting:
                    break
            except StoreError:
                break
            if time.monotonic() >= deadline:
                break
            self._wake.set()
            time.sleep(0.05)
        self._stop.set()
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join(max(deadline - time.monotonic(), 0.1))

    @property
    def running(self) -> bool:
        """Whether the thread is still sending or waiting to."""
        return self._thread.is_alive()

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait()
            self._wake.clear()
            if self._stop.is_set():
                return
            try:
                result = sync_outbox(self.store, self.config, stop=self._stop,
                                     timeout=self.timeout)
            except StoreError:
                return  # the store is closed or failing: the app says so; nothing to send from
            except Exception as exc:  # a thread's traceback would cover the learner's screen
                self.error = f"sending to the LRS stopped: {exc}"
                return
            self.last = result
            if self.on_round is not None:
                self.on_round(result)
            if result.fault is not None:
                self.faults += 1
                # Woken or not, wait: then try again with what is queued by then.
                self._stop.wait(backoff(self.faults))
                self._wake.set()
            else:
                self.faults = 0
