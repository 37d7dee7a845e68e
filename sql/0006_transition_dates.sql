-- 0006: a transition keeps the history in date order. It is refused when it
-- is dated before the asset's current state began (the date of its last
-- transition), or before the decision it names was issued. Same-day moves
-- stay allowed (a court may freeze and seize on one day). Rows already
-- recorded are not re-checked: the history is the record.
--
-- The function is 0002's, with the two date checks added after the state
-- checks, so the message for an illegal move stays the first one a writer
-- sees.

CREATE OR REPLACE FUNCTION arcs.transition_apply() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
DECLARE
    cur text;
    since date;
    asset_case bigint;
    decision_case bigint;
    issued date;
    dref text;
BEGIN
    SELECT state, state_since, case_id INTO cur, since, asset_case
      FROM arcs.assets WHERE id = NEW.asset_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'asset % not found', NEW.asset_id USING ERRCODE = 'foreign_key_violation';
    END IF;
    IF cur <> NEW.from_state THEN
        RAISE EXCEPTION 'asset % is %, not %', NEW.asset_id, cur, NEW.from_state
            USING ERRCODE = 'check_violation';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM arcs.asset_moves m
                   WHERE m.from_state = NEW.from_state AND m.to_state = NEW.to_state) THEN
        RAISE EXCEPTION 'illegal transition: an asset that is % cannot become %',
            NEW.from_state, NEW.to_state
            USING ERRCODE = 'check_violation',
                  HINT = 'see the asset life cycle in SPEC §1';
    END IF;
    SELECT case_id, issued_on, ref INTO decision_case, issued, dref
      FROM arcs.decisions WHERE id = NEW.decision_id;
    IF decision_case IS NOT NULL AND decision_case <> asset_case THEN
        RAISE EXCEPTION 'decision % belongs to another case than asset %',
            NEW.decision_id, NEW.asset_id USING ERRCODE = 'check_violation';
    END IF;
    IF since IS NOT NULL AND NEW.on_date < since THEN
        RAISE EXCEPTION 'asset % has been % since %; a transition dated % would come before that',
            NEW.asset_id, cur, since, NEW.on_date
            USING ERRCODE = 'check_violation';
    END IF;
    IF issued IS NOT NULL AND NEW.on_date < issued THEN
        RAISE EXCEPTION 'decision % was issued on %; a transition under it cannot be dated %',
            dref, issued, NEW.on_date
            USING ERRCODE = 'check_violation';
    END IF;
    PERFORM pg_catalog.set_config('arcs.transition', NEW.id::text, true);
    UPDATE arcs.assets SET state = NEW.to_state, state_since = NEW.on_date WHERE id = NEW.asset_id;
    PERFORM pg_catalog.set_config('arcs.transition', '', true);
    RETURN NEW;
END $$;
