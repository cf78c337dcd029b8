"""transcripts: the calls' transcripts at the centre, sent by the seats, read by leads

Revision ID: c0008_transcripts
Revises: c0007_reports
Create Date: 2026-12-06 08:10:00

* ``central.ticket_transcripts``: one row per call: the ticket's first call (``event_id``
  NULL) or a repeat call (告知进展, 补充, 催办: ``event_id`` is that call's follow-up event,
  found by the call id the seat gave it), with the seat and the login that sent it, and the
  lines (``[{start_ms, end_ms, speaker, text}]``, redacted at the seat; the centre masks
  phone-like digit runs once more with ``central.mask_digits``).  At most one row per call.
* ``central.push_transcript(seat, key, ticket_id, number, call_id, lines)``: the only way in,
  ``SECURITY DEFINER``, for operator and lead logins.  Seat and login come from the session
  (``claim_seat``); once per key (``applied_ops``: a replay returns the stored answer and
  stores nothing).  A refusal is a result (``rejected`` with a reason code): the lines break a
  limit (``central.transcript_problem``, the same rules as
  :func:`agent_app.domain.call_transcript.wire_problem`), the ticket is not at the centre
  (``ticket_unknown``), the first call's ticket was not taken by this seat and login
  (``ticket_not_yours``), no repeat call of this login with that call id is on the ticket
  (``call_not_yours``).  A call whose transcript the centre holds already (a resend under a
  new key) is answered ``applied`` with ``duplicate``, and nothing is stored twice.
* Append-only: no app group may INSERT, UPDATE, DELETE or TRUNCATE; a trigger refuses UPDATE,
  DELETE and TRUNCATE even to the owner (as ``audit_log``, c0006).  Row-level security: leads
  and auditors read every row; an operator login reads the rows of the tickets it created and
  the ones it sent itself; handler (unit) and report logins read none (callers' own words).
"""

from __future__ import annotations

from alembic import op

from agent_app.domain.call_transcript import (
    LINE_CONTROL,
    MAX_LINE_CHARS,
    MAX_LINES,
    MAX_MS,
    MAX_SPEAKER_CHARS,
    MAX_TOTAL_CHARS,
)
from agent_app.domain.followup import FollowupKind

revision: str = "c0008_transcripts"
down_revision: str | None = "c0007_reports"
branch_labels: str | None = None
depends_on: str | None = None

FUNCTIONS = (
    "transcripts_append_only()",
    "transcript_problem(jsonb)",
    "push_transcript(text, text, text, text, text, jsonb)",
)


def _prefix() -> str:
    prefix = str(op.get_context().config.attributes.get("role_prefix", "hotline"))  # type: ignore[union-attr]
    if not prefix.replace("_", "").isalnum() or not prefix[0].isalpha() or len(prefix) > 30:
        raise ValueError(f"bad role prefix {prefix!r}")
    return prefix.lower()


def upgrade() -> None:
    p = _prefix()
    owner, operator, lead, handler, auditor, report = (
        f"{p}_{r}" for r in ("owner", "operator", "lead", "handler", "auditor", "report")
    )
    kinds = "ARRAY[" + ", ".join(f"'{k.value}'" for k in FollowupKind) + "]::text[]"
    op.execute(
        f"""
        CREATE TABLE central.ticket_transcripts (
            id bigserial PRIMARY KEY,
            op_key text NOT NULL CONSTRAINT uq_ticket_transcripts_op_key UNIQUE,
            ticket_id text NOT NULL REFERENCES central.tickets (id),
            event_id bigint REFERENCES central.ticket_events (id),
            call_id text NOT NULL DEFAULT '',
            seat text NOT NULL,
            login text NOT NULL DEFAULT session_user,
            line_count integer NOT NULL,
            lines jsonb NOT NULL,
            received_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE UNIQUE INDEX uq_ticket_transcripts_call
            ON central.ticket_transcripts (ticket_id, coalesce(event_id, 0));

        CREATE FUNCTION central.transcripts_append_only() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'ticket_transcripts is append-only' USING ERRCODE = '42501';
        END $$;
        CREATE TRIGGER ticket_transcripts_no_change
            BEFORE UPDATE OR DELETE ON central.ticket_transcripts
            FOR EACH ROW EXECUTE FUNCTION central.transcripts_append_only();
        CREATE TRIGGER ticket_transcripts_no_truncate BEFORE TRUNCATE ON central.ticket_transcripts
            FOR EACH STATEMENT EXECUTE FUNCTION central.transcripts_append_only();

        CREATE FUNCTION central.transcript_problem(p jsonb) RETURNS text
        LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog AS $$
        DECLARE
            l jsonb; v_text text; v_speaker text; v_start numeric; v_end numeric;
            v_last numeric := 0; v_total integer := 0;
        BEGIN
            IF jsonb_typeof(p) IS DISTINCT FROM 'array' THEN RETURN 'type:transcript'; END IF;
            IF jsonb_array_length(p) = 0 THEN RETURN 'empty:transcript'; END IF;
            IF jsonb_array_length(p) > {MAX_LINES} THEN RETURN 'too_many:transcript'; END IF;
            FOR l IN SELECT e.value FROM jsonb_array_elements(p) WITH ORDINALITY e
                     ORDER BY e.ordinality LOOP
                IF jsonb_typeof(l) IS DISTINCT FROM 'object'
                   OR jsonb_typeof(l->'start_ms') IS DISTINCT FROM 'number'
                   OR jsonb_typeof(l->'end_ms') IS DISTINCT FROM 'number'
                   OR (l->>'start_ms') !~ '^-?[0-9]+$' OR (l->>'end_ms') !~ '^-?[0-9]+$'
                   OR jsonb_typeof(l->'text') IS DISTINCT FROM 'string'
                   OR (l ? 'speaker' AND jsonb_typeof(l->'speaker') IS DISTINCT FROM 'string')
                THEN
                    RETURN 'type:transcript';
                END IF;
                v_text := l->>'text';
                v_speaker := coalesce(l->>'speaker', '');
                IF v_text ~ '^[[:space:]]*$' THEN RETURN 'empty:transcript'; END IF;
                IF char_length(v_text) > {MAX_LINE_CHARS}
                   OR char_length(v_speaker) > {MAX_SPEAKER_CHARS} THEN
                    RETURN 'too_long:transcript';
                END IF;
                v_total := v_total + char_length(v_text);
                IF v_total > {MAX_TOTAL_CHARS} THEN RETURN 'too_large:transcript'; END IF;
                IF v_text ~ '{LINE_CONTROL}' OR v_speaker ~ '{LINE_CONTROL}' THEN
                    RETURN 'control_char:transcript';
                END IF;
                IF NOT (v_text IS NFC NORMALIZED AND v_speaker IS NFC NORMALIZED) THEN
                    RETURN 'not_nfc:transcript';
                END IF;
                v_start := (l->>'start_ms')::numeric;
                v_end := (l->>'end_ms')::numeric;
                IF v_start < 0 OR v_end < v_start OR v_end > {MAX_MS} OR v_start < v_last THEN
                    RETURN 'not_monotonic:transcript';
                END IF;
                v_last := v_start;
            END LOOP;
            RETURN NULL;
        END $$;

        CREATE FUNCTION central.push_transcript(
            p_seat text, p_key text, p_ticket_id text, p_number text, p_call_id text,
            p_lines jsonb)
        RETURNS jsonb
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, central AS $$
        DECLARE
            v_login text := session_user; v_group text := central.login_group();
            v_t record; v_done record; v_n integer; v_reason text; v_event bigint;
            v_have bigint; v_status text := 'applied'; v_detail jsonb := '{{}}';
        BEGIN
            IF v_group IS NULL OR v_group NOT IN ('operator', 'lead') THEN
                RAISE EXCEPTION USING ERRCODE = '42501',
                    MESSAGE = 'login ' || v_login || ' does not take citizens'' calls';
            END IF;
            IF coalesce(p_key, '') !~ '^[A-Za-z0-9:_-]{{8,64}}$' THEN
                RAISE EXCEPTION 'malformed transcript key' USING ERRCODE = '22023';
            END IF;
            PERFORM central.claim_seat(p_seat);
            IF coalesce(p_ticket_id, '') <> '' THEN
                SELECT id, number, seat, created_by INTO v_t FROM central.tickets
                 WHERE id = p_ticket_id;
            ELSE
                SELECT id, number, seat, created_by INTO v_t FROM central.tickets
                 WHERE number = p_number;
            END IF;
            -- One call's transcript is stored once: a second sender waits for the first.
            PERFORM pg_advisory_xact_lock(hashtext('central.ticket_transcripts:'
                || coalesce(v_t.id, '')));
            INSERT INTO central.applied_ops (key, seat, login, ticket_id)
            VALUES (p_key, p_seat, v_login,
                    left(coalesce(v_t.id, nullif(p_ticket_id, ''), p_number, ''), 64))
            ON CONFLICT (key) DO NOTHING;
            GET DIAGNOSTICS v_n = ROW_COUNT;
            IF v_n = 0 THEN  -- delivered before: the stored answer, nothing stored again
                SELECT * INTO v_done FROM central.applied_ops WHERE key = p_key;
                IF v_done.seat IS DISTINCT FROM p_seat THEN
                    RAISE EXCEPTION 'transcript key used by another seat' USING ERRCODE = '22023';
                END IF;
                RETURN jsonb_build_object('key', p_key, 'status', v_done.status,
                    'detail', v_done.detail, 'replay', true);
            END IF;
            v_reason := central.transcript_problem(p_lines);
            IF v_reason IS NULL THEN
                IF v_t.id IS NULL THEN
                    v_reason := 'ticket_unknown';
                ELSIF coalesce(p_call_id, '') = '' THEN
                    IF v_t.seat IS DISTINCT FROM p_seat OR v_t.created_by IS DISTINCT FROM v_login
                    THEN
                        v_reason := 'ticket_not_yours';
                    END IF;
                ELSE
                    SELECT e.id INTO v_event FROM central.ticket_events e
                     WHERE e.ticket_id = v_t.id AND e.kind = ANY ({kinds})
                       AND e.data->>'call_id' = p_call_id AND e.actor_id = v_login
                     ORDER BY e.seq LIMIT 1;
                    IF v_event IS NULL THEN
                        v_reason := 'call_not_yours';
                    END IF;
                END IF;
            END IF;
            IF v_reason IS NOT NULL THEN
                v_status := 'rejected';
                v_detail := jsonb_build_object('reason', v_reason);
            ELSE
                SELECT id INTO v_have FROM central.ticket_transcripts
                 WHERE ticket_id = v_t.id AND coalesce(event_id, 0) = coalesce(v_event, 0);
                IF v_have IS NOT NULL THEN
                    v_detail := jsonb_build_object('duplicate', true, 'id', v_have);
                ELSE
                    INSERT INTO central.ticket_transcripts (op_key, ticket_id, event_id, call_id,
                        seat, login, line_count, lines)
                    SELECT p_key, v_t.id, v_event, coalesce(p_call_id, ''), p_seat, v_login,
                           count(*),
                           jsonb_agg(jsonb_build_object(
                               'start_ms', (e.value->>'start_ms')::bigint,
                               'end_ms', (e.value->>'end_ms')::bigint,
                               'speaker', coalesce(e.value->>'speaker', ''),
                               'text', central.mask_digits(e.value->>'text'))
                               ORDER BY e.ordinality)
                      FROM jsonb_array_elements(p_lines) WITH ORDINALITY e
                    RETURNING id INTO v_have;
                    v_detail := jsonb_build_object('id', v_have);
                END IF;
                v_detail := v_detail || jsonb_build_object('number', v_t.number);
            END IF;
            UPDATE central.applied_ops SET status = v_status, detail = v_detail
             WHERE key = p_key;
            RETURN jsonb_build_object('key', p_key, 'status', v_status, 'detail', v_detail,
                'replay', false);
        END $$;
        """
    )
    statements = [
        f"ALTER TABLE central.ticket_transcripts OWNER TO {owner}",
        f"ALTER SEQUENCE central.ticket_transcripts_id_seq OWNER TO {owner}",
        "REVOKE ALL ON central.ticket_transcripts FROM PUBLIC, "
        f"{operator}, {lead}, {handler}, {auditor}, {report}",
        "REVOKE ALL ON SEQUENCE central.ticket_transcripts_id_seq FROM PUBLIC",
        "ALTER TABLE central.ticket_transcripts ENABLE ROW LEVEL SECURITY",
        "ALTER TABLE central.ticket_transcripts FORCE ROW LEVEL SECURITY",
        f"CREATE POLICY owner_insert ON central.ticket_transcripts FOR INSERT TO {owner} "
        "WITH CHECK (true)",
        f"CREATE POLICY owner_read ON central.ticket_transcripts FOR SELECT TO {owner} "
        "USING (true)",
        f"GRANT SELECT ON central.ticket_transcripts TO {lead}, {auditor}, {operator}",
        f"CREATE POLICY lead_read ON central.ticket_transcripts FOR SELECT TO {lead} USING (true)",
        f"CREATE POLICY auditor_read ON central.ticket_transcripts FOR SELECT TO {auditor} "
        "USING (true)",
        # An operator: the calls it sent, and the calls on the tickets it created (the
        # tickets' own row-level security decides which those are).
        f"CREATE POLICY operator_own ON central.ticket_transcripts FOR SELECT TO {operator} "
        "USING (login = session_user OR EXISTS ("
        "SELECT 1 FROM central.tickets t WHERE t.id = ticket_id))",
    ]
    for fn in FUNCTIONS:
        statements += [
            f"ALTER FUNCTION central.{fn} OWNER TO {owner}",
            f"REVOKE ALL ON FUNCTION central.{fn} FROM PUBLIC",
        ]
    statements.append(
        "GRANT EXECUTE ON FUNCTION central.push_transcript(text, text, text, text, text, jsonb), "
        f"central.transcript_problem(jsonb) TO {operator}, {lead}"
    )
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    op.execute("DROP FUNCTION central.push_transcript(text, text, text, text, text, jsonb)")
    op.execute("DROP FUNCTION central.transcript_problem(jsonb)")
    op.execute("DROP TABLE central.ticket_transcripts")
    op.execute("DROP FUNCTION central.transcripts_append_only()")
