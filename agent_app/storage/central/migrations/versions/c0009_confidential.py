"""confidential: a lead's seat pulls confidential (保密) callers masked; an audited reveal

Revision ID: c0009_confidential
Revises: c0008_transcripts
Create Date: 2026-12-06 08:10:00

The regulation keeps a confidential caller "masked for everyone except the callback at the
moment of the call".  Operators' seats hold only the callers they took themselves (c0006);
shift leads' seats pull every ticket, so:

* ``central.pull_tickets(ids)``: what a seat's pull reads (id, version, data), as row-level
  security lets the login see them, with the caller of a confidential ticket masked
  (``central.mask_caller``: the name ``***``, every digit a ``*``) unless the login took the
  call itself (``created_by``): a lead's seat holds no confidential caller of a ticket another
  login took.  SECURITY INVOKER: it sees no more than the login could read anyway; operators
  (row-level security: their own tickets) read them as before.
* ``central.reveal_caller(ticket_id, reason)``: the clear caller (name and numbers) of one
  ticket, for the **callback role**: a login of the lead group (leads run the callback list;
  ``Role.LEAD`` is the desk role that records callbacks), and only while the ticket waits
  for its callback (the seat's rule, ``agent_app.domain.followup.callback_due``: the unit
  replied (``REPLIED``), or its time limit passed while it is with the unit).  Before the
  value is returned, one row is appended to the centre's own audit chain in
  ``central.audit_log`` (seat ``@centre``, which no seat id can be; action
  ``callback_reveal``, field ``caller``, ``actor_id`` and ``login`` = ``session_user``,
  ``detail`` = the reason with phone-like numbers masked), hashed and linked like a seat's
  rows (``central.audit_hash``), in the same transaction: no row, no value.  Anyone else
  (operator, handler, auditor, report logins), a ticket not waiting for a callback, or an
  empty reason is refused with one line saying why.  ``audit list/verify --url`` show and
  check the ``@centre`` chain like any seat's.

* ``tickets_keep_clear_caller`` (a BEFORE UPDATE trigger on ``central.tickets``): an update
  whose caller is exactly the masked form of the confidential caller it replaces (a lead's
  seat sending its masked copy back, whatever its version) keeps the clear caller.

A lead login can still read ``central.tickets`` itself (the lead desk's centre reads use it);
the app's seat never stores what it reads there except through ``pull_tickets``.
"""

from __future__ import annotations

from alembic import op

from agent_app.domain.audit_chain import GENESIS

revision: str = "c0009_confidential"
down_revision: str | None = "c0008_transcripts"
branch_labels: str | None = None
depends_on: str | None = None

CENTRE_SEAT = "@centre"  # the audit chain of rows the centre itself writes
# agent_app.domain.followup.WITH_UNIT as of this step: the ticket is with its unit.
WITH_UNIT = (
    "DISPATCHED",
    "SIGNED",
    "DISPUTED",
    "DISPUTE_REVIEW",
    "CONTACTED",
    "IN_PROGRESS",
    "COORDINATING",
    "EXTENSION_REQUESTED",
    "REOPENED",
)


def _prefix() -> str:
    prefix = str(op.get_context().config.attributes.get("role_prefix", "hotline"))  # type: ignore[union-attr]
    if not prefix.replace("_", "").isalnum() or not prefix[0].isalpha() or len(prefix) > 30:
        raise ValueError(f"bad role prefix {prefix!r}")
    return prefix.lower()


def upgrade() -> None:
    p = _prefix()
    owner, operator, lead, handler = (f"{p}_{r}" for r in ("owner", "operator", "lead", "handler"))
    with_unit = ", ".join(f"'{s}'" for s in WITH_UNIT)
    op.execute(
        """
        CREATE FUNCTION central.pull_tickets(p_ids text[])
        RETURNS TABLE (id text, version bigint, data jsonb)
        LANGUAGE sql STABLE SET search_path = pg_catalog, central AS $$
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
    op.execute(
        f"""
        CREATE FUNCTION central.reveal_caller(p_ticket text, p_reason text)
        RETURNS jsonb
        LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, central AS $$
        DECLARE
            v_group text := central.login_group();
            v_t record; v_reason text; v_seq bigint; v_prev text; v_at timestamptz;
            v_hash text;
        BEGIN
            IF v_group IS DISTINCT FROM 'lead' THEN
                RAISE EXCEPTION USING ERRCODE = '42501',
                    MESSAGE = 'login ' || session_user || ' may not reveal a confidential '
                        || 'caller: only the callback role (a shift lead''s login) may, '
                        || 'for a ticket waiting for its callback';
            END IF;
            v_reason := btrim(coalesce(p_reason, ''));
            IF v_reason = '' THEN
                RAISE EXCEPTION USING ERRCODE = '22023',
                    MESSAGE = 'say why the caller is revealed (the reason is audited)';
            END IF;
            SELECT t.id, t.number, t.status, t.due_at, t.data->'caller' AS caller
              INTO v_t FROM central.tickets t WHERE t.id = p_ticket;
            IF NOT FOUND THEN
                RAISE EXCEPTION USING ERRCODE = 'P0002',
                    MESSAGE = 'the centre has no ticket ' || coalesce(p_ticket, '');
            END IF;
            IF NOT (v_t.status = 'REPLIED'
                    OR (v_t.status IN ({with_unit}) AND v_t.due_at < now())) THEN
                RAISE EXCEPTION USING ERRCODE = '55000',
                    MESSAGE = 'ticket ' || v_t.number || ' is not waiting for a callback ('
                        || v_t.status || '): a confidential caller is revealed only to call '
                        || 'them back';
            END IF;
            -- The centre's own chain, one row at a time (as push_audit for a seat).
            PERFORM pg_advisory_xact_lock(hashtext('central.audit_log:{CENTRE_SEAT}'));
            SELECT seq, hash INTO v_seq, v_prev FROM central.audit_log
             WHERE seat = '{CENTRE_SEAT}' ORDER BY seq DESC LIMIT 1;
            v_seq := coalesce(v_seq, 0) + 1;
            v_prev := coalesce(v_prev, '{GENESIS}');
            v_at := clock_timestamp();
            v_reason := left(central.mask_digits(v_reason), 256);
            v_hash := central.audit_hash(v_seq, v_at, session_user, 'lead', 'callback_reveal',
                                         v_t.id, 'caller', v_reason, v_prev);
            INSERT INTO central.audit_log (seat, seq, at, actor_id, role, action, ticket_id,
                field, detail, prev_hash, hash)
            VALUES ('{CENTRE_SEAT}', v_seq, v_at, session_user, 'lead', 'callback_reveal',
                v_t.id, 'caller', v_reason, v_prev, v_hash);
            RETURN jsonb_build_object(
                'ticket_id', v_t.id, 'number', v_t.number,
                'name', coalesce(v_t.caller->>'name', ''),
                'phones', CASE WHEN jsonb_typeof(v_t.caller->'phones') = 'array'
                               THEN v_t.caller->'phones' ELSE '[]'::jsonb END,
                'audit_seq', v_seq);
        END $$;
        """
    )
    # A masked copy written back never replaces the clear caller (any seat, any version).
    op.execute(
        """
        CREATE FUNCTION central.keep_clear_caller() RETURNS trigger
        LANGUAGE plpgsql SET search_path = pg_catalog, central AS $$
        BEGIN
            IF jsonb_typeof(OLD.data->'caller') = 'object'
               AND jsonb_typeof(NEW.data->'caller') = 'object'
               AND coalesce((OLD.data#>>'{caller,confidential}')::boolean, false)
               AND NEW.data->'caller' IS DISTINCT FROM OLD.data->'caller'
               AND NEW.data->'caller' = central.mask_caller(OLD.data->'caller') THEN
                NEW.data := NEW.data || jsonb_build_object('caller', OLD.data->'caller');
            END IF;
            RETURN NEW;
        END $$;
        CREATE TRIGGER tickets_keep_clear_caller BEFORE UPDATE OF data ON central.tickets
            FOR EACH ROW EXECUTE FUNCTION central.keep_clear_caller();
        """
    )
    statements = []
    for fn in ("pull_tickets(text[])", "reveal_caller(text, text)", "keep_clear_caller()"):
        statements += [
            f"ALTER FUNCTION central.{fn} OWNER TO {owner}",
            f"REVOKE ALL ON FUNCTION central.{fn} FROM PUBLIC",
        ]
    statements += [
        f"GRANT EXECUTE ON FUNCTION central.pull_tickets(text[]) TO {operator}, {lead}, {handler}",
        # Only leads may call it; the function says why to anyone else it would refuse, so
        # the other app groups may call it and read the reason instead of 'permission denied'.
        f"GRANT EXECUTE ON FUNCTION central.reveal_caller(text, text) "
        f"TO {operator}, {lead}, {handler}",
    ]
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS tickets_keep_clear_caller ON central.tickets")
    op.execute("DROP FUNCTION IF EXISTS central.keep_clear_caller()")
    op.execute("DROP FUNCTION IF EXISTS central.reveal_caller(text, text)")
    op.execute("DROP FUNCTION IF EXISTS central.pull_tickets(text[])")
