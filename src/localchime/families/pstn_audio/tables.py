"""The PSTN audio family's tables: simulated calls, each invocation of a call's handler, and
the handlers registered for Lambda ARNs. Times are epoch milliseconds on the service clock."""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Column, Index, Integer, String, Table, Text

from localchime.store.columns import ACCOUNT, GUID, REGION
from localchime.store.schema import metadata

pstn_calls = Table(
    "pstn_calls",
    metadata,
    Column("transaction_id", GUID, primary_key=True),
    Column("account", ACCOUNT, nullable=False),
    Column("region", REGION, nullable=False),
    Column("application_id", GUID, nullable=False),
    Column("status", String(16), nullable=False),
    Column("created_ms", BigInteger, nullable=False),
    # When the call next changes on its own (an action ends, a timeout), or null.
    Column("due_ms", BigInteger),
    # The handler has an event waiting: the background driver looks for these.
    Column("pending", Boolean, nullable=False),
    # Bumped on every save, so a stale writer is noticed.
    Column("version", Integer, nullable=False),
    # The whole call as `machine.CallState`, JSON.
    Column("state", Text, nullable=False),
    Index("ix_pstn_calls_newest", "created_ms", "transaction_id"),
    Index("ix_pstn_calls_due", "status", "due_ms"),
)

pstn_call_invocations = Table(
    "pstn_call_invocations",
    metadata,
    Column("transaction_id", GUID, primary_key=True),
    Column("sequence", Integer, primary_key=True),
    Column("at_ms", BigInteger, nullable=False),
    Column("event_type", String(32), nullable=False),
    Column("event", Text, nullable=False),
    # The handler's answer as it sent it (JSON), or null when every attempt failed.
    Column("answer", Text),
    # JSON list: why each failed attempt failed (unreachable, an error, too slow).
    Column("failures", Text, nullable=False),
    # Why the answer was refused (its INVALID_LAMBDA_RESPONSE), or null.
    Column("refusal", Text),
)

lambda_functions = Table(
    "lambda_functions",
    metadata,
    Column("function_arn", String(256), primary_key=True),
    Column("invoke_url", Text),
    Column("handler", String(512)),
    Column("created_ms", BigInteger, nullable=False),
    # JSON list of the other accounts whose SIP media applications may invoke it, or null.
    Column("allowed_accounts", Text),
)
"""Where localchime finds the code behind a Lambda ARN: a URL or a Python import path."""
