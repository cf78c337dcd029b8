"""central schema: tickets, events, applied keys, conflicts, roles, RLS, apply function

Revision ID: c0001_central
Revises:
Create Date: 2026-11-23 10:00:00

"""

from __future__ import annotations

from alembic import op

revision: str = "c0001_central"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None

# Fields a sync may never change after creation (identity of the ticket).
IMMUTABLE = ("id", "number", "created_at", "seat", "operator_id", "is_demo")


def _prefix() -> str:
    prefix = str(op.get_context().config.attributes.get("role_prefix", "hotline"))  # type: ignore[union-attr]
    if not prefix.replace("_", "").isalnum() or not prefix[0].isalpha() or len(prefix) > 30:
        raise ValueError(f"bad role prefix {prefix!r}")
    return prefix.lower()


def upgrade() -> None:
    p = _prefix()
    owner, operator, lead, handler = (f"{p}_{r}" for r in ("owner", "operator", "lead", "handler"))
    for role in (owner, operator, lead, handler):
        op.execute(
            f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') THEN "
            f"CREATE ROLE {role} NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE; "
            "END IF; END $$"
        )
    op.execute(
        """
        CREATE TABLE central.meta (key text PRIMARY KEY, value text NOT NULL);

        CREATE SEQUENCE central.ticket_version_seq AS bigint;

        CREATE TABLE central.tickets (
            id text PRIMARY KEY,
            number text NOT NULL CONSTRAINT uq_tickets_number UNIQUE,
            seat text NOT NULL,
            operator_id text NOT NULL,
            created_at timestamptz NOT NULL,
            updated_at timestamptz,
            status text NOT NULL,
            main_unit text NOT NULL DEFAULT '',
            co_units jsonb NOT NULL DEFAULT '[]',
            is_demo boolean NOT NULL DEFAULT false CONSTRAINT ck_tickets_not_demo CHECK (NOT is_demo),
            version bigint NOT NULL,
            data jsonb NOT NULL,
            field_versions jsonb NOT NULL DEFAULT '{}',
            field_writers jsonb NOT NULL DEFAULT '{}',
            created_by text NOT NULL DEFAULT session_user,
            updated_by text NOT NULL DEFAULT session_user,
            server_created_at timestamptz NOT NULL DEFAULT now(),
            server_updated_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE UNIQUE INDEX ix_tickets_version ON central.tickets (version);
        CREATE INDEX ix_tickets_created_by ON central.tickets (created_by);
        CREATE INDEX ix_tickets_main_unit ON central.tickets (main_unit);
        CREATE INDEX ix_tickets_status_created ON central.tickets (status, created_at);

        CREATE TABLE central.ticket_events (
            id bigserial PRIMARY KEY,
            ticket_id text NOT NULL REFERENCES central.tickets (id),
            seq integer NOT NULL,
            origin_seq integer NOT NULL,
            op_key text NOT NULL,
            version bigint NOT NULL,
            at timestamptz NOT NULL,
            kind text NOT NULL,
            actor_role text NOT NULL,
            actor_id text NOT NULL,
            from_status text,
            to_status text,
            data jsonb NOT NULL DEFAULT '{}',
            received_at timestamptz NOT NULL DEFAULT now(),
            CONSTRAINT uq_ticket_events_ticket_seq UNIQUE (ticket_id, seq),
            CONSTRAINT uq_ticket_events_op_origin UNIQUE (op_key, origin_seq)
        );

        CREATE TABLE central.applied_ops (
            key text PRIMARY KEY,
            seat text NOT NULL,
            login text NOT NULL DEFAULT session_user,
            ticket_id text NOT NULL,
            applied_at timestamptz NOT NULL DEFAULT now(),
            status text NOT NULL DEFAULT 'pending',
            result_version bigint,
            detail jsonb NOT NULL DEFAULT '{}'
        );

        CREATE TABLE central.conflicts (
            id bigserial PRIMARY KEY,
            ticket_id text NOT NULL REFERENCES central.tickets (id),
            detected_at timestamptz NOT NULL DEFAULT now(),
            seat text NOT NULL,
            login text NOT NULL,
            op_key text NOT NULL,
            fields jsonb NOT NULL,
            local jsonb NOT NULL,
            remote jsonb NOT NULL,
            base_version bigint,
            server_version bigint NOT NULL,
            resolved_at timestamptz,
            resolution text NOT NULL DEFAULT '',
            resolved_by text
        );
        CREATE INDEX ix_conflicts_open ON central.conflicts (ticket_id) WHERE resolved_at IS NULL;

        CREATE TABLE central.handler_units (
            role_name text NOT NULL,
            unit text NOT NULL,
            CONSTRAINT pk_handler_units PRIMARY KEY (role_name, unit)
        );

        CREATE FUNCTION central.ticket_events_append_only() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'ticket_events is append-only' USING ERRCODE = '42501';
        END $$;
        CREATE TRIGGER ticket_events_no_change BEFORE UPDATE OR DELETE ON central.ticket_events
            FOR EACH ROW EXECUTE FUNCTION central.ticket_events_append_only();
        """
    )
    op.execute(f"INSERT INTO central.meta VALUES ('role_prefix', '{p}')")
    op.execute(
        f"""
        CREATE FUNCTION central.my_units() RETURNS text[]
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, central AS $$
            SELECT coalesce(array_agg(unit), '{{}}') FROM central.handler_units
            WHERE role_name = session_user
        $$;

        CREATE FUNCTION central.apply_batch(p_seat text, p_ops jsonb, p_meta jsonb DEFAULT '{{}}')
        RETURNS jsonb
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, central AS $$
        DECLARE
            v_login text := session_user;
            v_lead boolean := pg_has_role(session_user, '{lead}', 'MEMBER');
            v_operator boolean := pg_has_role(session_user, '{operator}', 'MEMBER');
            v_handler boolean := pg_has_role(session_user, '{handler}', 'MEMBER');
            v_immutable text[] := ARRAY{list(IMMUTABLE)!r}::text[];
            v_op jsonb; v_key text; v_tid text; v_data jsonb; v_base bigint;
            v_changed text[]; v_apply text[]; v_conflicts text[]; f text;
            v_prev record; v_done record;
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
                    CONTINUE;
                END IF;
                v_data := (v_op->'payload') - 'events' - 'local_version';
                IF coalesce((v_data->>'is_demo')::boolean, false) THEN
                    RAISE EXCEPTION 'demo or training data is never accepted by the centre'
                        USING ERRCODE = '22023';
                END IF;
                v_changed := ARRAY(SELECT jsonb_array_elements_text(coalesce(v_op->'changed', '[]')));
                v_base := (v_op->>'base_version')::bigint;
                v_append := coalesce(v_op->>'notes_append', '');
                v_detail := '{{}}';
                v_version := NULL;
                SELECT * INTO v_prev FROM central.tickets WHERE id = v_tid FOR UPDATE;
                v_found := FOUND;
                IF NOT v_found THEN
                    IF NOT (v_lead OR v_operator) THEN
                        v_status := 'rejected';
                        v_detail := jsonb_build_object('reason', 'role may not create tickets');
                    ELSIF EXISTS (SELECT 1 FROM central.tickets WHERE number = v_data->>'number') THEN
                        v_status := 'rejected';
                        v_detail := jsonb_build_object('reason', 'ticket number already used');
                    ELSE
                        v_version := nextval('central.ticket_version_seq');
                        SELECT jsonb_object_agg(k, v_version), jsonb_object_agg(k, p_seat)
                          INTO v_fv, v_fw FROM jsonb_object_keys(v_data) AS k;
                        INSERT INTO central.tickets (id, number, seat, operator_id, created_at,
                            updated_at, status, main_unit, co_units, version, data,
                            field_versions, field_writers)
                        VALUES (v_tid, v_data->>'number', v_data->>'seat', v_data->>'operator_id',
                            (v_data->>'created_at')::timestamptz,
                            (v_data->>'updated_at')::timestamptz, v_data->>'status',
                            coalesce(v_data->>'main_unit', ''),
                            coalesce(v_data->'co_units', '[]'), v_version, v_data, v_fv, v_fw);
                        v_status := 'applied';
                    END IF;
                ELSIF NOT (v_lead OR (v_operator AND v_prev.created_by = v_login)
                           OR (v_handler AND (v_prev.main_unit = ANY(central.my_units())
                               OR v_prev.co_units ?| central.my_units()))) THEN
                    v_status := 'rejected';
                    v_detail := jsonb_build_object('reason', 'role may not change this ticket');
                ELSE
                    v_apply := '{{}}';
                    v_conflicts := '{{}}';
                    FOREACH f IN ARRAY v_changed LOOP
                        CONTINUE WHEN f = ANY(v_immutable) OR NOT (v_data ? f);
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
                        updated_at = (v_new->>'updated_at')::timestamptz,
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
                                    coalesce(v_op->'payload'->'events', '[]')) WITH ORDINALITY e
                                ORDER BY e.ordinality LOOP
                        v_seq := v_seq + 1;
                        INSERT INTO central.ticket_events (ticket_id, seq, origin_seq, op_key,
                            version, at, kind, actor_role, actor_id, from_status, to_status, data)
                        VALUES (v_tid, v_seq, coalesce((v_ev->>'seq')::int, v_seq), v_key,
                            v_version, (v_ev->>'at')::timestamptz, v_ev->>'kind',
                            coalesce(v_ev->>'actor_role', ''), coalesce(v_ev->>'actor_id', ''),
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
    )
    tables = ("meta", "tickets", "ticket_events", "applied_ops", "conflicts", "handler_units")
    statements = [
        f"ALTER SCHEMA central OWNER TO {owner}",
        "REVOKE ALL ON SCHEMA central FROM PUBLIC",
        f"GRANT USAGE ON SCHEMA central TO {operator}, {lead}, {handler}",
        f"ALTER SEQUENCE central.ticket_version_seq OWNER TO {owner}",
        f"ALTER FUNCTION central.my_units() OWNER TO {owner}",
        f"ALTER FUNCTION central.apply_batch(text, jsonb, jsonb) OWNER TO {owner}",
        f"ALTER FUNCTION central.ticket_events_append_only() OWNER TO {owner}",
        "REVOKE ALL ON FUNCTION central.my_units() FROM PUBLIC",
        "REVOKE ALL ON FUNCTION central.apply_batch(text, jsonb, jsonb) FROM PUBLIC",
        f"GRANT EXECUTE ON FUNCTION central.my_units() TO {handler}",
        f"GRANT EXECUTE ON FUNCTION central.apply_batch(text, jsonb, jsonb) "
        f"TO {operator}, {lead}, {handler}",
    ]
    for table in tables:
        statements += [
            f"ALTER TABLE central.{table} OWNER TO {owner}",
            f"REVOKE ALL ON central.{table} FROM PUBLIC",
            f"ALTER TABLE central.{table} ENABLE ROW LEVEL SECURITY",
            f"ALTER TABLE central.{table} FORCE ROW LEVEL SECURITY",
            f"CREATE POLICY owner_all ON central.{table} TO {owner} USING (true) WITH CHECK (true)",
        ]
    statements += [
        f"ALTER SEQUENCE central.ticket_events_id_seq OWNER TO {owner}",
        f"ALTER SEQUENCE central.conflicts_id_seq OWNER TO {owner}",
        f"GRANT SELECT ON central.tickets, central.ticket_events TO {operator}, {lead}, {handler}",
        f"GRANT SELECT, UPDATE (resolved_at, resolution, resolved_by) ON central.conflicts TO {lead}",
        f"CREATE POLICY lead_read ON central.tickets FOR SELECT TO {lead} USING (true)",
        f"CREATE POLICY operator_read ON central.tickets FOR SELECT TO {operator} "
        "USING (created_by = session_user)",
        f"CREATE POLICY handler_read ON central.tickets FOR SELECT TO {handler} "
        "USING (main_unit = ANY (central.my_units()) OR co_units ?| central.my_units())",
        f"CREATE POLICY visible_ticket ON central.ticket_events FOR SELECT "
        f"TO {operator}, {lead}, {handler} "
        "USING (EXISTS (SELECT 1 FROM central.tickets t WHERE t.id = ticket_id))",
        f"CREATE POLICY lead_read ON central.conflicts FOR SELECT TO {lead} USING (true)",
        f"CREATE POLICY lead_resolve ON central.conflicts FOR UPDATE TO {lead} "
        "USING (true) WITH CHECK (true)",
    ]
    statements += [
        f"ALTER TABLE central.alembic_version OWNER TO {owner}",
        "REVOKE ALL ON central.alembic_version FROM PUBLIC",
    ]
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    # Roles are shared by every database of the cluster and stay; the schema goes.
    op.execute("DROP SCHEMA central CASCADE")
