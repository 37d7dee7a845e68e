-- 0008: writers seal through the database, not around it.
--
-- Until now the roles that write business data also held INSERT on
-- arcs_audit.entries and arcs_audit.tree_heads, UPDATE on tree_state and
-- DELETE on pending, because every write command seals its own changes.
-- Verify catches an entry whose images disagree with the tables (it replays
-- them), but not one that seals a real change under another name: an entry
-- whose db_user, actor, time, txid, op or table was rewritten before the
-- pending row was deleted.
--
-- Now those privileges are revoked, and sealing goes through one SECURITY
-- DEFINER function. The client still builds the canonical bytes and the
-- tree (the costly part, and what verify recomputes anyway); the function
-- checks, for every entry, that it seals exactly one captured change and
-- that every member the tables cannot vouch for is the captured one:
-- the bytes must begin with the change's actor, db_user and the "key"
-- member name, and end with its op, the entry's own seq, its table, time
-- and txid, in the canonical form. Byte comparisons only: no JSON is
-- parsed (verify checks the form, UTF-8 included). Entries are numbered without gaps from the log's end, and the
-- pending rows they seal are deleted in the same statement.

CREATE FUNCTION arcs_audit.append(p_first bigint, p_ids bigint[], p_lens int[],
    p_blob bytea, p_leaves bytea, p_row_keys text[], p_case_ids text[],
    p_asset_ids text[], p_root bytea, p_frontier bytea)
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog
-- a custom plan would copy the batch's megabytes into the plan as constants
SET plan_cache_mode = force_generic_plan AS $$
DECLARE
    n int := coalesce(cardinality(p_ids), 0);
    nxt bigint;
    k bigint;
BEGIN
    -- the sealers' lock (taken again if the caller holds it already)
    PERFORM pg_advisory_xact_lock(7243010003);
    SELECT coalesce(max(seq) + 1, 0) INTO nxt FROM arcs_audit.entries;
    IF p_first IS DISTINCT FROM nxt THEN
        RAISE EXCEPTION 'audit append: the log''s next entry is %, not %', nxt, p_first
            USING ERRCODE = 'check_violation';
    END IF;
    IF n > 0 THEN
        IF coalesce(cardinality(p_lens), -1) <> n OR coalesce(cardinality(p_row_keys), -1) <> n
           OR coalesce(cardinality(p_case_ids), -1) <> n
           OR coalesce(cardinality(p_asset_ids), -1) <> n
           OR coalesce(length(p_leaves), -1) <> 32 * n
           OR (SELECT sum(l) FROM unnest(p_lens) l) IS DISTINCT FROM length(p_blob)::bigint THEN
            RAISE EXCEPTION 'audit append: % entries, but the lengths, hashes or keys do not match',
                n USING ERRCODE = 'invalid_parameter_value';
        END IF;
        -- one pass over the arrays (unnest, not subscripts: reading element
        -- i of a text[] walks the elements before it)
        INSERT INTO arcs_audit.entries (seq, entry, leaf_hash, table_name, row_key, case_id,
                                        asset_id)
        SELECT p_first + x.i - 1, x.e, substring(p_leaves FROM (32 * (x.i - 1) + 1)::int FOR 32),
               p.table_name, x.rk, x.ci, x.ai
          FROM (SELECT v.i, v.pid, v.rk, v.ci, v.ai,
                       substring(p_blob FROM (v.off - v.len + 1)::int FOR v.len) AS e
                  FROM (SELECT w.*, sum(w.len) OVER (ORDER BY w.i) AS off
                          FROM unnest(p_ids, p_lens, p_row_keys, p_case_ids, p_asset_ids)
                               WITH ORDINALITY AS w(pid, len, rk, ci, ai, i)) v) x
          JOIN arcs_audit.pending p ON p.id = x.pid
          CROSS JOIN LATERAL (SELECT convert_to('{"actor":' || to_json(p.actor)::text
                  || ',"db_user":' || to_json(p.db_user)::text || ',"key":', 'UTF8') AS head,
              convert_to(',"op":' || to_json(p.op)::text || ',"seq":"'
                  || (p_first + x.i - 1)::text || '","table":' || to_json(p.table_name)::text
                  || ',"time":"'
                  || to_char(p.captured_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
                  || '","txid":"' || p.txid::text || '"}', 'UTF8') AS tail
              -- OFFSET 0 keeps this a subquery: built once a row, not at
              -- each of the six places the WHERE below names them
              OFFSET 0) c
         WHERE length(x.e) > length(c.head) + length(c.tail)
           AND substring(x.e FROM 1 FOR length(c.head)) = c.head
           AND substring(x.e FROM length(x.e) - length(c.tail) + 1) = c.tail
         ORDER BY x.i;
        GET DIAGNOSTICS k = ROW_COUNT;
        IF k <> n THEN
            RAISE EXCEPTION 'audit append: % of % entries do not seal their captured change',
                n - k, n USING ERRCODE = 'check_violation';
        END IF;
        DELETE FROM arcs_audit.pending WHERE id = ANY (p_ids);
        GET DIAGNOSTICS k = ROW_COUNT;
        IF k <> n THEN
            RAISE EXCEPTION 'audit append: a captured change was sealed twice'
                USING ERRCODE = 'check_violation';
        END IF;
    END IF;
    -- the last call of a seal stores the tree head and moves the frontier
    IF p_root IS NOT NULL THEN
        INSERT INTO arcs_audit.tree_heads (size, root) VALUES (p_first + n, p_root);
        UPDATE arcs_audit.tree_state SET size = p_first + n, frontier = p_frontier WHERE one;
    END IF;
    RETURN n;
END $$;

REVOKE ALL ON FUNCTION arcs_audit.append(bigint, bigint[], int[], bytea, bytea, text[],
    text[], text[], bytea, bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION arcs_audit.append(bigint, bigint[], int[], bytea, bytea, text[],
    text[], text[], bytea, bytea) TO arcs_analyst, arcs_admin;

REVOKE DELETE ON arcs_audit.pending FROM arcs_analyst, arcs_admin;
REVOKE INSERT ON arcs_audit.entries, arcs_audit.tree_heads FROM arcs_analyst, arcs_admin;
REVOKE UPDATE ON arcs_audit.tree_state FROM arcs_analyst, arcs_admin;
