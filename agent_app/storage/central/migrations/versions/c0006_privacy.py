"""privacy: the access audit at the centre, the auditor group, callers masked in a view

Revision ID: c0006_privacy
Revises: c0005_lead_desk
Create Date: 2026-12-06 05:00:00

* ``central.audit_log``: every seat's audit rows (``agent_app.services.audit``), keyed by
  (seat, seq), sent by the seat's sync through ``central.push_audit(seat, rows)``, which
  recomputes each row's hash (``central.audit_hash``, the same bytes as
  ``agent_app.domain.audit_chain``) and its link to the row before, and stores nothing after
  the first row that fails.  ``central.audit_tail(seat, after, limit)`` gives the seat's own
  login the centre's last (seq, hash) of that seat and its rows after ``after``: a seat put
  back from a backup copies the rows it lost from there before it sends new ones.  Append-only: no app group holds any privilege on it except the
  auditor's SELECT, and a trigger refuses UPDATE, DELETE and TRUNCATE even to the owner.
* ``<prefix>_auditor``: a new group that reads ``central.audit_log`` and nothing else.
* ``central.tickets_masked``: the tickets with the caller masked (``central.mask_caller``;
  a confidential (保密) caller entirely), each group seeing the rows it may see (lead: all;
  operator: the tickets its login created; handler: its units' tickets).  Handlers have no
  privilege on ``central.tickets`` (c0003); operators keep reading their own rows there (the
  seat's pull: the callers they took themselves, which their seat already holds).
"""

from __future__ import annotations

from alembic import op

from agent_app.domain.audit_chain import GENESIS

revision: str = "c0006_privacy"
down_revision: str | None = "c0005_lead_desk"
branch_labels: str | None = None
depends_on: str | None = None

PUSH_MAX_ROWS = 1000


def _prefix() -> str:
    prefix = str(op.get_context().config.attributes.get("role_prefix", "hotline"))  # type: ignore[union-attr]
    if not prefix.replace("_", "").isalnum() or not prefix[0].isalpha() or len(prefix) > 30:
        raise ValueError(f"bad role prefix {prefix!r}")
    return prefix.lower()


def upgrade() -> None:
    p = _prefix()
    owner, operator, lead, handler, auditor = (
        f"{p}_{r}" for r in ("owner", "operator", "lead", "handler", "auditor")
    )
    op.execute(
        f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{auditor}') THEN "
        f"CREATE ROLE {auditor} NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE; "
        "END IF; END $$"
    )
    op.execute(
        f"""
        CREATE TABLE central.audit_log (
            seat text NOT NULL,
            seq bigint NOT NULL CONSTRAINT ck_audit_log_seq CHECK (seq > 0),
            at timestamptz NOT NULL,
            actor_id text NOT NULL,
            role text NOT NULL,
            action text NOT NULL,
            ticket_id text NOT NULL DEFAULT '',
            field text NOT NULL DEFAULT '',
            detail text NOT NULL DEFAULT '',
            prev_hash text NOT NULL,
            hash text NOT NULL,
            login text NOT NULL DEFAULT session_user,
            received_at timestamptz NOT NULL DEFAULT now(),
            CONSTRAINT pk_audit_log PRIMARY KEY (seat, seq)
        );
        CREATE INDEX ix_audit_log_at ON central.audit_log (at);
        CREATE INDEX ix_audit_log_actor_at ON central.audit_log (actor_id, at);

        CREATE FUNCTION central.audit_log_append_only() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = '42501';
        END $$;
        CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON central.audit_log
            FOR EACH ROW EXECUTE FUNCTION central.audit_log_append_only();
        CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON central.audit_log
            FOR EACH STATEMENT EXECUTE FUNCTION central.audit_log_append_only();

        CREATE FUNCTION central.audit_field(v text) RETURNS text
        LANGUAGE sql IMMUTABLE SET search_path = pg_catalog AS $$
            SELECT octet_length(coalesce(v, ''))::text || ':' || coalesce(v, '') || ';'
        $$;

        CREATE FUNCTION central.audit_hash(
            p_seq bigint, p_at timestamptz, p_actor text, p_role text, p_action text,
            p_ticket text, p_field text, p_detail text, p_prev text)
        RETURNS text
        LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, central AS $$
            SELECT encode(sha256(convert_to(
                central.audit_field(p_seq::text)
                || central.audit_field(to_char(p_at AT TIME ZONE 'UTC',
                                               'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))
                || central.audit_field(p_actor) || central.audit_field(p_role)
                || central.audit_field(p_action) || central.audit_field(p_ticket)
                || central.audit_field(p_field) || central.audit_field(p_detail)
                || central.audit_field(p_prev), 'UTF8')), 'hex')
        $$;

        CREATE FUNCTION central.push_audit(p_seat text, p_rows jsonb) RETURNS jsonb
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, central AS $$
        DECLARE
            v_row jsonb; v_seq bigint; v_at timestamptz; v_prev text; v_have text;
            v_hash text; v_accepted integer := 0; v_replayed integer := 0;
            v_refused jsonb := NULL;
        BEGIN
            IF central.login_group() IS NULL OR central.login_group() = 'handler' THEN
                RAISE EXCEPTION USING ERRCODE = '42501',
                    MESSAGE = 'login ' || session_user || ' may not send a seat''s audit rows';
            END IF;
            IF NOT EXISTS (SELECT 1 FROM central.seats
                           WHERE seat = p_seat AND login = session_user) THEN
                RAISE EXCEPTION USING ERRCODE = '42501',
                    MESSAGE = 'seat ' || coalesce(p_seat, '') || ' is not registered to login '
                        || session_user;
            END IF;
            IF jsonb_typeof(p_rows) IS DISTINCT FROM 'array'
               OR jsonb_array_length(p_rows) > {PUSH_MAX_ROWS} THEN
                RAISE EXCEPTION 'malformed audit rows' USING ERRCODE = '22023';
            END IF;
            -- One seat's rows are stored in order, one batch at a time.
            PERFORM pg_advisory_xact_lock(hashtext('central.audit_log:' || p_seat));
            FOR v_row IN SELECT e.value FROM jsonb_array_elements(p_rows) WITH ORDINALITY e
                         ORDER BY e.ordinality LOOP  -- the seat sends them in seq order
                BEGIN
                    v_seq := (v_row->>'seq')::bigint;
                    v_at := (v_row->>'at')::timestamptz;
                EXCEPTION WHEN data_exception THEN
                    v_seq := NULL;
                END;
                IF v_seq IS NULL OR v_at IS NULL OR v_seq < 1 THEN
                    v_refused := jsonb_build_object('seq', v_row->'seq', 'reason', 'malformed');
                    EXIT;
                END IF;
                SELECT hash INTO v_have FROM central.audit_log
                 WHERE seat = p_seat AND seq = v_seq;
                IF FOUND THEN
                    IF v_have = v_row->>'hash' THEN
                        v_replayed := v_replayed + 1;
                        CONTINUE;
                    END IF;
                    v_refused := jsonb_build_object('seq', v_seq, 'reason', 'different_row');
                    EXIT;
                END IF;
                IF v_seq = 1 THEN
                    v_prev := '{GENESIS}';
                ELSE
                    SELECT hash INTO v_prev FROM central.audit_log
                     WHERE seat = p_seat AND seq = v_seq - 1;
                    IF NOT FOUND THEN
                        v_refused := jsonb_build_object('seq', v_seq, 'reason', 'missing_rows');
                        EXIT;
                    END IF;
                END IF;
                IF v_row->>'prev_hash' IS DISTINCT FROM v_prev THEN
                    v_refused := jsonb_build_object('seq', v_seq, 'reason', 'prev_hash_mismatch');
                    EXIT;
                END IF;
                v_hash := central.audit_hash(v_seq, v_at, coalesce(v_row->>'actor_id', ''),
                    coalesce(v_row->>'role', ''), coalesce(v_row->>'action', ''),
                    coalesce(v_row->>'ticket_id', ''), coalesce(v_row->>'field', ''),
                    coalesce(v_row->>'detail', ''), v_prev);
                IF v_hash IS DISTINCT FROM v_row->>'hash' THEN
                    v_refused := jsonb_build_object('seq', v_seq, 'reason', 'hash_mismatch');
                    EXIT;
                END IF;
                INSERT INTO central.audit_log (seat, seq, at, actor_id, role, action, ticket_id,
                    field, detail, prev_hash, hash)
                VALUES (p_seat, v_seq, v_at, coalesce(v_row->>'actor_id', ''),
                    coalesce(v_row->>'role', ''), coalesce(v_row->>'action', ''),
                    coalesce(v_row->>'ticket_id', ''),
                    coalesce(v_row->>'field', ''), coalesce(v_row->>'detail', ''), v_prev, v_hash);
                v_accepted := v_accepted + 1;
            END LOOP;
            RETURN jsonb_build_object(
                'accepted', v_accepted, 'replayed', v_replayed, 'refused', v_refused,
                'last_seq', (SELECT coalesce(max(seq), 0) FROM central.audit_log
                             WHERE seat = p_seat));
        END $$;

        -- As agent_app.domain.privacy.mask_phone: a landline whose local part is short keeps
        -- at least 3 of its digits hidden (c0003's version hid only 2 of a 6-digit one).
        CREATE OR REPLACE FUNCTION central.mask_phone(p text) RETURNS text
        LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog AS $$
        DECLARE d text := regexp_replace(coalesce(p, ''), '[^0-9]', '', 'g');
            area int; local_len int; keep int;
        BEGIN
            IF d LIKE '86%' AND char_length(d) = 13 THEN d := substr(d, 3); END IF;
            IF char_length(d) = 11 AND d LIKE '1%' THEN
                RETURN left(d, 3) || '****' || right(d, 4);
            END IF;
            IF d LIKE '0%' AND char_length(d) >= 10 THEN
                area := CASE WHEN substr(d, 2, 1) IN ('1', '2') THEN 3 ELSE 4 END;
                local_len := char_length(d) - area;
                keep := least(4, local_len - 3);
                RETURN left(d, area) || '-' || repeat('*', local_len - keep) || right(d, keep);
            END IF;
            IF char_length(d) >= 7 THEN
                RETURN repeat('*', char_length(d) - 4) || right(d, 4);
            END IF;
            RETURN repeat('*', char_length(d));
        END $$;

        CREATE FUNCTION central.mask_caller(p_caller jsonb) RETURNS jsonb
        LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, central AS $$
            SELECT CASE WHEN p_caller IS NULL OR jsonb_typeof(p_caller) <> 'object' THEN p_caller
            WHEN coalesce((p_caller->>'confidential')::boolean, false) THEN
                p_caller || jsonb_build_object(
                    'name', CASE WHEN btrim(coalesce(p_caller->>'name', '')) = '' THEN ''
                                 ELSE '***' END,
                    'phones', coalesce((SELECT jsonb_agg(regexp_replace(
                                            regexp_replace(ph, '[^0-9]', '', 'g'), '.', '*', 'g'))
                                        FROM jsonb_array_elements_text(
                                            CASE WHEN jsonb_typeof(p_caller->'phones') = 'array'
                                                 THEN p_caller->'phones' ELSE '[]' END) ph),
                                       '[]'::jsonb))
            ELSE
                p_caller || jsonb_build_object(
                    'name', central.mask_name(p_caller->>'name'),
                    'phones', coalesce((SELECT jsonb_agg(central.mask_phone(ph))
                                        FROM jsonb_array_elements_text(
                                            CASE WHEN jsonb_typeof(p_caller->'phones') = 'array'
                                                 THEN p_caller->'phones' ELSE '[]' END) ph),
                                       '[]'::jsonb))
            END
        $$;

        CREATE FUNCTION central.ticket_visible(
            p_created_by text, p_main_unit text, p_co_units jsonb)
        RETURNS boolean
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, central AS $$
            SELECT CASE central.login_group()
                WHEN 'lead' THEN true
                WHEN 'operator' THEN p_created_by = session_user
                WHEN 'handler' THEN p_main_unit = ANY (central.my_units())
                                    OR coalesce(p_co_units, '[]') ?| central.my_units()
                ELSE false END
        $$;

        CREATE VIEW central.tickets_masked WITH (security_barrier = true) AS
            SELECT t.id, t.number, t.seat, t.status, t.main_unit, t.co_units, t.created_at,
                   t.updated_at, t.version,
                   coalesce((t.data#>>'{{caller,confidential}}')::boolean, false) AS confidential,
                   central.mask_caller(t.data->'caller')->>'name' AS caller_name,
                   central.mask_caller(t.data->'caller')->'phones' AS caller_phones,
                   CASE WHEN t.data ? 'caller'
                        THEN t.data || jsonb_build_object(
                            'caller', central.mask_caller(t.data->'caller'))
                        ELSE t.data END AS data
              FROM central.tickets t
             WHERE central.ticket_visible(t.created_by, t.main_unit, t.co_units);
        """
    )
    # Re-runnable on its own (CREATE OR REPLACE): a centre already at c0006 gets it too.
    op.execute(
        f"""
        CREATE OR REPLACE FUNCTION central.audit_tail(p_seat text, p_after bigint, p_limit integer)
        RETURNS jsonb
        LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, central AS $$
        DECLARE v_last bigint; v_hash text; v_rows jsonb;
        BEGIN
            IF central.login_group() IS NULL OR central.login_group() = 'handler' THEN
                RAISE EXCEPTION USING ERRCODE = '42501',
                    MESSAGE = 'login ' || session_user || ' may not read a seat''s audit rows';
            END IF;
            IF NOT EXISTS (SELECT 1 FROM central.seats
                           WHERE seat = p_seat AND login = session_user) THEN
                RAISE EXCEPTION USING ERRCODE = '42501',
                    MESSAGE = 'seat ' || coalesce(p_seat, '') || ' is not registered to login '
                        || session_user;
            END IF;
            SELECT seq, hash INTO v_last, v_hash FROM central.audit_log
             WHERE seat = p_seat ORDER BY seq DESC LIMIT 1;
            SELECT coalesce(jsonb_agg(jsonb_build_object(
                       'seq', r.seq,
                       'at', to_char(r.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
                       'actor_id', r.actor_id, 'role', r.role, 'action', r.action,
                       'ticket_id', r.ticket_id, 'field', r.field, 'detail', r.detail,
                       'prev_hash', r.prev_hash, 'hash', r.hash) ORDER BY r.seq), '[]'::jsonb)
              INTO v_rows
              FROM (SELECT * FROM central.audit_log
                     WHERE seat = p_seat AND seq > coalesce(p_after, v_last, 0)
                     ORDER BY seq
                     LIMIT least(greatest(coalesce(p_limit, 0), 0), {PUSH_MAX_ROWS})) r;
            RETURN jsonb_build_object('last_seq', coalesce(v_last, 0),
                                      'last_hash', coalesce(v_hash, '{GENESIS}'),
                                      'rows', v_rows);
        END $$;
        """
    )
    statements = [
        f"GRANT USAGE ON SCHEMA central TO {auditor}",
        f"ALTER TABLE central.audit_log OWNER TO {owner}",
        f"REVOKE ALL ON central.audit_log FROM PUBLIC, {operator}, {lead}, {handler}, {auditor}",
        "ALTER TABLE central.audit_log ENABLE ROW LEVEL SECURITY",
        "ALTER TABLE central.audit_log FORCE ROW LEVEL SECURITY",
        f"CREATE POLICY owner_insert ON central.audit_log FOR INSERT TO {owner} WITH CHECK (true)",
        f"CREATE POLICY owner_read ON central.audit_log FOR SELECT TO {owner} USING (true)",
        f"GRANT SELECT ON central.audit_log TO {auditor}",
        f"CREATE POLICY auditor_read ON central.audit_log FOR SELECT TO {auditor} USING (true)",
        f"ALTER VIEW central.tickets_masked OWNER TO {owner}",
        "REVOKE ALL ON central.tickets_masked FROM PUBLIC",
        f"GRANT SELECT ON central.tickets_masked TO {operator}, {lead}, {handler}",
    ]
    for fn in (
        "audit_log_append_only()",
        "audit_field(text)",
        "audit_hash(bigint, timestamptz, text, text, text, text, text, text, text)",
        "push_audit(text, jsonb)",
        "audit_tail(text, bigint, integer)",
        "mask_caller(jsonb)",
        "ticket_visible(text, text, jsonb)",
    ):
        statements += [
            f"ALTER FUNCTION central.{fn} OWNER TO {owner}",
            f"REVOKE ALL ON FUNCTION central.{fn} FROM PUBLIC",
        ]
    statements += [
        f"GRANT EXECUTE ON FUNCTION central.push_audit(text, jsonb), "
        f"central.audit_tail(text, bigint, integer) TO {operator}, {lead}",
        # The view reads the table as its owner; the functions it calls run for the reader.
        f"GRANT EXECUTE ON FUNCTION central.ticket_visible(text, text, jsonb), "
        f"central.mask_caller(jsonb), central.mask_name(text), central.mask_phone(text) "
        f"TO {operator}, {lead}, {handler}",
    ]
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    raise NotImplementedError(
        "c0006_privacy has no downgrade: the audit trail is kept; restore the central database "
        "from its backup"
    )
