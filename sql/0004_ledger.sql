-- 0004: the money. FX rates, projects, and a double-entry ledger after
-- TigerBeetle: accounts whose balances only transfers move, transfers that
-- are never updated or deleted.
--
-- Accounts and their normal side (the CHECK on each row keeps it there, so an
-- overdraft fails in the database under any concurrency):
--   case:REF:proceeds     kind case      debit-normal: what the case paid in
--   fund                  kind fund      credit-normal: available = credits - debits
--   escrow:asset:ID       kind escrow    credit-normal: proceeds held until final
--   project:CODE          kind project   credit-normal: allocated - disbursed
--   external:...          kind external  credit-normal: money that left
-- Every transfer adds its amount to one account's debits and another's
-- credits, so the sum of (credits - debits) over all accounts is zero.

CREATE TABLE arcs.fx_rates (
    currency char(3) NOT NULL REFERENCES arcs.currencies (code),
    rate_date date NOT NULL,
    -- units of the base currency for one unit of currency
    rate numeric NOT NULL CHECK (rate > 0),
    source text CHECK (length(source) <= 500),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (currency, rate_date)
);

CREATE TABLE arcs.projects (
    id bigserial PRIMARY KEY,
    code text NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$'),
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 500),
    sector text NOT NULL CHECK (sector IN ('education', 'health', 'sport', 'water',
        'social_protection', 'housing', 'infrastructure', 'other')),
    region text NOT NULL CHECK (length(region) BETWEEN 1 AND 200),
    budget bigint NOT NULL CHECK (budget > 0),
    budget_currency char(3) NOT NULL REFERENCES arcs.currencies (code),
    implementer text CHECK (length(implementer) <= 500),
    capacity text CHECK (length(capacity) <= 500),
    status text NOT NULL DEFAULT 'planned' CHECK (status IN
        ('planned', 'funded', 'in_progress', 'completed', 'cancelled')),
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE arcs.ledger_accounts (
    id bigserial PRIMARY KEY,
    code text NOT NULL UNIQUE CHECK (length(code) BETWEEN 1 AND 120),
    kind text NOT NULL CHECK (kind IN ('fund', 'escrow', 'case', 'project', 'external')),
    case_id bigint REFERENCES arcs.cases (id),
    asset_id bigint REFERENCES arcs.assets (id),
    project_id bigint REFERENCES arcs.projects (id),
    debits bigint NOT NULL DEFAULT 0 CHECK (debits >= 0),
    credits bigint NOT NULL DEFAULT 0 CHECK (credits >= 0),
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT ledger_accounts_normal_side CHECK (
        CASE WHEN kind = 'case' THEN debits >= credits ELSE credits >= debits END)
);

INSERT INTO arcs.ledger_accounts (code, kind) VALUES ('fund', 'fund');

CREATE TABLE arcs.ledger_transfers (
    id bigserial PRIMARY KEY,
    ext_ref text NOT NULL UNIQUE CHECK (length(ext_ref) BETWEEN 1 AND 200),
    debit_account bigint NOT NULL REFERENCES arcs.ledger_accounts (id),
    credit_account bigint NOT NULL REFERENCES arcs.ledger_accounts (id),
    -- base currency minor units
    amount bigint NOT NULL CHECK (amount > 0),
    orig_amount bigint NOT NULL CHECK (orig_amount > 0),
    orig_currency char(3) NOT NULL REFERENCES arcs.currencies (code),
    -- the rate used: 1 and no date for base currency amounts
    fx_rate numeric NOT NULL CHECK (fx_rate > 0),
    fx_rate_date date,
    kind text NOT NULL CHECK (kind IN ('receive', 'escrow_in', 'deduct',
        'escrow_release_to_fund', 'escrow_return_to_owner', 'allocate', 'disburse',
        'reverse')),
    -- receive/escrow_in: sale_proceeds ...; deduct: creditor ...; reverse: the
    -- kind reversed
    sub_kind text,
    reverses bigint UNIQUE REFERENCES arcs.ledger_transfers (id),
    case_id bigint REFERENCES arcs.cases (id),
    asset_id bigint REFERENCES arcs.assets (id),
    project_id bigint REFERENCES arcs.projects (id),
    decision_id bigint REFERENCES arcs.decisions (id),
    value_date date NOT NULL,
    -- the command's content, normalized: a retry with the same reference must
    -- carry the same request
    request text NOT NULL,
    actor text NOT NULL DEFAULT coalesce(nullif(current_setting('arcs.actor', true), ''),
                                         session_user),
    db_user text NOT NULL DEFAULT session_user,
    created_at timestamptz NOT NULL DEFAULT now(),
    CHECK (debit_account <> credit_account),
    CHECK ((kind = 'reverse') = (reverses IS NOT NULL)),
    CHECK (kind NOT IN ('receive', 'escrow_in') OR sub_kind IN ('sale_proceeds',
        'confiscated_cash', 'voluntary_payment', 'foreign_return', 'management_income')),
    CHECK (kind <> 'deduct' OR sub_kind IN ('creditor', 'victim', 'cost', 'foreign_share')),
    CHECK (kind NOT IN ('allocate', 'disburse') OR project_id IS NOT NULL),
    CHECK (kind <> 'allocate' OR decision_id IS NOT NULL)
);
CREATE INDEX ON arcs.ledger_transfers (debit_account);
CREATE INDEX ON arcs.ledger_transfers (credit_account);
CREATE INDEX ON arcs.ledger_transfers (case_id);
CREATE INDEX ON arcs.ledger_transfers (project_id);
CREATE INDEX ON arcs.ledger_transfers (value_date, id);

-- FIFO attribution of each allocation to the cases whose money paid for it,
-- stored at allocation time so reports are stable and cheap.
CREATE TABLE arcs.allocation_sources (
    transfer_id bigint NOT NULL REFERENCES arcs.ledger_transfers (id),
    case_id bigint NOT NULL REFERENCES arcs.cases (id),
    amount bigint NOT NULL CHECK (amount > 0),
    named boolean NOT NULL DEFAULT false, -- given with --source, not FIFO
    PRIMARY KEY (transfer_id, case_id)
);
CREATE INDEX ON arcs.allocation_sources (case_id);

-- Allocations and disbursements are a supervisor's act (SPEC §2).
CREATE FUNCTION arcs.ledger_check() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
BEGIN
    IF (NEW.kind IN ('allocate', 'disburse') OR
        (NEW.kind = 'reverse' AND NEW.sub_kind IN ('allocate', 'disburse')))
       AND NOT pg_has_role(current_user, 'arcs_supervisor', 'MEMBER')
       AND NOT pg_has_role(current_user, 'arcs_admin', 'MEMBER') THEN
        RAISE EXCEPTION 'permission denied: % needs the arcs_supervisor role', NEW.kind
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END $$;

-- Move the two balances. Guarded UPDATEs (never read-then-write): the WHERE
-- is re-checked on the locked row, and the CHECK constraints back it up.
-- Rows are locked in id order so two transfers never deadlock on them.
-- SECURITY DEFINER: no role may update balances directly, only this.
CREATE FUNCTION arcs.ledger_apply() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
    ids bigint[];
    acc bigint;
    a record;
    ex int;
BEGIN
    PERFORM pg_catalog.set_config('arcs.ledger_apply', NEW.id::text, true);
    IF NEW.debit_account < NEW.credit_account THEN
        ids := ARRAY[NEW.debit_account, NEW.credit_account];
    ELSE
        ids := ARRAY[NEW.credit_account, NEW.debit_account];
    END IF;
    FOREACH acc IN ARRAY ids LOOP
        IF acc = NEW.debit_account THEN
            UPDATE arcs.ledger_accounts SET debits = debits + NEW.amount
             WHERE id = acc AND (kind = 'case' OR credits - debits >= NEW.amount);
        ELSE
            UPDATE arcs.ledger_accounts SET credits = credits + NEW.amount
             WHERE id = acc AND (kind <> 'case' OR debits - credits >= NEW.amount);
        END IF;
        IF NOT FOUND THEN
            SELECT code, credits - debits AS bal INTO a FROM arcs.ledger_accounts WHERE id = acc;
            IF NOT FOUND THEN
                RAISE EXCEPTION 'ledger account % not found', acc
                    USING ERRCODE = 'foreign_key_violation';
            END IF;
            SELECT c.exponent INTO ex FROM arcs.settings s
              JOIN arcs.currencies c ON c.code = s.value WHERE s.key = 'base_currency';
            ex := coalesce(ex, 2);
            RAISE EXCEPTION 'insufficient funds: % holds %, the transfer needs %', a.code,
                pg_catalog.round(pg_catalog.abs(a.bal)::numeric / 10::numeric ^ ex, ex),
                pg_catalog.round(NEW.amount::numeric / 10::numeric ^ ex, ex)
                USING ERRCODE = 'check_violation',
                      HINT = 'record the money first, or move a smaller amount';
        END IF;
    END LOOP;
    PERFORM pg_catalog.set_config('arcs.ledger_apply', '', true);
    RETURN NEW;
END $$;

CREATE TRIGGER ledger_check BEFORE INSERT ON arcs.ledger_transfers
    FOR EACH ROW EXECUTE FUNCTION arcs.ledger_check();
CREATE TRIGGER ledger_apply AFTER INSERT ON arcs.ledger_transfers
    FOR EACH ROW EXECUTE FUNCTION arcs.ledger_apply();
CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON arcs.ledger_transfers
    FOR EACH ROW EXECUTE FUNCTION arcs.append_only();
CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON arcs.allocation_sources
    FOR EACH ROW EXECUTE FUNCTION arcs.append_only();

-- Balances move only through a transfer (double entry): a new account
-- starts at zero, a direct UPDATE of a balance is refused, accounts stay.
CREATE FUNCTION arcs.ledger_account_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'ledger account % cannot be deleted', OLD.code
            USING ERRCODE = 'check_violation';
    END IF;
    IF TG_OP = 'INSERT' THEN
        IF NEW.debits <> 0 OR NEW.credits <> 0 THEN
            RAISE EXCEPTION 'a new ledger account starts at zero; money moves only by a transfer'
                USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END IF;
    IF NEW.id <> OLD.id OR NEW.code <> OLD.code OR NEW.kind <> OLD.kind THEN
        RAISE EXCEPTION 'ledger account % cannot be renamed or change kind', OLD.code
            USING ERRCODE = 'check_violation';
    END IF;
    IF (NEW.debits <> OLD.debits OR NEW.credits <> OLD.credits) AND
       coalesce(current_setting('arcs.ledger_apply', true), '') = '' THEN
        RAISE EXCEPTION 'the balance of ledger account % changes only by a transfer', OLD.code
            USING ERRCODE = 'check_violation',
                  HINT = 'record a transfer (arcs fund, arcs allocate, arcs disburse)';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER ledger_account_guard BEFORE INSERT OR UPDATE OR DELETE ON arcs.ledger_accounts
    FOR EACH ROW EXECUTE FUNCTION arcs.ledger_account_guard();

ALTER TABLE arcs.ledger_transfers ENABLE ALWAYS TRIGGER ledger_check;
ALTER TABLE arcs.ledger_transfers ENABLE ALWAYS TRIGGER ledger_apply;
ALTER TABLE arcs.ledger_transfers ENABLE ALWAYS TRIGGER append_only;
ALTER TABLE arcs.allocation_sources ENABLE ALWAYS TRIGGER append_only;
ALTER TABLE arcs.ledger_accounts ENABLE ALWAYS TRIGGER ledger_account_guard;

-- Money of the fund still unattributed, per receipt (FIFO lots): receipts
-- into the fund that name a case, in value-date then id order; each case's
-- deductions from the fund and its attributed allocations use up its own
-- earliest receipts first. Reversed transfers and their reversals drop out.
CREATE FUNCTION arcs.fund_lots() RETURNS TABLE (transfer_id bigint, case_id bigint,
    value_date date, remaining bigint)
LANGUAGE sql STABLE SET search_path = pg_catalog AS $$
    WITH fund AS (SELECT id FROM arcs.ledger_accounts WHERE code = 'fund'),
    items AS (
        SELECT t.id, t.case_id, t.value_date, t.amount,
               sum(t.amount) OVER (PARTITION BY t.case_id ORDER BY t.value_date, t.id) AS cum
          FROM arcs.ledger_transfers t, fund
         WHERE t.credit_account = fund.id AND t.case_id IS NOT NULL AND t.kind <> 'reverse'
           AND NOT EXISTS (SELECT 1 FROM arcs.ledger_transfers r WHERE r.reverses = t.id)),
    used AS (
        SELECT x.case_id, sum(x.amount) AS u FROM (
            SELECT t.case_id, t.amount FROM arcs.ledger_transfers t, fund
             WHERE t.debit_account = fund.id AND t.case_id IS NOT NULL AND t.kind <> 'reverse'
               AND NOT EXISTS (SELECT 1 FROM arcs.ledger_transfers r WHERE r.reverses = t.id)
            UNION ALL
            SELECT s.case_id, s.amount FROM arcs.allocation_sources s
             WHERE NOT EXISTS (SELECT 1 FROM arcs.ledger_transfers r
                                WHERE r.reverses = s.transfer_id)) x
         GROUP BY x.case_id)
    SELECT i.id, i.case_id, i.value_date,
           greatest(0, least(i.amount, i.cum - coalesce(u.u, 0)))::bigint
      FROM items i LEFT JOIN used u ON u.case_id = i.case_id
     WHERE i.cum - coalesce(u.u, 0) > 0
     ORDER BY i.value_date, i.id
$$;

-- What a case still has in the fund, unattributed (negative: over-used).
CREATE FUNCTION arcs.fund_case_remaining(p_case bigint) RETURNS bigint
LANGUAGE sql STABLE SET search_path = pg_catalog AS $$
    WITH fund AS (SELECT id FROM arcs.ledger_accounts WHERE code = 'fund')
    SELECT (coalesce((SELECT sum(CASE WHEN t.credit_account = fund.id THEN t.amount
                                      ELSE -t.amount END)
                        FROM arcs.ledger_transfers t, fund
                       WHERE t.case_id = p_case
                         AND (t.credit_account = fund.id OR t.debit_account = fund.id)), 0)
          - coalesce((SELECT sum(s.amount) FROM arcs.allocation_sources s
                       WHERE s.case_id = p_case
                         AND NOT EXISTS (SELECT 1 FROM arcs.ledger_transfers r
                                          WHERE r.reverses = s.transfer_id)), 0))::bigint
$$;

-- The same lots kept incrementally (fund_lots() and fund_case_remaining()
-- rescan every transfer, which is quadratic over a ledger's life; they stay
-- as the reference definition the tests compare this table with). One row per
-- unreversed receipt into the fund that names a case; remaining is its
-- unattributed part. Triggers keep it in the transaction that records the
-- transfer, with guarded UPDATEs under the fund row lock that every fund
-- transfer takes first (ledger_apply), so lots never go negative:
--  - a receipt adds a lot; when it is not the case's latest, the case's lots
--    are settled again (its used money always fills its earliest lots);
--  - a deduction from the fund and an allocation source take from the case's
--    earliest lots with money left;
--  - reversing a deduction or an allocation gives back to the case's latest
--    used lots (the mirror of taking), reversing a receipt drops its lot and
--    takes what it had given away from the case's other lots.
CREATE TABLE arcs.ledger_lots (
    transfer_id bigint PRIMARY KEY REFERENCES arcs.ledger_transfers (id),
    case_id bigint NOT NULL REFERENCES arcs.cases (id),
    value_date date NOT NULL,
    amount bigint NOT NULL CHECK (amount > 0),
    remaining bigint NOT NULL CHECK (remaining >= 0),
    CHECK (remaining <= amount)
);
-- the fund's oldest lots with money left (FIFO allocation)
CREATE INDEX ledger_lots_open ON arcs.ledger_lots (value_date, transfer_id)
    WHERE remaining > 0;
-- a case's oldest lots with money left (taking)
CREATE INDEX ledger_lots_case_open ON arcs.ledger_lots (case_id, value_date, transfer_id)
    WHERE remaining > 0;
-- a case's latest used lots (giving back), scanned backwards
CREATE INDEX ledger_lots_case_used ON arcs.ledger_lots (case_id, value_date, transfer_id)
    WHERE remaining < amount;

-- Take amount from the case's earliest lots; refuse when it has too little.
CREATE FUNCTION arcs.ledger_lots_take(p_case bigint, p_amount bigint, p_what text)
RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
DECLARE
    need bigint := p_amount;
    l record;
    x bigint;
BEGIN
    -- one lot at a time (LIMIT 1: always the index, never a sort of them all);
    -- a lot used up leaves the partial index, so the next is the next oldest
    LOOP
        SELECT transfer_id, remaining INTO l FROM arcs.ledger_lots
         WHERE case_id = p_case AND remaining > 0
         ORDER BY value_date, transfer_id LIMIT 1;
        EXIT WHEN NOT FOUND;
        x := least(need, l.remaining);
        UPDATE arcs.ledger_lots SET remaining = remaining - x
         WHERE transfer_id = l.transfer_id AND remaining >= x;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'the fund''s lots changed underneath; retry'
                USING ERRCODE = 'serialization_failure';
        END IF;
        need := need - x;
        EXIT WHEN need = 0;
    END LOOP;
    IF need > 0 THEN
        RAISE EXCEPTION '%: the case''s money in the fund is allocated already', p_what
            USING ERRCODE = 'check_violation',
                  HINT = 'reverse allocations first or deduct less';
    END IF;
END $$;

-- Give amount back to the case's latest used lots.
CREATE FUNCTION arcs.ledger_lots_give(p_case bigint, p_amount bigint) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
DECLARE
    need bigint := p_amount;
    l record;
    x bigint;
BEGIN
    LOOP
        SELECT transfer_id, amount - remaining AS room INTO l FROM arcs.ledger_lots
         WHERE case_id = p_case AND remaining < amount
         ORDER BY value_date DESC, transfer_id DESC LIMIT 1;
        EXIT WHEN NOT FOUND;
        x := least(need, l.room);
        UPDATE arcs.ledger_lots SET remaining = remaining + x
         WHERE transfer_id = l.transfer_id AND remaining + x <= amount;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'the fund''s lots changed underneath; retry'
                USING ERRCODE = 'serialization_failure';
        END IF;
        need := need - x;
        EXIT WHEN need = 0;
    END LOOP;
    IF need > 0 THEN
        RAISE EXCEPTION 'the lots of case % cannot take back %', p_case, p_amount
            USING ERRCODE = 'data_corrupted';
    END IF;
END $$;

-- Settle a case's lots again from scratch: the money it has used fills its
-- earliest lots. Only needed when a receipt lands before the case's others.
CREATE FUNCTION arcs.ledger_lots_settle(p_case bigint) RETURNS void
LANGUAGE sql SET search_path = pg_catalog AS $$
    UPDATE arcs.ledger_lots l SET remaining = s.r
      FROM (SELECT x.transfer_id,
                   greatest(0, least(x.amount, sum(x.amount) OVER (ORDER BY x.value_date,
                       x.transfer_id) - u.used))::bigint AS r
              FROM arcs.ledger_lots x,
                   (SELECT sum(amount) - sum(remaining) AS used FROM arcs.ledger_lots
                     WHERE case_id = p_case) u
             WHERE x.case_id = p_case) s
     WHERE l.transfer_id = s.transfer_id AND l.remaining <> s.r
$$;

-- SECURITY DEFINER: no role writes lots directly, only these triggers.
CREATE FUNCTION arcs.ledger_lots_transfer() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
    fund bigint;
    o record;
    r bigint;
BEGIN
    IF NEW.case_id IS NULL AND NOT (NEW.kind = 'reverse' AND NEW.sub_kind = 'allocate') THEN
        RETURN NULL;
    END IF;
    SELECT id INTO fund FROM arcs.ledger_accounts WHERE code = 'fund';
    IF NEW.kind <> 'reverse' THEN
        IF NEW.credit_account = fund THEN
            INSERT INTO arcs.ledger_lots (transfer_id, case_id, value_date, amount, remaining)
            VALUES (NEW.id, NEW.case_id, NEW.value_date, NEW.amount, NEW.amount);
            IF EXISTS (SELECT 1 FROM arcs.ledger_lots
                        WHERE case_id = NEW.case_id
                          AND (value_date, transfer_id) > (NEW.value_date, NEW.id)) THEN
                PERFORM arcs.ledger_lots_settle(NEW.case_id);
            END IF;
        ELSIF NEW.debit_account = fund THEN
            PERFORM arcs.ledger_lots_take(NEW.case_id, NEW.amount, 'deduction refused');
        END IF;
        RETURN NULL;
    END IF;
    SELECT t.id, t.kind, t.case_id, t.amount, t.debit_account, t.credit_account INTO o
      FROM arcs.ledger_transfers t WHERE t.id = NEW.reverses;
    IF o.kind = 'allocate' THEN
        PERFORM arcs.ledger_lots_give(s.case_id, s.amount)
           FROM arcs.allocation_sources s WHERE s.transfer_id = o.id
          ORDER BY s.case_id;
    ELSIF o.case_id IS NOT NULL AND o.credit_account = fund THEN
        DELETE FROM arcs.ledger_lots WHERE transfer_id = o.id RETURNING remaining INTO r;
        IF o.amount - coalesce(r, 0) > 0 THEN
            PERFORM arcs.ledger_lots_take(o.case_id, o.amount - coalesce(r, 0),
                                          'reversal refused');
        END IF;
    ELSIF o.case_id IS NOT NULL AND o.debit_account = fund THEN
        PERFORM arcs.ledger_lots_give(o.case_id, o.amount);
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION arcs.ledger_lots_source() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
    PERFORM arcs.ledger_lots_take(NEW.case_id, NEW.amount,
        CASE WHEN NEW.named THEN 'allocation refused: a --source case has less unallocated money'
             ELSE 'allocation refused' END);
    RETURN NULL;
END $$;

-- After ledger_apply (triggers fire by name): the fund row is locked first.
CREATE TRIGGER ledger_lots AFTER INSERT ON arcs.ledger_transfers
    FOR EACH ROW EXECUTE FUNCTION arcs.ledger_lots_transfer();
CREATE TRIGGER ledger_lots AFTER INSERT ON arcs.allocation_sources
    FOR EACH ROW EXECUTE FUNCTION arcs.ledger_lots_source();
ALTER TABLE arcs.ledger_transfers ENABLE ALWAYS TRIGGER ledger_lots;
ALTER TABLE arcs.allocation_sources ENABLE ALWAYS TRIGGER ledger_lots;

-- FIFO attribution of allocation p_transfer: walk the fund's oldest lots,
-- then record one source per case (whose trigger takes the money from the
-- lots). false: the lots do not cover p_amount, nothing recorded.
CREATE FUNCTION arcs.ledger_attribute_fifo(p_transfer bigint, p_amount bigint)
RETURNS boolean
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
DECLARE
    need bigint := p_amount;
    cases bigint[] := '{}';
    amts bigint[] := '{}';
    l record;
    d date := '-infinity';
    t bigint := 0;
    i int;
    x bigint;
BEGIN
    -- oldest first, one lot at a time after the last one seen (LIMIT 1: the
    -- index, never a sort of every lot)
    LOOP
        SELECT transfer_id, value_date, case_id, remaining INTO l FROM arcs.ledger_lots
         WHERE remaining > 0 AND (value_date, transfer_id) > (d, t)
         ORDER BY value_date, transfer_id LIMIT 1;
        EXIT WHEN NOT FOUND;
        d := l.value_date;
        t := l.transfer_id;
        x := least(need, l.remaining);
        i := array_position(cases, l.case_id);
        IF i IS NULL THEN
            cases := cases || l.case_id;
            amts := amts || x;
        ELSE
            amts[i] := amts[i] + x;
        END IF;
        need := need - x;
        EXIT WHEN need = 0;
    END LOOP;
    IF need > 0 THEN
        RETURN false;
    END IF;
    INSERT INTO arcs.allocation_sources (transfer_id, case_id, amount, named)
    SELECT p_transfer, u.c, u.a, false FROM unnest(cases, amts) WITH ORDINALITY u(c, a, n)
     ORDER BY u.n;
    RETURN true;
END $$;

GRANT SELECT ON arcs.fx_rates, arcs.projects, arcs.ledger_accounts, arcs.ledger_transfers,
    arcs.allocation_sources, arcs.ledger_lots TO arcs_analyst, arcs_supervisor, arcs_auditor, arcs_admin;
GRANT INSERT, UPDATE ON arcs.fx_rates, arcs.projects TO arcs_analyst, arcs_admin;
GRANT INSERT ON arcs.ledger_accounts, arcs.ledger_transfers, arcs.allocation_sources
    TO arcs_analyst, arcs_admin;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA arcs TO arcs_analyst, arcs_admin;
