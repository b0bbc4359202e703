"""A small client of the control API, for the `localchime clock` and `localchime porting`
commands; it speaks to a running server over HTTP."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from typing import Any

from localchime.config import SettingError
from localchime.control.token import TOKEN_FILE_ENV, client_token

DEFAULT_ENDPOINT = "http://127.0.0.1:4575"
_DURATION = re.compile(r"(\d+(?:\.\d+)?)([smhdw]?)")
_UNIT_SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


class ControlClientError(Exception):
    pass


def parse_duration(text: str) -> float:
    """`90`, `90s`, `15m`, `2h`, `3d`, `1w` or combinations such as `1d12h`, in seconds."""
    parts = _DURATION.findall(text)
    if not text or "".join(n + u for n, u in parts) != text:
        raise ValueError(f"{text!r} is not a duration such as 90s, 15m, 2h, 3d or 1d12h")
    return sum(float(number) * _UNIT_SECONDS[unit] for number, unit in parts)


def call(endpoint: str, method: str, path: str, document: Any = None) -> Any:
    data = None if document is None else json.dumps(document).encode()
    request = urllib.request.Request(
        endpoint.rstrip("/") + "/_localchime" + path,
        data=data,
        method=method,
        headers={"Content-Type": "application/json"} | _token_header(),
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())
    except urllib.error.HTTPError as error:
        body = error.read()
        try:
            message = json.loads(body)["message"]
        except (ValueError, KeyError):
            message = body.decode(errors="replace")
        raise ControlClientError(f"{error.code}: {message}") from None
    except urllib.error.URLError as error:
        raise ControlClientError(f"cannot reach localchime at {endpoint}: {error.reason}") from None


def _token_header() -> dict[str, str]:
    try:
        token = client_token()
    except SettingError as error:
        raise ControlClientError(error.message(TOKEN_FILE_ENV)) from None
    return {"Authorization": f"Bearer {token}"} if token else {}
