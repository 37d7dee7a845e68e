-- 0005: cheaper capture. Row images and keys are built as json text
-- (json_build_object over text values) instead of jsonb: no binary
-- conversion, no to_jsonb call per column. The values are exactly those of
-- 0003 (the same text for every type), so the canonical entry bytes that
-- seal writes do not change; only the spacing and member order of the
-- pending rows do, and seal and verify canonicalize what they read.
--
-- Measured on 100,000 asset rows: building the images took 1.0 s as jsonb
-- and 0.6 s as json (bench/README.md has the import figures).

ALTER TABLE arcs_audit.pending
    ALTER COLUMN key TYPE json USING key::json,
    ALTER COLUMN old_row TYPE json USING old_row::json,
    ALTER COLUMN new_row TYPE json USING new_row::json;

-- The value expression of one column of alias al, by type, as text (or
-- boolean, text[] or jsonb, which json_build_object writes as JSON true/false,
-- an array of strings, or the nested value). Catalog names only, quoted with
-- %I: never input.
CREATE OR REPLACE FUNCTION arcs_audit.column_expr(rel regclass, att name, typ oid, al text)
RETURNS text LANGUAGE plpgsql STABLE SET search_path = pg_catalog AS $$
DECLARE
    c text := format('%I.%I', al, att);
    base oid := typ;
    cat "char";
    elem oid;
    tname text;
BEGIN
    -- a domain is written as its base type
    LOOP
        SELECT t.typbasetype INTO elem FROM pg_type t WHERE t.oid = base;
        EXIT WHEN elem IS NULL OR elem = 0;
        base := elem;
    END LOOP;
    SELECT t.typcategory, t.typelem, t.typname INTO cat, elem, tname
        FROM pg_type t WHERE t.oid = base;
    IF EXISTS (SELECT 1 FROM arcs_audit.sensitive_columns s
               WHERE s.table_name = rel::text AND s.column_name = att) THEN
        RETURN format('CASE WHEN %s IS NULL THEN NULL ELSE ''sha256:'' || '
                      'encode(sha256(convert_to(%s::text, ''UTF8'')), ''hex'') END', c, c);
    END IF;
    IF base = 'boolean'::regtype THEN
        RETURN format('%s::boolean', c);
    ELSIF base = 'date'::regtype THEN
        RETURN format('to_char(%s, ''YYYY-MM-DD'')', c);
    ELSIF base = 'timestamptz'::regtype THEN
        RETURN format('to_char(%s AT TIME ZONE ''UTC'', '
                      '''YYYY-MM-DD"T"HH24:MI:SS.US"Z"'')', c);
    ELSIF base = 'timestamp'::regtype THEN
        RETURN format('to_char(%s, ''YYYY-MM-DD"T"HH24:MI:SS.US'')', c);
    ELSIF base = 'bytea'::regtype THEN
        RETURN format('''\x'' || encode(%s, ''hex'')', c);
    ELSIF base IN ('jsonb'::regtype, 'json'::regtype) THEN
        RETURN format('arcs_audit.json_strings(%s::jsonb)', c);
    ELSIF cat = 'A' THEN
        -- element text under the pinned DateStyle; nested arrays stay nested
        RETURN format('%s::text[]', c);
    ELSE
        -- text, numbers (exact text), uuid, enums, intervals (iso_8601) ...
        RETURN format('%s::text', c);
    END IF;
END $$;

-- json_build_object of the given columns (or all). A function takes at most
-- 100 arguments: a table of more than 50 columns is built in chunks joined
-- as jsonb, then turned back into json.
CREATE OR REPLACE FUNCTION arcs_audit.object_expr(rel regclass, al text, key_only boolean)
RETURNS text LANGUAGE plpgsql STABLE SET search_path = pg_catalog AS $$
DECLARE
    parts text[] := '{}';
    args text[] := '{}';
    r record;
    pk int2[];
BEGIN
    SELECT i.indkey::int2[] INTO pk FROM pg_index i
        WHERE i.indrelid = rel AND i.indisprimary;
    FOR r IN SELECT a.attname, a.atttypid, a.attnum FROM pg_attribute a
             WHERE a.attrelid = rel AND a.attnum > 0 AND NOT a.attisdropped
               AND (NOT key_only OR pk IS NULL OR a.attnum = ANY (pk))
             ORDER BY a.attnum LOOP
        args := args || format('%L::text, %s', r.attname,
                               arcs_audit.column_expr(rel, r.attname, r.atttypid, al));
        IF cardinality(args) = 50 THEN
            parts := parts || ('json_build_object(' || array_to_string(args, ', ') || ')');
            args := '{}';
        END IF;
    END LOOP;
    IF cardinality(args) > 0 OR cardinality(parts) = 0 THEN
        parts := parts || ('json_build_object(' || array_to_string(args, ', ') || ')');
    END IF;
    IF cardinality(parts) = 1 THEN
        RETURN '(' || parts[1] || ')';
    END IF;
    RETURN '((' || array_to_string(parts, ')::jsonb || (') || ')::jsonb)::json';
END $$;

-- Attach capture to one table (idempotent), as in 0003, writing json. An
-- update pairs old and new images by the text of their keys (json has no
-- equality), and is ordered by it.
CREATE OR REPLACE FUNCTION arcs_audit.attach(rel regclass) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
DECLARE
    fname text := left('cap_' || (SELECT c.relname FROM pg_class c WHERE c.oid = rel), 63);
    tname text := rel::text;
    kn text := arcs_audit.object_expr(rel, 'n', true);
    vn text := arcs_audit.object_expr(rel, 'n', false);
    ko text := arcs_audit.object_expr(rel, 'o', true);
    vo text := arcs_audit.object_expr(rel, 'o', false);
    first boolean;
    cols text := 'txid, table_name, op, key, old_row, new_row, db_user, actor, captured_at';
BEGIN
    PERFORM pg_catalog.set_config('arcs_audit.attaching', 'on', true);
    first := NOT EXISTS (SELECT 1 FROM pg_trigger t
                         WHERE t.tgrelid = rel AND t.tgname = 'arcs_audit_ins');
    EXECUTE format($f$
CREATE OR REPLACE FUNCTION arcs_audit.%I() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog SET TimeZone = 'UTC' SET DateStyle = 'ISO, YMD'
SET IntervalStyle = 'iso_8601' SET extra_float_digits = 3
AS $body$
DECLARE
    u text := session_user;
    a text := coalesce(nullif(current_setting('arcs.actor', true), ''), session_user);
    x bigint := txid_current();
    t timestamptz := statement_timestamp();
BEGIN
    -- Inserted and deleted rows keep the order the statement wrote them in
    -- (a transition table is read in that order): sorting a bulk load by key
    -- would cost more than capturing it. An update pairs old and new images
    -- by key, so its order is fixed by sorting.
    IF TG_OP = 'INSERT' THEN
        INSERT INTO arcs_audit.pending (%s)
        SELECT x, %L, 'insert', %s, NULL, %s, u, a, t FROM new_rows n;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO arcs_audit.pending (%s)
        SELECT x, %L, 'delete', %s, %s, NULL, u, a, t FROM old_rows o;
    ELSE
        -- a row whose key changed is a delete of the old key and an insert
        -- of the new one
        INSERT INTO arcs_audit.pending (%s)
        SELECT x, %L, CASE WHEN so.k IS NULL THEN 'insert' WHEN sn.k IS NULL THEN 'delete'
                           ELSE 'update' END,
               coalesce(sn.kj, so.kj), so.v, sn.v, u, a, t
        FROM (SELECT s.kj::text AS k, s.kj, s.v
              FROM (SELECT %s AS kj, %s AS v FROM old_rows o) s) so
        FULL JOIN (SELECT s.kj::text AS k, s.kj, s.v
                   FROM (SELECT %s AS kj, %s AS v FROM new_rows n) s) sn ON so.k = sn.k
        ORDER BY coalesce(sn.k, so.k), so.k NULLS FIRST;
    END IF;
    RETURN NULL;
END $body$;
$f$, fname, cols, tname, kn, vn, cols, tname, ko, vo, cols, tname, ko, vo, kn, vn);
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
                       ' SELECT txid_current(), %L, ''insert'', s.k, NULL, s.v, session_user,'
                       ' coalesce(nullif(current_setting(''arcs.actor'', true), ''''), session_user),'
                       ' statement_timestamp()'
                       ' FROM (SELECT %s AS k, %s AS v FROM %s n) s ORDER BY s.k::text',
                       cols, tname, kn, vn, rel);
    END IF;
    PERFORM pg_catalog.set_config('arcs_audit.attaching', '', true);
END $$;

-- arcs db init runs arcs_audit.attach_all() after the migrations, which
-- regenerates every capture function in this form.
