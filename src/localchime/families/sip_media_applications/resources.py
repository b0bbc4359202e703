"""The SIP media application family's resources, declared once: SIP media applications
(`sma`), SIP rules (`sip-rule`), and their quotas under `--quota-profile aws`."""

from __future__ import annotations

from localchime.core.quotas import Quota
from localchime.core.resources import Resource
from localchime.families.sip_media_applications import repository as repo
from localchime.families.sip_media_applications.tables import sip_media_applications, sip_rules
from localchime.store.database import Snapshot

APPLICATIONS_PER_REGION = Quota("sip-media-applications", "SIP media applications", aws=15)
RULES_PER_REGION = Quota("sip-rules", "SIP rules", aws=25)


def _application_exists(reads: Snapshot, account: str, region: str, ident: str) -> bool:
    return repo.application(reads, account, region, ident) is not None


def _rule_exists(reads: Snapshot, account: str, region: str, ident: str) -> bool:
    return repo.rule(reads, account, region, ident) is not None


APPLICATION = Resource(
    kind="SIP media application",
    arn_type="sma",
    members=("SipMediaApplicationId",),
    labels=("sipMediaApplicationId",),
    table=sip_media_applications,
    record=repo.Application,
    taggable=True,
    exists=_application_exists,
    quotas=(APPLICATIONS_PER_REGION,),
    list_operation="ListSipMediaApplications",
)
RULE = Resource(
    kind="SIP rule",
    arn_type="sip-rule",
    members=("SipRuleId",),
    labels=("sipRuleId",),
    table=sip_rules,
    record=repo.Rule,
    exists=_rule_exists,
    quotas=(RULES_PER_REGION,),
    list_operation="ListSipRules",
)
RESOURCES = (APPLICATION, RULE)
