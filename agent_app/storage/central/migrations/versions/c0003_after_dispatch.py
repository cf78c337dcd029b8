"""after dispatch: handling units act through the centre, and see callers masked

Revision ID: c0003_after_dispatch
Revises: c0002_validation
Create Date: 2026-12-08 10:00:00

A handler login (group ``<prefix>_handler``, bound to its units in ``handler_units``) no
longer reads ``central.tickets`` or ``central.ticket_events``: it lists the tickets
dispatched to its units through ``central.unit_tickets()`` (the caller masked) and acts on
them through ``central.unit_act()`` (sign, contact, note, extend, object, reply), which
checks the unit, the arguments and every status step against the lifecycle table, then
appends the events and gives the ticket a new version, so seats pull them like any change.
``lifecycle_transitions`` is regenerated from ``agent_app.domain.lifecycle`` (two handler
transitions were added) and ``unit_action_paths`` is generated from ``UNIT_ACTION_PATHS``.
"""

from __future__ import annotations

from alembic import op

from agent_app.domain.lifecycle import (
    EXTENSION_MAX_DAYS,
    OBJECTION_REASONS,
    REPLY_RESULTS,
    UNIT_TEXT_MAX,
    unit_action_rows,
)
from agent_app.domain.validation import CONTROL, transition_rows

revision: str = "c0003_after_dispatch"
down_revision: str | None = "c0002_validation"
branch_labels: str | None = None
depends_on: str | None = None


def _prefix() -> str:
    prefix = str(op.get_context().config.attributes.get("role_prefix", "hotline"))  # type: ignore[union-attr]
    if not prefix.replace("_", "").isalnum() or not prefix[0].isalpha() or len(prefix) > 30:
        raise ValueError(f"bad role prefix {prefix!r}")
    return prefix.lower()


def _lit(value: object) -> str:
    if isinstance(value, tuple | list):
        return "ARRAY[" + ", ".join(_lit(v) for v in value) + "]::text[]"
    return "'" + str(value).replace("'", "''") + "'"


def upgrade() -> None:
    p = _prefix()
    owner, handler = f"{p}_owner", f"{p}_handler"
    op.execute("DELETE FROM central.lifecycle_transitions")
    op.execute(
        "INSERT INTO central.lifecycle_transitions (source, target, actor) VALUES "
        + ", ".join(f"({_lit(s)}, {_lit(t)}, {_lit(a)})" for s, t, a in transition_rows())
    )
    op.execute(
        """
        CREATE TABLE central.unit_action_paths (
            action text NOT NULL,
            source text NOT NULL,
            path text[] NOT NULL,
            CONSTRAINT pk_unit_action_paths PRIMARY KEY (action, source)
        );
        """
    )
    op.execute(
        "INSERT INTO central.unit_action_paths (action, source, path) VALUES "
        + ", ".join(
            f"({_lit(a)}, {_lit(s)}, " + (_lit(path) if path else "'{}'::text[]") + ")"
            for a, s, path in unit_action_rows()
        )
    )
    reasons, results = _lit(list(OBJECTION_REASONS)), _lit(list(REPLY_RESULTS))
    op.execute(
        f"""
        CREATE FUNCTION central.mask_name(p text) RETURNS text
        LANGUAGE sql IMMUTABLE SET search_path = pg_catalog AS $$
            SELECT CASE WHEN btrim(coalesce(p, '')) = '' THEN ''
                        ELSE left(btrim(p), 1) || repeat('*', greatest(char_length(btrim(p)) - 1, 1))
                   END
        $$;

        CREATE FUNCTION central.mask_phone(p text) RETURNS text
        LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog AS $$
        DECLARE d text := regexp_replace(coalesce(p, ''), '[^0-9]', '', 'g'); area int;
        BEGIN
            IF d LIKE '86%' AND char_length(d) = 13 THEN d := substr(d, 3); END IF;
            IF char_length(d) = 11 AND d LIKE '1%' THEN
                RETURN left(d, 3) || '****' || right(d, 4);
            END IF;
            IF d LIKE '0%' AND char_length(d) >= 10 THEN
                area := CASE WHEN substr(d, 2, 1) IN ('1', '2') THEN 3 ELSE 4 END;
                RETURN left(d, area) || '-' || repeat('*', char_length(d) - area - 4) || right(d, 4);
            END IF;
            IF char_length(d) >= 7 THEN
                RETURN repeat('*', char_length(d) - 4) || right(d, 4);
            END IF;
            RETURN repeat('*', char_length(d));
        END $$;

        CREATE FUNCTION central.unit_text(p_args jsonb, p_name text, p_required boolean)
        RETURNS text
        LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog AS $$
        DECLARE t text;
        BEGIN
            IF p_args->p_name IS NULL OR jsonb_typeof(p_args->p_name) = 'null' THEN
                t := '';
            ELSIF jsonb_typeof(p_args->p_name) <> 'string' THEN
                RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'type:' || p_name;
            ELSE
                t := p_args->>p_name;
            END IF;
            IF t ~ '{CONTROL}' THEN
                RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'control_char:' || p_name;
            END IF;
            IF NOT (t IS NFC NORMALIZED) THEN
                RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'not_nfc:' || p_name;
            END IF;
            IF char_length(t) > {UNIT_TEXT_MAX} THEN
                RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'too_long:' || p_name;
            END IF;
            IF p_required AND btrim(t) = '' THEN
                RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'empty:' || p_name;
            END IF;
            RETURN t;
        END $$;

        CREATE FUNCTION central.unit_tickets(p_status text DEFAULT NULL) RETURNS SETOF jsonb
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
                                   ORDER BY e.seq DESC LIMIT 1))
            FROM central.tickets t
            WHERE central.login_group() = 'handler'
              AND t.main_unit = ANY (central.my_units())
              AND (p_status IS NULL OR t.status = p_status)
            ORDER BY t.data->>'due_at' NULLS LAST, t.number
        $$;

        CREATE FUNCTION central.unit_act(p_number text, p_action text, p_args jsonb DEFAULT '{{}}')
        RETURNS jsonb
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, central AS $$
        DECLARE
            v_login text := session_user;
            v_writer text := 'unit:' || session_user;
            v_key text := 'unit:' || gen_random_uuid()::text;
            v_t record; v_path text[]; v_cur text; v_next text; v_version bigint;
            v_seq integer; v_now timestamptz := now(); v_args jsonb := coalesce(p_args, '{{}}');
            v_evdata jsonb; v_data jsonb; v_fv jsonb; v_fw jsonb; v_days integer; v_i integer := 0;
        BEGIN
            IF central.login_group() IS DISTINCT FROM 'handler' THEN
                RAISE EXCEPTION USING ERRCODE = '42501',
                    MESSAGE = 'login ' || v_login || ' is not a handling unit''s login';
            END IF;
            SELECT * INTO v_t FROM central.tickets WHERE number = p_number FOR UPDATE;
            IF NOT FOUND OR NOT (v_t.main_unit = ANY (central.my_units())) THEN
                RAISE EXCEPTION USING ERRCODE = 'P0002',
                    MESSAGE = 'no ticket ' || coalesce(p_number, '') || ' is dispatched to your unit';
            END IF;
            SELECT path INTO v_path FROM central.unit_action_paths
             WHERE action = p_action AND source = v_t.status;
            IF NOT FOUND THEN
                RAISE EXCEPTION USING ERRCODE = '55000',
                    MESSAGE = 'ticket ' || p_number || ' is ' || v_t.status || ': '
                        || coalesce(p_action, '') || ' is not possible now';
            END IF;
            v_evdata := jsonb_build_object('action', p_action, 'unit', v_t.main_unit);
            IF p_action = 'note' THEN
                v_evdata := v_evdata || jsonb_build_object('text', central.unit_text(v_args, 'text', true));
            ELSIF p_action IN ('sign', 'contact') THEN
                IF central.unit_text(v_args, 'text', false) <> '' THEN
                    v_evdata := v_evdata || jsonb_build_object('text', v_args->>'text');
                END IF;
            ELSIF p_action = 'extend' THEN
                IF jsonb_typeof(v_args->'days') IS DISTINCT FROM 'number'
                   OR (v_args->>'days') !~ '^[0-9]+$'
                   OR (v_args->>'days')::numeric NOT BETWEEN 1 AND {EXTENSION_MAX_DAYS} THEN
                    RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'invalid:days';
                END IF;
                v_days := (v_args->>'days')::integer;
                v_evdata := v_evdata || jsonb_build_object('days', v_days,
                    'reason', central.unit_text(v_args, 'reason', true));
            ELSIF p_action = 'object' THEN
                IF NOT (coalesce(v_args->>'reason_code', '') = ANY ({reasons})) THEN
                    RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'invalid:reason_code';
                END IF;
                v_evdata := v_evdata || jsonb_build_object('reason_code', v_args->>'reason_code',
                    'reason', central.unit_text(v_args, 'reason', true));
            ELSIF p_action = 'reply' THEN
                IF NOT (coalesce(v_args->>'result', '') = ANY ({results})) THEN
                    RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'invalid:result';
                END IF;
                v_evdata := v_evdata || jsonb_build_object('result', v_args->>'result',
                    'text', central.unit_text(v_args, 'text', true));
            END IF;
            -- Versions are assigned in commit order (as in apply_batch).
            PERFORM pg_advisory_xact_lock(hashtext('central.ticket_version_seq'));
            v_version := nextval('central.ticket_version_seq');
            SELECT coalesce(max(seq), 0) INTO v_seq FROM central.ticket_events
             WHERE ticket_id = v_t.id;
            v_cur := v_t.status;
            IF cardinality(v_path) = 0 THEN
                v_seq := v_seq + 1;
                INSERT INTO central.ticket_events (ticket_id, seq, origin_seq, op_key, version,
                    at, kind, actor_role, actor_id, from_status, to_status, data)
                VALUES (v_t.id, v_seq, 1, v_key, v_version, v_now, p_action, 'handler', v_login,
                    NULL, NULL, v_evdata);
            ELSE
                FOREACH v_next IN ARRAY v_path LOOP
                    IF NOT EXISTS (SELECT 1 FROM central.lifecycle_transitions l
                                   JOIN central.group_actors g ON g.actor = l.actor
                                   WHERE g.grp = 'handler' AND l.source = v_cur
                                     AND l.target = v_next) THEN
                        RAISE EXCEPTION USING ERRCODE = '55000',
                            MESSAGE = 'transition_not_allowed:' || v_cur || '>' || v_next;
                    END IF;
                    v_seq := v_seq + 1;
                    v_i := v_i + 1;
                    INSERT INTO central.ticket_events (ticket_id, seq, origin_seq, op_key,
                        version, at, kind, actor_role, actor_id, from_status, to_status, data)
                    VALUES (v_t.id, v_seq, v_i, v_key, v_version, v_now, 'transition', 'handler',
                        v_login, v_cur, v_next,
                        CASE WHEN v_i = cardinality(v_path) THEN v_evdata
                             ELSE jsonb_build_object('action', p_action, 'implied', true) END);
                    v_cur := v_next;
                END LOOP;
            END IF;
            v_data := v_t.data || jsonb_build_object('status', v_cur, 'updated_at', to_jsonb(v_now));
            v_fv := v_t.field_versions || jsonb_build_object('status', v_version, 'updated_at', v_version);
            v_fw := v_t.field_writers || jsonb_build_object('status', v_writer, 'updated_at', v_writer);
            UPDATE central.tickets SET data = v_data, status = v_cur, updated_at = v_now,
                version = v_version, field_versions = v_fv, field_writers = v_fw,
                updated_by = v_login, server_updated_at = v_now
             WHERE id = v_t.id;
            RETURN jsonb_build_object('number', v_t.number, 'action', p_action,
                'from', v_t.status, 'status', v_cur, 'version', v_version, 'at', v_now);
        END $$;
        """
    )
    statements = [
        f"ALTER TABLE central.unit_action_paths OWNER TO {owner}",
        "REVOKE ALL ON central.unit_action_paths FROM PUBLIC",
        "ALTER TABLE central.unit_action_paths ENABLE ROW LEVEL SECURITY",
        "ALTER TABLE central.unit_action_paths FORCE ROW LEVEL SECURITY",
        "CREATE POLICY owner_all ON central.unit_action_paths "
        f"TO {owner} USING (true) WITH CHECK (true)",
        f"GRANT SELECT ON central.unit_action_paths TO {p}_operator, {p}_lead, {handler}",
        "CREATE POLICY read_all ON central.unit_action_paths FOR SELECT "
        f"TO {p}_operator, {p}_lead, {handler} USING (true)",
        # Handlers read through unit_tickets() only: the caller masked.
        "DROP POLICY handler_read ON central.tickets",
        f"REVOKE SELECT ON central.tickets, central.ticket_events FROM {handler}",
        "DROP POLICY visible_ticket ON central.ticket_events",
        "CREATE POLICY visible_ticket ON central.ticket_events FOR SELECT "
        f"TO {p}_operator, {p}_lead "
        "USING (EXISTS (SELECT 1 FROM central.tickets t WHERE t.id = ticket_id))",
    ]
    for fn in (
        "mask_name(text)",
        "mask_phone(text)",
        "unit_text(jsonb, text, boolean)",
        "unit_tickets(text)",
        "unit_act(text, text, jsonb)",
    ):
        statements += [
            f"ALTER FUNCTION central.{fn} OWNER TO {owner}",
            f"REVOKE ALL ON FUNCTION central.{fn} FROM PUBLIC",
        ]
    statements += [
        f"GRANT EXECUTE ON FUNCTION central.unit_tickets(text) TO {handler}",
        f"GRANT EXECUTE ON FUNCTION central.unit_act(text, text, jsonb) TO {handler}",
    ]
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    raise NotImplementedError(
        "c0003_after_dispatch has no downgrade: restore the central database from its backup"
    )
