-- 0011: the database derives what it stores beside an entry, checks the
-- whole entry against its captured change, and keeps the tree itself.
--
-- Until now arcs_audit.append (0008) took from the client each entry's
-- row_key, case_id and asset_id, its leaf hash, and at the end of a seal the
-- new root and frontier; it compared only each entry's head and tail bytes
-- with the captured change. So a writer could seal an edit with case_id
-- NULL (hiding it from `arcs audit log --case` and the case report), store a
-- wrong root and frontier that every later seal built on, and seal other row
-- images than the captured ones for a row inserted and deleted in one
-- session (replay ends in the same state, so verify could not tell).
--
-- The new append takes only what the database cannot derive: the pending ids
-- and the entry bytes. For every entry it
--   - requires the whole entry to be the captured change: its head (actor,
--     db_user) and tail (op, seq, table, time, txid) byte for byte as
--     canonical form writes them, and between them exactly the members key,
--     new and old, equal as jsonb to the captured key and images. Whether
--     the bytes are in canonical form stays verify's job (a non-canonical
--     entry is a finding there);
--   - derives table_name, row_key, case_id and asset_id from the captured
--     change, by the rule of docs/audit-format.md §3 (the one the sealer
--     used in C until now);
--   - computes the leaf hash SHA-256(0x00 || entry);
-- then extends the stored frontier with the new leaves (by level, set-based)
-- and stores the tree head and the new frontier. Before building on the
-- stored frontier it checks that the frontier's root is the stored head of
-- the same size and that the log holds exactly that many entries.
--
-- Also: arcs_audit.on_ddl no longer trusts the setting arcs_audit.attaching
-- (anyone can SET it, and so run ALTER TABLE ... DISABLE TRIGGER or CREATE
-- TABLE in schema arcs with no re-attach). It now attaches only the tables
-- whose capture is missing, not ENABLE ALWAYS, or generated for other
-- columns; attach's own ALTER TABLE finds nothing left to do, and a nested
-- call stops by the call stack, so the recursion ends without any flag.

DROP FUNCTION arcs_audit.append(bigint, bigint[], int[], bytea, bytea, text[], text[],
    text[], bytea, bytea);

-- The canonical text (docs/audit-format.md §2) of a jsonb value: members
-- sorted by key in UTF-16 code unit order, no whitespace, strings escaped as
-- PostgreSQL's json output escapes them (which is the canonical escaping),
-- numbers as strings (capture writes none). Used for row_key.
CREATE FUNCTION arcs_audit.utf16_units(s text) RETURNS int[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog AS $$
    SELECT coalesce(array_agg(u ORDER BY o, w), '{}')
      FROM unnest(string_to_array(s, NULL)) WITH ORDINALITY AS c(ch, o)
     CROSS JOIN LATERAL (SELECT ascii(c.ch) AS cp) a
     CROSS JOIN LATERAL (VALUES
            (1, CASE WHEN a.cp < 65536 THEN a.cp ELSE 55296 + ((a.cp - 65536) >> 10) END),
            (2, CASE WHEN a.cp < 65536 THEN NULL ELSE 56320 + ((a.cp - 65536) & 1023) END)) v(w, u)
     WHERE v.u IS NOT NULL
$$;

CREATE FUNCTION arcs_audit.canonical_text(v jsonb) RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog AS $$
DECLARE
    r text;
BEGIN
    CASE jsonb_typeof(v)
    WHEN 'object' THEN
        -- below U+E000 the UTF-16 order is the order of the UTF-8 bytes
        SELECT '{' || coalesce(string_agg(to_jsonb(e.key)::text || ':'
                   || CASE jsonb_typeof(e.value)
                      WHEN 'object' THEN arcs_audit.canonical_text(e.value)
                      WHEN 'array' THEN arcs_audit.canonical_text(e.value)
                      WHEN 'number' THEN to_jsonb(e.value #>> '{}')::text
                      ELSE e.value::text END, ','
                   ORDER BY e.key COLLATE "C"), '') || '}'
          INTO r FROM jsonb_each(v) e;
        IF r ~ '[\uE000-\U0010FFFF]' AND EXISTS (
               SELECT 1 FROM jsonb_object_keys(v) k WHERE k ~ '[\uE000-\U0010FFFF]') THEN
            -- rare: a key beyond U+DFFF; sort all keys by their UTF-16 units
            SELECT '{' || string_agg(to_jsonb(e.key)::text || ':'
                       || arcs_audit.canonical_text(e.value), ','
                       ORDER BY arcs_audit.utf16_units(e.key)) || '}'
              INTO r FROM jsonb_each(v) e;
        END IF;
        RETURN r;
    WHEN 'array' THEN
        SELECT '[' || coalesce(string_agg(arcs_audit.canonical_text(e.value), ','
                   ORDER BY e.n), '') || ']'
          INTO r FROM jsonb_array_elements(v) WITH ORDINALITY e(value, n);
        RETURN r;
    WHEN 'number' THEN
        RETURN to_jsonb(v #>> '{}')::text;
    ELSE
        RETURN v::text; -- string, true, false, null
    END CASE;
END $$;

-- The root of a serialized frontier (merkle.h: 8 bytes of size, big-endian,
-- then the perfect subtrees' roots from the largest to the smallest).
CREATE FUNCTION arcs_audit.frontier_root(f bytea) RETURNS bytea
LANGUAGE plpgsql IMMUTABLE STRICT SET search_path = pg_catalog AS $$
DECLARE
    k int := (length(f) - 8) / 32;
    r bytea;
BEGIN
    IF k = 0 THEN
        RETURN sha256(''::bytea);
    END IF;
    r := substring(f FROM 8 + 32 * (k - 1) + 1 FOR 32);
    FOR i IN REVERSE k - 1 .. 1 LOOP
        r := sha256('\x01'::bytea || substring(f FROM 8 + 32 * (i - 1) + 1 FOR 32) || r);
    END LOOP;
    RETURN r;
END $$;

CREATE FUNCTION arcs_audit.append(p_ids bigint[], p_lens int[], p_blob bytea)
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
    -- one pass over the arrays (unnest, not subscripts: reading element i
    -- of an array of varlena walks the elements before it)
    WITH ins AS (
        INSERT INTO arcs_audit.entries (seq, entry, leaf_hash, table_name, row_key, case_id,
                                        asset_id)
        SELECT first + x.i - 1, x.e, sha256('\x00'::bytea || x.e), p.table_name,
               -- a key of one string member id (most tables) without the call
               CASE WHEN jsonb_typeof(j.k -> 'id') = 'string' AND j.k - 'id' = '{}'::jsonb
                    THEN '{"id":' || (j.k -> 'id')::text || '}'
                    ELSE arcs_audit.canonical_text(j.k) END,
               -- the lookup columns: docs/audit-format.md §3
               CASE WHEN jsonb_typeof(c.cid) = 'string' AND strpos(c.cid::text, '\') = 0
                    THEN c.cid #>> '{}' END,
               CASE WHEN jsonb_typeof(c.aid) = 'string' AND strpos(c.aid::text, '\') = 0
                    THEN c.aid #>> '{}' END
          FROM (SELECT v.i, v.pid, substring(p_blob FROM (v.off - v.len + 1)::int FOR v.len) AS e
                  FROM (SELECT w.*, sum(w.len) OVER (ORDER BY w.i) AS off
                          FROM unnest(p_ids, p_lens) WITH ORDINALITY AS w(pid, len, i)) v) x
          JOIN arcs_audit.pending p ON p.id = x.pid
          -- pending holds json text (0005); compared and read as jsonb.
          -- OFFSET 0 keeps each a subquery: built once a row, not at each
          -- place below that names it
          CROSS JOIN LATERAL (SELECT p.key::jsonb AS k, coalesce(p.old_row::jsonb, 'null') AS o,
                                     coalesce(p.new_row::jsonb, 'null') AS nw OFFSET 0) j
          CROSS JOIN LATERAL (SELECT
                  CASE WHEN p.table_name = 'arcs.cases' THEN j.k -> 'id'
                       WHEN jsonb_typeof(j.nw) = 'object' THEN j.nw -> 'case_id'
                       WHEN jsonb_typeof(j.o) = 'object' THEN j.o -> 'case_id' END AS cid,
                  CASE WHEN p.table_name = 'arcs.assets' THEN j.k -> 'id'
                       WHEN jsonb_typeof(j.nw) = 'object' THEN j.nw -> 'asset_id'
                       WHEN jsonb_typeof(j.o) = 'object' THEN j.o -> 'asset_id' END AS aid
              OFFSET 0) c
          -- the members that are plain strings, as the bytes they must be in
          -- canonical form: the entry's head (actor, db_user, the name of
          -- key) and tail (op, its own seq, table, time, txid)
          CROSS JOIN LATERAL (SELECT convert_to('{"actor":' || to_json(p.actor)::text
                  || ',"db_user":' || to_json(p.db_user)::text || ',"key":', 'UTF8') AS head,
              convert_to(',"op":' || to_json(p.op)::text || ',"seq":"'
                  || (first + x.i - 1)::text || '","table":' || to_json(p.table_name)::text
                  || ',"time":"'
                  || to_char(p.captured_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
                  || '","txid":"' || p.txid::text || '"}', 'UTF8') AS tail
              OFFSET 0) b
          -- the bytes between head and tail, {"key": ... } around them,
          -- parsed only when head and tail are the captured change's
          CROSS JOIN LATERAL (SELECT CASE
                  WHEN length(x.e) > length(b.head) + length(b.tail)
                   AND substring(x.e FROM 1 FOR length(b.head)) = b.head
                   AND substring(x.e FROM length(x.e) - length(b.tail) + 1) = b.tail
                  THEN convert_from('{"key":'::bytea || substring(x.e FROM length(b.head) + 1
                           FOR length(x.e) - length(b.head) - length(b.tail)) || '}'::bytea,
                       'UTF8')::jsonb END AS w
              OFFSET 0) y
         -- the whole entry is the captured change at its place in the log:
         -- head and tail byte for byte, and between them exactly the
         -- captured key and row images (as JSON values: whether they are in
         -- canonical form is verify's to check)
         WHERE y.w - '{key,new,old}'::text[] = '{}'::jsonb
           AND y.w -> 'key' = j.k AND y.w -> 'new' = j.nw AND y.w -> 'old' = j.o
         ORDER BY x.i
        RETURNING seq, leaf_hash)
    SELECT count(*), string_agg(ins.leaf_hash, ''::bytea ORDER BY ins.seq) INTO k, lvl FROM ins;
    IF k <> n THEN
        RAISE EXCEPTION 'audit append: % of % entries are not their captured change', n - k, n
            USING ERRCODE = 'check_violation',
                  HINT = 'seal with arcs audit seal, which writes each captured change as it was captured';
    END IF;
    DELETE FROM arcs_audit.pending WHERE id = ANY (p_ids);
    GET DIAGNOSTICS k = ROW_COUNT;
    IF k <> n THEN
        RAISE EXCEPTION 'audit append: a captured change was sealed twice'
            USING ERRCODE = 'check_violation';
    END IF;

    -- The tree, level by level. At level L the nodes from index
    -- old_size >> L on are new; when bit L of old_size is set, the stored
    -- frontier's node of that level (the one before) comes first, so the level
    -- starts at an even index and its nodes pair up in order. A level's last
    -- node when its count is odd waits for later leaves. The new frontier
    -- keeps, for each bit L of new_size, the last node of level L.
    old_size := first;
    new_size := first + n;
    nbits := 64 - position('1' IN new_size::bit(64)::text) + 1;
    FOR lev IN 0 .. nbits - 1 LOOP
        IF (old_size >> lev) & 1 = 1 THEN
            -- the frontier's node of this level: after those of the higher
            -- set bits, which come first
            node := substring(fr FROM 8 + 32 * length(replace(
                        (old_size >> (lev + 1))::bit(64)::text, '0', '')) + 1 FOR 32);
            lvl := node || coalesce(lvl, ''::bytea);
        END IF;
        cnt := coalesce(length(lvl), 0) / 32;
        IF (new_size >> lev) & 1 = 1 THEN
            top := substring(lvl FROM 32 * (cnt - 1)::int + 1 FOR 32) || top;
        END IF;
        -- the pairs' parents: the next level (NULL when no pair)
        SELECT string_agg(sha256('\x01'::bytea || substring(lvl FROM (64 * g + 1)::int FOR 64)),
                          ''::bytea ORDER BY g)
          INTO lvl FROM generate_series(0, cnt / 2 - 1) g;
    END LOOP;
    -- top holds the last nodes from the highest set bit down
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

-- Capture that needs attaching: missing, not ENABLE ALWAYS, or generated
-- for other columns, another key or another table name than rel has now.
CREATE FUNCTION arcs_audit.needs_attach(rel regclass) RETURNS boolean
LANGUAGE plpgsql STABLE SET search_path = pg_catalog AS $$
DECLARE
    src text;
BEGIN
    IF EXISTS (SELECT 1 FROM arcs_audit.uncaptured u WHERE u.table_name = rel::text) THEN
        RETURN true;
    END IF;
    SELECT p.prosrc INTO src FROM pg_proc p
     WHERE p.pronamespace = 'arcs_audit'::regnamespace
       AND p.proname = left('cap_' || (SELECT c.relname FROM pg_class c WHERE c.oid = rel), 63)
       AND p.pronargs = 0;
    RETURN src IS NULL
        OR strpos(src, format('%L', rel::text)) = 0
        OR strpos(src, arcs_audit.object_expr(rel, 'n', true)) = 0
        OR strpos(src, arcs_audit.object_expr(rel, 'n', false)) = 0
        OR strpos(src, arcs_audit.object_expr(rel, 'o', false)) = 0
        OR EXISTS (SELECT 1 FROM pg_trigger t
                    WHERE t.tgrelid = rel AND t.tgname IN ('arcs_audit_ins', 'arcs_audit_upd',
                                                          'arcs_audit_del')
                      AND t.tgfoid <> (SELECT p.oid FROM pg_proc p
                                        WHERE p.pronamespace = 'arcs_audit'::regnamespace
                                          AND p.proname = left('cap_' || (SELECT c.relname
                                              FROM pg_class c WHERE c.oid = rel), 63)
                                          AND p.pronargs = 0));
END $$;

-- New and altered tables of schema arcs are captured at once; no setting
-- of the caller's decides it.
CREATE OR REPLACE FUNCTION arcs_audit.on_ddl() RETURNS event_trigger
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
DECLARE
    r record;
    stack text;
    me constant text := 'function arcs_audit.on_ddl()';
BEGIN
    -- attach's own ALTER TABLE fires this again; needs_attach finds nothing
    -- left to do there, and a second level stops here in any case (the call
    -- stack, not a setting: only the owner of a table runs its DDL)
    GET DIAGNOSTICS stack = PG_CONTEXT;
    IF length(stack) - length(replace(stack, me, '')) > length(me) THEN
        RETURN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_event_trigger_ddl_commands() d
                   WHERE d.schema_name = 'arcs' AND d.object_type = 'table') THEN
        RETURN;
    END IF;
    FOR r IN SELECT c.oid FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
             WHERE s.nspname = 'arcs' AND c.relkind = 'r' ORDER BY c.relname LOOP
        IF arcs_audit.needs_attach(r.oid::regclass) THEN
            PERFORM arcs_audit.attach(r.oid::regclass);
        END IF;
    END LOOP;
END $$;
