"""What a service operation knows about its request."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from localchime.config import Settings
from localchime.core.clock import to_datetime
from localchime.core.events import Events
from localchime.core.resources import Catalogue
from localchime.store import Store
from localchime.store.database import Snapshot


@dataclass(slots=True)
class RequestContext:
    account: str
    region: str
    request_id: str
    now_ms: int
    """The service clock when the request arrived, in epoch milliseconds."""
    store: Store
    reads: Snapshot
    """Cached reads for this request; writes go through `store.write()`."""
    settings: Settings
    token_secret: bytes
    events: Events
    """Where a write publishes what other families react to, in its own transaction."""
    resources: Catalogue = field(default_factory=Catalogue)
    """Every declared kind of resource (`Registry.resources`)."""

    @property
    def now(self) -> dt.datetime:
        return to_datetime(self.now_ms)
