"""The SIP media application family: applications (with their logging and Alexa skill
configurations) and the SIP rules that route calls to them. One family, because each checks the
other: a rule's targets must be applications, and an application an enabled rule targets cannot
be deleted. docs/pstn-audio.md says what each choice is and why.

Owns the tables `sip_media_applications`, `sip_rules` and `sip_rule_targets`; a ToPhoneNumber
rule's number association is a column of `phone_numbers` (`phone_numbers.associations`).
"""

from localchime.core.family import Family
from localchime.families.sip_media_applications import resources, tables
from localchime.families.sip_media_applications.handlers import applications, sip_rules

FAMILY = Family(
    resources=resources.RESOURCES,
    name="sip_media_applications",
    operations=(applications.OPERATIONS, sip_rules.OPERATIONS),
    tables=(tables.sip_media_applications, tables.sip_rules, tables.sip_rule_targets),
)
