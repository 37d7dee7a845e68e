-- 0013: capture writes each change in canonical form, with its lookup
-- columns; append compares bytes.
--
-- Since 0011, arcs_audit.append parsed the key and row images of every
-- entry as jsonb and compared them with the captured ones, also parsed as
-- jsonb, and derived case_id and asset_id from those parsed images: a seal
-- took about twice the server time it took before. Now capture itself
-- writes the key and images into arcs_audit.pending as the exact canonical
-- text an entry holds (docs/audit-format.md §2), and beside them the lookup
-- columns case_id and asset_id (§3), computed by expressions generated per
-- table when capture is attached. append then builds the whole expected
-- entry from the captured change and compares it with the given bytes byte
-- for byte, and copies the lookup columns; row_key is the key's text.
--
-- Nothing a writer can touch changed: writers still only read pending (its
-- rows are written by the capture triggers, SECURITY DEFINER, alone), and
-- append still takes only the pending ids and the entry bytes. The check is
-- stricter than 0011's: the entry must now be canonical, not merely equal
-- as JSON.
--
-- The entry bytes do not change: the canonical text capture writes is the
-- text core's canonicalizer made of the old json form (tests/cli/
-- capture_canonical.sh seals the same changes both ways and compares).
--
-- Changes captured in the old json form (before this migration, or by a
-- capture function not yet regenerated when this commits) have
-- canonical = false; for those alone append takes the canonical text from
-- arcs_audit.canonical_text and the lookup columns from the jsonb rule of
-- 0011, so they seal as before, under the same byte comparison.

-- key, old_row and new_row stay json (their text is what capture wrote:
-- canonical text is json), so readers of 0005's pending read it as before.
ALTER TABLE arcs_audit.pending
    ADD COLUMN canonical boolean NOT NULL DEFAULT false,
    ADD COLUMN case_id text,
    ADD COLUMN asset_id text;

-- One column of alias al as canonical JSON text, by type: kind 's' when
-- expr is a string's text that needs no escaping (digits, dates, times),
-- 't' when expr is a string's text that may (to_json escapes as canonical
-- form does: \" \\ \b \f \n \r \t, other controls as \u00xx lowercase,
-- everything else literal), 'j' when expr is already canonical JSON text.
-- The values are those of 0005's column_expr. A sensitive column has none
-- (0010): asked for one, it refuses.
CREATE FUNCTION arcs_audit.canon_column(rel regclass, att name, typ oid, al text,
                                        OUT kind "char", OUT expr text)
LANGUAGE plpgsql STABLE SET search_path = pg_catalog AS $$
DECLARE
    c text := format('%I.%I', al, att);
    base oid := typ;
    cat "char";
    elem oid;
BEGIN
    IF EXISTS (SELECT 1 FROM arcs_audit.sensitive_columns s
               WHERE s.table_name = rel::text AND s.column_name = att) THEN
        RAISE EXCEPTION 'column %.% is sensitive and is never captured', rel, att
            USING ERRCODE = 'feature_not_supported',
                  HINT = 'leave it out of the row image (arcs_audit.canon_object_expr does)';
    END IF;
    LOOP
        SELECT t.typbasetype INTO elem FROM pg_type t WHERE t.oid = base;
        EXIT WHEN elem IS NULL OR elem = 0;
        base := elem;
    END LOOP;
    SELECT t.typcategory INTO cat FROM pg_type t WHERE t.oid = base;
    IF base = 'boolean'::regtype THEN
        kind := 'j';
        expr := format('%s::text', c);
    ELSIF base IN ('smallint'::regtype, 'integer'::regtype, 'bigint'::regtype,
                   'numeric'::regtype, 'real'::regtype, 'double precision'::regtype,
                   'oid'::regtype, 'uuid'::regtype) THEN
        kind := 's';
        expr := format('%s::text', c);
    ELSIF base = 'date'::regtype THEN
        kind := 's';
        expr := format('to_char(%s, ''YYYY-MM-DD'')', c);
    ELSIF base = 'timestamptz'::regtype THEN
        kind := 's';
        expr := format('to_char(%s AT TIME ZONE ''UTC'', '
                       '''YYYY-MM-DD"T"HH24:MI:SS.US"Z"'')', c);
    ELSIF base = 'timestamp'::regtype THEN
        kind := 's';
        expr := format('to_char(%s, ''YYYY-MM-DD"T"HH24:MI:SS.US'')', c);
    ELSIF base = 'bytea'::regtype THEN
        kind := 't';
        expr := format('''\x'' || encode(%s, ''hex'')', c);
    ELSIF base IN ('jsonb'::regtype, 'json'::regtype) THEN
        -- canonical_text writes numbers as strings, as json_strings did
        kind := 'j';
        expr := format('arcs_audit.canonical_text(%s::jsonb)', c);
    ELSIF cat = 'A' THEN
        -- element text under the pinned DateStyle; nested arrays stay
        -- nested; array_to_json writes no whitespace
        kind := 'j';
        expr := format('array_to_json(%s::text[])::text', c);
    ELSE
        -- text, character(n) (trailing blanks dropped, as ::text does),
        -- enums, intervals (iso_8601) ...
        kind := 't';
        expr := format('%s::text', c);
    END IF;
END $$;

-- The canonical JSON text of a value of kind and expr, SQL NULL for NULL.
CREATE FUNCTION arcs_audit.canon_json(kind "char", expr text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT SET search_path = pg_catalog AS $$
    SELECT CASE kind WHEN 's' THEN format('(''"'' || %s || ''"'')', expr)
                     WHEN 't' THEN format('to_json(%s)::text', expr)
                     ELSE expr END
$$;

-- The canonical text of the object of the given columns of alias al (the
-- primary key's when key_only, all columns when the table has no primary
-- key), sensitive columns left out, as one expression: members sorted by
-- the UTF-16 code units of their names, no whitespace.
CREATE FUNCTION arcs_audit.canon_object_expr(rel regclass, al text, key_only boolean)
RETURNS text LANGUAGE plpgsql STABLE SET search_path = pg_catalog AS $$
DECLARE
    parts text[] := '{}';
    r record;
    c record;
    pk int2[];
    sep text := '{';
BEGIN
    SELECT i.indkey::int2[] INTO pk FROM pg_index i
        WHERE i.indrelid = rel AND i.indisprimary;
    FOR r IN SELECT a.attname, a.atttypid FROM pg_attribute a
             WHERE a.attrelid = rel AND a.attnum > 0 AND NOT a.attisdropped
               AND (NOT key_only OR pk IS NULL OR a.attnum = ANY (pk))
               AND NOT EXISTS (SELECT 1 FROM arcs_audit.sensitive_columns s
                               WHERE s.table_name = rel::text AND s.column_name = a.attname)
             ORDER BY arcs_audit.utf16_units(a.attname::text) LOOP
        c := arcs_audit.canon_column(rel, r.attname, r.atttypid, al);
        parts := parts || format('%L || coalesce(%s, ''null'')',
                                 sep || to_json(r.attname::text)::text || ':',
                                 arcs_audit.canon_json(c.kind, c.expr));
        sep := ',';
    END LOOP;
    IF cardinality(parts) = 0 THEN
        RETURN '''{}''::text';
    END IF;
    RETURN '(' || array_to_string(parts, ' || ') || ' || ''}'')';
END $$;

-- The lookup column col (case_id or asset_id) of a change, as an expression
-- over alias al (the image the rule of docs/audit-format.md §3 reads): in
-- table own (arcs.cases, arcs.assets) the key's member id, elsewhere the
-- image's member col. The value is the JSON string's text when the member
-- is a string whose canonical form holds no backslash, else NULL; 'NULL'
-- when the table has no such member.
CREATE FUNCTION arcs_audit.canon_lookup_expr(rel regclass, al text, col name, own text)
RETURNS text LANGUAGE plpgsql STABLE SET search_path = pg_catalog AS $$
DECLARE
    want name := CASE WHEN rel::text = own THEN 'id' ELSE col END;
    pk int2[];
    a record;
    c record;
    j text;
BEGIN
    SELECT i.indkey::int2[] INTO pk FROM pg_index i
        WHERE i.indrelid = rel AND i.indisprimary;
    SELECT t.attname, t.atttypid, t.attnum INTO a FROM pg_attribute t
     WHERE t.attrelid = rel AND t.attname = want AND t.attnum > 0 AND NOT t.attisdropped;
    IF NOT FOUND
       OR (rel::text = own AND pk IS NOT NULL AND NOT a.attnum = ANY (pk))
       OR EXISTS (SELECT 1 FROM arcs_audit.sensitive_columns s
                  WHERE s.table_name = rel::text AND s.column_name = a.attname) THEN
        RETURN 'NULL::text';
    END IF;
    c := arcs_audit.canon_column(rel, a.attname, a.atttypid, al);
    IF c.kind = 's' THEN
        RETURN c.expr;
    ELSIF c.kind = 't' THEN
        RETURN format('(CASE WHEN strpos(to_json(%s)::text, ''\'') = 0 THEN %s END)',
                      c.expr, c.expr);
    END IF;
    j := arcs_audit.canon_json(c.kind, c.expr);
    RETURN format('(CASE WHEN left(%s, 1) = ''"'' AND strpos(%s, ''\'') = 0'
                  ' THEN substr(%s, 2, length(%s) - 2) END)', j, j, j, j);
END $$;

-- Attach capture to one table (idempotent), as in 0005, writing canonical
-- text and the lookup columns. An update pairs old and new images by the
-- text of their keys, and is ordered by it.
CREATE OR REPLACE FUNCTION arcs_audit.attach(rel regclass) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
DECLARE
    fname text := left('cap_' || (SELECT c.relname FROM pg_class c WHERE c.oid = rel), 63);
    tname text := rel::text;
    kn text := arcs_audit.canon_object_expr(rel, 'n', true);
    vn text := arcs_audit.canon_object_expr(rel, 'n', false);
    ko text := arcs_audit.canon_object_expr(rel, 'o', true);
    vo text := arcs_audit.canon_object_expr(rel, 'o', false);
    cn text := arcs_audit.canon_lookup_expr(rel, 'n', 'case_id', 'arcs.cases');
    an text := arcs_audit.canon_lookup_expr(rel, 'n', 'asset_id', 'arcs.assets');
    co text := arcs_audit.canon_lookup_expr(rel, 'o', 'case_id', 'arcs.cases');
    ao text := arcs_audit.canon_lookup_expr(rel, 'o', 'asset_id', 'arcs.assets');
    first boolean;
    cols text := 'txid, table_name, op, key, old_row, new_row, db_user, actor, captured_at,'
                 ' canonical, case_id, asset_id';
BEGIN
    first := NOT EXISTS (SELECT 1 FROM pg_trigger t
                         WHERE t.tgrelid = rel AND t.tgname = 'arcs_audit_ins');
    EXECUTE format($f$
CREATE OR REPLACE FUNCTION arcs_audit.%I() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog SET TimeZone = 'UTC' SET DateStyle = 'ISO, YMD'
SET IntervalStyle = 'iso_8601' SET extra_float_digits = 3
AS $body$
-- the variables below win over a captured table's columns of the same
-- names (a, t, u, x): every column here is qualified by its alias
#variable_conflict use_variable
DECLARE
    u text := session_user;
    a text := coalesce(nullif(current_setting('arcs.actor', true), ''), session_user);
    x bigint := txid_current();
    t timestamptz := statement_timestamp();
BEGIN
    -- Inserted and deleted rows keep the order the statement wrote them in
    -- (a transition table is read in that order): sorting a bulk load by key
    -- would cost more than capturing it. An update pairs old and new images
    -- by key, so its order is fixed by sorting. Key and images are canonical
    -- text (docs/audit-format.md §2), case_id and asset_id the lookup
    -- columns (§3).
    IF TG_OP = 'INSERT' THEN
        INSERT INTO arcs_audit.pending (%s)
        SELECT x, %L, 'insert', (%s)::json, NULL, (%s)::json, u, a, t, true, %s, %s
          FROM new_rows n;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO arcs_audit.pending (%s)
        SELECT x, %L, 'delete', (%s)::json, (%s)::json, NULL, u, a, t, true, %s, %s
          FROM old_rows o;
    ELSE
        -- a row whose key changed is a delete of the old key and an insert
        -- of the new one; the lookup columns come from the new image when
        -- there is one
        INSERT INTO arcs_audit.pending (%s)
        SELECT x, %L, CASE WHEN so.k IS NULL THEN 'insert' WHEN sn.k IS NULL THEN 'delete'
                           ELSE 'update' END,
               coalesce(sn.k, so.k)::json, so.v::json, sn.v::json, u, a, t, true,
               CASE WHEN sn.k IS NULL THEN so.c ELSE sn.c END,
               CASE WHEN sn.k IS NULL THEN so.s ELSE sn.s END
        FROM (SELECT %s AS k, %s AS v, %s AS c, %s AS s FROM old_rows o) so
        FULL JOIN (SELECT %s AS k, %s AS v, %s AS c, %s AS s FROM new_rows n) sn ON so.k = sn.k
        ORDER BY coalesce(sn.k, so.k), so.k NULLS FIRST;
    END IF;
    RETURN NULL;
END $body$;
$f$, fname, cols, tname, kn, vn, cn, an, cols, tname, ko, vo, co, ao,
     cols, tname, ko, vo, co, ao, kn, vn, cn, an);
    EXECUTE format('CREATE OR REPLACE TRIGGER arcs_audit_ins AFTER INSERT ON %s'
                   ' REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT'
                   ' EXECUTE FUNCTION arcs_audit.%I()', rel, fname);
    EXECUTE format('CREATE OR REPLACE TRIGGER arcs_audit_upd AFTER UPDATE ON %s'
                   ' REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows'
                   ' FOR EACH STATEMENT EXECUTE FUNCTION arcs_audit.%I()', rel, fname);
    EXECUTE format('CREATE OR REPLACE TRIGGER arcs_audit_del AFTER DELETE ON %s'
                   ' REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT'
                   ' EXECUTE FUNCTION arcs_audit.%I()', rel, fname);
    EXECUTE format('CREATE OR REPLACE TRIGGER arcs_audit_truncate BEFORE TRUNCATE ON %s'
                   ' FOR EACH STATEMENT EXECUTE FUNCTION arcs_audit.refuse_truncate()', rel);
    EXECUTE format('ALTER TABLE %s ENABLE ALWAYS TRIGGER arcs_audit_ins,'
                   ' ENABLE ALWAYS TRIGGER arcs_audit_upd,'
                   ' ENABLE ALWAYS TRIGGER arcs_audit_del,'
                   ' ENABLE ALWAYS TRIGGER arcs_audit_truncate', rel);
    IF first THEN
        EXECUTE format('INSERT INTO arcs_audit.pending (%s)'
                       ' SELECT txid_current(), %L, ''insert'', s.k::json, NULL, s.v::json, session_user,'
                       ' coalesce(nullif(current_setting(''arcs.actor'', true), ''''), session_user),'
                       ' statement_timestamp(), true, s.c, s.s'
                       ' FROM (SELECT %s AS k, %s AS v, %s AS c, %s AS s FROM %s n) s ORDER BY s.k',
                       cols, tname, kn, vn, cn, an, rel);
    END IF;
END $$;

-- Capture that needs attaching: as 0011, for the canonical expressions.
CREATE OR REPLACE FUNCTION arcs_audit.needs_attach(rel regclass) RETURNS boolean
LANGUAGE plpgsql STABLE SET search_path = pg_catalog AS $$
DECLARE
    src text;
    fn oid;
BEGIN
    IF EXISTS (SELECT 1 FROM arcs_audit.uncaptured u WHERE u.table_name = rel::text) THEN
        RETURN true;
    END IF;
    SELECT p.oid, p.prosrc INTO fn, src FROM pg_proc p
     WHERE p.pronamespace = 'arcs_audit'::regnamespace
       AND p.proname = left('cap_' || (SELECT c.relname FROM pg_class c WHERE c.oid = rel), 63)
       AND p.pronargs = 0;
    RETURN src IS NULL
        OR strpos(src, format('%L', rel::text)) = 0
        OR strpos(src, arcs_audit.canon_object_expr(rel, 'n', true)) = 0
        OR strpos(src, arcs_audit.canon_object_expr(rel, 'n', false)) = 0
        OR strpos(src, arcs_audit.canon_object_expr(rel, 'o', false)) = 0
        OR strpos(src, arcs_audit.canon_lookup_expr(rel, 'n', 'case_id', 'arcs.cases')) = 0
        OR strpos(src, arcs_audit.canon_lookup_expr(rel, 'n', 'asset_id', 'arcs.assets')) = 0
        OR EXISTS (SELECT 1 FROM pg_trigger t
                    WHERE t.tgrelid = rel AND t.tgname IN ('arcs_audit_ins', 'arcs_audit_upd',
                                                          'arcs_audit_del')
                      AND t.tgfoid <> fn);
END $$;

-- The lookup column col of a change captured in the old json form (k, nw,
-- o its key and images parsed), by the rule of 0011 (docs/audit-format.md
-- §3): in table own the key's id, else the member col of the new image when
-- it is an object, else of the old one; its text when it is a string with
-- no escaped character, else NULL.
CREATE FUNCTION arcs_audit.json_lookup(t text, k jsonb, nw jsonb, o jsonb, col text, own text)
RETURNS text LANGUAGE sql IMMUTABLE SET search_path = pg_catalog AS $$
    SELECT CASE WHEN jsonb_typeof(s.v) = 'string' AND strpos(s.v::text, '\') = 0
                THEN s.v #>> '{}' END
      FROM (SELECT CASE WHEN t = own THEN k -> 'id'
                        WHEN jsonb_typeof(nw) = 'object' THEN nw -> col
                        WHEN jsonb_typeof(o) = 'object' THEN o -> col END AS v) s
$$;

CREATE OR REPLACE FUNCTION arcs_audit.append(p_ids bigint[], p_lens int[], p_blob bytea)
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog
-- a custom plan would copy the batch's megabytes into the plan as constants
SET plan_cache_mode = force_generic_plan AS $$
DECLARE
    n int := coalesce(cardinality(p_ids), 0);
    first bigint;
    fr bytea;
    k bigint;
    lvl bytea; -- the nodes of one level, 32 bytes each, in index order
    cnt bigint;
    old_size bigint;
    new_size bigint;
    new_fr bytea;
    top bytea[] := '{}'; -- per level: the node that ends the new tree's level
    nbits int;
    node bytea;
BEGIN
    IF NOT (pg_has_role(session_user, 'arcs_analyst', 'MEMBER')
            OR pg_has_role(session_user, 'arcs_admin', 'MEMBER')) THEN
        RAISE EXCEPTION 'audit append: % may not seal the audit log', session_user
            USING ERRCODE = 'insufficient_privilege',
                  HINT = 'seal as an analyst, supervisor or admin login';
    END IF;
    -- the sealers' lock (taken again if the caller holds it already)
    PERFORM pg_advisory_xact_lock(7243010003);
    IF n = 0 THEN
        RETURN 0;
    END IF;
    SELECT t.size, t.frontier INTO first, fr FROM arcs_audit.tree_state t WHERE t.one;
    -- the stored tree state must be the log's: its size the number of
    -- entries, its root the stored head of that size
    IF first IS NULL OR length(fr) <> 8 + 32 * length(replace(first::bit(64)::text, '0', ''))
       OR ('x' || encode(substring(fr FROM 1 FOR 8), 'hex'))::bit(64)::bigint <> first
       OR (SELECT coalesce(max(e.seq) + 1, 0) FROM arcs_audit.entries e) <> first
       OR (first > 0 AND (SELECT h.root FROM arcs_audit.tree_heads h WHERE h.size = first)
                         IS DISTINCT FROM arcs_audit.frontier_root(fr)) THEN
        RAISE EXCEPTION 'audit append: arcs_audit.tree_state does not match the log''s entries and tree heads'
            USING ERRCODE = 'data_corrupted',
                  HINT = 'run arcs audit verify: the tree state or the heads were changed outside arcs';
    END IF;
    IF coalesce(cardinality(p_lens), -1) <> n
       OR (SELECT sum(l) FROM unnest(p_lens) l) IS DISTINCT FROM length(p_blob)::bigint
       OR EXISTS (SELECT 1 FROM unnest(p_lens) l WHERE l IS NULL OR l < 2) THEN
        RAISE EXCEPTION 'audit append: % entries, but their lengths do not add up to the bytes given', n
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    -- One pass over the arrays (unnest, not subscripts: reading element i
    -- of an array of varlena walks the elements before it), and one over
    -- pending: each change whose entry is right is deleted from pending and
    -- its entry appended, in the same statement.
    WITH x AS (
        SELECT v.i, v.pid, substring(p_blob FROM (v.off - v.len + 1)::int FOR v.len) AS e
          FROM (SELECT w.*, sum(w.len) OVER (ORDER BY w.i) AS off
                  FROM unnest(p_ids, p_lens) WITH ORDINALITY AS w(pid, len, i)) v),
    d AS (
        DELETE FROM arcs_audit.pending p USING x
         WHERE p.id = x.pid
           -- the whole entry is the captured change at its place in the
           -- log, byte for byte in canonical form: key and images as
           -- captured (canonical text since 0013; an older capture's json
           -- put in canonical form), the other members as canonical form
           -- writes the captured values
           AND x.e = convert_to('{"actor":' || to_json(p.actor)::text
                   || ',"db_user":' || to_json(p.db_user)::text
                   || ',"key":' || CASE WHEN p.canonical THEN p.key::text
                                        ELSE arcs_audit.canonical_text(p.key::jsonb) END
                   || ',"new":' || coalesce(CASE WHEN p.canonical THEN p.new_row::text
                                   ELSE arcs_audit.canonical_text(p.new_row::jsonb) END, 'null')
                   || ',"old":' || coalesce(CASE WHEN p.canonical THEN p.old_row::text
                                   ELSE arcs_audit.canonical_text(p.old_row::jsonb) END, 'null')
                   || ',"op":' || to_json(p.op)::text
                   || ',"seq":"' || (first + x.i - 1)::text
                   || '","table":' || to_json(p.table_name)::text
                   || ',"time":"'
                   || to_char(p.captured_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
                   || '","txid":"' || p.txid::text || '"}', 'UTF8')
        RETURNING x.i, x.e, p.table_name,
                  CASE WHEN p.canonical THEN p.key::text
                       ELSE arcs_audit.canonical_text(p.key::jsonb) END AS row_key,
                  CASE WHEN p.canonical THEN p.case_id
                       ELSE arcs_audit.json_lookup(p.table_name, p.key::jsonb, p.new_row::jsonb,
                                                   p.old_row::jsonb, 'case_id', 'arcs.cases') END
                      AS case_id,
                  CASE WHEN p.canonical THEN p.asset_id
                       ELSE arcs_audit.json_lookup(p.table_name, p.key::jsonb, p.new_row::jsonb,
                                                   p.old_row::jsonb, 'asset_id', 'arcs.assets') END
                      AS asset_id),
    ins AS (
        INSERT INTO arcs_audit.entries (seq, entry, leaf_hash, table_name, row_key, case_id,
                                        asset_id)
        SELECT first + d.i - 1, d.e, sha256('\x00'::bytea || d.e), d.table_name, d.row_key,
               d.case_id, d.asset_id
          FROM d -- in any order: each row carries its seq, the tree sorts by it
        RETURNING seq, leaf_hash)
    SELECT count(*), string_agg(ins.leaf_hash, ''::bytea ORDER BY ins.seq) INTO k, lvl FROM ins;
    IF k <> n AND (SELECT count(DISTINCT i) FROM unnest(p_ids) i) <> n THEN
        -- a change given twice is deleted, and appended, once
        RAISE EXCEPTION 'audit append: a captured change was sealed twice'
            USING ERRCODE = 'check_violation';
    END IF;
    IF k <> n THEN
        RAISE EXCEPTION 'audit append: % of % entries are not their captured change', n - k, n
            USING ERRCODE = 'check_violation',
                  HINT = 'seal with arcs audit seal, which writes each captured change as it was captured';
    END IF;

    -- The tree, level by level, as in 0011.
    old_size := first;
    new_size := first + n;
    nbits := 64 - position('1' IN new_size::bit(64)::text) + 1;
    FOR lev IN 0 .. nbits - 1 LOOP
        IF (old_size >> lev) & 1 = 1 THEN
            node := substring(fr FROM 8 + 32 * length(replace(
                        (old_size >> (lev + 1))::bit(64)::text, '0', '')) + 1 FOR 32);
            lvl := node || coalesce(lvl, ''::bytea);
        END IF;
        cnt := coalesce(length(lvl), 0) / 32;
        IF (new_size >> lev) & 1 = 1 THEN
            top := substring(lvl FROM 32 * (cnt - 1)::int + 1 FOR 32) || top;
        END IF;
        SELECT string_agg(sha256('\x01'::bytea || substring(lvl FROM (64 * g + 1)::int FOR 64)),
                          ''::bytea ORDER BY g)
          INTO lvl FROM generate_series(0, cnt / 2 - 1) g;
    END LOOP;
    new_fr := decode(lpad(to_hex(new_size), 16, '0'), 'hex');
    FOR lev IN 1 .. cardinality(top) LOOP
        new_fr := new_fr || top[lev];
    END LOOP;
    INSERT INTO arcs_audit.tree_heads (size, root)
        VALUES (new_size, arcs_audit.frontier_root(new_fr));
    UPDATE arcs_audit.tree_state SET size = new_size, frontier = new_fr WHERE one;
    RETURN n;
END $$;

REVOKE ALL ON FUNCTION arcs_audit.append(bigint[], int[], bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION arcs_audit.append(bigint[], int[], bytea) TO arcs_analyst, arcs_admin;

-- Capture in the canonical form from now on (arcs db init runs
-- arcs_audit.attach_all() again after the migrations; doing it here too
-- leaves no window in which the old capture functions write the old form).
SELECT arcs_audit.attach_all();

-- The generators and the old-form lookup are for the owner's capture and
-- append alone.
REVOKE ALL ON FUNCTION arcs_audit.canon_column(regclass, name, oid, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION arcs_audit.canon_json("char", text) FROM PUBLIC;
REVOKE ALL ON FUNCTION arcs_audit.canon_object_expr(regclass, text, boolean) FROM PUBLIC;
REVOKE ALL ON FUNCTION arcs_audit.canon_lookup_expr(regclass, text, name, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION arcs_audit.json_lookup(text, jsonb, jsonb, jsonb, text, text) FROM PUBLIC;
