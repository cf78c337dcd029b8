"""the centre owns the ticket: payload rules, lifecycle table, seats bound to logins

Revision ID: c0002_validation
Revises: c0001_central
Create Date: 2026-11-30 10:00:00

The rule rows (``payload_rules``), the lifecycle table (``lifecycle_transitions``) and the
login groups' actors (``group_actors``) are generated here from ``agent_app.domain``, the
same tables the seat checks against; ``tests/integration/test_central_validation.py`` checks
the rows equal the domain's and that the SQL and Python validators decide alike.
``apply_batch`` is replaced: it validates every op in the transaction that applies it and
records seat, operator and actor from the login (``session_user``), never from the payload.
"""

from __future__ import annotations

from alembic import op

from agent_app.domain.validation import (
    CONTROL,
    DATETIME,
    EARLIEST,
    FUTURE_SKEW,
    RULES,
    SEAT_ID,
    group_actor_rows,
    transition_rows,
)

revision: str = "c0002_validation"
down_revision: str | None = "c0001_central"
branch_labels: str | None = None
depends_on: str | None = None


def _prefix() -> str:
    prefix = str(op.get_context().config.attributes.get("role_prefix", "hotline"))  # type: ignore[union-attr]
    if not prefix.replace("_", "").isalnum() or not prefix[0].isalpha() or len(prefix) > 30:
        raise ValueError(f"bad role prefix {prefix!r}")
    return prefix.lower()


def _lit(value: object) -> str:
    """An SQL literal for the generated rows (text, numbers, booleans, NULL, text arrays)."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, tuple | list):
        return "ARRAY[" + ", ".join(_lit(v) for v in value) + "]::text[]"
    return "'" + str(value).replace("'", "''") + "'"


def _rule_rows() -> str:
    rows = []
    for ordinal, r in enumerate(RULES):
        rows.append(
            "("
            + ", ".join(
                _lit(v)
                for v in (
                    r.scope,
                    ordinal,
                    r.name,
                    list(r.path),
                    r.kind,
                    r.nullable,
                    r.max_len,
                    r.min_len,
                    r.max_items,
                    list(r.choices),
                    r.pattern,
                    r.minimum,
                    r.maximum,
                    r.future,
                )
            )
            + ")"
        )
    return ",\n".join(rows)


def upgrade() -> None:
    p = _prefix()
    owner, operator, lead, handler = (f"{p}_{r}" for r in ("owner", "operator", "lead", "handler"))
    groups = f"{operator}, {lead}, {handler}"
    op.execute(
        """
        CREATE TABLE central.payload_rules (
            scope text NOT NULL,
            ord integer NOT NULL,
            name text NOT NULL,
            path text[] NOT NULL,
            kind text NOT NULL,
            nullable boolean NOT NULL,
            max_len integer,
            min_len integer NOT NULL,
            max_items integer,
            choices text[] NOT NULL,
            pattern text NOT NULL,
            minimum numeric,
            maximum numeric,
            future boolean NOT NULL,
            CONSTRAINT pk_payload_rules PRIMARY KEY (scope, ord)
        );
        CREATE TABLE central.lifecycle_transitions (
            source text NOT NULL,
            target text NOT NULL,
            actor text NOT NULL,
            CONSTRAINT pk_lifecycle_transitions PRIMARY KEY (source, target, actor)
        );
        CREATE TABLE central.group_actors (
            grp text NOT NULL,
            actor text NOT NULL,
            CONSTRAINT pk_group_actors PRIMARY KEY (grp, actor)
        );
        CREATE TABLE central.seats (
            seat text PRIMARY KEY,
            login text NOT NULL,
            claimed_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX ix_seats_login ON central.seats (login);
        """
    )
    op.execute(
        "INSERT INTO central.payload_rules (scope, ord, name, path, kind, nullable, max_len, "
        "min_len, max_items, choices, pattern, minimum, maximum, future) VALUES\n" + _rule_rows()
    )
    op.execute(
        "INSERT INTO central.lifecycle_transitions (source, target, actor) VALUES "
        + ", ".join(f"({_lit(s)}, {_lit(t)}, {_lit(a)})" for s, t, a in transition_rows())
    )
    op.execute(
        "INSERT INTO central.group_actors (grp, actor) VALUES "
        + ", ".join(f"({_lit(g)}, {_lit(a)})" for g, a in group_actor_rows())
    )
    skew = int(FUTURE_SKEW.total_seconds())
    earliest = EARLIEST.isoformat()
    op.execute(
        f"""
        CREATE FUNCTION central.parse_time(p text) RETURNS timestamptz
        LANGUAGE plpgsql STABLE SET search_path = pg_catalog, central AS $$
        BEGIN
            IF p !~ '^(?:{DATETIME})$' THEN
                RETURN NULL;
            END IF;
            RETURN p::timestamptz;
        EXCEPTION WHEN others THEN
            RETURN NULL;
        END $$;

        CREATE FUNCTION central.value_problem(v jsonb, r central.payload_rules) RETURNS text
        LANGUAGE plpgsql STABLE SET search_path = pg_catalog, central AS $$
        DECLARE t text; at timestamptz; n numeric;
        BEGIN
            IF r.kind IN ('text', 'text_list') THEN
                IF jsonb_typeof(v) <> 'string' THEN RETURN 'type'; END IF;
                t := v #>> '{{}}';
                IF t ~ '{CONTROL}' THEN RETURN 'control_char'; END IF;
                IF NOT (t IS NFC NORMALIZED) THEN RETURN 'not_nfc'; END IF;
                IF r.max_len IS NOT NULL AND char_length(t) > r.max_len THEN RETURN 'too_long'; END IF;
                IF char_length(t) < r.min_len THEN RETURN 'empty'; END IF;
                IF r.pattern <> '' AND t !~ ('^(?:' || r.pattern || ')$') THEN RETURN 'invalid'; END IF;
                IF cardinality(r.choices) > 0 AND NOT (t = ANY (r.choices)) THEN RETURN 'invalid'; END IF;
                RETURN NULL;
            ELSIF r.kind = 'datetime' THEN
                IF jsonb_typeof(v) <> 'string' THEN RETURN 'type'; END IF;
                at := central.parse_time(v #>> '{{}}');
                IF at IS NULL OR at < '{earliest}'::timestamptz THEN RETURN 'bad_date'; END IF;
                IF r.future AND at > now() + make_interval(secs => {skew}) THEN
                    RETURN 'future_date';
                END IF;
                RETURN NULL;
            ELSIF r.kind = 'bool' THEN
                RETURN CASE WHEN jsonb_typeof(v) = 'boolean' THEN NULL ELSE 'type' END;
            ELSIF r.kind = 'number' THEN
                IF jsonb_typeof(v) <> 'number' THEN RETURN 'type'; END IF;
                n := (v #>> '{{}}')::numeric;
                IF (r.minimum IS NOT NULL AND n < r.minimum)
                   OR (r.maximum IS NOT NULL AND n > r.maximum) THEN
                    RETURN 'invalid';
                END IF;
                RETURN NULL;
            ELSIF r.kind = 'object' THEN
                RETURN CASE WHEN jsonb_typeof(v) = 'object' THEN NULL ELSE 'type' END;
            END IF;
            RAISE EXCEPTION 'unknown rule kind %', r.kind;
        END $$;

        CREATE FUNCTION central.payload_problem(
            p_doc jsonb, p_scope text DEFAULT 'ticket', p_prefix text DEFAULT '')
        RETURNS text
        LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, central AS $$
        DECLARE r central.payload_rules; v jsonb; item jsonb; code text; fname text;
        BEGIN
            IF jsonb_typeof(p_doc) IS DISTINCT FROM 'object' THEN
                RETURN 'type:' || coalesce(nullif(rtrim(p_prefix, '.'), ''), p_scope);
            END IF;
            FOR r IN SELECT * FROM central.payload_rules WHERE scope = p_scope ORDER BY ord LOOP
                fname := p_prefix || r.name;
                v := p_doc #> r.path;
                IF v IS NULL OR jsonb_typeof(v) = 'null' THEN
                    IF NOT r.nullable THEN RETURN 'missing:' || fname; END IF;
                    CONTINUE;
                END IF;
                IF r.kind IN ('text_list', 'event_list') THEN
                    IF jsonb_typeof(v) <> 'array' THEN RETURN 'type:' || fname; END IF;
                    IF r.max_items IS NOT NULL AND jsonb_array_length(v) > r.max_items THEN
                        RETURN 'too_many:' || fname;
                    END IF;
                    FOR item IN SELECT e.value FROM jsonb_array_elements(v) WITH ORDINALITY e
                                ORDER BY e.ordinality LOOP
                        IF r.kind = 'event_list' THEN
                            code := central.payload_problem(item, 'event', fname || '.');
                            IF code IS NOT NULL THEN RETURN code; END IF;
                        ELSE
                            code := central.value_problem(item, r);
                            IF code IS NOT NULL THEN RETURN code || ':' || fname; END IF;
                        END IF;
                    END LOOP;
                    CONTINUE;
                END IF;
                code := central.value_problem(v, r);
                IF code IS NOT NULL THEN RETURN code || ':' || fname; END IF;
            END LOOP;
            RETURN NULL;
        END $$;

        CREATE FUNCTION central.login_group() RETURNS text
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, central AS $$
            SELECT CASE
                WHEN pg_has_role(session_user, '{lead}', 'MEMBER') THEN 'lead'
                WHEN pg_has_role(session_user, '{operator}', 'MEMBER') THEN 'operator'
                WHEN pg_has_role(session_user, '{handler}', 'MEMBER') THEN 'handler'
            END
        $$;

        CREATE FUNCTION central.events_problem(
            p_events jsonb, p_start text, p_group text, p_login text, p_final text)
        RETURNS text
        LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, central AS $$
        DECLARE ev jsonb; cur text := p_start; src text; dst text;
        BEGIN
            FOR ev IN SELECT e.value FROM jsonb_array_elements(coalesce(p_events, '[]'))
                         WITH ORDINALITY e ORDER BY e.ordinality LOOP
                IF ev->>'actor_id' IS DISTINCT FROM p_login THEN
                    RETURN 'actor_mismatch';
                END IF;
                IF NOT EXISTS (SELECT 1 FROM central.group_actors
                               WHERE grp = p_group AND actor = coalesce(ev->>'actor_role', '')) THEN
                    RETURN left('actor_role_forbidden:' || coalesce(ev->>'actor_role', ''), 64);
                END IF;
                CONTINUE WHEN ev->>'kind' IS DISTINCT FROM 'transition';
                src := coalesce(ev->>'from_status', '');
                dst := coalesce(ev->>'to_status', '');
                IF (cur IS NOT NULL AND src <> cur) OR NOT EXISTS (
                        SELECT 1 FROM central.lifecycle_transitions t
                        JOIN central.group_actors g ON g.actor = t.actor
                        WHERE g.grp = p_group AND t.source = src AND t.target = dst) THEN
                    RETURN left('transition_not_allowed:' || src || '>' || dst, 64);
                END IF;
                cur := dst;
            END LOOP;
            IF p_final IS NOT NULL AND cur IS DISTINCT FROM p_final THEN
                RETURN 'status_without_transition';
            END IF;
            RETURN NULL;
        END $$;

        CREATE FUNCTION central.whoami() RETURNS jsonb
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, central AS $$
            SELECT jsonb_build_object(
                'login', session_user::text,
                'group', central.login_group(),
                'seats', coalesce((SELECT jsonb_agg(seat ORDER BY seat) FROM central.seats
                                   WHERE login = session_user), '[]'::jsonb))
        $$;

        CREATE FUNCTION central.claim_seat(p_seat text) RETURNS jsonb
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, central AS $$
        DECLARE v_owner text;
        BEGIN
            IF central.login_group() IS NULL THEN
                RAISE EXCEPTION USING MESSAGE = 'login ' || session_user || ' may not sync tickets',
                    ERRCODE = '42501';
            END IF;
            IF p_seat IS NULL OR p_seat !~ '^(?:{SEAT_ID})$' THEN
                RAISE EXCEPTION 'the seat id must be 1 to 32 letters, digits, "-" or "_"'
                    USING ERRCODE = '22023';
            END IF;
            INSERT INTO central.seats (seat, login) VALUES (p_seat, session_user)
            ON CONFLICT (seat) DO NOTHING;
            SELECT login INTO v_owner FROM central.seats WHERE seat = p_seat;
            IF v_owner IS DISTINCT FROM session_user::text THEN
                RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = 'seat id ' || p_seat
                    || ' is registered to another login at the centre; give this seat its own '
                    'seat id (seat= in settings.ini or --seat)';
            END IF;
            RETURN central.whoami();
        END $$;
        """
    )
    op.execute(_apply_batch(lead, operator, handler))
    statements = [
        f"ALTER FUNCTION central.parse_time(text) OWNER TO {owner}",
        f"ALTER FUNCTION central.value_problem(jsonb, central.payload_rules) OWNER TO {owner}",
        f"ALTER FUNCTION central.payload_problem(jsonb, text, text) OWNER TO {owner}",
        f"ALTER FUNCTION central.login_group() OWNER TO {owner}",
        f"ALTER FUNCTION central.events_problem(jsonb, text, text, text, text) OWNER TO {owner}",
        f"ALTER FUNCTION central.whoami() OWNER TO {owner}",
        f"ALTER FUNCTION central.claim_seat(text) OWNER TO {owner}",
    ]
    for fn in (
        "parse_time(text)",
        "value_problem(jsonb, central.payload_rules)",
        "payload_problem(jsonb, text, text)",
        "login_group()",
        "events_problem(jsonb, text, text, text, text)",
        "whoami()",
        "claim_seat(text)",
    ):
        statements.append(f"REVOKE ALL ON FUNCTION central.{fn} FROM PUBLIC")
    statements += [
        f"GRANT EXECUTE ON FUNCTION central.payload_problem(jsonb, text, text) TO {groups}",
        f"GRANT EXECUTE ON FUNCTION central.whoami() TO {groups}",
        f"GRANT EXECUTE ON FUNCTION central.claim_seat(text) TO {groups}",
    ]
    for table in ("payload_rules", "lifecycle_transitions", "group_actors", "seats"):
        statements += [
            f"ALTER TABLE central.{table} OWNER TO {owner}",
            f"REVOKE ALL ON central.{table} FROM PUBLIC",
            f"ALTER TABLE central.{table} ENABLE ROW LEVEL SECURITY",
            f"ALTER TABLE central.{table} FORCE ROW LEVEL SECURITY",
            f"CREATE POLICY owner_all ON central.{table} TO {owner} USING (true) WITH CHECK (true)",
        ]
    for table in ("payload_rules", "lifecycle_transitions", "group_actors"):
        statements += [
            f"GRANT SELECT ON central.{table} TO {groups}",
            f"CREATE POLICY read_all ON central.{table} FOR SELECT TO {groups} USING (true)",
        ]
    for statement in statements:
        op.execute(statement)


def _apply_batch(lead: str, operator: str, handler: str) -> str:
    return f"""
        CREATE OR REPLACE FUNCTION central.apply_batch(p_seat text, p_ops jsonb, p_meta jsonb DEFAULT '{{}}')
        RETURNS jsonb
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, central AS $$
        DECLARE
            v_login text := session_user;
            v_lead boolean := pg_has_role(session_user, '{lead}', 'MEMBER');
            v_operator boolean := pg_has_role(session_user, '{operator}', 'MEMBER');
            v_handler boolean := pg_has_role(session_user, '{handler}', 'MEMBER');
            v_group text := central.login_group();
            v_op jsonb; v_key text; v_tid text; v_payload jsonb; v_data jsonb; v_base bigint;
            v_changed text[]; v_apply text[]; v_conflicts text[]; f text;
            v_prev record; v_done record; v_reason text; v_rejected text[] := '{{}}';
            v_found boolean; v_version bigint; v_new jsonb; v_fv jsonb; v_fw jsonb;
            v_status text; v_detail jsonb; v_results jsonb := '[]'; v_append text;
            v_seq integer; v_ev jsonb;
        BEGIN
            IF coalesce((p_meta->>'demo')::boolean, false) THEN
                RAISE EXCEPTION 'demo or training data is never accepted by the centre'
                    USING ERRCODE = '22023';
            END IF;
            IF NOT (v_lead OR v_operator OR v_handler) THEN
                RAISE EXCEPTION USING MESSAGE = 'role ' || v_login || ' may not sync tickets',
                    ERRCODE = '42501';
            END IF;
            -- The seat id belongs to the first login that used it; nobody else pushes under it.
            PERFORM central.claim_seat(p_seat);
            -- Versions are assigned in commit order: one batch at a time takes versions.
            PERFORM pg_advisory_xact_lock(hashtext('central.ticket_version_seq'));
            FOR v_op IN SELECT e.value FROM jsonb_array_elements(p_ops) WITH ORDINALITY AS e
                        ORDER BY e.ordinality LOOP
                v_key := v_op->>'key';
                v_tid := v_op->>'ticket_id';
                IF v_key IS NULL OR v_tid IS NULL OR v_op->>'op' IS DISTINCT FROM 'upsert_ticket' THEN
                    RAISE EXCEPTION 'malformed sync operation' USING ERRCODE = '22023';
                END IF;
                INSERT INTO central.applied_ops (key, seat, login, ticket_id)
                VALUES (v_key, p_seat, v_login, v_tid) ON CONFLICT (key) DO NOTHING;
                GET DIAGNOSTICS v_seq = ROW_COUNT;
                IF v_seq = 0 THEN
                    SELECT * INTO v_done FROM central.applied_ops WHERE key = v_key;
                    v_results := v_results || jsonb_build_object(
                        'key', v_key, 'status', v_done.status, 'version', v_done.result_version,
                        'detail', v_done.detail, 'replay', true);
                    IF v_done.status = 'rejected' THEN
                        v_rejected := v_rejected || v_tid;
                    END IF;
                    CONTINUE;
                END IF;
                v_payload := coalesce(v_op->'payload', 'null'::jsonb) - 'local_version';
                IF jsonb_typeof(v_payload) = 'object'
                   AND coalesce(v_payload->>'is_demo', '') = 'true' THEN
                    RAISE EXCEPTION 'demo or training data is never accepted by the centre'
                        USING ERRCODE = '22023';
                END IF;
                v_detail := '{{}}';
                v_version := NULL;
                v_reason := central.payload_problem(v_payload);
                v_data := '{{}}';
                IF v_reason IS NULL THEN  -- only the fields the rules know are kept
                    SELECT coalesce(jsonb_object_agg(x.k, x.v), '{{}}') INTO v_data
                      FROM jsonb_each(v_payload) AS x(k, v)
                     WHERE x.k IN (SELECT r.path[1] FROM central.payload_rules r
                                   WHERE r.scope = 'ticket' AND r.kind <> 'event_list');
                END IF;
                IF v_reason IS NULL AND v_data->>'id' IS DISTINCT FROM v_tid THEN
                    v_reason := 'id_mismatch';
                END IF;
                IF v_reason IS NULL AND v_tid = ANY (v_rejected) THEN
                    v_reason := 'earlier_change_rejected';
                END IF;
                v_changed := '{{}}';
                IF jsonb_typeof(v_op->'changed') = 'array' THEN
                    v_changed := ARRAY(SELECT jsonb_array_elements_text(v_op->'changed'));
                END IF;
                v_base := CASE WHEN jsonb_typeof(v_op->'base_version') = 'number'
                               THEN (v_op->>'base_version')::bigint END;
                v_append := CASE WHEN jsonb_typeof(v_op->'notes_append') = 'string'
                                 THEN v_op->>'notes_append' ELSE '' END;
                SELECT * INTO v_prev FROM central.tickets WHERE id = v_tid FOR UPDATE;
                v_found := FOUND;
                IF v_reason IS NOT NULL THEN
                    NULL;
                ELSIF NOT v_found THEN
                    IF NOT (v_lead OR v_operator) THEN
                        v_reason := 'role_may_not_create';
                    ELSIF v_data->>'seat' IS DISTINCT FROM p_seat THEN
                        v_reason := 'seat_mismatch';
                    ELSIF v_data->>'number' !~ ('^[0-9]{{8}}-' || p_seat || '-[0-9]{{4,9}}$') THEN
                        v_reason := 'number_not_yours';
                    ELSIF v_data->>'operator_id' IS DISTINCT FROM v_login THEN
                        v_reason := 'operator_mismatch';
                    ELSIF EXISTS (SELECT 1 FROM central.tickets WHERE number = v_data->>'number') THEN
                        v_reason := 'number_taken';
                    ELSE
                        v_reason := central.events_problem(v_payload->'events', 'INTAKE', v_group,
                                                           v_login, v_data->>'status');
                    END IF;
                ELSIF NOT (v_lead OR (v_operator AND v_prev.created_by = v_login)
                           OR (v_handler AND (v_prev.main_unit = ANY(central.my_units())
                               OR v_prev.co_units ?| central.my_units()))) THEN
                    v_reason := 'role_may_not_change_ticket';
                ELSIF v_data->>'number' IS DISTINCT FROM v_prev.number THEN
                    v_reason := 'immutable_changed:number';
                ELSIF v_data->>'seat' IS DISTINCT FROM v_prev.seat THEN
                    v_reason := 'immutable_changed:seat';
                ELSIF v_data->>'operator_id' IS DISTINCT FROM v_prev.operator_id THEN
                    v_reason := 'immutable_changed:operator_id';
                ELSIF central.parse_time(v_data->>'created_at') IS DISTINCT FROM v_prev.created_at THEN
                    v_reason := 'immutable_changed:created_at';
                ELSE
                    v_reason := central.events_problem(v_payload->'events', NULL, v_group, v_login,
                        CASE WHEN 'status' = ANY (v_changed) THEN v_data->>'status' END);
                END IF;
                IF v_reason IS NOT NULL THEN
                    v_status := 'rejected';
                    v_detail := jsonb_build_object('reason', v_reason);
                    v_rejected := v_rejected || v_tid;
                ELSIF NOT v_found THEN
                    v_version := nextval('central.ticket_version_seq');
                    SELECT jsonb_object_agg(k, v_version), jsonb_object_agg(k, p_seat)
                      INTO v_fv, v_fw FROM jsonb_object_keys(v_data) AS k;
                    INSERT INTO central.tickets (id, number, seat, operator_id, created_at,
                        updated_at, status, main_unit, co_units, version, data,
                        field_versions, field_writers)
                    VALUES (v_tid, v_data->>'number', p_seat, v_login,
                        central.parse_time(v_data->>'created_at'),
                        central.parse_time(v_data->>'updated_at'), v_data->>'status',
                        v_data->>'main_unit', v_data->'co_units', v_version, v_data, v_fv, v_fw);
                    v_status := 'applied';
                ELSE
                    v_apply := '{{}}';
                    v_conflicts := '{{}}';
                    FOREACH f IN ARRAY v_changed LOOP
                        CONTINUE WHEN f IN ('id', 'number', 'created_at', 'seat', 'operator_id',
                                            'is_demo', 'events') OR NOT (v_data ? f);
                        IF f = 'updated_at' THEN  -- a client clock: informative, never a conflict
                            v_apply := v_apply || f;
                            CONTINUE;
                        END IF;
                        IF coalesce((v_prev.field_versions->>f)::bigint, 0) > coalesce(v_base, 0)
                           AND coalesce(v_prev.field_writers->>f, '') <> p_seat
                           AND (v_prev.data->f) IS DISTINCT FROM (v_data->f) THEN
                            v_conflicts := v_conflicts || f;
                        ELSE
                            v_apply := v_apply || f;
                        END IF;
                    END LOOP;
                    v_version := nextval('central.ticket_version_seq');
                    v_new := v_prev.data;
                    v_fv := v_prev.field_versions;
                    v_fw := v_prev.field_writers;
                    FOREACH f IN ARRAY v_apply LOOP
                        v_new := v_new || jsonb_build_object(f, v_data->f);
                    END LOOP;
                    IF v_append <> '' THEN
                        v_new := v_new || jsonb_build_object(
                            'notes', coalesce(v_prev.data->>'notes', '') || v_append);
                        v_apply := v_apply || 'notes'::text;
                    END IF;
                    FOREACH f IN ARRAY v_apply LOOP
                        v_fv := v_fv || jsonb_build_object(f, v_version);
                        v_fw := v_fw || jsonb_build_object(f, p_seat);
                    END LOOP;
                    UPDATE central.tickets SET data = v_new, status = v_new->>'status',
                        updated_at = central.parse_time(v_new->>'updated_at'),
                        main_unit = coalesce(v_new->>'main_unit', ''),
                        co_units = coalesce(v_new->'co_units', '[]'), version = v_version,
                        field_versions = v_fv, field_writers = v_fw, updated_by = v_login,
                        server_updated_at = now()
                    WHERE id = v_tid;
                    IF cardinality(v_conflicts) > 0 THEN
                        INSERT INTO central.conflicts (ticket_id, seat, login, op_key, fields,
                            local, remote, base_version, server_version)
                        VALUES (v_tid, p_seat, v_login, v_key, to_jsonb(v_conflicts),
                            (SELECT jsonb_object_agg(k, v_data->k) FROM unnest(v_conflicts) k),
                            (SELECT jsonb_object_agg(k, v_prev.data->k) FROM unnest(v_conflicts) k),
                            v_base, v_version);
                        v_status := 'conflict';
                        v_detail := jsonb_build_object('fields', to_jsonb(v_conflicts),
                            'remote', (SELECT jsonb_object_agg(k, v_prev.data->k)
                                       FROM unnest(v_conflicts) k));
                    ELSIF v_new = v_data THEN
                        v_status := 'applied';
                    ELSE
                        v_status := 'merged';
                    END IF;
                END IF;
                IF v_version IS NOT NULL THEN
                    SELECT coalesce(max(seq), 0) INTO v_seq FROM central.ticket_events
                     WHERE ticket_id = v_tid;
                    FOR v_ev IN SELECT e.value FROM jsonb_array_elements(
                                    coalesce(v_payload->'events', '[]')) WITH ORDINALITY e
                                ORDER BY e.ordinality LOOP
                        v_seq := v_seq + 1;
                        INSERT INTO central.ticket_events (ticket_id, seq, origin_seq, op_key,
                            version, at, kind, actor_role, actor_id, from_status, to_status, data)
                        VALUES (v_tid, v_seq, coalesce((v_ev->>'seq')::int, v_seq), v_key,
                            v_version, central.parse_time(v_ev->>'at'), v_ev->>'kind',
                            v_ev->>'actor_role', v_login,
                            v_ev->>'from_status', v_ev->>'to_status', coalesce(v_ev->'data', '{{}}'));
                    END LOOP;
                END IF;
                UPDATE central.applied_ops SET status = v_status, result_version = v_version,
                    detail = v_detail WHERE key = v_key;
                v_results := v_results || jsonb_build_object('key', v_key, 'status', v_status,
                    'version', v_version, 'detail', v_detail, 'replay', false);
            END LOOP;
            RETURN jsonb_build_object('results', v_results, 'server_time', now());
        END $$;
    """


def downgrade() -> None:
    raise NotImplementedError(
        "c0002_validation has no downgrade: restore the central database from its backup"
    )
