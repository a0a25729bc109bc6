"""What every command shares: the options as read, the exit statuses and the usage error.

Kept apart from `tui.cli`, which imports the commands, so that the commands can import these
without importing it back.
"""

from __future__ import annotations

import argparse

#: The options as argparse reads them.
Options = argparse.Namespace

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """A mistake in how the command was called: reported in one line, exit status 2."""
