"""privacy: the audit trail becomes a hash chain (field, prev_hash, hash)

Revision ID: 0007_privacy
Revises: 0006_lead_desk
Create Date: 2026-12-06 05:00:00

Existing audit rows are chained in ``id`` order while the append-only triggers are briefly
dropped (inside the migration's transaction); the triggers are then created again.
"""
from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from alembic import op

from agent_app.domain.audit_chain import GENESIS, row_hash

revision: str = '0007_privacy'
down_revision: str | Sequence[str] | None = '0006_lead_desk'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TRIGGERS = (
    "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
    "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
)


def upgrade() -> None:
    """Add the chain's columns and chain the rows already there."""
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.add_column(sa.Column('field', sa.String(length=32), server_default='', nullable=False))
        batch_op.add_column(sa.Column('prev_hash', sa.String(length=64), server_default='', nullable=False))
        batch_op.add_column(sa.Column('hash', sa.String(length=64), server_default='', nullable=False))
    # batch_alter_table may rebuild the table (dropping its triggers): drop what is left.
    op.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
    op.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")
    bind = op.get_bind()
    rows = bind.execute(
        sa.text(
            "SELECT id, at, actor_id, role, action, ticket_id, detail, field "
            "FROM audit_log ORDER BY id"
        )
    ).mappings().all()
    prev = GENESIS
    for row in rows:  # a gap in the ids stays a gap: 'audit verify' reports it
        at = row["at"] if isinstance(row["at"], datetime) else datetime.fromisoformat(str(row["at"]))
        values = dict(row, seq=row["id"], at=at, prev_hash=prev)
        digest = row_hash(values)
        bind.execute(
            sa.text("UPDATE audit_log SET prev_hash = :p, hash = :h WHERE id = :i"),
            {"p": prev, "h": digest, "i": row["id"]},
        )
        prev = digest
    for statement in _TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    """Drop the chain's columns (the triggers are kept)."""
    op.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
    op.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_column('hash')
        batch_op.drop_column('prev_hash')
        batch_op.drop_column('field')
    for statement in _TRIGGERS:
        op.execute(statement)
