"""Tables of the central PostgreSQL database (SQLAlchemy Core, for queries and checks).

The DDL itself (with roles, grants, row-level security and the apply function) lives in the
Alembic migrations beside this module; ``tests/integration/test_central_schema.py`` checks that
these definitions match the migrated database.
"""

from __future__ import annotations

from sqlalchemy import (
    ARRAY,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Integer,
    MetaData,
    Numeric,
    Table,
    Text,
)
from sqlalchemy.dialects.postgresql import JSONB

SCHEMA = "central"
metadata = MetaData(schema=SCHEMA)

meta = Table(
    "meta",
    metadata,
    Column("key", Text, primary_key=True),
    Column("value", Text, nullable=False),
)

tickets = Table(
    "tickets",
    metadata,
    Column("id", Text, primary_key=True),
    Column("number", Text, nullable=False, unique=True),
    Column("seat", Text, nullable=False),
    Column("operator_id", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True)),
    Column("status", Text, nullable=False),
    Column("main_unit", Text, nullable=False),
    Column("co_units", JSONB, nullable=False),
    Column("is_demo", Boolean, nullable=False),
    Column("version", BigInteger, nullable=False),
    Column("data", JSONB, nullable=False),
    Column("field_versions", JSONB, nullable=False),
    Column("field_writers", JSONB, nullable=False),
    Column("created_by", Text, nullable=False),
    Column("updated_by", Text, nullable=False),
    Column("server_created_at", DateTime(timezone=True), nullable=False),
    Column("server_updated_at", DateTime(timezone=True), nullable=False),
    # Stored generated columns from data (c0005_lead_desk; the review queue's filters).
    Column("district", Text),
    Column("township", Text),
    Column("category_code", Text),
    Column("due_at", DateTime(timezone=True)),
    Column("confidential", Boolean),
    # Facts of the event log kept on the ticket by a trigger (c0005_lead_desk).
    Column("rehandled", Integer, nullable=False),
    Column("dissatisfied", Boolean, nullable=False),
)

ticket_events = Table(
    "ticket_events",
    metadata,
    Column("id", BigInteger, primary_key=True),
    Column("ticket_id", Text, nullable=False),
    Column("seq", Integer, nullable=False),
    Column("origin_seq", Integer, nullable=False),
    Column("op_key", Text, nullable=False),
    Column("version", BigInteger, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("kind", Text, nullable=False),
    Column("actor_role", Text, nullable=False),
    Column("actor_id", Text, nullable=False),
    Column("from_status", Text),
    Column("to_status", Text),
    Column("data", JSONB, nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
)

applied_ops = Table(
    "applied_ops",
    metadata,
    Column("key", Text, primary_key=True),
    Column("seat", Text, nullable=False),
    Column("login", Text, nullable=False),
    Column("ticket_id", Text, nullable=False),
    Column("applied_at", DateTime(timezone=True), nullable=False),
    Column("status", Text, nullable=False),
    Column("result_version", BigInteger),
    Column("detail", JSONB, nullable=False),
)

conflicts = Table(
    "conflicts",
    metadata,
    Column("id", BigInteger, primary_key=True),
    Column("ticket_id", Text, nullable=False),
    Column("detected_at", DateTime(timezone=True), nullable=False),
    Column("seat", Text, nullable=False),
    Column("login", Text, nullable=False),
    Column("op_key", Text, nullable=False),
    Column("fields", JSONB, nullable=False),
    Column("local", JSONB, nullable=False),
    Column("remote", JSONB, nullable=False),
    Column("base_version", BigInteger),
    Column("server_version", BigInteger, nullable=False),
    Column("resolved_at", DateTime(timezone=True)),
    Column("resolution", Text, nullable=False),
    Column("resolved_by", Text),
)

handler_units = Table(
    "handler_units",
    metadata,
    Column("role_name", Text, primary_key=True),
    Column("unit", Text, primary_key=True),
)

# c0002_validation: the rules, the lifecycle table and the seat ↔ login binding.
payload_rules = Table(
    "payload_rules",
    metadata,
    Column("scope", Text, primary_key=True),
    Column("ord", Integer, primary_key=True),
    Column("name", Text, nullable=False),
    Column("path", ARRAY(Text), nullable=False),
    Column("kind", Text, nullable=False),
    Column("nullable", Boolean, nullable=False),
    Column("max_len", Integer),
    Column("min_len", Integer, nullable=False),
    Column("max_items", Integer),
    Column("choices", ARRAY(Text), nullable=False),
    Column("pattern", Text, nullable=False),
    Column("minimum", Numeric),
    Column("maximum", Numeric),
    Column("future", Boolean, nullable=False),
)

lifecycle_transitions = Table(
    "lifecycle_transitions",
    metadata,
    Column("source", Text, primary_key=True),
    Column("target", Text, primary_key=True),
    Column("actor", Text, primary_key=True),
)

group_actors = Table(
    "group_actors",
    metadata,
    Column("grp", Text, primary_key=True),
    Column("actor", Text, primary_key=True),
)

seats = Table(
    "seats",
    metadata,
    Column("seat", Text, primary_key=True),
    Column("login", Text, nullable=False),
    Column("claimed_at", DateTime(timezone=True), nullable=False),
)

# c0003_after_dispatch: what a handling unit's action does in each status.
unit_action_paths = Table(
    "unit_action_paths",
    metadata,
    Column("action", Text, primary_key=True),
    Column("source", Text, primary_key=True),
    Column("path", ARRAY(Text), nullable=False),
)

# c0006_privacy: every seat's access audit (append-only; the auditor group reads it).
audit_log = Table(
    "audit_log",
    metadata,
    Column("seat", Text, primary_key=True),
    Column("seq", BigInteger, primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor_id", Text, nullable=False),
    Column("role", Text, nullable=False),
    Column("action", Text, nullable=False),
    Column("ticket_id", Text, nullable=False),
    Column("field", Text, nullable=False),
    Column("detail", Text, nullable=False),
    Column("prev_hash", Text, nullable=False),
    Column("hash", Text, nullable=False),
    Column("login", Text, nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
)

GROUPS = ("operator", "lead", "handler", "auditor", "report")
