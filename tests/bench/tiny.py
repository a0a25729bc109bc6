"""Whether a bench runs tiny: for a few seconds, to show that it still works, its figures
meaningless.

Asked for with `--tiny` on a bench's command line or IVSTEM_BENCH_TINY=1 in the environment;
`tests/test_benches.py` runs every bench so, in CI, so that none can rot unnoticed.
"""

from __future__ import annotations

import os
import sys

#: The environment variable that asks for tiny runs.
ENV = "IVSTEM_BENCH_TINY"


def tiny() -> bool:
    """True when the bench should run tiny."""
    return "--tiny" in sys.argv[1:] or os.environ.get(ENV, "") not in ("", "0")


def sized(full: int, small: int) -> int:
    """`full`, or `small` in a tiny run."""
    return small if tiny() else full


def arguments() -> list[str]:
    """The bench's own command-line arguments, without `--tiny`."""
    return [arg for arg in sys.argv[1:] if arg != "--tiny"]
