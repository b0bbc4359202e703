"""Each resource is declared once: ARN types, taggable kinds and quotas all come from the
declarations, so a throwaway taggable resource in a test-only family is taggable through boto3,
ARN-parsable and quota-checked without any other file changing (issue 19)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from localchime import registry
from localchime.app import LocalChime
from localchime.config import Settings
from localchime.core import quotas
from localchime.core.accounts import DEFAULT_ACCOUNT, DEFAULT_REGION
from localchime.core.family import DuplicateRegistration, Family
from localchime.core.quotas import Quota, QuotaExceeded
from localchime.core.resources import Resource
from localchime.store.database import Snapshot
from localchime.testing.mock import in_process_client
from tests.harness import failure_of

SOURCES = Path(__file__).resolve().parents[1] / "src" / "localchime"

WIDGETS: set[str] = set()
"""The test family's resources: it has no table, so an id in this set is a widget that exists."""
WIDGETS_PER_ACCOUNT = Quota("widgets", "widgets", aws=2)


def _widget_exists(reads: Snapshot, account: str, region: str, ident: str) -> bool:
    return ident in WIDGETS


WIDGET = Resource(
    kind="widget",
    arn_type="widget",
    members=("WidgetId",),
    taggable=True,
    exists=_widget_exists,
    quotas=(WIDGETS_PER_ACCOUNT,),
)
WIDGET_FAMILY = Family(name="widgets", resources=(WIDGET,))


@pytest.fixture
def widgets() -> Iterator[tuple[LocalChime, Any]]:
    app = LocalChime(Settings(ephemeral=True, quota_profile="aws"), families=(WIDGET_FAMILY,))
    WIDGETS.clear()
    yield app, in_process_client(app)
    WIDGETS.clear()
    app.close()


def _files_spelling(arn_type: str) -> list[str]:
    spelled = re.compile(rf"[\"'/]{re.escape(arn_type)}[\"/]")
    return sorted(
        str(path.relative_to(SOURCES))
        for path in SOURCES.rglob("*.py")
        if spelled.search(path.read_text())
    )


def test_every_arn_type_is_spelled_in_its_declaration_only() -> None:
    declared = registry.load().resources
    types = [r.arn_type for r in declared if r.arn_type is not None]
    assert {"vc", "vcg", "sma", "sip-rule", "phone-number", "voice-profile-domain"} <= set(types)
    for arn_type in types:
        files = _files_spelling(arn_type)
        assert len(files) == 1 and files[0].endswith("/resources.py"), (arn_type, files)


def test_taggable_kinds_and_quotas_come_from_the_declarations() -> None:
    declared = registry.load().resources
    assert [r.arn_type for r in declared.taggable()] == ["vc", "sma", "voice-profile-domain"]
    names = [quota.name for quota in declared.quotas()]
    assert len(names) == len(set(names)) == 10
    # No family counts a quota by itself any more: the one helper reads the profile.
    families = SOURCES / "families"
    assert [p for p in families.rglob("*.py") if "quota_profile" in p.read_text()] == []
    assert [p for p in families.rglob("*.py") if "class QuotaExceeded" in p.read_text()] == []


def test_a_kind_or_arn_type_declared_twice_fails_at_load() -> None:
    twin = Family(name="twin", resources=(Resource(kind="other", arn_type="vc"),))
    with pytest.raises(DuplicateRegistration, match=r"ARN type \(in twin\) vc is claimed twice"):
        registry.load((*registry.FAMILIES, twin))
    again = Family(name="again", resources=(Resource(kind="Voice Connector", arn_type="x"),))
    with pytest.raises(
        DuplicateRegistration, match=r"resource kind \(in again\) Voice Connector is claimed twice"
    ):
        registry.load((*registry.FAMILIES, again))


def test_a_test_family_resource_is_taggable_through_boto3(
    widgets: tuple[LocalChime, Any],
) -> None:
    _, client = widgets
    WIDGETS.add("w-1")
    arn = f"arn:aws:chime:{DEFAULT_REGION}:{DEFAULT_ACCOUNT}:widget/w-1"
    client.tag_resource(ResourceARN=arn, Tags=[{"Key": "team", "Value": "voice"}])
    assert client.list_tags_for_resource(ResourceARN=arn)["Tags"] == [
        {"Key": "team", "Value": "voice"}
    ]
    client.untag_resource(ResourceARN=arn, TagKeys=["team"])
    assert client.list_tags_for_resource(ResourceARN=arn)["Tags"] == []
    code, message = failure_of(lambda: client.list_tags_for_resource(ResourceARN=arn[:-1] + "2"))
    assert (code, message) == (
        "NotFoundException",
        f"No widget w-2 in this account and Region ({arn[:-1]}2)",
    )
    code, message = failure_of(
        lambda: client.list_tags_for_resource(ResourceARN="arn:aws:s3:::bucket")
    )
    assert code == "BadRequestException" and "widgets (widget/…)" in message


def test_a_test_family_resource_parses_as_an_arn(widgets: tuple[LocalChime, Any]) -> None:
    app, _ = widgets
    parsed = app.registry.resources.parse("arn:aws:chime:us-west-2:111122223333:widget/w-9")
    assert parsed is not None
    assert (parsed.region, parsed.account, parsed.ident) == ("us-west-2", "111122223333", "w-9")
    assert parsed.resource is WIDGET
    assert app.registry.resources.by_member("WidgetId") is WIDGET
    named = app.registry.resources.named_arns("us-east-1", "111122223333", {"WidgetId": "w-9"})
    assert named == ["arn:aws:chime:us-east-1:111122223333:widget/w-9"]


def test_a_test_family_resource_is_quota_checked(widgets: tuple[LocalChime, Any]) -> None:
    app, _ = widgets
    assert WIDGETS_PER_ACCOUNT in app.registry.resources.quotas()
    with app.store.write() as connection:
        quotas.check(
            WIDGETS_PER_ACCOUNT, app.settings, connection, DEFAULT_ACCOUNT, lambda: 1, scope="here"
        )
        with pytest.raises(QuotaExceeded) as refused:
            quotas.check(
                WIDGETS_PER_ACCOUNT,
                app.settings,
                connection,
                DEFAULT_ACCOUNT,
                lambda: 2,
                scope="in all Regions",
            )
    assert refused.value.message == (
        "This account has 2 widgets in all Regions already, the quota (--quota-profile aws)"
    )
    lenient = Settings(ephemeral=True)
    assert WIDGETS_PER_ACCOUNT.limit(lenient) is None
