"""purge masks texts: the retention purge also masks the caller in a ticket's words

Revision ID: c0014_purge_masks_texts
Revises: c0013_purge_runs
Create Date: 2026-12-06 12:10:00

Up to c0013 the purge (c0011) erased the caller object of a ticket closed past the policy but
left the caller's name or number the operator had typed into the description, the notes,
the outcome detail, the address, a follow-up's or a callback's words.  Now, for each ticket
whose caller it erases, ``central.purge_closed_core`` first rewrites those texts through
``central.mask_free_text`` (c0012) with the caller as it was, in the same statement (tickets)
and the same transaction (events, conflicts, stored apply answers):

* ``tickets.data``: ``description``, ``notes``, ``outcome_detail``, ``place.address``;
* the ticket's events (``central.ticket_events``): ``data.text`` (follow-ups, a unit's
  notes and reply), ``data.reason`` (objections, extensions, rulings) and
  ``data.callback.words``;
* the two sides of its conflicts and its stored apply answers (``detail.remote``): the same
  fields as the ticket, with the ticket's caller and then the side's own caller.

The calls' transcripts need nothing: the purge deletes them (c0011).  The answer and the
purge record (``central.purge_runs``, c0013) gain ``texts_masked``: the rows (ticket,
event, conflict, apply answer) whose words changed (or would change: a dry run counts too).
Signatures, privileges and every other key are unchanged.

``central.ticket_events`` stays append-only: its trigger now lets an UPDATE through only
when the current user is the owner role, the transaction-local setting
``central.retention_purge`` is ``on`` (set by the purge around its writes and cleared
after) and nothing but ``data`` changes; DELETE and every other UPDATE are refused as before.
Events keep their ``seq`` and times, so the report facts (built from the statuses and times,
never from words) give the same figures, and the audit trail is not touched.
"""

from __future__ import annotations

from alembic import op

from agent_app.domain.lifecycle import TERMINAL

revision: str = "c0014_purge_masks_texts"
down_revision: str | None = "c0013_purge_runs"
branch_labels: str | None = None
depends_on: str | None = None

SETTING = "central.retention_purge"
# The words of a ticket's data and of its events rewritten (as c0012 masks them for units).
DATA_TEXTS = ("description", "notes", "outcome_detail")
EVENT_TEXTS = ("text", "reason")


def _prefix() -> str:
    prefix = str(op.get_context().config.attributes.get("role_prefix", "hotline"))  # type: ignore[union-attr]
    if not prefix.replace("_", "").isalnum() or not prefix[0].isalpha() or len(prefix) > 30:
        raise ValueError(f"bad role prefix {prefix!r}")
    return prefix.lower()


def _array(values: tuple[str, ...]) -> str:
    return "ARRAY[" + ", ".join("'" + v + "'" for v in values) + "]::text[]"


def upgrade() -> None:
    p = _prefix()
    owner = f"{p}_owner"
    closed = "ARRAY[" + ", ".join(f"'{s.value}'" for s in sorted(TERMINAL)) + "]::text[]"
    op.execute(
        f"""
        CREATE OR REPLACE FUNCTION central.ticket_events_append_only() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            -- The one way to change an event: the retention purge masking its words (runs
            -- as the owner, sets the flag), and only the data.
            IF TG_OP = 'UPDATE' AND current_user = '{owner}'
               AND current_setting('{SETTING}', true) = 'on'
               AND (to_jsonb(NEW) - 'data') = (to_jsonb(OLD) - 'data') THEN
                RETURN NEW;
            END IF;
            RAISE EXCEPTION 'ticket_events is append-only' USING ERRCODE = '42501';
        END $$;

        -- A ticket's (or a copy's) words with the caller masked: with p_caller, then with the
        -- copy's own caller when it has one that differs.
        CREATE FUNCTION central.purge_mask_data(p_data jsonb, p_caller jsonb) RETURNS jsonb
        LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, central AS $$
        DECLARE v jsonb := p_data; v_key text; v_caller jsonb;
        BEGIN
            IF p_data IS NULL OR jsonb_typeof(p_data) <> 'object' THEN
                RETURN p_data;
            END IF;
            FOREACH v_caller IN ARRAY ARRAY[p_caller, p_data->'caller'] LOOP
                CONTINUE WHEN v_caller IS NULL OR jsonb_typeof(v_caller) <> 'object';
                FOREACH v_key IN ARRAY {_array(DATA_TEXTS)} LOOP
                    IF jsonb_typeof(v->v_key) = 'string' THEN
                        v := jsonb_set(v, ARRAY[v_key],
                                       to_jsonb(central.mask_free_text(v->>v_key, v_caller)));
                    END IF;
                END LOOP;
                IF jsonb_typeof(v#>'{{place,address}}') = 'string' THEN
                    v := jsonb_set(v, '{{place,address}}', to_jsonb(
                        central.mask_free_text(v#>>'{{place,address}}', v_caller)));
                END IF;
                EXIT WHEN p_data->'caller' IS NOT DISTINCT FROM p_caller;
            END LOOP;
            RETURN v;
        END $$;

        -- An event's words (a follow-up's or a unit's text, a reason, a callback's words).
        CREATE FUNCTION central.purge_mask_event(p_data jsonb, p_caller jsonb) RETURNS jsonb
        LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, central AS $$
        DECLARE v jsonb := p_data; v_key text;
        BEGIN
            IF p_data IS NULL OR jsonb_typeof(p_data) <> 'object'
               OR p_caller IS NULL OR jsonb_typeof(p_caller) <> 'object' THEN
                RETURN p_data;
            END IF;
            FOREACH v_key IN ARRAY {_array(EVENT_TEXTS)} LOOP
                IF jsonb_typeof(v->v_key) = 'string' THEN
                    v := jsonb_set(v, ARRAY[v_key],
                                   to_jsonb(central.mask_free_text(v->>v_key, p_caller)));
                END IF;
            END LOOP;
            IF jsonb_typeof(v#>'{{callback,words}}') = 'string' THEN
                v := jsonb_set(v, '{{callback,words}}', to_jsonb(
                    central.mask_free_text(v#>>'{{callback,words}}', p_caller)));
            END IF;
            RETURN v;
        END $$;

        ALTER TABLE central.purge_runs ADD COLUMN texts_masked integer NOT NULL DEFAULT 0;

        CREATE OR REPLACE FUNCTION central.purge_closed_core(p_before timestamptz,
                                                             p_dry_run boolean)
        RETURNS jsonb
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, central AS $$
        DECLARE
            v_closed text[] := {closed};
            v_marker jsonb := jsonb_build_object('name', '', 'phones', '[]'::jsonb,
                                                 'purged', true);
            v_due text[]; v_erase text[]; v_held integer; v_tickets integer;
            v_transcripts integer; v_conflicts integer; v_applied integer;
            v_texts integer := 0; v_n integer;
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
            -- The tickets whose caller this run erases (a second run: none).
            SELECT coalesce(array_agg(t.id), '{{}}') INTO v_erase FROM central.tickets t
             WHERE t.id = ANY (v_due) AND jsonb_typeof(t.data->'caller') = 'object'
               AND NOT coalesce((t.data#>>'{{caller,purged}}')::boolean, false);
            v_tickets := cardinality(v_erase);
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
            -- The words that name the caller: counted (dry run) or rewritten, with the caller
            -- as it is before the erasure below.
            IF p_dry_run THEN
                SELECT count(*) INTO v_n FROM central.tickets t
                 WHERE t.id = ANY (v_erase)
                   AND central.purge_mask_data(t.data, t.data->'caller') <> t.data;
                v_texts := v_texts + v_n;
                SELECT count(*) INTO v_n FROM central.ticket_events e
                  JOIN central.tickets t ON t.id = e.ticket_id
                 WHERE e.ticket_id = ANY (v_erase)
                   AND central.purge_mask_event(e.data, t.data->'caller') <> e.data;
                v_texts := v_texts + v_n;
                SELECT count(*) INTO v_n FROM central.conflicts c
                  JOIN central.tickets t ON t.id = c.ticket_id
                 WHERE c.ticket_id = ANY (v_due)
                   AND (central.purge_mask_data(c.local, t.data->'caller') <> c.local
                        OR central.purge_mask_data(c.remote, t.data->'caller') <> c.remote);
                v_texts := v_texts + v_n;
                SELECT count(*) INTO v_n FROM central.applied_ops a
                  JOIN central.tickets t ON t.id = a.ticket_id
                 WHERE a.ticket_id = ANY (v_due)
                   AND jsonb_typeof(a.detail->'remote') = 'object'
                   AND central.purge_mask_data(a.detail->'remote', t.data->'caller')
                       <> a.detail->'remote';
                v_texts := v_texts + v_n;
            ELSE
                PERFORM set_config('{SETTING}', 'on', true);
                UPDATE central.ticket_events e
                   SET data = central.purge_mask_event(e.data, t.data->'caller')
                  FROM central.tickets t
                 WHERE t.id = e.ticket_id AND e.ticket_id = ANY (v_erase)
                   AND central.purge_mask_event(e.data, t.data->'caller') <> e.data;
                GET DIAGNOSTICS v_n = ROW_COUNT;
                v_texts := v_texts + v_n;
                UPDATE central.conflicts c
                   SET local = central.purge_mask_data(c.local, t.data->'caller'),
                       remote = central.purge_mask_data(c.remote, t.data->'caller')
                  FROM central.tickets t
                 WHERE t.id = c.ticket_id AND c.ticket_id = ANY (v_due)
                   AND (central.purge_mask_data(c.local, t.data->'caller') <> c.local
                        OR central.purge_mask_data(c.remote, t.data->'caller') <> c.remote);
                GET DIAGNOSTICS v_n = ROW_COUNT;
                v_texts := v_texts + v_n;
                UPDATE central.applied_ops a
                   SET detail = jsonb_set(a.detail, '{{remote}}',
                                          central.purge_mask_data(a.detail->'remote',
                                                                  t.data->'caller'))
                  FROM central.tickets t
                 WHERE t.id = a.ticket_id AND a.ticket_id = ANY (v_due)
                   AND jsonb_typeof(a.detail->'remote') = 'object'
                   AND central.purge_mask_data(a.detail->'remote', t.data->'caller')
                       <> a.detail->'remote';
                GET DIAGNOSTICS v_n = ROW_COUNT;
                v_texts := v_texts + v_n;
                SELECT count(*) INTO v_n FROM central.tickets t
                 WHERE t.id = ANY (v_erase)
                   AND central.purge_mask_data(t.data, t.data->'caller') <> t.data;
                v_texts := v_texts + v_n;
                -- The words and the caller in one statement: the caller as it was masks them.
                UPDATE central.tickets t
                   SET data = central.purge_mask_data(t.data, t.data->'caller')
                              || jsonb_build_object('caller', (t.data->'caller') || v_marker)
                 WHERE t.id = ANY (v_erase);
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
                DELETE FROM central.ticket_transcripts x WHERE x.ticket_id = ANY (v_due);
                PERFORM set_config('{SETTING}', '', true);
            END IF;
            RETURN jsonb_build_object(
                'before', p_before, 'dry_run', p_dry_run, 'tickets', v_tickets,
                'transcripts', v_transcripts, 'conflicts', v_conflicts,
                'applied_ops', v_applied, 'held', v_held,
                'due', coalesce(cardinality(v_due), 0), 'texts_masked', v_texts);
        END $$;

        CREATE OR REPLACE FUNCTION central.purge_closed(p_before timestamptz, p_dry_run boolean)
        RETURNS jsonb
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, central AS $$
        DECLARE v jsonb;
        BEGIN
            v := central.purge_closed_core(p_before, p_dry_run);
            IF NOT p_dry_run THEN
                INSERT INTO central.purge_runs (login, before, due, tickets, transcripts,
                                                conflicts, applied_ops, held, texts_masked)
                VALUES (session_user, p_before, (v->>'due')::integer, (v->>'tickets')::integer,
                        (v->>'transcripts')::integer, (v->>'conflicts')::integer,
                        (v->>'applied_ops')::integer, (v->>'held')::integer,
                        (v->>'texts_masked')::integer);
            END IF;
            RETURN v;
        END $$;
        """
    )
    for fn in ("purge_mask_data(jsonb, jsonb)", "purge_mask_event(jsonb, jsonb)"):
        op.execute(f"ALTER FUNCTION central.{fn} OWNER TO {owner}")
        op.execute(f"REVOKE ALL ON FUNCTION central.{fn} FROM PUBLIC")


def downgrade() -> None:
    raise NotImplementedError(
        "c0014_purge_masks_texts has no downgrade: restore the central database from its backup"
    )
