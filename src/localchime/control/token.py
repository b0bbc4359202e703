"""The control token: where the server gets it and where its clients find it.

The server takes, in order: `--control-token` / `LOCALCHIME_CONTROL_TOKEN`, then the file named
by `--control-token-file` / `LOCALCHIME_CONTROL_TOKEN_FILE`. Under `--auth verify` with neither,
it makes one: kept in the database's `meta` table (replicas on one PostgreSQL database share it)
and written to `<data dir>/control-token`, mode 0600, where the CLI finds it. With `--auth off`
and none, the control API stays open, as on a laptop, and the server binds to loopback only.

Clients (the `localchime` commands, `mock_chime` against a server) look the same way:
`LOCALCHIME_CONTROL_TOKEN`, then `LOCALCHIME_CONTROL_TOKEN_FILE`, then the data directory's
`control-token` (`LOCALCHIME_DATA_DIR`, default `./.localchime`).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from localchime.config import ENV_PREFIX, SettingError, Settings

if TYPE_CHECKING:
    # The CLI's client reads the token too, and must not pay for importing the store.
    from localchime.store import Store

TOKEN_FILE_NAME = "control-token"
TOKEN_ENV = ENV_PREFIX + "CONTROL_TOKEN"
TOKEN_FILE_ENV = ENV_PREFIX + "CONTROL_TOKEN_FILE"
DEFAULT_DATA_DIR = ".localchime"
_META_KEY = "control_token"


@dataclass(frozen=True, slots=True)
class ControlToken:
    value: str | None
    where: str
    """Said on start: where the token came from or was stored, never the token itself."""


def server_token(settings: Settings, store: Store) -> ControlToken:
    """The token the server requires, or None (open control API) with `--auth off`."""
    if settings.control_token:
        return ControlToken(
            settings.control_token, "given by --control-token or LOCALCHIME_CONTROL_TOKEN"
        )
    if settings.control_token_file is not None:
        path = Path(settings.control_token_file)
        return ControlToken(read_token_file(path, "control_token_file"), f"read from {path}")
    if settings.auth != "verify":
        return ControlToken(None, "none: the control API is open (--auth off)")
    token = store.seeded_meta_value(_META_KEY, secrets.token_urlsafe(32))
    if settings.ephemeral:
        # Nothing goes to disk in this mode; the operator has no other way to learn it.
        return ControlToken(token, f"generated for this ephemeral run: {token}")
    path = write_token_file(settings.data_dir, token)
    return ControlToken(token, f"generated, stored in {path} (mode 0600)")


def read_token_file(path: Path, setting: str) -> str:
    try:
        token = path.read_text().strip()
    except OSError as error:
        shown = f"{path}: {error.strerror}"
        raise SettingError(setting, "must name a readable file", shown) from None
    if not token or any(c.isspace() for c in token):
        raise SettingError(setting, "must name a file holding the token on one line", str(path))
    return token


def write_token_file(data_dir: Path, token: str) -> Path:
    """Written 0600 from the start: a file created then chmodded is readable in between."""
    private_data_dir(data_dir)
    path = data_dir / TOKEN_FILE_NAME
    descriptor = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    try:
        os.fchmod(descriptor, 0o600)
        os.write(descriptor, (token + "\n").encode())
    finally:
        os.close(descriptor)
    return path


def private_data_dir(data_dir: Path) -> None:
    """The data directory, 0700: it holds the database and the token."""
    data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(data_dir, 0o700)


def client_token(environ: Mapping[str, str] | None = None) -> str | None:
    """The token a client sends, found as the module docstring says; None if there is none."""
    environ = os.environ if environ is None else environ
    if environ.get(TOKEN_ENV):
        return environ[TOKEN_ENV]
    named = environ.get(TOKEN_FILE_ENV)
    if named:
        return read_token_file(Path(named), "control_token_file")
    stored = Path(environ.get(ENV_PREFIX + "DATA_DIR") or DEFAULT_DATA_DIR) / TOKEN_FILE_NAME
    try:
        return stored.read_text().strip() or None
    except OSError:
        return None
