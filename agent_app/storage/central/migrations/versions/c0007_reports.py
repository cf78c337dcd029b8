"""reports: facts for 三率, 四类排名 and hotspots, kept up to date incrementally

Revision ID: c0007_reports
Revises: c0006_privacy
Create Date: 2026-12-06 05:00:00

Two fact tables, filled from the tickets and their events by ``central.report_refresh()``:

* ``report_dispatches``: one row per dispatch (a transition into DISPATCHED, or into
  REOPENED, 二次办理) with the unit it went to, when, when the unit first signed after it
  (before the next dispatch), whether the unit's objection to it was upheld (the next
  dispatch is an upheld ruling) and whether it is the ticket's first dispatch to that unit;
* ``report_tickets``: one row per ticket: month, category, place, building-level address
  key, status and its latest callback (resolved, satisfaction, the unit that replied).

``report_refresh()`` recomputes the rows of the tickets whose version is above the last
refresh's watermark (a ticket's version rises with every change, in commit order), so a
report costs one small incremental step plus a scan of one period's facts.  The report
functions (``report_rate_counts``, ``report_rate_tickets``, ``report_hot_cells``,
``report_category_months``, ``report_repeats``, ``report_samples``, ``report_export``)
refresh first and are granted to the lead group and to ``<prefix>_report`` (a reporting or
auditor group that may read figures and the export, never a caller: no function here
returns a caller's name, phone or words).
"""

from __future__ import annotations

from alembic import op

revision: str = "c0007_reports"
down_revision: str | None = "c0006_privacy"
branch_labels: str | None = None
depends_on: str | None = None

# (signature, returns a set) of every function this step creates.
FUNCTIONS = (
    "report_address_key(text)",
    "report_refresh()",
    "report_rate_counts(timestamptz, timestamptz, interval, boolean)",
    "report_rate_tickets(timestamptz, timestamptz, interval, boolean, text, text)",
    "report_district_volume(timestamptz, timestamptz)",
    "report_hot_cells(date, integer, integer)",
    "report_category_months(date, integer)",
    "report_repeats(date, integer, integer)",
    "report_samples(date, text[], integer)",
    "report_export(timestamptz, timestamptz)",
)
CALLABLE = FUNCTIONS[1:]


def _prefix() -> str:
    prefix = str(op.get_context().config.attributes.get("role_prefix", "hotline"))  # type: ignore[union-attr]
    if not prefix.replace("_", "").isalnum() or not prefix[0].isalpha() or len(prefix) > 30:
        raise ValueError(f"bad role prefix {prefix!r}")
    return prefix.lower()


def upgrade() -> None:
    p = _prefix()
    owner, lead, report = f"{p}_owner", f"{p}_lead", f"{p}_report"
    op.execute(
        f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{report}') THEN "
        f"CREATE ROLE {report} NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE; "
        "END IF; END $$"
    )
    op.execute(
        """
        CREATE TABLE central.report_state (
            id integer PRIMARY KEY CHECK (id = 1),
            watermark bigint NOT NULL DEFAULT 0,
            refreshed_at timestamptz
        );
        INSERT INTO central.report_state (id) VALUES (1);

        CREATE TABLE central.report_dispatches (
            ticket_id text NOT NULL,
            seq integer NOT NULL,
            unit text NOT NULL,
            district text NOT NULL,
            dispatched_at timestamptz NOT NULL,
            signed_at timestamptz,
            upheld boolean NOT NULL,
            rehandling boolean NOT NULL,
            first_to_unit boolean NOT NULL,
            first_dispatch boolean NOT NULL,
            CONSTRAINT pk_report_dispatches PRIMARY KEY (ticket_id, seq)
        );
        -- Covering: a period's counts are an index-only range scan (the month's rows are
        -- together in the index, wherever they are in the table).
        CREATE INDEX ix_report_dispatches_at ON central.report_dispatches (dispatched_at)
            INCLUDE (unit, district, signed_at, upheld, rehandling, first_to_unit, first_dispatch);

        CREATE TABLE central.report_tickets (
            ticket_id text PRIMARY KEY,
            number text NOT NULL,
            created_at timestamptz NOT NULL,
            month date NOT NULL,
            category_code text NOT NULL,
            category_name text NOT NULL,
            district text NOT NULL,
            township text NOT NULL,
            address_key text NOT NULL,
            main_unit text NOT NULL,
            status text NOT NULL,
            callback_at timestamptz,
            callback_unit text,
            cb_resolved boolean,
            cb_satisfaction text
        );
        CREATE INDEX ix_report_tickets_created ON central.report_tickets (created_at)
            INCLUDE (district);
        CREATE INDEX ix_report_tickets_callback ON central.report_tickets (callback_at)
            INCLUDE (callback_unit, district, cb_resolved, cb_satisfaction)
            WHERE callback_at IS NOT NULL;
        CREATE INDEX ix_report_tickets_place
            ON central.report_tickets (month, category_code, address_key)
            INCLUDE (number, created_at, district, township);
        CREATE INDEX ix_report_tickets_cell
            ON central.report_tickets (month, category_code, district, township)
            INCLUDE (category_name);

        -- Tickets per month x category x district x township, kept by report_refresh():
        -- hotspots and 每月一题 read months of these instead of months of tickets.
        CREATE TABLE central.report_cells (
            month date NOT NULL,
            category_code text NOT NULL,
            district text NOT NULL,
            township text NOT NULL,
            category_name text NOT NULL,
            tickets integer NOT NULL,
            CONSTRAINT pk_report_cells PRIMARY KEY (month, category_code, district, township)
        );
        CREATE INDEX ix_report_cells_place
            ON central.report_cells (category_code, district, township, month) INCLUDE (tickets);

        -- The place of a repeat complaint: the address without spaces and punctuation, cut
        -- at the building (no 单元/室/户/层: a household is not a place, and not for a report).
        CREATE FUNCTION central.report_address_key(p text) RETURNS text
        LANGUAGE sql IMMUTABLE SET search_path = pg_catalog AS $$
            SELECT regexp_replace(
                regexp_replace(lower(coalesce(p, '')), '[[:space:][:punct:]，。、：；（）·]', '', 'g'),
                '[0-9一二三四五六七八九十零]+(单元|室|户|层|楼层).*$', '')
        $$;

        CREATE FUNCTION central.report_refresh() RETURNS integer
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, central AS $$
        DECLARE v_from bigint; v_to bigint; v_n integer;
        BEGIN
            PERFORM pg_advisory_xact_lock(hashtext('central.report_refresh'));
            SELECT watermark INTO v_from FROM central.report_state WHERE id = 1;
            SELECT coalesce(max(version), 0) INTO v_to FROM central.tickets;
            IF v_to <= v_from THEN
                RETURN 0;
            END IF;
            DROP TABLE IF EXISTS pg_temp.report_aff;
            CREATE TEMP TABLE report_aff ON COMMIT DROP AS
                SELECT id, number, created_at, status, main_unit, data FROM central.tickets
                 WHERE version > v_from AND version <= v_to;
            GET DIAGNOSTICS v_n = ROW_COUNT;
            ALTER TABLE pg_temp.report_aff ADD PRIMARY KEY (id);
            ANALYZE pg_temp.report_aff;
            -- Each changed ticket's transitions, read once through the (ticket_id, seq) index
            -- (LATERAL: an index probe per ticket, however few changed); grp numbers the
            -- dispatches, so the events after a dispatch and before the next share its grp.
            DROP TABLE IF EXISTS pg_temp.report_ev;
            CREATE TEMP TABLE report_ev ON COMMIT DROP AS
                SELECT a.id AS ticket_id, e.seq, e.at, e.to_status, e.actor_role, e.data,
                       sum((e.to_status IN ('DISPATCHED', 'REOPENED'))::integer)
                           OVER (PARTITION BY a.id ORDER BY e.seq) AS grp
                FROM pg_temp.report_aff a
                CROSS JOIN LATERAL (
                    SELECT x.seq, x.at, x.to_status, x.actor_role, x.data
                    FROM central.ticket_events x
                    WHERE x.ticket_id = a.id AND x.kind = 'transition') e;
            ANALYZE pg_temp.report_ev;
            DELETE FROM central.report_dispatches r USING pg_temp.report_aff a
             WHERE r.ticket_id = a.id;
            INSERT INTO central.report_dispatches (ticket_id, seq, unit, district, dispatched_at,
                signed_at, upheld, rehandling, first_to_unit, first_dispatch)
            SELECT d.ticket_id, d.seq, d.unit, d.district, d.at, s.signed_at,
                   coalesce(d.next_ruling = 'upheld', false), d.to_status = 'REOPENED',
                   row_number() OVER (PARTITION BY d.ticket_id, d.unit ORDER BY d.seq) = 1,
                   d.grp = 1
            FROM (
                SELECT e.ticket_id, e.seq, e.at, e.to_status, e.grp,
                       coalesce(nullif(e.data->>'to_unit', ''), nullif(e.data->>'unit', ''),
                                nullif(e.data->>'main_unit', ''), a.main_unit) AS unit,
                       coalesce(a.data#>>'{place,district}', '') AS district,
                       lead(e.data->>'ruling') OVER (PARTITION BY e.ticket_id ORDER BY e.seq)
                           AS next_ruling
                FROM pg_temp.report_ev e JOIN pg_temp.report_aff a ON a.id = e.ticket_id
                WHERE e.to_status IN ('DISPATCHED', 'REOPENED')
            ) d
            LEFT JOIN (
                SELECT e.ticket_id, e.grp, min(e.at) AS signed_at FROM pg_temp.report_ev e
                WHERE e.to_status = 'SIGNED' AND e.actor_role = 'handler' AND e.grp > 0
                GROUP BY e.ticket_id, e.grp
            ) s ON s.ticket_id = d.ticket_id AND s.grp = d.grp;
            DROP TABLE IF EXISTS pg_temp.report_keys;
            CREATE TEMP TABLE report_keys ON COMMIT DROP AS
                SELECT r.month, r.category_code, r.district, r.township
                FROM central.report_tickets r JOIN pg_temp.report_aff a ON a.id = r.ticket_id;
            DELETE FROM central.report_tickets r USING pg_temp.report_aff a
             WHERE r.ticket_id = a.id;
            INSERT INTO central.report_tickets (ticket_id, number, created_at, month,
                category_code, category_name, district, township, address_key, main_unit,
                status, callback_at, callback_unit, cb_resolved, cb_satisfaction)
            SELECT a.id, a.number, a.created_at,
                   date_trunc('month', a.created_at AT TIME ZONE 'Asia/Shanghai')::date,
                   coalesce(a.data->>'category_code', ''), coalesce(a.data->>'category_name', ''),
                   coalesce(a.data#>>'{place,district}', ''),
                   coalesce(a.data#>>'{place,township}', ''),
                   central.report_address_key(a.data#>>'{place,address}'),
                   a.main_unit, a.status,
                   cb.at,
                   CASE WHEN cb.at IS NOT NULL THEN coalesce(cb.replier, a.main_unit) END,
                   CASE WHEN cb.at IS NOT NULL THEN coalesce((cb.c->>'resolved')::boolean, false) END,
                   cb.c->>'satisfaction'
            FROM pg_temp.report_aff a
            LEFT JOIN (
                -- The latest callback, and the unit of the latest reply before it.
                SELECT DISTINCT ON (w.ticket_id) w.ticket_id, w.at, w.c,
                       w.replies[cardinality(w.replies)] AS replier
                FROM (
                    SELECT e.ticket_id, e.seq, e.at, e.data->'callback' AS c,
                           e.data ? 'callback' AS is_callback,
                           array_agg(nullif(e.data->>'unit', ''))
                               FILTER (WHERE e.to_status = 'REPLIED')
                               OVER (PARTITION BY e.ticket_id ORDER BY e.seq
                                     ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS replies
                    FROM pg_temp.report_ev e
                ) w
                WHERE w.is_callback
                ORDER BY w.ticket_id, w.seq DESC
            ) cb ON cb.ticket_id = a.id;
            INSERT INTO pg_temp.report_keys
                SELECT r.month, r.category_code, r.district, r.township
                FROM central.report_tickets r JOIN pg_temp.report_aff a ON a.id = r.ticket_id;
            DROP TABLE IF EXISTS pg_temp.report_cellkeys;
            CREATE TEMP TABLE report_cellkeys ON COMMIT DROP AS
                SELECT DISTINCT * FROM pg_temp.report_keys;
            ANALYZE pg_temp.report_cellkeys;
            IF v_n > 50000 THEN  -- a bulk load: count every cell again in one pass
                DELETE FROM central.report_cells;
                INSERT INTO central.report_cells (month, category_code, district, township,
                    category_name, tickets)
                SELECT t.month, t.category_code, t.district, t.township, max(t.category_name),
                       count(*)
                FROM central.report_tickets t
                GROUP BY t.month, t.category_code, t.district, t.township;
            ELSE  -- recount the cells the changed tickets left or joined
                DELETE FROM central.report_cells c USING pg_temp.report_cellkeys k
                 WHERE c.month = k.month AND c.category_code = k.category_code
                   AND c.district = k.district AND c.township = k.township;
                INSERT INTO central.report_cells (month, category_code, district, township,
                    category_name, tickets)
                SELECT k.month, k.category_code, k.district, k.township, x.name, x.n
                FROM pg_temp.report_cellkeys k
                CROSS JOIN LATERAL (
                    SELECT max(t.category_name) AS name, count(*)::integer AS n
                    FROM central.report_tickets t
                    WHERE t.month = k.month AND t.category_code = k.category_code
                      AND t.district = k.district AND t.township = k.township) x
                WHERE x.n > 0;
            END IF;
            UPDATE central.report_state SET watermark = v_to, refreshed_at = now() WHERE id = 1;
            DROP TABLE pg_temp.report_aff;
            DROP TABLE pg_temp.report_ev;
            DROP TABLE pg_temp.report_keys;
            DROP TABLE pg_temp.report_cellkeys;
            RETURN v_n;
        END $$;

        CREATE FUNCTION central.report_rate_counts(
            p_from timestamptz, p_to timestamptz, p_window interval, p_rehandling boolean)
        RETURNS TABLE (unit text, district text, tickets bigint, dispatches bigint,
                       signed_in_time bigint, upheld bigint, callbacks bigint, resolved bigint,
                       sat_full bigint, sat_basic bigint, new_tickets bigint)
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, central AS $$
        BEGIN
            PERFORM central.report_refresh();
            RETURN QUERY
            WITH d AS (
                SELECT r.unit, r.district,
                       count(*) FILTER (WHERE r.first_to_unit) AS tickets,
                       count(*) FILTER (WHERE NOT r.upheld AND (p_rehandling OR NOT r.rehandling))
                           AS dispatches,
                       count(*) FILTER (WHERE NOT r.upheld AND (p_rehandling OR NOT r.rehandling)
                                          AND r.signed_at IS NOT NULL
                                          AND r.signed_at - r.dispatched_at <= p_window)
                           AS signed,
                       count(*) FILTER (WHERE r.upheld) AS upheld,
                       count(*) FILTER (WHERE r.first_dispatch) AS new_tickets
                FROM central.report_dispatches r
                WHERE r.dispatched_at >= p_from AND r.dispatched_at < p_to
                GROUP BY r.unit, r.district),
            c AS (
                SELECT t.callback_unit AS unit, t.district, count(*) AS callbacks,
                       count(*) FILTER (WHERE t.cb_resolved) AS resolved,
                       count(*) FILTER (WHERE t.cb_satisfaction = '满意') AS sat_full,
                       count(*) FILTER (WHERE t.cb_satisfaction = '基本满意') AS sat_basic
                FROM central.report_tickets t
                WHERE t.callback_at >= p_from AND t.callback_at < p_to
                GROUP BY t.callback_unit, t.district)
            SELECT coalesce(d.unit, c.unit), coalesce(d.district, c.district),
                   coalesce(d.tickets, 0), coalesce(d.dispatches, 0), coalesce(d.signed, 0),
                   coalesce(d.upheld, 0), coalesce(c.callbacks, 0), coalesce(c.resolved, 0),
                   coalesce(c.sat_full, 0), coalesce(c.sat_basic, 0), coalesce(d.new_tickets, 0)
            FROM d FULL JOIN c ON c.unit = d.unit AND c.district = d.district;
        END $$;

        -- Requests (every ticket created, dispatched or not) per district of the place.
        CREATE FUNCTION central.report_district_volume(p_from timestamptz, p_to timestamptz)
        RETURNS TABLE (district text, tickets bigint)
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, central AS $$
        BEGIN
            PERFORM central.report_refresh();
            RETURN QUERY
            SELECT t.district, count(*) FROM central.report_tickets t
            WHERE t.created_at >= p_from AND t.created_at < p_to AND t.district <> ''
            GROUP BY t.district;
        END $$;

        -- The tickets behind one figure: p_measure is tickets, dispatches, signed_in_time,
        -- upheld_objections, callbacks, resolved or satisfied; p_unit a unit or NULL (all).
        CREATE FUNCTION central.report_rate_tickets(
            p_from timestamptz, p_to timestamptz, p_window interval, p_rehandling boolean,
            p_unit text, p_measure text)
        RETURNS TABLE (number text, unit text, district text, at timestamptz)
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, central AS $$
        BEGIN
            PERFORM central.report_refresh();
            IF p_measure IN ('callbacks', 'resolved', 'satisfied') THEN
                RETURN QUERY
                SELECT t.number, t.callback_unit, t.district, t.callback_at
                FROM central.report_tickets t
                WHERE t.callback_at >= p_from AND t.callback_at < p_to
                  AND (p_unit IS NULL OR t.callback_unit = p_unit)
                  AND (p_measure = 'callbacks'
                       OR (p_measure = 'resolved' AND t.cb_resolved)
                       OR (p_measure = 'satisfied' AND t.cb_satisfaction IN ('满意', '基本满意')))
                ORDER BY t.callback_at, t.number;
            ELSIF p_measure IN ('tickets', 'dispatches', 'signed_in_time', 'upheld_objections') THEN
                RETURN QUERY
                SELECT t.number, r.unit, r.district, r.dispatched_at
                FROM central.report_dispatches r
                JOIN central.report_tickets t ON t.ticket_id = r.ticket_id
                WHERE r.dispatched_at >= p_from AND r.dispatched_at < p_to
                  AND (p_unit IS NULL OR r.unit = p_unit)
                  AND CASE p_measure
                      WHEN 'tickets' THEN r.first_to_unit
                      WHEN 'upheld_objections' THEN r.upheld
                      WHEN 'dispatches' THEN NOT r.upheld AND (p_rehandling OR NOT r.rehandling)
                      ELSE NOT r.upheld AND (p_rehandling OR NOT r.rehandling)
                           AND r.signed_at IS NOT NULL
                           AND r.signed_at - r.dispatched_at <= p_window END
                ORDER BY r.dispatched_at, t.number;
            ELSE
                RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'invalid:measure';
            END IF;
        END $$;

        -- Hotspot cells of a month (category x district x township with at least p_min
        -- tickets) with their counts in the previous p_months months (months absent: 0).
        CREATE FUNCTION central.report_hot_cells(p_month date, p_months integer, p_min integer)
        RETURNS TABLE (category_code text, category_name text, district text, township text,
                       tickets bigint, base_months date[], base_counts bigint[])
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, central AS $$
        BEGIN
            PERFORM central.report_refresh();
            RETURN QUERY
            SELECT cur.category_code, cur.category_name, cur.district, cur.township,
                   cur.tickets::bigint, coalesce(b.months, '{}'::date[]),
                   coalesce(b.counts, '{}'::bigint[])
            FROM central.report_cells cur
            CROSS JOIN LATERAL (
                SELECT array_agg(c.month ORDER BY c.month) AS months,
                       array_agg(c.tickets::bigint ORDER BY c.month) AS counts
                FROM central.report_cells c
                WHERE c.category_code = cur.category_code AND c.district = cur.district
                  AND c.township = cur.township
                  AND c.month >= (p_month - make_interval(months => p_months))::date
                  AND c.month < p_month) b
            WHERE cur.month = p_month AND cur.category_code <> '' AND cur.tickets >= p_min;
        END $$;

        -- Citywide tickets per category for the month and the p_months before it.
        CREATE FUNCTION central.report_category_months(p_month date, p_months integer)
        RETURNS TABLE (category_code text, category_name text, month date, tickets bigint)
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, central AS $$
        BEGIN
            PERFORM central.report_refresh();
            RETURN QUERY
            SELECT c.category_code, max(c.category_name), c.month, sum(c.tickets)::bigint
            FROM central.report_cells c
            WHERE c.month >= (p_month - make_interval(months => p_months))::date
              AND c.month <= p_month AND c.category_code <> ''
            GROUP BY c.category_code, c.month;
        END $$;

        -- Repeat complaints: the same building-level address and category at least p_min
        -- times in the month; the first p_samples ticket numbers of each.
        CREATE FUNCTION central.report_repeats(p_month date, p_min integer, p_samples integer)
        RETURNS TABLE (category_code text, category_name text, district text, township text,
                       place text, tickets bigint, numbers text[])
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, central AS $$
        BEGIN
            PERFORM central.report_refresh();
            RETURN QUERY
            WITH g AS MATERIALIZED (
                SELECT t.category_code, t.address_key, count(*) AS n
                FROM central.report_tickets t
                WHERE t.month = p_month AND t.category_code <> '' AND t.address_key <> ''
                GROUP BY t.category_code, t.address_key
                HAVING count(*) >= p_min)
            SELECT g.category_code,
                   coalesce((SELECT c.category_name FROM central.report_cells c
                              WHERE c.month = p_month AND c.category_code = g.category_code
                              LIMIT 1), ''),
                   x.dist, x.town, g.address_key, g.n, x.nums
            FROM g CROSS JOIN LATERAL (
                SELECT max(t.district) AS dist, max(t.township) AS town,
                       (array_agg(t.number ORDER BY t.created_at, t.number))[1:p_samples] AS nums
                FROM central.report_tickets t
                WHERE t.month = p_month AND t.category_code = g.category_code
                  AND t.address_key = g.address_key) x;
        END $$;

        -- The latest p_n ticket numbers of each category in the month.
        CREATE FUNCTION central.report_samples(p_month date, p_codes text[], p_n integer)
        RETURNS TABLE (category_code text, numbers text[])
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, central AS $$
        BEGIN
            RETURN QUERY
            SELECT c.code, ARRAY(
                SELECT t.number FROM central.report_tickets t
                 WHERE t.month = p_month AND t.category_code = c.code
                 ORDER BY t.created_at DESC, t.number DESC LIMIT p_n)
            FROM unnest(p_codes) AS c(code);
        END $$;

        -- The tickets created in a period, for an export: no caller, no words, only what an
        -- Open311 service request carries (the place's address is cut in the application).
        CREATE FUNCTION central.report_export(p_from timestamptz, p_to timestamptz)
        RETURNS TABLE (number text, status text, category_code text, category_name text,
                       created_at timestamptz, updated_at timestamptz, address text,
                       lat double precision, lon double precision, main_unit text,
                       district text, township text)
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, central AS $$
        BEGIN
            RETURN QUERY
            SELECT t.number, t.status, coalesce(t.data->>'category_code', ''),
                   coalesce(t.data->>'category_name', ''), t.created_at,
                   coalesce(t.updated_at, t.created_at),
                   coalesce(t.data#>>'{place,address}', ''),
                   (t.data#>>'{place,lat}')::double precision,
                   (t.data#>>'{place,lon}')::double precision,
                   t.main_unit, coalesce(t.data#>>'{place,district}', ''),
                   coalesce(t.data#>>'{place,township}', '')
            FROM central.tickets t
            WHERE t.created_at >= p_from AND t.created_at < p_to
            ORDER BY t.created_at, t.number;
        END $$;
        """
    )
    statements = []
    for table in ("report_state", "report_dispatches", "report_tickets", "report_cells"):
        statements += [
            f"ALTER TABLE central.{table} OWNER TO {owner}",
            f"REVOKE ALL ON central.{table} FROM PUBLIC",
            f"ALTER TABLE central.{table} ENABLE ROW LEVEL SECURITY",
            f"ALTER TABLE central.{table} FORCE ROW LEVEL SECURITY",
            f"CREATE POLICY owner_all ON central.{table} TO {owner} USING (true) WITH CHECK (true)",
        ]
    statements.append(f"GRANT USAGE ON SCHEMA central TO {report}")
    for fn in FUNCTIONS:
        statements += [
            f"ALTER FUNCTION central.{fn} OWNER TO {owner}",
            f"REVOKE ALL ON FUNCTION central.{fn} FROM PUBLIC",
        ]
    statements += [f"GRANT EXECUTE ON FUNCTION central.{fn} TO {lead}, {report}" for fn in CALLABLE]
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    for fn in reversed(FUNCTIONS):
        op.execute(f"DROP FUNCTION IF EXISTS central.{fn}")
    op.execute(
        "DROP TABLE IF EXISTS central.report_cells, central.report_tickets, "
        "central.report_dispatches, central.report_state"
    )
