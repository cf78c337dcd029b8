"""purge runs: the centre records each retention purge, so a purge that stopped running shows

Revision ID: c0013_purge_runs
Revises: c0012_unit_text_masking
Create Date: 2026-12-06 12:00:00

Nothing at the centre schedules ``agent-app central purge`` (c0011); if its cron job or timer
stops, callers' data is kept past ``caller_days`` and nobody sees it.  This step:

* ``central.purge_runs``: one row per purge that changed (or could have changed) data,
  i.e. every run that was not a dry run: when (the centre's clock), the login (the session
  user), the cutoff and the counts ``purge_closed`` answered.  Owned by the owner role,
  row-level security forced, no privilege for any app group.
* ``central.purge_closed(before, dry_run)`` keeps its signature, answer and privileges
  (owner only); the c0011 function becomes ``central.purge_closed_core`` (owner only) and the
  new one calls it and, unless it is a dry run, appends the row in the same transaction.
* ``central.last_purge()`` (SECURITY DEFINER): the newest row as JSON (``at``, ``login``,
  ``before``, ``due``, ``tickets``, ``transcripts``, ``conflicts``, ``applied_ops``,
  ``held``) or NULL, for the owner, the lead and the auditor groups: what
  ``agent-app central stats`` reports as ``last_purge`` (with ``purge_warning`` when it is
  older than two days or missing).
"""

from __future__ import annotations

from alembic import op

revision: str = "c0013_purge_runs"
down_revision: str | None = "c0012_unit_text_masking"
branch_labels: str | None = None
depends_on: str | None = None


def _prefix() -> str:
    prefix = str(op.get_context().config.attributes.get("role_prefix", "hotline"))  # type: ignore[union-attr]
    if not prefix.replace("_", "").isalnum() or not prefix[0].isalpha() or len(prefix) > 30:
        raise ValueError(f"bad role prefix {prefix!r}")
    return prefix.lower()


def upgrade() -> None:
    p = _prefix()
    owner, lead, auditor = f"{p}_owner", f"{p}_lead", f"{p}_auditor"
    op.execute(
        """
        CREATE TABLE central.purge_runs (
            id bigserial PRIMARY KEY,
            at timestamptz NOT NULL DEFAULT now(),
            login text NOT NULL DEFAULT session_user,
            before timestamptz NOT NULL,
            due integer NOT NULL,
            tickets integer NOT NULL,
            transcripts integer NOT NULL,
            conflicts integer NOT NULL,
            applied_ops integer NOT NULL,
            held integer NOT NULL
        );
        CREATE INDEX ix_purge_runs_at ON central.purge_runs (at);

        ALTER FUNCTION central.purge_closed(timestamptz, boolean)
            RENAME TO purge_closed_core;

        CREATE FUNCTION central.purge_closed(p_before timestamptz, p_dry_run boolean)
        RETURNS jsonb
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, central AS $$
        DECLARE v jsonb;
        BEGIN
            v := central.purge_closed_core(p_before, p_dry_run);
            IF NOT p_dry_run THEN
                INSERT INTO central.purge_runs (login, before, due, tickets, transcripts,
                                                conflicts, applied_ops, held)
                VALUES (session_user, p_before, (v->>'due')::integer, (v->>'tickets')::integer,
                        (v->>'transcripts')::integer, (v->>'conflicts')::integer,
                        (v->>'applied_ops')::integer, (v->>'held')::integer);
            END IF;
            RETURN v;
        END $$;

        CREATE FUNCTION central.last_purge() RETURNS jsonb
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, central AS $$
            SELECT to_jsonb(r) - 'id' FROM central.purge_runs r ORDER BY r.at DESC, r.id DESC
             LIMIT 1
        $$;
        """
    )
    statements = [
        f"ALTER TABLE central.purge_runs OWNER TO {owner}",
        f"ALTER SEQUENCE central.purge_runs_id_seq OWNER TO {owner}",
        "REVOKE ALL ON central.purge_runs FROM PUBLIC",
        "ALTER TABLE central.purge_runs ENABLE ROW LEVEL SECURITY",
        "ALTER TABLE central.purge_runs FORCE ROW LEVEL SECURITY",
        f"CREATE POLICY owner_all ON central.purge_runs TO {owner} USING (true) WITH CHECK (true)",
    ]
    for fn in ("purge_closed(timestamptz, boolean)", "last_purge()"):
        statements += [
            f"ALTER FUNCTION central.{fn} OWNER TO {owner}",
            f"REVOKE ALL ON FUNCTION central.{fn} FROM PUBLIC",
        ]
    statements.append(f"GRANT EXECUTE ON FUNCTION central.last_purge() TO {lead}, {auditor}")
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    op.execute("DROP FUNCTION central.last_purge()")
    op.execute("DROP FUNCTION central.purge_closed(timestamptz, boolean)")
    op.execute(
        "ALTER FUNCTION central.purge_closed_core(timestamptz, boolean) RENAME TO purge_closed"
    )
    op.execute("DROP TABLE central.purge_runs")
