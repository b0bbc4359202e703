"""`--access-log`: one line per request, naming the operation and the account, never a phone
number, an address or a secret."""

from __future__ import annotations

import re
from pathlib import Path

from tests.harness import ServerChime

NUMBER = "+12065550100"


def test_access_log_names_operations_not_values(tmp_path: Path) -> None:
    server = ServerChime("--data-dir", str(tmp_path), "--access-log")
    server.start()
    try:
        client = server.client("111122223333")
        client.create_phone_number_order(ProductType="VoiceConnector", E164PhoneNumbers=[NUMBER])
        server.advance(5)
        client.get_phone_number(PhoneNumberId=NUMBER)
        client.validate_e911_address(
            AwsAccountId="111122223333",
            StreetNumber="600",
            StreetInfo="4th Ave",
            City="Seattle",
            State="WA",
            Country="US",
            PostalCode="98104",
        )
    finally:
        _, stderr = server.stop()
    lines = [line for line in stderr.splitlines() if "localchime.access" in line]
    pattern = r"INFO localchime\.access: {} {} {} [0-9.]+ms [0-9a-f-]{{36}} 111122223333$"
    assert re.search(pattern.format("POST", "CreatePhoneNumberOrder", 201), lines[0]), lines
    assert any(re.search(pattern.format("GET", "GetPhoneNumber", 200), line) for line in lines)
    assert any("POST control 200" in line for line in lines)
    assert any("ValidateE911Address" in line for line in lines)
    for secret in ("12065550100", "4th Ave", "Seattle", "98104", "secret"):
        assert secret not in stderr, secret


def test_without_the_flag_requests_are_not_logged(tmp_path: Path) -> None:
    server = ServerChime("--data-dir", str(tmp_path), "--log-level", "info").start()
    try:
        server.client().list_phone_numbers()
    finally:
        _, stderr = server.stop()
    assert "localchime.access" not in stderr
