"""Where a lab's Learning Record Store is, and the credentials to send to it.

Read from the environment, then from a small file in the user's config folder
(`~/.config/ivstem/lrs.toml` on Linux), each setting on its own:

- `IVSTEM_LRS_URL` / `url`: the LRS's xAPI address (`https://lrs.example.edu/xAPI/`);
- `IVSTEM_LRS_AUTH` / `auth`: `user:password`, or the path of a file holding that line
  (`auth_file` in the config file);
- `IVSTEM_LRS_HOMEPAGE` / `homepage`: the home page of the learners' xAPI accounts (default:
  the course's `settings.xapi_homepage`, else `urn:ivstem`).

The credentials are never taken on the command line (other users see it in the process
list), never printed, and kept out of this object's `repr`.
"""

from __future__ import annotations

import base64
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ENV_URL = "IVSTEM_LRS_URL"
ENV_AUTH = "IVSTEM_LRS_AUTH"
ENV_HOMEPAGE = "IVSTEM_LRS_HOMEPAGE"
CONFIG_NAME = "lrs.toml"
CONFIG_KEYS = ("url", "auth", "auth_file", "homepage")

#: An IRI as xAPI wants an account's home page: a scheme, a colon, and no spaces.
_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:\S+")


class LrsConfigError(Exception):
    """The LRS settings cannot be used; `str()` says which and what to do, without secrets."""


@dataclass(frozen=True)
class LrsConfig:
    """An LRS to send statements to: its address, the credentials and the account home page."""

    url: str
    """The xAPI address as given (shown in messages)."""
    authorization: str | None = field(default=None, repr=False)
    """The HTTP Authorization header (`Basic …`); None to send none."""
    homepage: str | None = None
    """The account home page the lab chose; None: the course's, or the default."""

    @property
    def statements_url(self) -> str:
        """The statements resource under the address (`…/xAPI/statements`)."""
        base = self.url.rstrip("/")
        return base if base.endswith("/statements") else base + "/statements"

    @property
    def host(self) -> str:
        """The LRS's host and port, as messages name it."""
        return urlsplit(self.url).netloc


def config_path() -> Path:
    """The LRS config file in the user's config folder."""
    import platformdirs

    from course.paths import APP_NAME

    return platformdirs.user_config_path(APP_NAME, appauthor=False, roaming=False) / CONFIG_NAME


def configured(environ: Mapping[str, str] | None = None, path: Path | None = None) -> bool:
    """True when an LRS address is set, in the environment or in the config file."""
    env = os.environ if environ is None else environ
    return bool(env.get(ENV_URL, "").strip()) or (path or config_path()).is_file()


def load_config(environ: Mapping[str, str] | None = None, path: Path | None = None,
                *, url: str | None = None) -> LrsConfig | None:
    """The LRS settings, or None when no address is set anywhere.

    `url` (the instructor's `--lrs URL`) stands before the environment and the file. Raises
    LrsConfigError for settings that cannot be used: an address that is not http(s), holds
    credentials or has no host; credentials that are not `user:password`; an unreadable or
    malformed config file; a home page that is not an IRI.
    """
    env = os.environ if environ is None else environ
    path = path or config_path()
    settings = _read_file(path) if path.is_file() else {}
    chosen_url = url or env.get(ENV_URL, "").strip() or settings.get("url")
    if not chosen_url:
        return None
    where_url = "--lrs" if url else ENV_URL if env.get(ENV_URL, "").strip() else f"{path} (url)"
    _check_url(chosen_url, where_url)
    authorization = None
    if env.get(ENV_AUTH, "").strip():
        authorization = _credentials(env[ENV_AUTH].strip(), ENV_AUTH)
    elif "auth" in settings:
        authorization = _basic(settings["auth"], f"{path} (auth)")
    elif "auth_file" in settings:
        authorization = _from_file(Path(settings["auth_file"]).expanduser(),
                                   f"{path} (auth_file)")
    homepage = env.get(ENV_HOMEPAGE, "").strip() or settings.get("homepage") or None
    if homepage is not None:
        check_homepage(homepage, ENV_HOMEPAGE if env.get(ENV_HOMEPAGE, "").strip()
                       else f"{path} (homepage)")
    return LrsConfig(chosen_url, authorization, homepage)


def check_homepage(homepage: str, where: str) -> None:
    """Refuse an account home page that is not an IRI (xAPI requires one)."""
    if not _IRI.fullmatch(homepage):
        raise LrsConfigError(
            f"{where}: the account home page must be an address such as"
            f" https://school.example.edu or urn:ivstem, not {homepage!r}.")


# -- helpers ----------------------------------------------------------------------------------


def _read_file(path: Path) -> dict[str, str]:
    import difflib
    import tomllib

    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except OSError as exc:
        raise LrsConfigError(f"{path} cannot be read: {exc.strerror or exc}.") from exc
    except tomllib.TOMLDecodeError as exc:
        raise LrsConfigError(f"{path} is not valid TOML: {exc}.") from exc
    settings: dict[str, str] = {}
    for key, value in data.items():
        if key not in CONFIG_KEYS:
            close = difflib.get_close_matches(key, CONFIG_KEYS, n=1)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            raise LrsConfigError(f"{path}: unknown setting {key!r}.{hint} The settings are:"
                                 f" {', '.join(CONFIG_KEYS)}.")
        if not isinstance(value, str) or not value.strip():
            raise LrsConfigError(f"{path}: {key} must be a non-empty text in quotes.")
        settings[key] = value.strip()
    if "auth" in settings and "auth_file" in settings:
        raise LrsConfigError(f"{path}: give auth or auth_file, not both.")
    return settings


def _check_url(url: str, where: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise LrsConfigError(f"{where}: the LRS address must start with https:// or http://"
                             " and name a host, such as https://lrs.example.edu/xAPI/.")
    if parts.username is not None or parts.password is not None:
        # Not repeated: the address holds a password.
        raise LrsConfigError(f"{where}: the LRS address holds credentials; give them in"
                             f" {ENV_AUTH} or the config file's auth instead.")


def _credentials(value: str, where: str) -> str:
    """`user:password`, or the path of a file that holds it."""
    candidate = Path(value).expanduser()
    if candidate.is_file():
        return _from_file(candidate, where)
    if ":" in value and not value.startswith(("/", "~", ".")):
        return _basic(value, where)
    # The value is not repeated: it may be a mistyped password.
    raise LrsConfigError(f"{where} must be user:password, or the path of a file holding"
                         " user:password; it is neither (no such file).")


def _from_file(path: Path, where: str) -> str:
    try:
        text = path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise LrsConfigError(f"{where}: the credentials file {path} cannot be read:"
                             f" {reason}.") from exc
    return _basic(text.splitlines()[0].strip() if text else "", f"{where}: the file {path}")


def _basic(pair: str, where: str) -> str:
    user, colon, password = pair.partition(":")
    if not colon or not user:
        raise LrsConfigError(f"{where} must hold user:password (a name, a colon, the"
                             " password).")
    token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
    return f"Basic {token}"
