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

A citizen calling back reaches any operator in the hall, whose seat holds only the tickets
its own login created; so, for operator and lead logins (``SECURITY DEFINER``, the login
from ``session_user``):

* ``central.caller_history(phone_key, limit)``: the caller's tickets from the whole centre,
  open ones first, as short summaries (number, times, status, category, place, main unit,
  due time); the caller masked (``mask_phone``/``mask_name``, a confidential (保密) caller
  entirely, as ``central.tickets_masked`` does) and the description cut to 80 characters with
  its phone-like numbers masked (``central.mask_digits``).  The number is never sent: the key
  is the seat's ``caller_key`` (the first 16 hex digits of the SHA-256 of the E.164 number),
  matched against every phone of a ticket through a GIN index on ``central.phone_keys``;
* ``central.follow_up(seat, key, number, kind, text, at, call_id)``: a progress call,
  supplement or chase on ANY ticket, under the seat's rules (``domain.followup``): a known
  kind, text without control characters, NFC, at most 2000 characters and required for a
  supplement or chase, which also need a ticket that is with a unit (not terminal, not
  merged).  Idempotent by ``key`` (``applied_ops``: a second delivery returns the stored
  answer and appends nothing) and by ``call_id`` (one call is recorded once); a refusal is a
  result (``rejected`` with a one-line reason), not an error.  The event and a new version
  reach the unit (``unit_tickets``) and, by pull, the seat that holds the ticket.
"""

from __future__ import annotations

from alembic import op

from agent_app.domain.followup import FOLLOWUP_TEXT_MAX, REACHES_UNIT
from agent_app.domain.lifecycle import TERMINAL
from agent_app.domain.validation import CONTROL

revision: str = "c0004_followups"
down_revision: str | None = "c0003_after_dispatch"
branch_labels: str | None = None
depends_on: str | None = None

FOLLOWUP_KINDS = ("progress_call", "supplement", "chase")
REACHES_UNIT_KINDS = tuple(sorted(k.value for k in REACHES_UNIT))
PHONE_KEY_CHARS = 16  # agent_app.services.duplicate_check.caller_key: sha256 hex, first 16
HISTORY_TEXT_CHARS = 80
HISTORY_MAX_ROWS = 200


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
    _repeat_calls_across_seats(p)


def _repeat_calls_across_seats(p: str) -> None:
    """The caller's history from the whole centre and follow-ups on any ticket (see the
    module docstring); every statement may run again."""
    owner, operator, lead = f"{p}_owner", f"{p}_operator", f"{p}_lead"
    closed = _array(s.value for s in TERMINAL)
    kinds = _array(FOLLOWUP_KINDS)
    reaching = _array(REACHES_UNIT_KINDS)
    op.execute(
        f"""
        CREATE OR REPLACE FUNCTION central.phone_keys(p_phones jsonb) RETURNS text[]
        LANGUAGE sql IMMUTABLE SET search_path = pg_catalog AS $$
            SELECT coalesce(array_agg(left(encode(sha256(convert_to(btrim(ph), 'UTF8')), 'hex'),
                                           {PHONE_KEY_CHARS})), '{{}}'::text[])
              FROM jsonb_array_elements_text(CASE WHEN jsonb_typeof(p_phones) = 'array'
                                                  THEN p_phones ELSE '[]' END) ph
             WHERE btrim(ph) <> ''
        $$;

        CREATE INDEX IF NOT EXISTS ix_tickets_phone_keys ON central.tickets
            USING gin (central.phone_keys(data#>'{{caller,phones}}'));

        CREATE OR REPLACE FUNCTION central.mask_digits(p text) RETURNS text
        LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog AS $$
        DECLARE
            v_rest text := translate(coalesce(p, ''), '０１２３４５６７８９', '0123456789');
            v_out text := ''; v_run text; v_digits text; v_at integer;
        BEGIN
            LOOP
                v_run := (regexp_match(v_rest, '[0-9](?:[ ()./-]?[0-9])*'))[1];
                EXIT WHEN v_run IS NULL;
                v_at := strpos(v_rest, v_run);
                v_digits := regexp_replace(v_run, '[^0-9]', '', 'g');
                v_out := v_out || left(v_rest, v_at - 1)
                    || CASE WHEN char_length(v_digits) >= 10
                              OR (char_length(v_digits) >= 7 AND v_digits = v_run)
                            THEN repeat('*', char_length(v_digits) - 4) || right(v_digits, 4)
                            ELSE v_run END;
                v_rest := substr(v_rest, v_at + char_length(v_run));
            END LOOP;
            RETURN v_out || v_rest;
        END $$;

        CREATE OR REPLACE FUNCTION central.caller_history(p_phone_key text, p_limit integer DEFAULT 50)
        RETURNS SETOF jsonb
        LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, central AS $$
        BEGIN
            IF central.login_group() IS NULL OR central.login_group() NOT IN ('operator', 'lead') THEN
                RAISE EXCEPTION USING ERRCODE = '42501',
                    MESSAGE = 'login ' || session_user || ' does not take citizens'' calls';
            END IF;
            IF coalesce(p_phone_key, '') !~ '^[0-9a-f]{{{PHONE_KEY_CHARS}}}$' THEN
                RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'invalid:phone_key';
            END IF;
            RETURN QUERY
            SELECT jsonb_build_object(
                'id', t.id,
                'number', t.number,
                'seat', t.seat,
                'created_at', t.created_at,
                'status', t.status,
                'request_type', t.data->>'request_type',
                'category', coalesce(t.data->>'category_name', ''),
                'district', coalesce(t.data#>>'{{place,district}}', ''),
                'township', coalesce(t.data#>>'{{place,township}}', ''),
                'main_unit', coalesce(t.main_unit, ''),
                'urgency', coalesce(t.data->>'urgency', ''),
                'due_at', t.data->>'due_at',
                'merged_into', coalesce(t.data->>'merged_into', ''),
                'confidential', coalesce((t.data#>>'{{caller,confidential}}')::boolean, false),
                'caller_phone', CASE
                    WHEN coalesce((t.data#>>'{{caller,confidential}}')::boolean, false)
                    THEN regexp_replace(regexp_replace(coalesce(t.data#>>'{{caller,phones,0}}', ''),
                                                       '[^0-9]', '', 'g'), '.', '*', 'g')
                    ELSE central.mask_phone(coalesce(t.data#>>'{{caller,phones,0}}', '')) END,
                'caller_name', CASE
                    WHEN coalesce((t.data#>>'{{caller,confidential}}')::boolean, false)
                    THEN CASE WHEN btrim(coalesce(t.data#>>'{{caller,name}}', '')) = '' THEN ''
                              ELSE '***' END
                    ELSE central.mask_name(t.data#>>'{{caller,name}}') END,
                'description', left(central.mask_digits(coalesce(t.data->>'description', '')),
                                    {HISTORY_TEXT_CHARS}))
              FROM central.tickets t
             WHERE central.phone_keys(t.data#>'{{caller,phones}}') @> ARRAY[p_phone_key]
             ORDER BY t.status = ANY ({closed}), t.created_at DESC, t.number
             LIMIT greatest(1, least(coalesce(p_limit, 50), {HISTORY_MAX_ROWS}));
        END $$;

        CREATE OR REPLACE FUNCTION central.follow_up(
            p_seat text, p_key text, p_number text, p_kind text, p_text text,
            p_at timestamptz DEFAULT NULL, p_call_id text DEFAULT '')
        RETURNS jsonb
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, central AS $$
        DECLARE
            v_login text := session_user; v_group text := central.login_group();
            v_t record; v_done record; v_n integer; v_reason text; v_text text;
            v_version bigint; v_seq integer; v_at timestamptz; v_now timestamptz := now();
            v_data jsonb; v_status text := 'applied'; v_detail jsonb := '{{}}';
            v_writer text := 'followup:' || session_user;
        BEGIN
            IF v_group IS NULL OR v_group NOT IN ('operator', 'lead') THEN
                RAISE EXCEPTION USING ERRCODE = '42501',
                    MESSAGE = 'login ' || v_login || ' does not take citizens'' calls';
            END IF;
            IF coalesce(p_key, '') !~ '^[A-Za-z0-9:_-]{{8,64}}$' THEN
                RAISE EXCEPTION 'malformed follow-up key' USING ERRCODE = '22023';
            END IF;
            -- The seat id belongs to the first login that used it (as in apply_batch).
            PERFORM central.claim_seat(p_seat);
            -- Versions are assigned in commit order: one writer at a time takes versions.
            PERFORM pg_advisory_xact_lock(hashtext('central.ticket_version_seq'));
            SELECT * INTO v_t FROM central.tickets WHERE number = p_number FOR UPDATE;
            INSERT INTO central.applied_ops (key, seat, login, ticket_id)
            VALUES (p_key, p_seat, v_login, coalesce(v_t.id, coalesce(p_number, '')))
            ON CONFLICT (key) DO NOTHING;
            GET DIAGNOSTICS v_n = ROW_COUNT;
            IF v_n = 0 THEN  -- delivered before: the stored answer, nothing appended again
                SELECT * INTO v_done FROM central.applied_ops WHERE key = p_key;
                IF v_done.seat IS DISTINCT FROM p_seat THEN
                    RAISE EXCEPTION 'follow-up key used by another seat' USING ERRCODE = '22023';
                END IF;
                RETURN jsonb_build_object('key', p_key, 'status', v_done.status,
                    'version', v_done.result_version, 'detail', v_done.detail, 'replay', true);
            END IF;
            v_text := regexp_replace(coalesce(p_text, ''), '^[[:space:]]+|[[:space:]]+$', '', 'g');
            IF NOT (coalesce(p_kind, '') = ANY ({kinds})) THEN
                v_reason := 'unknown follow-up kind ' || coalesce(p_kind, '');
            ELSIF v_t.id IS NULL THEN
                v_reason := 'no ticket ' || coalesce(p_number, '') || ' at the centre';
            ELSIF v_t.status = 'MERGED_DUPLICATE' AND coalesce(v_t.data->>'merged_into', '') <> '' THEN
                v_reason := 'merged into ' || (v_t.data->>'merged_into') || ': record it there';
            ELSIF p_kind = ANY ({reaching}) AND v_t.status = ANY ({closed}) THEN
                v_reason := 'ticket is ' || v_t.status || ': no unit works on it now';
            ELSIF p_kind = ANY ({reaching}) AND coalesce(v_t.main_unit, '') = '' THEN
                v_reason := 'no handling unit: a ' || p_kind || ' cannot reach one';
            ELSIF v_text ~ '{CONTROL}' THEN
                v_reason := 'the text has control characters';
            ELSIF NOT (v_text IS NFC NORMALIZED) THEN
                v_reason := 'the text is not NFC-normalised';
            ELSIF p_kind = ANY ({reaching}) AND v_text = '' THEN
                v_reason := 'a ' || p_kind || ' needs a text';
            ELSIF char_length(v_text) > {FOLLOWUP_TEXT_MAX} THEN
                v_reason := 'text too long (at most {FOLLOWUP_TEXT_MAX} characters)';
            END IF;
            IF v_reason IS NOT NULL THEN
                v_status := 'rejected';
                v_detail := jsonb_build_object('reason', v_reason);
            ELSIF coalesce(p_call_id, '') <> '' AND EXISTS (
                    SELECT 1 FROM central.ticket_events e
                     WHERE e.ticket_id = v_t.id AND e.kind = p_kind
                       AND e.data->>'call_id' = p_call_id) THEN
                v_version := v_t.version;  -- this call is on the ticket already
                v_detail := jsonb_build_object('same_call', true);
            ELSE
                v_at := CASE WHEN p_at IS NULL OR p_at > v_now OR p_at < v_t.created_at
                             THEN v_now ELSE p_at END;
                v_data := jsonb_build_object('text', central.mask_digits(v_text),
                    'status', v_t.status, 'unit', coalesce(v_t.main_unit, ''), 'seat', p_seat);
                IF p_kind = 'chase' THEN
                    v_data := v_data || jsonb_build_object('chases', 1 + (
                        SELECT count(*) FROM central.ticket_events e
                         WHERE e.ticket_id = v_t.id AND e.kind = 'chase'));
                END IF;
                IF coalesce(p_call_id, '') <> '' THEN
                    v_data := v_data || jsonb_build_object('call_id', p_call_id);
                END IF;
                v_version := nextval('central.ticket_version_seq');
                SELECT coalesce(max(seq), 0) INTO v_seq FROM central.ticket_events
                 WHERE ticket_id = v_t.id;
                INSERT INTO central.ticket_events (ticket_id, seq, origin_seq, op_key, version,
                    at, kind, actor_role, actor_id, from_status, to_status, data)
                VALUES (v_t.id, v_seq + 1, 1, p_key, v_version, v_at, p_kind, v_group, v_login,
                    NULL, NULL, v_data);
                UPDATE central.tickets
                   SET data = v_t.data || jsonb_build_object('updated_at', to_jsonb(v_now)),
                       updated_at = v_now, version = v_version,
                       field_versions = v_t.field_versions
                           || jsonb_build_object('updated_at', v_version),
                       field_writers = v_t.field_writers
                           || jsonb_build_object('updated_at', v_writer),
                       updated_by = v_login, server_updated_at = v_now
                 WHERE id = v_t.id;
                v_detail := jsonb_build_object('number', v_t.number, 'kind', p_kind,
                    'status', v_t.status, 'unit', coalesce(v_t.main_unit, ''));
            END IF;
            UPDATE central.applied_ops SET status = v_status, result_version = v_version,
                detail = v_detail WHERE key = p_key;
            RETURN jsonb_build_object('key', p_key, 'status', v_status, 'version', v_version,
                'detail', v_detail, 'replay', false);
        END $$;
        """
    )
    # phone_keys stays executable by every login: rows written by any of them are indexed
    # by it; it hashes, it reads nothing.
    op.execute(f"ALTER FUNCTION central.phone_keys(jsonb) OWNER TO {owner}")
    for fn in (
        "mask_digits(text)",
        "caller_history(text, integer)",
        "follow_up(text, text, text, text, text, timestamptz, text)",
    ):
        op.execute(f"ALTER FUNCTION central.{fn} OWNER TO {owner}")
        op.execute(f"REVOKE ALL ON FUNCTION central.{fn} FROM PUBLIC")
    op.execute(
        "GRANT EXECUTE ON FUNCTION central.caller_history(text, integer), "
        "central.follow_up(text, text, text, text, text, timestamptz, text) "
        f"TO {operator}, {lead}"
    )


def downgrade() -> None:
    raise NotImplementedError(
        "c0004_followups has no downgrade: restore the central database from its backup"
    )
