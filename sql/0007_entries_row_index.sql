-- 0007: drop the index on arcs_audit.entries (table_name, row_key). No
-- command reads entries by row key (the log and the reports go by seq,
-- case_id and asset_id, which keep their indexes), and the index was the
-- dearest of the four the seal maintains: on 200,000 entries it added about
-- 0.5 s to the 1 s of writing the rows with their primary key. A history of
-- one row is still one query (WHERE table_name = ... AND row_key = ...),
-- answered by a scan; an office that runs it often can index it again.
DROP INDEX IF EXISTS arcs_audit.entries_table_name_row_key_idx;
