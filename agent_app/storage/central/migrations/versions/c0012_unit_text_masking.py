"""unit text masking: a handling unit reads no caller's name or number in a ticket's words

Revision ID: c0012_unit_text_masking
Revises: c0011_centre_retention
Create Date: 2026-12-06 11:30:00

Up to c0011 ``central.unit_tickets()`` masked the caller object but gave the handling unit
the ticket's description, address, callback words and follow-up texts as the seat wrote them:
an operator who typed "王建国 13800138000 反映…" into the description showed the unit the
caller's full name and number; ``central.tickets_masked`` gave a handler login the same
(and the operator's notes).  The regulation (条例 art. 28, GB/T 33358) and DESIGN.md ask for
names and numbers masked in what the unit sees, a confidential (保密) caller entirely.  So:

* ``central.mask_free_text(text, caller)`` (IMMUTABLE, reads nothing): the text with
  - the caller's name (two characters at least: one would hit ordinary words) replaced
    wherever it is written in full, case-insensitively: by ``central.mask_name`` (``王女士``
    → ``王**``), for a confidential caller by ``***``; for a confidential caller also the
    surname with a form of address (``王先生``, ``王阿姨``…) by ``***``;
  - every phone-like digit run masked by ``central.mask_digits`` (the rule of
    ``caller_history`` and the transcripts: ten digits or more, or seven unseparated; the
    last four kept); a run of seven digits or more that is part of one of the caller's
    numbers but that rule leaves (``8765-4321`` of ``010 87654321``) loses every digit;
    for a confidential caller every masked run loses every digit.
* ``central.unit_tickets(status)`` is re-created with the same signature and the same keys:
  ``description``, ``address``, ``callback_words`` and each follow-up's ``text`` go through
  ``mask_free_text`` with the ticket's caller; the ``caller`` object is masked as
  ``central.mask_caller`` masks it (a confidential caller's name ``***`` and every digit a
  ``*``, as ``tickets_masked`` and ``caller_history`` show it; an ordinary one as before),
  written out in the query: calling ``mask_caller`` per row cost ~0.1 ms a ticket.
* ``central.tickets_masked`` gives a handler login the same: ``data``'s ``description``,
  ``notes``, ``outcome_detail`` and ``place.address`` masked (leads and operators read the
  view as before).  The view reads the group once per query (``central.login_group()``,
  now executable by the operator, lead and handler groups: it answers the reader's own
  group, as ``whoami()`` does).
"""

from __future__ import annotations

from alembic import op

revision: str = "c0012_unit_text_masking"
down_revision: str | None = "c0011_centre_retention"
branch_labels: str | None = None
depends_on: str | None = None

FOLLOWUP_KINDS = ("chase", "progress_call", "supplement")  # as c0004
# Forms of address after a surname that name a confidential caller as surely as the name.
ADDRESS_FORMS = ("先生", "女士", "小姐", "师傅", "阿姨", "大爷", "大妈", "奶奶", "爷爷", "老师")
# A ticket's free texts in ``data`` that a handler reads masked through tickets_masked.
DATA_TEXTS = ("description", "notes", "outcome_detail")
MIN_NAME_CHARS = 2
MIN_OWN_DIGITS = 7
# A date, with or without the hour after it ("2026-12-06", "2026.12.6 10"), is never a phone
# number: a unit needs it to know when the matter happened.  (A caller's number is never
# written this way; the caller-number rule below does not look at it either.)
DATE_RUN = r"^(19|20)[0-9]{2}([-./])[01]?[0-9]\2[0-3]?[0-9]( [0-2]?[0-9])?$"


def _prefix() -> str:
    prefix = str(op.get_context().config.attributes.get("role_prefix", "hotline"))  # type: ignore[union-attr]
    if not prefix.replace("_", "").isalnum() or not prefix[0].isalpha() or len(prefix) > 30:
        raise ValueError(f"bad role prefix {prefix!r}")
    return prefix.lower()


def _array(values: tuple[str, ...]) -> str:
    return "ARRAY[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "]::text[]"


def upgrade() -> None:
    p = _prefix()
    owner, operator, lead, handler = (f"{p}_{g}" for g in ("owner", "operator", "lead", "handler"))
    kinds = _array(FOLLOWUP_KINDS)
    texts = _array(DATA_TEXTS)
    forms = "|".join(ADDRESS_FORMS)
    op.execute(
        f"""
        CREATE OR REPLACE FUNCTION central.mask_free_text(p_text text, p_caller jsonb)
        RETURNS text
        LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, central AS $$
        DECLARE
            v_conf boolean := false; v_name text := ''; v_phones text[];
            v_text text; v_rest text; v_out text := ''; v_run text; v_digits text;
            v_masked text; v_at integer;
        BEGIN
            IF p_text IS NULL THEN
                RETURN NULL;
            END IF;
            IF jsonb_typeof(p_caller) = 'object' THEN
                v_conf := coalesce(p_caller->>'confidential', '') IN ('true', 't', '1');
                v_name := btrim(coalesce(p_caller->>'name', ''));
            END IF;
            v_text := p_text;
            -- (strpos first: most texts do not hold the name; a name with letter case goes
            -- to the case-insensitive replace directly)
            IF char_length(v_name) >= {MIN_NAME_CHARS}
               AND (strpos(v_text, v_name) > 0 OR lower(v_name) <> upper(v_name)) THEN
                -- ***= : the name is a literal string, not a pattern
                v_text := regexp_replace(v_text, '***=' || v_name,
                    replace(CASE WHEN v_conf THEN '***' ELSE central.mask_name(v_name) END,
                            chr(92), chr(92) || chr(92)),
                    'gi');
            END IF;
            IF v_conf AND left(v_name, 1) ~ '^[[:alpha:]]$' THEN
                v_text := regexp_replace(v_text, left(v_name, 1) || '({forms})', '***', 'g');
            END IF;
            v_rest := translate(v_text, '０１２３４５６７８９', '0123456789');
            -- Only a run of {MIN_OWN_DIGITS} digits or more is ever masked: most texts have none.
            IF v_rest !~ '[0-9](?:[ ()./-]?[0-9]){{{MIN_OWN_DIGITS - 1}}}' THEN
                RETURN v_rest;
            END IF;
            LOOP
                v_run := (regexp_match(v_rest, '[0-9](?:[ ()./-]?[0-9])*'))[1];
                EXIT WHEN v_run IS NULL;
                v_at := strpos(v_rest, v_run);
                v_digits := regexp_replace(v_run, '[^0-9]', '', 'g');
                v_masked := v_run;
                IF char_length(v_digits) >= {MIN_OWN_DIGITS} AND v_run !~ '{DATE_RUN}' THEN
                    v_masked := central.mask_digits(v_run);
                    IF v_phones IS NULL THEN  -- the caller's numbers, digits only, no +86
                        SELECT coalesce(array_agg(CASE WHEN d LIKE '86%' AND char_length(d) >= 11
                                                       THEN substr(d, 3) ELSE d END), '{{}}')
                          INTO v_phones
                          FROM (SELECT regexp_replace(
                                           translate(ph, '０１２３４５６７８９', '0123456789'),
                                           '[^0-9]', '', 'g') AS d
                                  FROM jsonb_array_elements_text(
                                      CASE WHEN jsonb_typeof(p_caller->'phones') = 'array'
                                           THEN p_caller->'phones' ELSE '[]' END) ph) x
                         WHERE char_length(d) >= {MIN_OWN_DIGITS};
                    END IF;
                    -- A confidential caller keeps no digit; a part of the caller's number
                    -- that mask_digits leaves (too short, separated) none either.
                    IF (v_conf AND v_masked <> v_run) OR (v_masked = v_run AND EXISTS (
                            SELECT 1 FROM unnest(v_phones) pd
                             WHERE strpos(pd, v_digits) > 0 OR strpos(v_digits, pd) > 0)) THEN
                        v_masked := repeat('*', char_length(v_digits));
                    END IF;
                END IF;
                v_out := v_out || left(v_rest, v_at - 1) || v_masked;
                v_rest := substr(v_rest, v_at + char_length(v_run));
            END LOOP;
            RETURN v_out || v_rest;
        END $$;

        CREATE OR REPLACE FUNCTION central.unit_tickets(p_status text DEFAULT NULL)
        RETURNS SETOF jsonb
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, central AS $$
            SELECT jsonb_build_object(
                'number', t.number,
                'status', t.status,
                'unit', t.main_unit,
                'urgency', t.data->>'urgency',
                'category', t.data->>'category_name',
                'description', central.mask_free_text(t.data->>'description', t.data->'caller'),
                'address', central.mask_free_text(t.data#>>'{{place,address}}', t.data->'caller'),
                'district', t.data#>>'{{place,district}}',
                'township', t.data#>>'{{place,township}}',
                'created_at', t.data->>'created_at',
                'due_at', t.data->>'due_at',
                'caller', jsonb_build_object(
                    'name', CASE WHEN NOT c.conf THEN central.mask_name(t.data#>>'{{caller,name}}')
                                 WHEN btrim(coalesce(t.data#>>'{{caller,name}}', '')) = '' THEN ''
                                 ELSE '***' END,
                    'phones', coalesce((SELECT jsonb_agg(CASE WHEN c.conf
                                            THEN regexp_replace(regexp_replace(ph, '[^0-9]', '',
                                                                               'g'), '.', '*', 'g')
                                            ELSE central.mask_phone(ph) END)
                                        FROM jsonb_array_elements_text(
                                            CASE WHEN jsonb_typeof(t.data#>'{{caller,phones}}')
                                                      = 'array'
                                                 THEN t.data#>'{{caller,phones}}'
                                                 ELSE '[]' END) ph),
                                       '[]'::jsonb),
                    'confidential', c.conf),
                'rehandled', (SELECT count(*) FROM central.ticket_events e
                              WHERE e.ticket_id = t.id AND e.kind = 'transition'
                                AND e.to_status = 'REOPENED'),
                'callback_words', central.mask_free_text(
                                  (SELECT e.data#>>'{{callback,words}}' FROM central.ticket_events e
                                   WHERE e.ticket_id = t.id AND e.data ? 'callback'
                                   ORDER BY e.seq DESC LIMIT 1), t.data->'caller'),
                'followups', coalesce((SELECT jsonb_agg(jsonb_build_object(
                                           'kind', e.kind, 'at', e.at,
                                           'text', central.mask_free_text(
                                               coalesce(e.data->>'text', ''), t.data->'caller'))
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
            CROSS JOIN LATERAL (SELECT coalesce((t.data#>>'{{caller,confidential}}')::boolean,
                                                false) AS conf) c
            WHERE central.login_group() = 'handler'
              AND t.main_unit = ANY (central.my_units())
              AND (p_status IS NULL OR t.status = p_status)
            ORDER BY t.data->>'due_at' NULLS LAST, t.number
        $$;

        CREATE OR REPLACE FUNCTION central.mask_unit_data(p_data jsonb) RETURNS jsonb
        LANGUAGE plpgsql IMMUTABLE SECURITY DEFINER SET search_path = pg_catalog, central AS $$
        DECLARE v jsonb := p_data; v_caller jsonb; v_key text;
        BEGIN
            IF p_data IS NULL OR jsonb_typeof(p_data) <> 'object' THEN
                RETURN p_data;
            END IF;
            v_caller := p_data->'caller';
            IF jsonb_typeof(v_caller) = 'object' THEN
                v := v || jsonb_build_object('caller', central.mask_caller(v_caller));
            END IF;
            FOREACH v_key IN ARRAY {texts} LOOP
                IF jsonb_typeof(v->v_key) = 'string' THEN
                    v := jsonb_set(v, ARRAY[v_key],
                                   to_jsonb(central.mask_free_text(v->>v_key, v_caller)));
                END IF;
            END LOOP;
            IF jsonb_typeof(v#>'{{place,address}}') = 'string' THEN
                v := jsonb_set(v, '{{place,address}}',
                               to_jsonb(central.mask_free_text(v#>>'{{place,address}}', v_caller)));
            END IF;
            RETURN v;
        END $$;

        CREATE OR REPLACE VIEW central.tickets_masked WITH (security_barrier = true) AS
            SELECT t.id, t.number, t.seat, t.status, t.main_unit, t.co_units, t.created_at,
                   t.updated_at, t.version,
                   coalesce((t.data#>>'{{caller,confidential}}')::boolean, false) AS confidential,
                   central.mask_caller(t.data->'caller')->>'name' AS caller_name,
                   central.mask_caller(t.data->'caller')->'phones' AS caller_phones,
                   CASE WHEN g.grp IS DISTINCT FROM 'handler' THEN
                        CASE WHEN t.data ? 'caller'
                             THEN t.data || jsonb_build_object(
                                 'caller', central.mask_caller(t.data->'caller'))
                             ELSE t.data END
                   ELSE central.mask_unit_data(t.data) END AS data
              FROM central.tickets t
             CROSS JOIN (SELECT central.login_group() AS grp) g
             WHERE central.ticket_visible(t.created_by, t.main_unit, t.co_units);
        """
    )
    for fn in ("mask_free_text(text, jsonb)", "mask_unit_data(jsonb)"):
        op.execute(f"ALTER FUNCTION central.{fn} OWNER TO {owner}")
        op.execute(f"REVOKE ALL ON FUNCTION central.{fn} FROM PUBLIC")
    # The view reads the table as its owner; the functions it calls run for the reader
    # (mask_unit_data, SECURITY DEFINER, calls the others as the owner; login_group answers
    # the reader's own group, once per query, as whoami() tells it anyway).
    op.execute(
        "GRANT EXECUTE ON FUNCTION central.mask_unit_data(jsonb), central.login_group() "
        f"TO {operator}, {lead}, {handler}"
    )


def downgrade() -> None:
    raise NotImplementedError(
        "c0012_unit_text_masking has no downgrade: restore the central database from its backup"
    )
