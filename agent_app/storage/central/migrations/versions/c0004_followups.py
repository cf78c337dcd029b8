"""followups: repeat calls reach the unit; a merged ticket closes with its original

Revision ID: c0004_followups
Revises: c0003_after_dispatch
Create Date: 2026-12-06 05:00:00

Repeat calls (``progress_call``, ``supplement``, ``chase``) and the original's record of a
merged call (``merged_call``) arrive from seats as ordinary events through
``central.apply_batch``: they change no status, so the existing rules apply to them (the
login is the actor, the actor's role is one its group may act as, an operator changes only
the tickets its login created, a lead any).  What this step adds:

* ``central.unit_tickets()`` also gives a unit the ticket's repeat calls (kind, time, the
  caller's words, numbers masked at the seat), its count of chases and of callers (its own
  call and each merged one), so a supplement or a chase reaches the unit;
* merges on both sides: when the centre applies a close (any terminal status) to a ticket,
  the tickets merged into it that are still ``MERGED_DUPLICATE`` close too (an event each,
  ``actor_role`` system, a new version, so every seat pulls it); a merged ticket that arrives
  after its original closed closes at once.  This runs as a deferred constraint trigger, at
  commit, after the batch's own events, so a seat that closed them itself in the same batch
  leaves nothing to do; a second ``MERGED_DUPLICATE → CLOSED`` event (or a second record of
  the same merged call) is dropped, so seat and centre converge on one close.
"""

from __future__ import annotations

from alembic import op

from agent_app.domain.lifecycle import TERMINAL

revision: str = "c0004_followups"
down_revision: str | None = "c0003_after_dispatch"
branch_labels: str | None = None
depends_on: str | None = None

FOLLOWUP_KINDS = ("progress_call", "supplement", "chase")


def _prefix() -> str:
    prefix = str(op.get_context().config.attributes.get("role_prefix", "hotline"))  # type: ignore[union-attr]
    if not prefix.replace("_", "").isalnum() or not prefix[0].isalpha() or len(prefix) > 30:
        raise ValueError(f"bad role prefix {prefix!r}")
    return prefix.lower()


def _array(values: object) -> str:
    items = sorted(str(v) for v in values)  # type: ignore[attr-defined]
    return "ARRAY[" + ", ".join("'" + v.replace("'", "''") + "'" for v in items) + "]::text[]"


def upgrade() -> None:
    p = _prefix()
    owner = f"{p}_owner"
    closed = _array(s.value for s in TERMINAL)
    kinds = _array(FOLLOWUP_KINDS)
    op.execute(
        "CREATE INDEX ix_tickets_merged_into ON central.tickets ((data->>'merged_into')) "
        "WHERE coalesce(data->>'merged_into', '') <> ''"
    )
    op.execute(
        f"""
        CREATE FUNCTION central.close_one_merged(
            p_id text, p_original text, p_original_status text, p_writer text)
        RETURNS void
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, central AS $$
        DECLARE v_t record; v_version bigint; v_seq integer; v_now timestamptz := now();
        BEGIN
            PERFORM pg_advisory_xact_lock(hashtext('central.ticket_version_seq'));
            SELECT * INTO v_t FROM central.tickets WHERE id = p_id FOR UPDATE;
            IF NOT FOUND OR v_t.status <> 'MERGED_DUPLICATE' THEN
                RETURN;
            END IF;
            v_version := nextval('central.ticket_version_seq');
            SELECT coalesce(max(seq), 0) INTO v_seq FROM central.ticket_events
             WHERE ticket_id = p_id;
            INSERT INTO central.ticket_events (ticket_id, seq, origin_seq, op_key, version, at,
                kind, actor_role, actor_id, from_status, to_status, data)
            VALUES (p_id, v_seq + 1, 1, 'merged:' || gen_random_uuid()::text, v_version, v_now,
                'transition', 'system', 'centre', 'MERGED_DUPLICATE', 'CLOSED',
                jsonb_build_object('action', 'merged_close', 'original', p_original,
                                   'original_status', p_original_status));
            UPDATE central.tickets
               SET data = v_t.data || jsonb_build_object('status', 'CLOSED',
                                                         'updated_at', to_jsonb(v_now)),
                   status = 'CLOSED', updated_at = v_now, version = v_version,
                   field_versions = v_t.field_versions
                       || jsonb_build_object('status', v_version, 'updated_at', v_version),
                   field_writers = v_t.field_writers
                       || jsonb_build_object('status', p_writer, 'updated_at', p_writer),
                   updated_by = session_user, server_updated_at = v_now
             WHERE id = p_id;
        END $$;

        CREATE FUNCTION central.close_merged() RETURNS trigger
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, central AS $$
        DECLARE v_t record; v_orig record; v_dup record;
        BEGIN
            -- Deferred: read the row as it is at commit, not as the statement left it.
            SELECT * INTO v_t FROM central.tickets WHERE id = NEW.id;
            IF NOT FOUND THEN
                RETURN NULL;
            END IF;
            IF v_t.status = 'MERGED_DUPLICATE' THEN
                SELECT * INTO v_orig FROM central.tickets
                 WHERE number = v_t.data->>'merged_into';
                IF FOUND AND v_orig.status = ANY ({closed}) THEN
                    PERFORM central.close_one_merged(v_t.id, v_orig.number, v_orig.status,
                        coalesce(v_orig.field_writers->>'status', 'centre'));
                END IF;
            ELSIF v_t.status = ANY ({closed}) THEN
                FOR v_dup IN SELECT id FROM central.tickets
                              WHERE data->>'merged_into' = v_t.number
                                AND coalesce(data->>'merged_into', '') <> ''
                                AND status = 'MERGED_DUPLICATE'
                              ORDER BY created_at, id LOOP
                    PERFORM central.close_one_merged(v_dup.id, v_t.number, v_t.status,
                        coalesce(v_t.field_writers->>'status', 'centre'));
                END LOOP;
            END IF;
            RETURN NULL;
        END $$;

        CREATE CONSTRAINT TRIGGER tickets_close_merged_ins
            AFTER INSERT ON central.tickets DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
            WHEN (NEW.status = 'MERGED_DUPLICATE' OR NEW.status = ANY ({closed}))
            EXECUTE FUNCTION central.close_merged();
        CREATE CONSTRAINT TRIGGER tickets_close_merged_upd
            AFTER UPDATE OF status ON central.tickets DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
            WHEN (OLD.status IS DISTINCT FROM NEW.status AND NEW.status = ANY ({closed}))
            EXECUTE FUNCTION central.close_merged();

        CREATE FUNCTION central.skip_repeated_event() RETURNS trigger
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, central AS $$
        BEGIN
            IF NEW.kind = 'transition' AND EXISTS (
                    SELECT 1 FROM central.ticket_events e
                     WHERE e.ticket_id = NEW.ticket_id AND e.kind = 'transition'
                       AND e.from_status = 'MERGED_DUPLICATE' AND e.to_status = 'CLOSED') THEN
                RETURN NULL;  -- closed with its original already (by the centre or a seat)
            END IF;
            IF NEW.kind = 'merged_call' AND EXISTS (
                    SELECT 1 FROM central.ticket_events e
                     WHERE e.ticket_id = NEW.ticket_id AND e.kind = 'merged_call'
                       AND e.data->>'number' = NEW.data->>'number') THEN
                RETURN NULL;
            END IF;
            RETURN NEW;
        END $$;

        CREATE TRIGGER ticket_events_once BEFORE INSERT ON central.ticket_events
            FOR EACH ROW
            WHEN ((NEW.kind = 'transition' AND NEW.from_status = 'MERGED_DUPLICATE'
                   AND NEW.to_status = 'CLOSED') OR NEW.kind = 'merged_call')
            EXECUTE FUNCTION central.skip_repeated_event();

        CREATE OR REPLACE FUNCTION central.unit_tickets(p_status text DEFAULT NULL)
        RETURNS SETOF jsonb
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, central AS $$
            SELECT jsonb_build_object(
                'number', t.number,
                'status', t.status,
                'unit', t.main_unit,
                'urgency', t.data->>'urgency',
                'category', t.data->>'category_name',
                'description', t.data->>'description',
                'address', t.data#>>'{{place,address}}',
                'district', t.data#>>'{{place,district}}',
                'township', t.data#>>'{{place,township}}',
                'created_at', t.data->>'created_at',
                'due_at', t.data->>'due_at',
                'caller', jsonb_build_object(
                    'name', central.mask_name(t.data#>>'{{caller,name}}'),
                    'phones', coalesce((SELECT jsonb_agg(central.mask_phone(ph))
                                        FROM jsonb_array_elements_text(
                                            coalesce(t.data#>'{{caller,phones}}', '[]')) ph),
                                       '[]'::jsonb),
                    'confidential', coalesce((t.data#>>'{{caller,confidential}}')::boolean, false)),
                'rehandled', (SELECT count(*) FROM central.ticket_events e
                              WHERE e.ticket_id = t.id AND e.kind = 'transition'
                                AND e.to_status = 'REOPENED'),
                'callback_words', (SELECT e.data#>>'{{callback,words}}' FROM central.ticket_events e
                                   WHERE e.ticket_id = t.id AND e.data ? 'callback'
                                   ORDER BY e.seq DESC LIMIT 1),
                'followups', coalesce((SELECT jsonb_agg(jsonb_build_object(
                                           'kind', e.kind, 'at', e.at,
                                           'text', coalesce(e.data->>'text', ''))
                                         ORDER BY e.seq)
                                       FROM central.ticket_events e
                                       WHERE e.ticket_id = t.id AND e.kind = ANY ({kinds})),
                                      '[]'::jsonb),
                'chases', (SELECT count(*) FROM central.ticket_events e
                           WHERE e.ticket_id = t.id AND e.kind = 'chase'),
                'callers', 1 + (SELECT count(DISTINCT e.data->>'number')
                                FROM central.ticket_events e
                                WHERE e.ticket_id = t.id AND e.kind = 'merged_call'))
            FROM central.tickets t
            WHERE central.login_group() = 'handler'
              AND t.main_unit = ANY (central.my_units())
              AND (p_status IS NULL OR t.status = p_status)
            ORDER BY t.data->>'due_at' NULLS LAST, t.number
        $$;
        """
    )
    for fn in (
        "close_one_merged(text, text, text, text)",
        "close_merged()",
        "skip_repeated_event()",
    ):
        op.execute(f"ALTER FUNCTION central.{fn} OWNER TO {owner}")
        op.execute(f"REVOKE ALL ON FUNCTION central.{fn} FROM PUBLIC")


def downgrade() -> None:
    raise NotImplementedError(
        "c0004_followups has no downgrade: restore the central database from its backup"
    )
