"""centre retention: the callers of tickets closed long ago, and their calls' transcripts, go

Revision ID: c0011_centre_retention
Revises: c0010_lead_masking
Create Date: 2026-12-06 09:40:00

Issue #20 item 2 (reliability R13).  Up to c0010 the centre kept every caller and every
call's words for ever.  This step adds ``central.purge_closed(p_before, p_dry_run)``
(``SECURITY DEFINER``, owner only; ``agent-app central purge`` computes ``p_before`` from
``[centre] caller_days`` in ``knowledge_base/retention.toml``):

* **Due**: a ticket in a terminal status (``ANSWERED``, ``TRANSFERRED_EMERGENCY``,
  ``NOT_ACCEPTED_INFORMED``, ``CLOSED``), or ``MERGED_DUPLICATE`` whose original (its
  ``merged_into`` number) is in one, whose last change at the centre (``server_updated_at``,
  the centre's clock, as is the original's) is before ``p_before``.
* **Held** (never touched, counted): a due ticket with an unresolved conflict, or with a
  quality check returned to its operator and not resubmitted.  Open tickets (a callback
  pending is ``REPLIED``, an objection ``DISPUTED``/``DISPUTE_REVIEW``) are never due.
* **What changes**: the caller in ``tickets.data`` keeps its flags (``confidential``,
  ``is_company``) and loses its name and numbers (``name`` '', ``phones`` [], ``purged``
  true); the same for the caller among a conflict's two sides and in a stored apply answer
  (``applied_ops.detail.remote``); the ticket's transcripts (first call and repeat calls)
  are deleted.  ``version`` and ``server_updated_at`` are unchanged: no seat pulls the
  purge (each seat erases its own copy by its own ``[seat] caller_days``), and the report
  facts (``report_*``, which hold no caller) are not refreshed.  Audit rows, events and
  everything else are kept.
* ``central.ticket_transcripts`` stays append-only: the trigger now lets a DELETE through
  only when the current user is the owner role *and* the transaction-local setting
  ``central.retention_purge`` is ``on`` (which ``purge_closed`` sets around its DELETE and
  clears after); a DELETE policy for the owner asks for the same setting.  App logins are not
  the owner, so UPDATE, DELETE and TRUNCATE stay refused to them (and to a superuser's own
  statements); whoever holds the owner role could drop the trigger anyway.
"""

from __future__ import annotations

from alembic import op

from agent_app.domain.lifecycle import TERMINAL

revision: str = "c0011_centre_retention"
down_revision: str | None = "c0010_lead_masking"
branch_labels: str | None = None
depends_on: str | None = None

SETTING = "central.retention_purge"


def _prefix() -> str:
    prefix = str(op.get_context().config.attributes.get("role_prefix", "hotline"))  # type: ignore[union-attr]
    if not prefix.replace("_", "").isalnum() or not prefix[0].isalpha() or len(prefix) > 30:
        raise ValueError(f"bad role prefix {prefix!r}")
    return prefix.lower()


def upgrade() -> None:
    p = _prefix()
    owner = f"{p}_owner"
    closed = "ARRAY[" + ", ".join(f"'{s.value}'" for s in sorted(TERMINAL)) + "]::text[]"
    op.execute(
        f"""
        CREATE OR REPLACE FUNCTION central.transcripts_append_only() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            -- The one way out: central.purge_closed (runs as the owner, sets the flag).
            IF TG_OP = 'DELETE' AND current_user = '{owner}'
               AND current_setting('{SETTING}', true) = 'on' THEN
                RETURN OLD;
            END IF;
            RAISE EXCEPTION 'ticket_transcripts is append-only' USING ERRCODE = '42501';
        END $$;

        CREATE POLICY owner_purge ON central.ticket_transcripts FOR DELETE TO {owner}
            USING (current_setting('{SETTING}', true) = 'on');

        CREATE FUNCTION central.purge_closed(p_before timestamptz, p_dry_run boolean)
        RETURNS jsonb
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, central AS $$
        DECLARE
            v_closed text[] := {closed};
            v_marker jsonb := jsonb_build_object('name', '', 'phones', '[]'::jsonb,
                                                 'purged', true);
            v_due text[]; v_held integer; v_tickets integer; v_transcripts integer;
            v_conflicts integer; v_applied integer;
        BEGIN
            IF p_before IS NULL OR p_dry_run IS NULL THEN
                RAISE EXCEPTION USING ERRCODE = '22023',
                    MESSAGE = 'purge_closed needs a time (p_before) and p_dry_run';
            END IF;
            -- One purge at a time; the tickets it takes are locked against a concurrent sync
            -- (apply_batch locks a ticket FOR UPDATE too, and a reopened one is re-checked).
            PERFORM pg_advisory_xact_lock(hashtext('central.purge_closed'));
            SELECT coalesce(array_agg(s.id) FILTER (WHERE NOT s.held), '{{}}'),
                   count(*) FILTER (WHERE s.held)
              INTO v_due, v_held
              FROM (SELECT t.id,
                           EXISTS (SELECT 1 FROM central.conflicts c
                                    WHERE c.ticket_id = t.id AND c.resolved_at IS NULL)
                           OR EXISTS (SELECT 1 FROM central.qa_results q
                                       WHERE q.ticket_id = t.id AND q.returned
                                         AND q.resubmitted_at IS NULL) AS held
                      FROM (SELECT t.id FROM central.tickets t
                             WHERE t.server_updated_at < p_before
                               AND (t.status = ANY (v_closed)
                                    OR (t.status = 'MERGED_DUPLICATE' AND EXISTS (
                                        SELECT 1 FROM central.tickets o
                                         WHERE o.number = t.data->>'merged_into'
                                           AND o.status = ANY (v_closed)
                                           AND o.server_updated_at < p_before)))
                             FOR UPDATE OF t) t) s;
            SELECT count(*) INTO v_tickets FROM central.tickets t
             WHERE t.id = ANY (v_due) AND jsonb_typeof(t.data->'caller') = 'object'
               AND NOT coalesce((t.data#>>'{{caller,purged}}')::boolean, false);
            SELECT count(*) INTO v_transcripts FROM central.ticket_transcripts x
             WHERE x.ticket_id = ANY (v_due);
            SELECT count(*) INTO v_conflicts FROM central.conflicts c
             WHERE c.ticket_id = ANY (v_due)
               AND ((jsonb_typeof(c.local->'caller') = 'object'
                     AND NOT coalesce((c.local#>>'{{caller,purged}}')::boolean, false))
                 OR (jsonb_typeof(c.remote->'caller') = 'object'
                     AND NOT coalesce((c.remote#>>'{{caller,purged}}')::boolean, false)));
            SELECT count(*) INTO v_applied FROM central.applied_ops a
             WHERE a.ticket_id = ANY (v_due)
               AND jsonb_typeof(a.detail#>'{{remote,caller}}') = 'object'
               AND NOT coalesce((a.detail#>>'{{remote,caller,purged}}')::boolean, false);
            IF NOT p_dry_run THEN
                UPDATE central.tickets t
                   SET data = t.data || jsonb_build_object('caller', (t.data->'caller') || v_marker)
                 WHERE t.id = ANY (v_due) AND jsonb_typeof(t.data->'caller') = 'object'
                   AND NOT coalesce((t.data#>>'{{caller,purged}}')::boolean, false);
                UPDATE central.conflicts c
                   SET local = CASE WHEN jsonb_typeof(c.local->'caller') = 'object'
                                    THEN c.local || jsonb_build_object(
                                        'caller', (c.local->'caller') || v_marker)
                                    ELSE c.local END,
                       remote = CASE WHEN jsonb_typeof(c.remote->'caller') = 'object'
                                     THEN c.remote || jsonb_build_object(
                                         'caller', (c.remote->'caller') || v_marker)
                                     ELSE c.remote END
                 WHERE c.ticket_id = ANY (v_due)
                   AND (jsonb_typeof(c.local->'caller') = 'object'
                        OR jsonb_typeof(c.remote->'caller') = 'object');
                UPDATE central.applied_ops a
                   SET detail = jsonb_set(a.detail, '{{remote,caller}}',
                                          (a.detail#>'{{remote,caller}}') || v_marker)
                 WHERE a.ticket_id = ANY (v_due)
                   AND jsonb_typeof(a.detail#>'{{remote,caller}}') = 'object';
                PERFORM set_config('{SETTING}', 'on', true);
                DELETE FROM central.ticket_transcripts x WHERE x.ticket_id = ANY (v_due);
                PERFORM set_config('{SETTING}', '', true);
            END IF;
            RETURN jsonb_build_object(
                'before', p_before, 'dry_run', p_dry_run, 'tickets', v_tickets,
                'transcripts', v_transcripts, 'conflicts', v_conflicts,
                'applied_ops', v_applied, 'held', v_held,
                'due', coalesce(cardinality(v_due), 0));
        END $$;
        """
    )
    for statement in (
        f"ALTER FUNCTION central.purge_closed(timestamptz, boolean) OWNER TO {owner}",
        "REVOKE ALL ON FUNCTION central.purge_closed(timestamptz, boolean) FROM PUBLIC",
    ):
        op.execute(statement)


def downgrade() -> None:
    op.execute("DROP FUNCTION central.purge_closed(timestamptz, boolean)")
    op.execute("DROP POLICY owner_purge ON central.ticket_transcripts")
    op.execute(
        """
        CREATE OR REPLACE FUNCTION central.transcripts_append_only() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'ticket_transcripts is append-only' USING ERRCODE = '42501';
        END $$;
        """
    )
