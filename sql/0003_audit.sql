-- 0003: the tamper-evident audit log (SPEC §4, docs/audit-format.md).
--
-- Capture: every table of schema arcs gets statement-level AFTER triggers
-- with transition tables, ENABLE ALWAYS, and TRUNCATE is refused. The
-- triggers write one row per changed row into arcs_audit.pending, already
-- converted to JSON without numbers and with normalized times, so the bytes
-- never depend on the session's TimeZone, DateStyle, locale or float digits.
-- Sealing (C, core/src/audit/seal.c) turns pending rows into numbered,
-- hashed entries under an advisory lock.
--
-- Everything here lives outside schema arcs, which is captured whole.
CREATE SCHEMA IF NOT EXISTS arcs_audit;

CREATE TABLE arcs_audit.pending (
    id bigserial PRIMARY KEY,
    txid bigint NOT NULL,
    table_name text NOT NULL,
    op text NOT NULL CHECK (op IN ('insert', 'update', 'delete')),
    key jsonb NOT NULL,
    old_row jsonb,
    new_row jsonb,
    db_user text NOT NULL,
    actor text NOT NULL,
    captured_at timestamptz NOT NULL
);

-- entry holds the canonical bytes that were hashed; everything else in the
-- row is a convenience for lookups and is never trusted by verify.
CREATE TABLE arcs_audit.entries (
    seq bigint PRIMARY KEY CHECK (seq >= 0),
    entry bytea NOT NULL,
    leaf_hash bytea NOT NULL CHECK (length(leaf_hash) = 32),
    table_name text NOT NULL,
    row_key text NOT NULL,
    case_id text,
    asset_id text,
    sealed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ON arcs_audit.entries (table_name, row_key);
CREATE INDEX ON arcs_audit.entries (case_id) WHERE case_id IS NOT NULL;
CREATE INDEX ON arcs_audit.entries (asset_id) WHERE asset_id IS NOT NULL;

-- One row per seal: the tree head after it.
CREATE TABLE arcs_audit.tree_heads (
    size bigint PRIMARY KEY CHECK (size >= 0),
    root bytea NOT NULL CHECK (length(root) = 32),
    sealed_at timestamptz NOT NULL DEFAULT now()
);

-- The right edge of the tree, so a seal costs O(new + log n).
CREATE TABLE arcs_audit.tree_state (
    one boolean PRIMARY KEY DEFAULT true CHECK (one),
    size bigint NOT NULL CHECK (size >= 0),
    frontier bytea NOT NULL
);
-- size 0, no hashes: 8 zero bytes (merkle.h frontier serialization).
INSERT INTO arcs_audit.tree_state (one, size, frontier)
VALUES (true, 0, '\x0000000000000000'::bytea);

CREATE TABLE arcs_audit.checkpoints (
    id bigserial PRIMARY KEY,
    size bigint NOT NULL CHECK (size >= 0),
    root bytea NOT NULL CHECK (length(root) = 32),
    note text NOT NULL,
    signer text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ON arcs_audit.checkpoints (size);

-- Columns captured as a digest, never in clear (SPEC §1: identity numbers are
-- kept out of logs).
CREATE TABLE arcs_audit.sensitive_columns (
    table_name text NOT NULL,
    column_name text NOT NULL,
    PRIMARY KEY (table_name, column_name)
);
INSERT INTO arcs_audit.sensitive_columns VALUES ('arcs.subjects', 'id_number');

-- The log is append-only for everyone: only a superuser who disables these
-- triggers can change it, and verify finds what they did.
CREATE FUNCTION arcs_audit.refuse_change() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
BEGIN
    RAISE EXCEPTION '% of %.% refused: the audit log is append-only',
        TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME
        USING ERRCODE = 'check_violation';
END $$;

CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON arcs_audit.entries
    FOR EACH ROW EXECUTE FUNCTION arcs_audit.refuse_change();
CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON arcs_audit.tree_heads
    FOR EACH ROW EXECUTE FUNCTION arcs_audit.refuse_change();
CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON arcs_audit.checkpoints
    FOR EACH ROW EXECUTE FUNCTION arcs_audit.refuse_change();
CREATE TRIGGER no_truncate BEFORE TRUNCATE ON arcs_audit.entries
    FOR EACH STATEMENT EXECUTE FUNCTION arcs_audit.refuse_change();
CREATE TRIGGER no_truncate BEFORE TRUNCATE ON arcs_audit.tree_heads
    FOR EACH STATEMENT EXECUTE FUNCTION arcs_audit.refuse_change();
CREATE TRIGGER no_truncate BEFORE TRUNCATE ON arcs_audit.checkpoints
    FOR EACH STATEMENT EXECUTE FUNCTION arcs_audit.refuse_change();
CREATE TRIGGER no_truncate BEFORE TRUNCATE ON arcs_audit.pending
    FOR EACH STATEMENT EXECUTE FUNCTION arcs_audit.refuse_change();
ALTER TABLE arcs_audit.entries ENABLE ALWAYS TRIGGER append_only;
ALTER TABLE arcs_audit.tree_heads ENABLE ALWAYS TRIGGER append_only;
ALTER TABLE arcs_audit.checkpoints ENABLE ALWAYS TRIGGER append_only;
ALTER TABLE arcs_audit.entries ENABLE ALWAYS TRIGGER no_truncate;
ALTER TABLE arcs_audit.tree_heads ENABLE ALWAYS TRIGGER no_truncate;
ALTER TABLE arcs_audit.checkpoints ENABLE ALWAYS TRIGGER no_truncate;
ALTER TABLE arcs_audit.pending ENABLE ALWAYS TRIGGER no_truncate;

-- jsonb with every number turned into its text, recursively: captured JSON
-- holds no JSON numbers.
CREATE FUNCTION arcs_audit.json_strings(v jsonb) RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog AS $$
DECLARE
    r jsonb;
BEGIN
    CASE jsonb_typeof(v)
    WHEN 'number' THEN
        RETURN to_jsonb(v #>> '{}');
    WHEN 'object' THEN
        SELECT coalesce(jsonb_object_agg(e.key, arcs_audit.json_strings(e.value)), '{}'::jsonb)
            INTO r FROM jsonb_each(v) e;
        RETURN r;
    WHEN 'array' THEN
        SELECT coalesce(jsonb_agg(arcs_audit.json_strings(e.value) ORDER BY e.n), '[]'::jsonb)
            INTO r FROM jsonb_array_elements(v) WITH ORDINALITY e(value, n);
        RETURN r;
    ELSE
        RETURN v;
    END CASE;
END $$;

-- The JSON value expression of one column of alias al, by type. Catalog
-- names only, quoted with %I: never input.
CREATE FUNCTION arcs_audit.column_expr(rel regclass, att name, typ oid, al text)
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
        RETURN format('CASE WHEN %s IS NULL THEN NULL ELSE to_jsonb(''sha256:'' || '
                      'encode(sha256(convert_to(%s::text, ''UTF8'')), ''hex'')) END', c, c);
    END IF;
    IF base = 'boolean'::regtype THEN
        RETURN format('to_jsonb(%s)', c);
    ELSIF base = 'date'::regtype THEN
        RETURN format('to_jsonb(to_char(%s, ''YYYY-MM-DD''))', c);
    ELSIF base = 'timestamptz'::regtype THEN
        RETURN format('to_jsonb(to_char(%s AT TIME ZONE ''UTC'', '
                      '''YYYY-MM-DD"T"HH24:MI:SS.US"Z"''))', c);
    ELSIF base = 'timestamp'::regtype THEN
        RETURN format('to_jsonb(to_char(%s, ''YYYY-MM-DD"T"HH24:MI:SS.US''))', c);
    ELSIF base = 'bytea'::regtype THEN
        RETURN format('to_jsonb(''\x'' || encode(%s, ''hex''))', c);
    ELSIF base IN ('jsonb'::regtype, 'json'::regtype) THEN
        RETURN format('arcs_audit.json_strings(%s::jsonb)', c);
    ELSIF cat = 'A' THEN
        -- element text under the pinned DateStyle; nested arrays stay nested
        RETURN format('to_jsonb(%s::text[])', c);
    ELSE
        -- text, numbers (exact text), uuid, enums, intervals (iso_8601) ...
        RETURN format('to_jsonb(%s::text)', c);
    END IF;
END $$;

-- jsonb_build_object of the given columns (or all), in chunks because a
-- function takes at most 100 arguments.
CREATE FUNCTION arcs_audit.object_expr(rel regclass, al text, key_only boolean)
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
        args := args || format('%L, %s', r.attname,
                               arcs_audit.column_expr(rel, r.attname, r.atttypid, al));
        IF cardinality(args) = 40 THEN
            parts := parts || ('jsonb_build_object(' || array_to_string(args, ', ') || ')');
            args := '{}';
        END IF;
    END LOOP;
    IF cardinality(args) > 0 OR cardinality(parts) = 0 THEN
        parts := parts || ('jsonb_build_object(' || array_to_string(args, ', ') || ')');
    END IF;
    RETURN '(' || array_to_string(parts, ' || ') || ')';
END $$;

-- Attach capture to one table (idempotent): regenerate its capture function
-- (columns may have changed), (re)create the triggers ENABLE ALWAYS. The
-- first time, rows already there (seeded by a migration before capture
-- existed) are captured as inserts, so the log accounts for every row.
CREATE FUNCTION arcs_audit.attach(rel regclass) RETURNS void
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
        SELECT x, %L, 'insert', s.k, NULL, s.v, u, a, t
        FROM (SELECT %s AS k, %s AS v FROM new_rows n) s;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO arcs_audit.pending (%s)
        SELECT x, %L, 'delete', s.k, s.v, NULL, u, a, t
        FROM (SELECT %s AS k, %s AS v FROM old_rows o) s;
    ELSE
        -- a row whose key changed is a delete of the old key and an insert
        -- of the new one
        INSERT INTO arcs_audit.pending (%s)
        SELECT x, %L, CASE WHEN so.k IS NULL THEN 'insert' WHEN sn.k IS NULL THEN 'delete'
                           ELSE 'update' END,
               coalesce(sn.k, so.k), so.v, sn.v, u, a, t
        FROM (SELECT %s AS k, %s AS v FROM old_rows o) so
        FULL JOIN (SELECT %s AS k, %s AS v FROM new_rows n) sn ON so.k = sn.k
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
                       ' FROM (SELECT %s AS k, %s AS v FROM %s n) s ORDER BY s.k',
                       cols, tname, kn, vn, rel);
    END IF;
    PERFORM pg_catalog.set_config('arcs_audit.attaching', '', true);
END $$;

CREATE FUNCTION arcs_audit.refuse_truncate() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
BEGIN
    RAISE EXCEPTION 'TRUNCATE of %.% refused: every change is audited',
        TG_TABLE_SCHEMA, TG_TABLE_NAME
        USING ERRCODE = 'check_violation', HINT = 'delete the rows instead';
END $$;

-- Capture every table of schema arcs. Called by arcs db init after every
-- migration run, and by the event trigger below when a table is created or
-- altered.
CREATE FUNCTION arcs_audit.attach_all() RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
DECLARE
    r record;
BEGIN
    FOR r IN SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = 'arcs' AND c.relkind = 'r' ORDER BY c.relname LOOP
        PERFORM arcs_audit.attach(r.oid::regclass);
    END LOOP;
END $$;

-- The current rows of a captured table as (key, image) jsonb text, converted
-- exactly as capture converts them: verify compares them with the log.
CREATE FUNCTION arcs_audit.snapshot(rel regclass)
RETURNS TABLE (key text, image text)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog SET TimeZone = 'UTC' SET DateStyle = 'ISO, YMD'
SET IntervalStyle = 'iso_8601' SET extra_float_digits = 3
AS $$
BEGIN
    RETURN QUERY EXECUTE format('SELECT (%s)::text, (%s)::text FROM %s n',
        arcs_audit.object_expr(rel, 'n', true), arcs_audit.object_expr(rel, 'n', false), rel);
END $$;

-- The same images for verify, streamed: opens the cursor arcs_audit_rows over
-- the image text of every row (RETURN QUERY above materializes the whole
-- table first), to be read with FETCH in the caller's transaction. The key
-- is not built twice: it is the image's members named by key_columns(). The
-- cursor runs under the caller's TimeZone, DateStyle, IntervalStyle and
-- extra_float_digits, so the caller pins them as capture does (every arcs
-- connection does).
CREATE FUNCTION arcs_audit.snapshot_open(rel regclass) RETURNS refcursor
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
DECLARE
    c refcursor := 'arcs_audit_rows';
BEGIN
    OPEN c NO SCROLL FOR EXECUTE format('SELECT (%s)::text FROM %s n',
        arcs_audit.object_expr(rel, 'n', false), rel);
    RETURN c;
END $$;

-- The columns capture puts in a row's key: the primary key, else all.
CREATE FUNCTION arcs_audit.key_columns(rel regclass) RETURNS SETOF text
LANGUAGE sql STABLE SET search_path = pg_catalog AS $$
    SELECT a.attname::text FROM pg_attribute a
    LEFT JOIN pg_index i ON i.indrelid = rel AND i.indisprimary
    WHERE a.attrelid = rel AND a.attnum > 0 AND NOT a.attisdropped
      AND (i.indkey IS NULL OR a.attnum = ANY (i.indkey::int2[]))
    ORDER BY a.attnum
$$;

-- Tables of schema arcs lacking capture, or whose capture is not ENABLE
-- ALWAYS: empty when all is well (tests and verify use it).
CREATE VIEW arcs_audit.uncaptured AS
SELECT c.oid::regclass::text AS table_name, w.tgname AS trigger_name
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
CROSS JOIN (VALUES ('arcs_audit_ins'), ('arcs_audit_upd'), ('arcs_audit_del'),
                   ('arcs_audit_truncate')) w(tgname)
WHERE n.nspname = 'arcs' AND c.relkind = 'r'
  AND NOT EXISTS (SELECT 1 FROM pg_trigger t
                  WHERE t.tgrelid = c.oid AND t.tgname = w.tgname AND t.tgenabled = 'A');

-- New and altered tables of schema arcs are captured at once. Event triggers
-- need a superuser: without one, arcs db init attaches them on its next run.
CREATE FUNCTION arcs_audit.on_ddl() RETURNS event_trigger
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
BEGIN
    IF coalesce(current_setting('arcs_audit.attaching', true), '') = 'on' THEN
        RETURN;
    END IF;
    IF EXISTS (SELECT 1 FROM pg_event_trigger_ddl_commands() d
               WHERE d.schema_name = 'arcs' AND d.object_type = 'table') THEN
        PERFORM arcs_audit.attach_all();
    END IF;
END $$;

DO $$
BEGIN
    IF (SELECT r.rolsuper FROM pg_roles r WHERE r.rolname = current_user) THEN
        CREATE EVENT TRIGGER arcs_audit_ddl ON ddl_command_end
            WHEN TAG IN ('CREATE TABLE', 'CREATE TABLE AS', 'SELECT INTO', 'ALTER TABLE')
            EXECUTE FUNCTION arcs_audit.on_ddl();
    END IF;
END $$;

-- Privileges. Capture functions are SECURITY DEFINER: writers need no right
-- on pending to be captured. Sealing runs in the writer's own session at the
-- end of every write command, so writer roles may read pending, delete what
-- they seal, and append entries and tree heads (never update or delete them:
-- the triggers above refuse). The trade-off: a writer could append a forged
-- entry or drop a pending row; verify catches both, because the business
-- tables must equal what replaying the log gives.
GRANT USAGE ON SCHEMA arcs_audit TO arcs_analyst, arcs_supervisor, arcs_auditor, arcs_admin;
GRANT SELECT ON ALL TABLES IN SCHEMA arcs_audit
    TO arcs_analyst, arcs_supervisor, arcs_auditor, arcs_admin;
GRANT DELETE ON arcs_audit.pending TO arcs_analyst, arcs_admin;
GRANT INSERT ON arcs_audit.entries, arcs_audit.tree_heads TO arcs_analyst, arcs_admin;
GRANT UPDATE ON arcs_audit.tree_state TO arcs_analyst, arcs_admin;
GRANT INSERT ON arcs_audit.checkpoints TO arcs_admin;
GRANT USAGE ON SEQUENCE arcs_audit.checkpoints_id_seq TO arcs_admin;
