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
  ``follow_up``, ``caller_history``, the reports' functions and the other SECURITY DEFINER
  functions run as the owner and are not affected.
* ``central.apply_batch`` answers a conflict with the centre's side of each field
  (``detail.remote``), which the seat keeps with its conflict: the caller in it is masked
  now as the pull masks it (a confidential caller unless the login took the call; any caller
  for a handler's login).  The c0002 function is kept as ``central.apply_batch_core`` (owner
  only) and ``apply_batch`` calls it and masks its answer.
* ``central.conflicts`` (lead only): ``local`` and ``remote`` hold the conflicting fields'
  values, the caller among them; the lead reads the other columns of the table and both
  sides through ``central.conflicts_masked`` (the caller masked by ``mask_caller``).
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


def _grant_columns(table: str, groups: str, *, hidden: tuple[str, ...]) -> str:
    """GRANT SELECT on every column of central.<table> but ``hidden`` (the columns as they
    are at this step, read from the catalogue)."""
    skip = ", ".join(f"'{c}'" for c in hidden)
    return f"""
        DO $$ DECLARE cols text; BEGIN
            SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) INTO cols
              FROM pg_attribute
             WHERE attrelid = 'central.{table}'::regclass AND attnum > 0
               AND NOT attisdropped AND attname NOT IN ({skip});
            EXECUTE format('GRANT SELECT (%s) ON central.{table} TO {groups}', cols);
        END $$
    """


def upgrade() -> None:
    p = _prefix()
    owner, operator, lead, handler = (f"{p}_{r}" for r in ("owner", "operator", "lead", "handler"))
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
    op.execute(_grant_columns("tickets", f"{operator}, {lead}", hidden=CALLER_COLUMNS))
    op.execute("ALTER FUNCTION central.apply_batch(text, jsonb, jsonb) RENAME TO apply_batch_core")
    op.execute(
        f"""
        REVOKE ALL ON FUNCTION central.apply_batch_core(text, jsonb, jsonb)
            FROM PUBLIC, {operator}, {lead}, {handler};

        CREATE FUNCTION central.apply_batch(p_seat text, p_ops jsonb, p_meta jsonb DEFAULT '{{}}')
        RETURNS jsonb
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, central AS $$
        DECLARE
            v_answer jsonb := central.apply_batch_core(p_seat, p_ops, p_meta);
            v_handler boolean := (central.login_group() IS NOT DISTINCT FROM 'handler');
            v_results jsonb := '[]'; v_r jsonb; v_tid text;
        BEGIN
            IF jsonb_typeof(v_answer->'results') IS DISTINCT FROM 'array' THEN
                RETURN v_answer;
            END IF;
            FOR v_r IN SELECT e.value FROM jsonb_array_elements(v_answer->'results')
                       WITH ORDINALITY e ORDER BY e.ordinality LOOP
                IF jsonb_typeof(v_r #> '{{detail,remote,caller}}') = 'object' THEN
                    SELECT o.value->>'ticket_id' INTO v_tid
                      FROM jsonb_array_elements(p_ops) o
                     WHERE o.value->>'key' = v_r->>'key' LIMIT 1;
                    IF v_handler OR EXISTS (
                        SELECT 1 FROM central.tickets t
                         WHERE t.id = v_tid AND t.confidential
                           AND t.created_by IS DISTINCT FROM session_user::text) THEN
                        v_r := jsonb_set(v_r, '{{detail,remote,caller}}',
                                         central.mask_caller(v_r #> '{{detail,remote,caller}}'));
                    END IF;
                END IF;
                v_results := v_results || jsonb_build_array(v_r);
            END LOOP;
            RETURN v_answer || jsonb_build_object('results', v_results);
        END $$;
        ALTER FUNCTION central.apply_batch(text, jsonb, jsonb) OWNER TO {owner};
        REVOKE ALL ON FUNCTION central.apply_batch(text, jsonb, jsonb) FROM PUBLIC;
        GRANT EXECUTE ON FUNCTION central.apply_batch(text, jsonb, jsonb)
            TO {operator}, {lead}, {handler};

        CREATE VIEW central.conflicts_masked AS
            SELECT c.id, c.ticket_id, c.detected_at, c.seat, c.login, c.op_key, c.fields,
                   CASE WHEN jsonb_typeof(c.local->'caller') = 'object'
                        THEN c.local || jsonb_build_object(
                            'caller', central.mask_caller(c.local->'caller'))
                        ELSE c.local END AS local,
                   CASE WHEN jsonb_typeof(c.remote->'caller') = 'object'
                        THEN c.remote || jsonb_build_object(
                            'caller', central.mask_caller(c.remote->'caller'))
                        ELSE c.remote END AS remote,
                   c.base_version, c.server_version, c.resolved_at, c.resolution, c.resolved_by
              FROM central.conflicts c;
        ALTER VIEW central.conflicts_masked OWNER TO {owner};
        REVOKE ALL ON central.conflicts_masked FROM PUBLIC;
        -- Only leads read conflicts (and every one of them: policy lead_read), so the view
        -- filters no rows.
        GRANT SELECT ON central.conflicts_masked TO {lead};
        REVOKE SELECT ON central.conflicts FROM {lead};
        """
    )
    op.execute(_grant_columns("conflicts", lead, hidden=("local", "remote")))


def downgrade() -> None:
    p = _prefix()
    operator, lead, handler = f"{p}_operator", f"{p}_lead", f"{p}_handler"
    op.execute(f"REVOKE SELECT ON central.conflicts FROM {lead}")
    op.execute(f"GRANT SELECT ON central.conflicts TO {lead}")
    op.execute("DROP VIEW central.conflicts_masked")
    op.execute("DROP FUNCTION central.apply_batch(text, jsonb, jsonb)")
    op.execute("ALTER FUNCTION central.apply_batch_core(text, jsonb, jsonb) RENAME TO apply_batch")
    op.execute(
        f"GRANT EXECUTE ON FUNCTION central.apply_batch(text, jsonb, jsonb) "
        f"TO {operator}, {lead}, {handler}"
    )
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
