"""lead masking: no app login reads ``central.tickets.data`` (the caller) any more

Revision ID: c0010_lead_masking
Revises: c0009_confidential
Create Date: 2026-12-06 09:00:00

Issue #20: a confidential (保密) caller is "masked for everyone except the callback at the
moment of the call".  Up to c0009 a lead login could still read every caller in clear with
its own SQL on ``central.tickets`` (table-level SELECT), and an operator login the callers
of the tickets it created.  The caller lives in the ``data`` column (``data->'caller'``), so:

* The lead and operator groups lose SELECT on ``central.tickets`` and get SELECT on every
  other column (column privileges; handlers have had none since c0003, the auditor and
  report groups never had any).  ``select data from central.tickets`` (or ``data->'caller'``)
  as either login: permission denied.  Row-level security is unchanged.
* They read a ticket's fields through ``central.tickets_masked`` (c0006): every caller masked
  by ``central.mask_caller`` (a confidential one entirely: ``***`` and every digit a ``*``),
  whoever reads it.  A lead's clear access to a confidential caller is only
  ``central.reveal_caller`` (c0009: the callback role, a ticket waiting for its callback,
  audited at the centre before the value is returned).
* ``central.pull_tickets(ids)`` (c0009), the seats' pull, becomes SECURITY DEFINER (it must
  read ``data``) with the rows row-level security gave the login before, said explicitly:
  a lead every ticket, an operator the tickets its login created, anyone else none; the
  caller of a confidential ticket masked unless the login took the call, as before.
  ``apply_batch``, ``follow_up``, ``caller_history``, the reports' functions and the other
  SECURITY DEFINER functions run as the owner and are not affected.
"""

from __future__ import annotations

from alembic import op

revision: str = "c0010_lead_masking"
down_revision: str | None = "c0009_confidential"
branch_labels: str | None = None
depends_on: str | None = None

CALLER_COLUMNS = ("data",)  # the caller is data->'caller'; every other column is readable


def _prefix() -> str:
    prefix = str(op.get_context().config.attributes.get("role_prefix", "hotline"))  # type: ignore[union-attr]
    if not prefix.replace("_", "").isalnum() or not prefix[0].isalpha() or len(prefix) > 30:
        raise ValueError(f"bad role prefix {prefix!r}")
    return prefix.lower()


def _grant_columns(groups: str, *, hidden: tuple[str, ...]) -> str:
    """GRANT SELECT on every column of central.tickets but ``hidden`` (the columns as they
    are at this step, read from the catalogue)."""
    skip = ", ".join(f"'{c}'" for c in hidden)
    return f"""
        DO $$ DECLARE cols text; BEGIN
            SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) INTO cols
              FROM pg_attribute
             WHERE attrelid = 'central.tickets'::regclass AND attnum > 0
               AND NOT attisdropped AND attname NOT IN ({skip});
            EXECUTE format('GRANT SELECT (%s) ON central.tickets TO {groups}', cols);
        END $$
    """


def upgrade() -> None:
    p = _prefix()
    operator, lead = f"{p}_operator", f"{p}_lead"
    op.execute(
        """
        CREATE OR REPLACE FUNCTION central.pull_tickets(p_ids text[])
        RETURNS TABLE (id text, version bigint, data jsonb)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, central AS $$
            SELECT t.id, t.version,
                   CASE WHEN t.confidential AND t.data ? 'caller'
                             AND t.created_by IS DISTINCT FROM session_user::text
                        THEN t.data || jsonb_build_object(
                            'caller', central.mask_caller(t.data->'caller'))
                        ELSE t.data END
              FROM central.tickets t
             WHERE t.id = ANY (p_ids)
               AND CASE (SELECT central.login_group())
                       WHEN 'lead' THEN true
                       WHEN 'operator' THEN t.created_by = session_user::text
                       ELSE false END
        $$;
        """
    )
    op.execute(f"REVOKE SELECT ON central.tickets FROM {operator}, {lead}")
    op.execute(_grant_columns(f"{operator}, {lead}", hidden=CALLER_COLUMNS))


def downgrade() -> None:
    p = _prefix()
    operator, lead = f"{p}_operator", f"{p}_lead"
    op.execute(f"REVOKE SELECT ON central.tickets FROM {operator}, {lead}")
    op.execute(f"GRANT SELECT ON central.tickets TO {operator}, {lead}")
    op.execute(
        """
        CREATE OR REPLACE FUNCTION central.pull_tickets(p_ids text[])
        RETURNS TABLE (id text, version bigint, data jsonb)
        LANGUAGE sql STABLE SECURITY INVOKER SET search_path = pg_catalog, central AS $$
            SELECT t.id, t.version,
                   CASE WHEN t.confidential AND t.data ? 'caller'
                             AND t.created_by IS DISTINCT FROM session_user::text
                        THEN t.data || jsonb_build_object(
                            'caller', central.mask_caller(t.data->'caller'))
                        ELSE t.data END
              FROM central.tickets t
             WHERE t.id = ANY (p_ids)
        $$;
        """
    )
