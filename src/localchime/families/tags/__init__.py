"""The tags family: the tags of taggable resources, kept by ARN, and the three operations that
tag by ARN (TagResource, UntagResource, ListTagsForResource). Creates write the tags through
its repository and deletes clear them; the operations find the resource an ARN names through
the resource declarations (`core.resources`), so this family imports no other, and a family
with a new taggable resource declares it `taggable=True` and touches nothing here.

Owns the table `resource_tags`.
"""

from localchime.core.family import Family
from localchime.families.tags import handlers, tables

FAMILY = Family(name="tags", operations=(handlers.OPERATIONS,), tables=(tables.resource_tags,))
