"""TagResource, UntagResource and ListTagsForResource: the tag operations, by ARN.

A family of its own, listed after every family whose resources take tags, because it must find
each kind of resource an ARN can name; the tags themselves are the `tags` family's table, which
the creating families write to. Owns no table.
"""

from localchime.core.family import Family
from localchime.families.tagging import handlers

FAMILY = Family(name="tagging", operations=(handlers.OPERATIONS,))
