"""lead desk: the review queue's indexes, quality-check results, conflicts resolved once

Revision ID: c0005_lead_desk
Revises: c0004_followups
Create Date: 2026-12-06 05:00:00

* The lead's review queue (``agent_app.services.review``) lists ``central.tickets`` newest
  first with keyset pagination on ``(created_at, id)``; each filter has a composite index that
  ends in that order, so a page is an index range scan whatever the filter.  The ticket's
  district, township, category, due time and caller confidentiality are stored generated
  columns (from ``data``; ``central.iso_ts`` reads the ISO time), so their indexes serve
  index-only counts.
* ``central.review_counts``: tickets by status, district and day (Beijing), kept exact by
  triggers on ``central.tickets``; the queue's total for the broad filters (everything, a
  status, a district, whole days) is a sum over it instead of a count of a million rows.
* Re-handled (重办, how many times) and dissatisfied (不满意) are facts of the event log, kept
  on the ticket (``rehandled``, ``dissatisfied``) by a trigger on ``ticket_events``, with
  partial indexes; leads read events under a policy of their own (``USING (true)``, as they
  read every ticket) so look-ups of events stay index scans.
* ``central.qa_results``: one quality check of one ticket (score, items, passed, returned to
  the operator).  Leads read and write them; operators read their own and mark a returned one
  corrected through ``central.qa_resubmit(id)``.
* ``central.resolve_conflict(id, keep, value)``: a lead settles one conflict once; the login
  is the resolver (never the client's word), and the direct ``UPDATE`` grant on
  ``central.conflicts`` is revoked, so no lead can rewrite or un-resolve a resolution.

Events are not partitioned here; see ``docs/lead_desk.md`` (why, and what 10M tickets need).
"""

from __future__ import annotations

from alembic import op

revision: str = "c0005_lead_desk"
down_revision: str | None = "c0004_followups"
branch_labels: str | None = None
depends_on: str | None = None

# Statuses in which the ticket is with a handling unit or the centre and its time limit runs
# (the review queue's overdue and due-soon filters); keep in step with services/review.py.
OPEN_STATUSES = (
    "PRE_DISPATCH_CONSULT",
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
    owner, operator, lead = f"{p}_owner", f"{p}_operator", f"{p}_lead"
    open_list = ", ".join(f"'{s}'" for s in OPEN_STATUSES)
    op.execute(
        """
        CREATE FUNCTION central.iso_ts(p text) RETURNS timestamptz
        LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog AS $$
            -- The app writes ISO 8601 with an offset (the centre's payload rules check it),
            -- so the value does not depend on TimeZone; anything else is NULL.
            SELECT CASE WHEN p ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]+)?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)$'
                        THEN p::timestamptz END
        $$;
        """
    )
    op.execute(
        f"""
        ALTER TABLE central.tickets
            ADD COLUMN district text GENERATED ALWAYS AS (data #>> '{{place,district}}') STORED,
            ADD COLUMN township text GENERATED ALWAYS AS (data #>> '{{place,township}}') STORED,
            ADD COLUMN category_code text GENERATED ALWAYS AS (data ->> 'category_code') STORED,
            ADD COLUMN due_at timestamptz
                GENERATED ALWAYS AS (central.iso_ts(data ->> 'due_at')) STORED,
            ADD COLUMN confidential boolean GENERATED ALWAYS AS
                (coalesce((data #>> '{{caller,confidential}}') = 'true', false)) STORED;

        CREATE INDEX ix_tickets_created_id ON central.tickets (created_at, id);
        CREATE INDEX ix_tickets_status_created_id ON central.tickets (status, created_at, id);
        CREATE INDEX ix_tickets_unit_created_id ON central.tickets (main_unit, created_at, id);
        CREATE INDEX ix_tickets_operator_created_id
            ON central.tickets (operator_id, created_at, id);
        CREATE INDEX ix_tickets_seat_created_id ON central.tickets (seat, created_at, id);
        CREATE INDEX ix_tickets_district_created_id
            ON central.tickets (district, created_at, id);
        CREATE INDEX ix_tickets_township_created_id
            ON central.tickets (township, created_at, id);
        CREATE INDEX ix_tickets_category_created_id
            ON central.tickets (category_code, created_at, id);
        CREATE INDEX ix_tickets_open_due_id ON central.tickets (due_at, id)
            WHERE status IN ({open_list});
        CREATE INDEX ix_tickets_due_key_id
            ON central.tickets ((coalesce(due_at, 'infinity'::timestamptz)), id);
        CREATE INDEX ix_tickets_status_due_key_id
            ON central.tickets (status, (coalesce(due_at, 'infinity'::timestamptz)), id);
        DROP INDEX central.ix_tickets_status_created;
        DROP INDEX central.ix_tickets_main_unit;

        -- Exact counts of the broad queues (all, by status, district, days) without counting
        -- a million index entries: kept by the tickets' own triggers, in the same transaction.
        CREATE TABLE central.review_counts (
            status text NOT NULL,
            district text NOT NULL,
            day date NOT NULL,
            n bigint NOT NULL,
            CONSTRAINT pk_review_counts PRIMARY KEY (status, district, day)
        );
        CREATE FUNCTION central.review_counts_track() RETURNS trigger
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, central AS $$
        BEGIN
            IF TG_OP IN ('UPDATE', 'DELETE') THEN
                UPDATE central.review_counts SET n = n - 1
                 WHERE status = OLD.status AND district = coalesce(OLD.district, '')
                   AND day = (OLD.created_at AT TIME ZONE 'Asia/Shanghai')::date;
            END IF;
            IF TG_OP IN ('UPDATE', 'INSERT') THEN
                INSERT INTO central.review_counts AS c (status, district, day, n)
                VALUES (NEW.status, coalesce(NEW.district, ''),
                        (NEW.created_at AT TIME ZONE 'Asia/Shanghai')::date, 1)
                ON CONFLICT (status, district, day) DO UPDATE SET n = c.n + 1;
            END IF;
            RETURN NULL;
        END $$;
        CREATE TRIGGER tickets_review_counts_ins AFTER INSERT ON central.tickets
            FOR EACH ROW EXECUTE FUNCTION central.review_counts_track();
        CREATE TRIGGER tickets_review_counts_upd AFTER UPDATE ON central.tickets
            FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status
                               OR OLD.district IS DISTINCT FROM NEW.district
                               OR OLD.created_at IS DISTINCT FROM NEW.created_at)
            EXECUTE FUNCTION central.review_counts_track();
        CREATE TRIGGER tickets_review_counts_del AFTER DELETE ON central.tickets
            FOR EACH ROW EXECUTE FUNCTION central.review_counts_track();
        INSERT INTO central.review_counts (status, district, day, n)
        SELECT status, coalesce(district, ''), (created_at AT TIME ZONE 'Asia/Shanghai')::date,
               count(*)
          FROM central.tickets GROUP BY 1, 2, 3;

        -- Re-handled (重办) and dissatisfied (不满意) are facts of the event log, kept on the
        -- ticket by a trigger on the events (the seed writes them as it generates).
        ALTER TABLE central.tickets
            ADD COLUMN rehandled integer NOT NULL DEFAULT 0,
            ADD COLUMN dissatisfied boolean NOT NULL DEFAULT false;
        UPDATE central.tickets t SET
            rehandled = (SELECT count(*) FROM central.ticket_events e WHERE e.ticket_id = t.id
                          AND e.kind = 'transition' AND e.to_status = 'REOPENED'),
            dissatisfied = EXISTS (SELECT 1 FROM central.ticket_events e
                                    WHERE e.ticket_id = t.id
                                      AND (e.data #>> '{{callback,satisfaction}}') = '不满意')
         WHERE EXISTS (SELECT 1 FROM central.ticket_events e WHERE e.ticket_id = t.id
                        AND ((e.kind = 'transition' AND e.to_status = 'REOPENED')
                             OR (e.data #>> '{{callback,satisfaction}}') = '不满意'));
        CREATE FUNCTION central.ticket_flags_track() RETURNS trigger
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, central AS $$
        BEGIN
            UPDATE central.tickets
               SET rehandled = rehandled + CASE WHEN NEW.kind = 'transition'
                                                 AND NEW.to_status = 'REOPENED' THEN 1 ELSE 0 END,
                   dissatisfied = dissatisfied
                       OR coalesce((NEW.data #>> '{{callback,satisfaction}}') = '不满意', false)
             WHERE id = NEW.ticket_id;
            RETURN NULL;
        END $$;
        CREATE TRIGGER ticket_events_flags AFTER INSERT ON central.ticket_events
            FOR EACH ROW
            WHEN ((NEW.kind = 'transition' AND NEW.to_status = 'REOPENED')
                  OR (NEW.data #>> '{{callback,satisfaction}}') = '不满意')
            EXECUTE FUNCTION central.ticket_flags_track();
        CREATE INDEX ix_tickets_rehandled_created_id ON central.tickets (created_at, id)
            INCLUDE (status, district, dissatisfied, confidential) WHERE rehandled > 0;
        CREATE INDEX ix_tickets_dissatisfied_created_id ON central.tickets (created_at, id)
            INCLUDE (status, district, rehandled, confidential) WHERE dissatisfied;
        CREATE INDEX ix_tickets_confidential_created_id ON central.tickets (created_at, id)
            INCLUDE (status, district, rehandled, dissatisfied) WHERE confidential;

        CREATE TABLE central.qa_results (
            id bigserial PRIMARY KEY,
            ticket_id text NOT NULL REFERENCES central.tickets (id),
            operator_id text NOT NULL,
            reviewer text NOT NULL DEFAULT session_user,
            reviewed_at timestamptz NOT NULL DEFAULT now(),
            score numeric(5, 1) NOT NULL CONSTRAINT ck_qa_score CHECK (score BETWEEN 0 AND 100),
            passed boolean NOT NULL,
            items jsonb NOT NULL DEFAULT '[]',
            comment text NOT NULL DEFAULT '',
            returned boolean NOT NULL DEFAULT false,
            resubmitted_at timestamptz
        );
        CREATE INDEX ix_qa_results_ticket ON central.qa_results (ticket_id);
        CREATE INDEX ix_qa_results_operator ON central.qa_results (operator_id, reviewed_at);
        CREATE INDEX ix_qa_results_failed ON central.qa_results (ticket_id) WHERE NOT passed;
        """
    )
    op.execute(
        f"""
        CREATE FUNCTION central.resolve_conflict(p_id bigint, p_keep text, p_value jsonb DEFAULT NULL)
        RETURNS jsonb
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, central AS $$
        DECLARE v_c record; v_resolution text;
        BEGIN
            IF NOT pg_has_role(session_user, '{lead}', 'MEMBER') THEN
                RAISE EXCEPTION USING ERRCODE = '42501',
                    MESSAGE = 'login ' || session_user || ' is not a shift lead''s login';
            END IF;
            IF p_keep IS NULL OR p_keep NOT IN ('local', 'remote', 'edited') THEN
                RAISE EXCEPTION USING ERRCODE = '22023',
                    MESSAGE = 'keep must be local, remote or edited';
            END IF;
            IF (p_keep = 'edited') <> (p_value IS NOT NULL) THEN
                RAISE EXCEPTION USING ERRCODE = '22023',
                    MESSAGE = 'an edited value is given with keep=edited, and only then';
            END IF;
            SELECT * INTO v_c FROM central.conflicts WHERE id = p_id FOR UPDATE;
            IF NOT FOUND THEN
                RAISE EXCEPTION USING ERRCODE = 'P0002', MESSAGE = 'no conflict ' || p_id;
            END IF;
            IF v_c.resolved_at IS NOT NULL THEN
                RAISE EXCEPTION USING ERRCODE = '55000',
                    MESSAGE = 'conflict ' || p_id || ' was resolved by ' || v_c.resolved_by
                        || ' at ' || v_c.resolved_at || '; a resolution is final';
            END IF;
            v_resolution := CASE p_keep
                WHEN 'edited' THEN jsonb_build_object('keep', 'edited', 'value', p_value)::text
                ELSE jsonb_build_object('keep', p_keep)::text END;
            UPDATE central.conflicts SET resolved_at = now(), resolved_by = session_user,
                resolution = v_resolution
             WHERE id = p_id;
            RETURN jsonb_build_object('id', p_id, 'ticket_id', v_c.ticket_id, 'keep', p_keep,
                'resolved_by', session_user::text, 'resolved_at', now());
        END $$;
        """
    )
    op.execute(
        """
        CREATE FUNCTION central.qa_resubmit(p_id bigint) RETURNS jsonb
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, central AS $$
        DECLARE v record;
        BEGIN
            SELECT q.returned, q.resubmitted_at, t.created_by INTO v
              FROM central.qa_results q JOIN central.tickets t ON t.id = q.ticket_id
             WHERE q.id = p_id FOR UPDATE OF q;
            IF NOT FOUND OR v.created_by IS DISTINCT FROM session_user::text THEN
                RAISE EXCEPTION USING ERRCODE = 'P0002',
                    MESSAGE = 'no quality check ' || p_id || ' of your tickets';
            END IF;
            IF NOT v.returned OR v.resubmitted_at IS NOT NULL THEN
                RAISE EXCEPTION USING ERRCODE = '55000',
                    MESSAGE = 'quality check ' || p_id || ' is not waiting for a correction';
            END IF;
            UPDATE central.qa_results SET resubmitted_at = now() WHERE id = p_id;
            RETURN jsonb_build_object('id', p_id, 'resubmitted_at', now());
        END $$;
        """
    )
    statements = [
        f"ALTER FUNCTION central.qa_resubmit(bigint) OWNER TO {owner}",
        "REVOKE ALL ON FUNCTION central.qa_resubmit(bigint) FROM PUBLIC",
        f"GRANT EXECUTE ON FUNCTION central.qa_resubmit(bigint) TO {operator}, {lead}",
        f"ALTER FUNCTION central.iso_ts(text) OWNER TO {owner}",
        f"ALTER FUNCTION central.resolve_conflict(bigint, text, jsonb) OWNER TO {owner}",
        "REVOKE ALL ON FUNCTION central.resolve_conflict(bigint, text, jsonb) FROM PUBLIC",
        f"GRANT EXECUTE ON FUNCTION central.resolve_conflict(bigint, text, jsonb) TO {lead}",
        # Resolutions only through resolve_conflict(): resolver from the login, once.
        f"REVOKE UPDATE ON central.conflicts FROM {lead}",
        "DROP POLICY lead_resolve ON central.conflicts",
        f"ALTER FUNCTION central.review_counts_track() OWNER TO {owner}",
        "REVOKE ALL ON FUNCTION central.ticket_flags_track() FROM PUBLIC",
        f"ALTER FUNCTION central.ticket_flags_track() OWNER TO {owner}",
        "REVOKE ALL ON FUNCTION central.review_counts_track() FROM PUBLIC",
        f"ALTER TABLE central.review_counts OWNER TO {owner}",
        "REVOKE ALL ON central.review_counts FROM PUBLIC",
        "ALTER TABLE central.review_counts ENABLE ROW LEVEL SECURITY",
        "ALTER TABLE central.review_counts FORCE ROW LEVEL SECURITY",
        "CREATE POLICY owner_all ON central.review_counts "
        f"TO {owner} USING (true) WITH CHECK (true)",
        # Counts of every ticket: for leads only (an operator reads only its own tickets).
        f"GRANT SELECT ON central.review_counts TO {lead}",
        f"CREATE POLICY lead_read ON central.review_counts FOR SELECT TO {lead} USING (true)",
        f"ALTER TABLE central.qa_results OWNER TO {owner}",
        f"ALTER SEQUENCE central.qa_results_id_seq OWNER TO {owner}",
        "REVOKE ALL ON central.qa_results FROM PUBLIC",
        "ALTER TABLE central.qa_results ENABLE ROW LEVEL SECURITY",
        "ALTER TABLE central.qa_results FORCE ROW LEVEL SECURITY",
        f"CREATE POLICY owner_all ON central.qa_results TO {owner} USING (true) WITH CHECK (true)",
        f"GRANT SELECT, INSERT, UPDATE ON central.qa_results TO {lead}",
        f"GRANT USAGE ON SEQUENCE central.qa_results_id_seq TO {lead}",
        f"GRANT SELECT ON central.qa_results TO {operator}",
        # A lead reads every ticket (policy lead_read on tickets), so every event too; said
        # directly, the planner drops the per-row EXISTS of visible_ticket for leads (permissive
        # policies are OR'ed, and true OR x folds to true), which otherwise costs a scan of
        # every ticket id in each queue query that looks at events.
        f"CREATE POLICY lead_read ON central.ticket_events FOR SELECT TO {lead} USING (true)",
        f"CREATE POLICY lead_all ON central.qa_results TO {lead} "
        "USING (true) WITH CHECK (reviewer = session_user)",
        f"CREATE POLICY operator_own ON central.qa_results FOR SELECT TO {operator} "
        "USING (EXISTS (SELECT 1 FROM central.tickets t WHERE t.id = ticket_id))",
    ]
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    raise NotImplementedError(
        "c0005_lead_desk has no downgrade: restore the central database from its backup"
    )
