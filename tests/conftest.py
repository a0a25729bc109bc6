"""Shared fixtures: every test runs with its own data folder, away from the real user's files."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"


@pytest.fixture(autouse=True)
def _own_data_dir(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """Keep the machine running the tests out of them: progress goes to a fresh folder."""
    data_dir = tmp_path_factory.mktemp("ivstem-data")
    monkeypatch.setenv("IVSTEM_DATA_DIR", str(data_dir))
    monkeypatch.setenv("XDG_DATA_HOME", str(data_dir / "xdg"))
    # Nor to the lab's Learning Record Store: no test sends to one unless it says so.
    monkeypatch.setenv("XDG_CONFIG_HOME", str(data_dir / "xdg-config"))
    for name in ("IVSTEM_LRS_URL", "IVSTEM_LRS_AUTH", "IVSTEM_LRS_HOMEPAGE"):
        monkeypatch.delenv(name, raising=False)
    yield data_dir
