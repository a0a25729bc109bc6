"""Where the lab's LRS is and the credentials: the environment, then the config file; never
the command line, never printed."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from course.record.lrs.config import (
    LrsConfigError,
    config_path,
    configured,
    load_config,
)

URL = "https://lrs.example.edu/xAPI/"


def basic(pair: str) -> str:
    return "Basic " + base64.b64encode(pair.encode()).decode()


def test_no_address_anywhere_means_no_lrs(tmp_path: Path) -> None:
    assert load_config({}, tmp_path / "none.toml") is None
    assert not configured({}, tmp_path / "none.toml")


def test_the_environment_gives_the_address_and_the_credentials(tmp_path: Path) -> None:
    config = load_config({"IVSTEM_LRS_URL": URL, "IVSTEM_LRS_AUTH": "lab:s3cr:et"},
                         tmp_path / "none.toml")
    assert config is not None
    assert config.statements_url == "https://lrs.example.edu/xAPI/statements"
    assert config.authorization == basic("lab:s3cr:et")
    assert config.host == "lrs.example.edu"
    assert "s3cr" not in repr(config) and "Basic" not in repr(config)


def test_the_credentials_may_be_a_file_that_holds_them(tmp_path: Path) -> None:
    secret = tmp_path / "lrs-credentials"
    secret.write_text("lab:from-a-file\n", encoding="utf-8")
    config = load_config({"IVSTEM_LRS_URL": URL, "IVSTEM_LRS_AUTH": str(secret)},
                         tmp_path / "none.toml")
    assert config is not None and config.authorization == basic("lab:from-a-file")


@pytest.mark.parametrize("value", ["only-a-password", "/no/such/file", "~/missing:file"])
def test_credentials_that_are_neither_a_pair_nor_a_file_are_refused_without_repeating_them(
        tmp_path: Path, value: str) -> None:
    with pytest.raises(LrsConfigError) as caught:
        load_config({"IVSTEM_LRS_URL": URL, "IVSTEM_LRS_AUTH": value}, tmp_path / "none.toml")
    assert "IVSTEM_LRS_AUTH must be user:password" in str(caught.value)
    assert value not in str(caught.value)


@pytest.mark.parametrize(("url", "words"), [
    ("lrs.example.edu/xAPI/", "must start with https:// or http://"),
    ("ftp://lrs.example.edu/", "must start with https:// or http://"),
    ("https://lab:pw@lrs.example.edu/xAPI/", "holds credentials"),
])
def test_an_address_that_cannot_be_used_is_refused(tmp_path: Path, url: str,
                                                   words: str) -> None:
    with pytest.raises(LrsConfigError) as caught:
        load_config({"IVSTEM_LRS_URL": url}, tmp_path / "none.toml")
    assert words in str(caught.value) and "pw" not in str(caught.value)


def test_the_config_file_in_the_user_config_folder_is_read(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    path = config_path()
    assert path == tmp_path / "config" / "ivstem" / "lrs.toml"
    path.parent.mkdir(parents=True)
    secret = tmp_path / "secret"
    secret.write_text("lab:pw", encoding="utf-8")
    path.write_text(f'url = "{URL}"\nauth_file = "{secret}"\nhomepage = "https://school.example.edu"\n',
                    encoding="utf-8")
    assert configured({})
    config = load_config({})
    assert config is not None
    assert (config.url, config.authorization, config.homepage) == (
        URL, basic("lab:pw"), "https://school.example.edu")
    # The environment comes first, setting by setting.
    config = load_config({"IVSTEM_LRS_AUTH": "other:pw2"})
    assert config is not None and config.url == URL and config.authorization == basic("other:pw2")


@pytest.mark.parametrize(("text", "words"), [
    ('url = "https://x/"\nhome_page = "a:b"\n',
     "unknown setting 'home_page'. Did you mean 'homepage'"),
    ('url = "https://x/\n', "is not valid TOML"),
    ('url = "https://x/"\nauth = "a:b"\nauth_file = "f"\n', "give auth or auth_file, not both"),
    ('url = "https://x/"\nauth = "no-colon"\n', "must hold user:password"),
    ('url = "https://x/"\nhomepage = "school"\n', "must be an address"),
    ('url = 3\n', "url must be a non-empty text"),
])
def test_a_config_file_with_a_mistake_is_refused_with_the_reason(
        tmp_path: Path, text: str, words: str) -> None:
    path = tmp_path / "lrs.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LrsConfigError) as caught:
        load_config({}, path)
    assert words in str(caught.value) and str(path) in str(caught.value)
    assert "no-colon" not in str(caught.value)


def test_the_instructors_address_comes_before_the_labs(tmp_path: Path) -> None:
    config = load_config({"IVSTEM_LRS_URL": URL, "IVSTEM_LRS_AUTH": "a:b"},
                         tmp_path / "none.toml", url="http://127.0.0.1:8100/xAPI/statements")
    assert config is not None
    assert config.statements_url == "http://127.0.0.1:8100/xAPI/statements"
