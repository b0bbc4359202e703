"""The tags family: the tags of taggable resources (Voice Connectors, SIP media applications,
voice profile domains), kept by ARN: the store that creates write to and deletes clear. The
operations that tag by ARN are the `tagging` family's, listed after every taggable family.

Owns the table `resource_tags`.
"""

from localchime.core.family import Family
from localchime.families.tags import tables

FAMILY = Family(name="tags", tables=(tables.resource_tags,))
