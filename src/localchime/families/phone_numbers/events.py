"""What other families tell the phone number family (core.events): the hook a resource that
numbers are associated with calls when it goes away."""

from localchime.core.events import EventType

NUMBER_HOLDER_DELETED = EventType(
    "phone-number.holder-deleted", ("account", "region", "name", "value", "at_ms")
)
"""A resource that holds numbers by association was deleted (`name` and `value` are the
association's, e.g. `SipRuleId` and the rule's id): the account's numbers in the Region that it
still holds become Unassigned, as of `at_ms`. The holder need not know which numbers those are,
nor whether it still holds any."""
