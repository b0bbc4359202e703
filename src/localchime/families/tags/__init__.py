"""The tags family: the tags of taggable resources (Voice Connectors, SIP media applications,
voice profile domains), kept by ARN. So far the store that creates write to; TagResource,
UntagResource and ListTagsForResource land here with issue 11.

Owns the table `resource_tags`.
"""

from localchime.core.family import Family
from localchime.families.tags import tables

FAMILY = Family(name="tags", tables=(tables.resource_tags,))
