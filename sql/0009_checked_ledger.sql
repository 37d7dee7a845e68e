-- 0009: money moves only through checked functions; statuses change only
-- with their record.
--
-- Until now the writer roles held INSERT on the ledger tables, and the rules
-- that make a transfer legal (which accounts a kind may use, the decision
-- behind an allocation, the currency conversion, the idempotent retry) lived
-- in the client. A login with psql could record a receipt from the fund to a
-- project, or open an account 'external:anything' and move the fund there.
-- Now no writer role inserts into arcs.ledger_accounts, ledger_transfers,
-- allocation_sources or ledger_lots: every movement goes through one of the
-- SECURITY DEFINER functions below, each of which derives the accounts from
-- the case, asset or project, checks the kind, the decision, the caller's
-- role (session_user: a role the caller cannot shed), converts the amount at
-- the dated rate itself, and records the transfer. The balance and lot
-- triggers of 0004 still refuse overdrafts.
--
-- The guards on a case's status, an asset's state and an account's balance
-- trusted a setting (arcs.case_status, arcs.transition, arcs.ledger_apply)
-- that any caller can SET. Now the trigger that applies a recorded change
-- runs as the schema owner (SECURITY DEFINER), and a guard lets a change
-- through only from inside a trigger (pg_trigger_depth() > 1) running with
-- the rights of the table's owner: a caller can neither SET nor become that.

-- ---------------------------------------------------------------- guards

-- True inside a trigger running with the rights of the owner of table p_rel
-- (the owner, a member of it, or a superuser): only the SECURITY DEFINER
-- triggers of the schema owner get there. A direct statement runs at depth
-- 1; a trigger of the caller's own runs as the caller. (plpgsql: its plans
-- are kept for the session; it runs twice per transfer.)
CREATE FUNCTION arcs.owner_trigger_context(p_rel oid) RETURNS boolean
LANGUAGE plpgsql STABLE SET search_path = pg_catalog AS $$
BEGIN
    IF pg_catalog.pg_trigger_depth() < 2 THEN
        RETURN false;
    END IF;
    RETURN coalesce((SELECT pg_catalog.pg_has_role(current_user, c.relowner, 'USAGE')
                       FROM pg_catalog.pg_class c WHERE c.oid = p_rel), false);
END $$;

-- The recorded change applies itself as the owner. (case_status_apply and
-- transition_apply still name their row in arcs.case_status and
-- arcs.transition; no guard reads those settings any more.)
ALTER FUNCTION arcs.case_status_apply() SECURITY DEFINER;
ALTER FUNCTION arcs.transition_apply() SECURITY DEFINER;

CREATE OR REPLACE FUNCTION arcs.case_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
BEGIN
    IF (NEW.status IS DISTINCT FROM OLD.status OR NEW.closed_on IS DISTINCT FROM OLD.closed_on)
       AND NOT (arcs.owner_trigger_context(TG_RELID)
                AND EXISTS (SELECT 1 FROM arcs.case_status_changes s
                             WHERE s.case_id = OLD.id AND s.from_status = OLD.status
                               AND s.to_status = NEW.status
                               AND NOT EXISTS (SELECT 1 FROM arcs.case_status_changes u
                                                WHERE u.case_id = OLD.id AND u.id > s.id))) THEN
        RAISE EXCEPTION 'the status of case % changes only by a recorded change (% to % refused)',
            OLD.ref, OLD.status, NEW.status
            USING ERRCODE = 'check_violation',
                  HINT = 'use arcs case status, which names a decision and a date';
    END IF;
    IF NEW.id <> OLD.id OR NEW.ref <> OLD.ref THEN
        RAISE EXCEPTION 'the id and ref of a case never change' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION arcs.asset_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.state <> 'identified' THEN
            RAISE EXCEPTION 'a new asset is identified, not %', NEW.state
                USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END IF;
    IF NEW.state IS DISTINCT FROM OLD.state OR NEW.state_since IS DISTINCT FROM OLD.state_since THEN
        -- only transition_apply, applying this asset's newest transition
        -- from the old state to the new one
        IF NOT (arcs.owner_trigger_context(TG_RELID)
                AND EXISTS (SELECT 1 FROM arcs.asset_transitions t
                             WHERE t.asset_id = OLD.id AND t.from_state = OLD.state
                               AND t.to_state = NEW.state AND t.on_date = NEW.state_since
                               AND NOT EXISTS (SELECT 1 FROM arcs.asset_transitions u
                                                WHERE u.asset_id = OLD.id AND u.id > t.id))) THEN
            RAISE EXCEPTION 'the state of asset % changes only by a recorded transition (% to % refused)',
                OLD.id, OLD.state, NEW.state
                USING ERRCODE = 'check_violation',
                      HINT = 'use arcs asset transition, which names a decision and a date';
        END IF;
    END IF;
    IF NEW.case_id <> OLD.case_id OR NEW.id <> OLD.id THEN
        RAISE EXCEPTION 'an asset cannot move to another case' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION arcs.ledger_account_guard() RETURNS trigger
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
    -- only ledger_apply, the owner's trigger on a recorded transfer
    IF (NEW.debits <> OLD.debits OR NEW.credits <> OLD.credits)
       AND NOT arcs.owner_trigger_context(TG_RELID) THEN
        RAISE EXCEPTION 'the balance of ledger account % changes only by a transfer', OLD.code
            USING ERRCODE = 'check_violation',
                  HINT = 'record a transfer (arcs fund, arcs allocate, arcs disburse)';
    END IF;
    RETURN NEW;
END $$;

-- ledger_apply no longer names its transfer in a setting (nothing reads it).
CREATE OR REPLACE FUNCTION arcs.ledger_apply() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
    ids bigint[];
    acc bigint;
    a record;
    ex int;
BEGIN
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
    RETURN NEW;
END $$;

-- The record of a change names who made it: the database user, never a
-- value the writer supplies (column privileges below leave it the default).

-- ------------------------------------------------------ transfer checks

-- Every transfer, whoever inserts it (the functions below, or the owner by
-- hand): the caller's role for its kind, the accounts its kind may use, and
-- the decision behind an allocation. Runs as the caller (not SECURITY
-- DEFINER), so session_user is the login that asked.
CREATE OR REPLACE FUNCTION arcs.ledger_check() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
DECLARE
    k text := CASE WHEN NEW.kind = 'reverse' THEN NEW.sub_kind ELSE NEW.kind END;
    dk text;
    ck text;
    o record;
    ok boolean;
BEGIN
    IF k IN ('allocate', 'disburse') THEN
        IF NOT pg_catalog.pg_has_role(session_user, 'arcs_supervisor', 'MEMBER') THEN
            RAISE EXCEPTION 'permission denied: % needs the arcs_supervisor role', NEW.kind
                USING ERRCODE = 'insufficient_privilege';
        END IF;
    ELSIF NOT pg_catalog.pg_has_role(session_user, 'arcs_analyst', 'MEMBER') THEN
        RAISE EXCEPTION 'permission denied: % needs the arcs_analyst role', NEW.kind
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    -- an account to itself is left to the CHECK constraint
    IF NEW.debit_account = NEW.credit_account THEN
        RETURN NEW;
    END IF;
    SELECT (SELECT a.kind FROM arcs.ledger_accounts a WHERE a.id = NEW.debit_account),
           (SELECT a.kind FROM arcs.ledger_accounts a WHERE a.id = NEW.credit_account)
      INTO dk, ck;
    IF NEW.kind = 'reverse' THEN
        SELECT t.kind, t.debit_account, t.credit_account, t.amount INTO o
          FROM arcs.ledger_transfers t WHERE t.id = NEW.reverses;
        IF NOT FOUND OR o.kind = 'reverse' OR o.kind IS DISTINCT FROM NEW.sub_kind
           OR o.debit_account <> NEW.credit_account OR o.credit_account <> NEW.debit_account
           OR o.amount <> NEW.amount THEN
            RAISE EXCEPTION 'a reversal moves the same amount back between the same two accounts'
                USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END IF;
    ok := CASE NEW.kind
        WHEN 'receive' THEN dk = 'case' AND ck = 'fund'
        WHEN 'escrow_in' THEN dk = 'case' AND ck = 'escrow'
        WHEN 'deduct' THEN dk IN ('escrow', 'fund') AND ck = 'external'
        WHEN 'escrow_release_to_fund' THEN dk = 'escrow' AND ck = 'fund'
        WHEN 'escrow_return_to_owner' THEN dk = 'escrow' AND ck = 'external'
        WHEN 'allocate' THEN dk = 'fund' AND ck = 'project'
        WHEN 'disburse' THEN dk = 'project' AND ck = 'external'
        ELSE false END;
    IF NOT coalesce(ok, false) THEN
        RAISE EXCEPTION 'a % transfer cannot move money from a % account to a % account',
            NEW.kind, coalesce(dk, '?'), coalesce(ck, '?')
            USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.kind = 'allocate' AND NOT EXISTS (SELECT 1 FROM arcs.decisions d
                                              WHERE d.id = NEW.decision_id
                                                AND d.kind = 'allocation') THEN
        RAISE EXCEPTION 'an allocation names a decision of kind allocation'
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;

-- --------------------------------------------------------------- helpers
-- Internal: called by the functions below (as the owner), by no one else.

-- The id of account p_code, made (at zero) when missing.
CREATE FUNCTION arcs.ledger_account_id(p_code text, p_kind text, p_case bigint,
    p_asset bigint, p_project bigint) RETURNS bigint
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
DECLARE
    r bigint;
BEGIN
    SELECT id INTO r FROM arcs.ledger_accounts WHERE code = p_code;
    IF r IS NULL THEN
        INSERT INTO arcs.ledger_accounts (code, kind, case_id, asset_id, project_id)
        VALUES (p_code, p_kind, p_case, p_asset, p_project)
        ON CONFLICT (code) DO NOTHING RETURNING id INTO r;
        IF r IS NULL THEN
            SELECT id INTO r FROM arcs.ledger_accounts WHERE code = p_code;
        END IF;
    END IF;
    RETURN r;
END $$;

-- The role a movement needs, checked on the login that asked.
CREATE FUNCTION arcs.ledger_role_check(p_kind text) RETURNS void
LANGUAGE plpgsql STABLE SET search_path = pg_catalog AS $$
BEGIN
    IF p_kind IN ('allocate', 'disburse') THEN
        IF NOT pg_catalog.pg_has_role(session_user, 'arcs_supervisor', 'MEMBER') THEN
            RAISE EXCEPTION 'permission denied: % needs the arcs_supervisor role', p_kind
                USING ERRCODE = 'insufficient_privilege';
        END IF;
    ELSIF NOT pg_catalog.pg_has_role(session_user, 'arcs_analyst', 'MEMBER') THEN
        RAISE EXCEPTION 'permission denied: % needs the arcs_analyst role', p_kind
            USING ERRCODE = 'insufficient_privilege';
    END IF;
END $$;

-- A retry: the id of the transfer recorded under p_ext_ref for the same
-- request, NULL when there is none; refused when it was another request.
CREATE FUNCTION arcs.ledger_existing(p_ext_ref text, p_request text) RETURNS bigint
LANGUAGE plpgsql STABLE SET search_path = pg_catalog AS $$
DECLARE
    t record;
BEGIN
    IF p_ext_ref IS NULL OR pg_catalog.length(p_ext_ref) NOT BETWEEN 1 AND 200 THEN
        RAISE EXCEPTION 'a reference of 1 to 200 characters is needed'
            USING ERRCODE = 'invalid_parameter_value', HINT = 'give --ref EXTREF';
    END IF;
    SELECT id, request INTO t FROM arcs.ledger_transfers WHERE ext_ref = p_ext_ref;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    IF t.request IS DISTINCT FROM p_request THEN
        RAISE EXCEPTION 'reference ''%'' is recorded already for something different (%)',
            p_ext_ref, t.request
            USING ERRCODE = 'unique_violation', HINT = 'use a new reference';
    END IF;
    RETURN t.id;
END $$;

-- p_amount minor units of p_currency in the base currency at the rate of
-- p_date (the latest on or before it), rounded half to even, once.
CREATE FUNCTION arcs.ledger_convert(p_amount bigint, p_currency text, p_date date,
    OUT amount bigint, OUT rate numeric, OUT rate_date date)
LANGUAGE plpgsql STABLE SET search_path = pg_catalog AS $$
DECLARE
    base text;
    bexp int;
    cexp int;
    v numeric;
    q numeric;
BEGIN
    SELECT s.value, c.exponent INTO base, bexp FROM arcs.settings s
      JOIN arcs.currencies c ON c.code = s.value WHERE s.key = 'base_currency';
    IF base IS NULL THEN
        RAISE EXCEPTION 'the fund has no base currency'
            USING ERRCODE = 'check_violation', HINT = 'run arcs db init --base-currency CCY';
    END IF;
    IF p_amount IS NULL OR p_amount <= 0 THEN
        RAISE EXCEPTION 'an amount above zero is needed' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF p_currency = base THEN
        amount := p_amount;
        rate := 1;
        rate_date := NULL;
        RETURN;
    END IF;
    SELECT exponent INTO cexp FROM arcs.currencies WHERE code = p_currency;
    IF cexp IS NULL THEN
        RAISE EXCEPTION 'unknown currency ''%''', p_currency
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT pg_catalog.trim_scale(f.rate), f.rate_date INTO rate, rate_date FROM arcs.fx_rates f
     WHERE f.currency = p_currency AND f.rate_date <= p_date
     ORDER BY f.rate_date DESC LIMIT 1;
    IF rate IS NULL THEN
        RAISE EXCEPTION 'no % rate on or before %', p_currency, pg_catalog.to_char(p_date, 'YYYY-MM-DD')
            USING ERRCODE = 'check_violation',
                  HINT = pg_catalog.format('add one with arcs fx set %s %s RATE', p_currency,
                                           pg_catalog.to_char(p_date, 'YYYY-MM-DD'));
    END IF;
    -- exact: numeric multiplication and powers of ten lose nothing
    v := p_amount::numeric * rate * (10::numeric ^ (bexp - cexp));
    q := pg_catalog.trunc(v);
    IF v - q > 0.5 OR (v - q = 0.5 AND pg_catalog.mod(q, 2) = 1) THEN
        q := q + 1;
    END IF;
    IF q > 9223372036854775807 THEN
        RAISE EXCEPTION 'converted amount does not fit'
            USING ERRCODE = 'numeric_value_out_of_range', HINT = 'check the amount and the rate';
    END IF;
    amount := q::bigint;
    IF amount <= 0 THEN
        RAISE EXCEPTION '% % converts to zero % at rate %',
            pg_catalog.round(p_amount::numeric / 10::numeric ^ cexp, cexp), p_currency, base, rate
            USING ERRCODE = 'invalid_parameter_value', HINT = 'give a larger amount';
    END IF;
END $$;

-- Record a transfer; a concurrent one under the same reference makes the
-- caller's transaction run again, and then ledger_existing finds it.
CREATE FUNCTION arcs.ledger_insert(p_ext_ref text, p_debit bigint, p_credit bigint,
    p_amount bigint, p_orig_amount bigint, p_orig_currency text, p_rate numeric,
    p_rate_date date, p_kind text, p_sub_kind text, p_reverses bigint, p_case bigint,
    p_asset bigint, p_project bigint, p_decision bigint, p_date date, p_request text)
RETURNS bigint
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
DECLARE
    r bigint;
BEGIN
    INSERT INTO arcs.ledger_transfers (ext_ref, debit_account, credit_account, amount,
        orig_amount, orig_currency, fx_rate, fx_rate_date, kind, sub_kind, reverses, case_id,
        asset_id, project_id, decision_id, value_date, request)
    VALUES (p_ext_ref, p_debit, p_credit, p_amount, p_orig_amount, p_orig_currency, p_rate,
        p_rate_date, p_kind, p_sub_kind, p_reverses, p_case, p_asset, p_project, p_decision,
        p_date, p_request)
    ON CONFLICT DO NOTHING RETURNING id INTO r;
    IF r IS NULL THEN
        RAISE EXCEPTION 'reference ''%'' (or its reversal) was recorded concurrently; retry',
            p_ext_ref USING ERRCODE = 'serialization_failure';
    END IF;
    RETURN r;
END $$;

-- An asset's case, state and where its realization came from.
CREATE FUNCTION arcs.ledger_asset(p_asset bigint, OUT case_id bigint, OUT case_ref text,
    OUT state text, OUT realized_from text)
LANGUAGE plpgsql STABLE SET search_path = pg_catalog AS $$
BEGIN
    SELECT a.case_id, c.ref, a.state,
           coalesce((SELECT x.from_state FROM arcs.asset_transitions x
                      WHERE x.asset_id = a.id AND x.to_state = 'realized'
                      ORDER BY x.id DESC LIMIT 1), '')
      INTO case_id, case_ref, state, realized_from
      FROM arcs.assets a JOIN arcs.cases c ON c.id = a.case_id WHERE a.id = p_asset;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'asset % not found', p_asset
            USING ERRCODE = 'no_data_found', HINT = 'arcs asset list shows the ids';
    END IF;
END $$;

-- ---------------------------------------------------------- the movements
-- Each returns the transfer's id and whether it was recorded before (a
-- retry of the same request under the same reference).

CREATE FUNCTION arcs.fund_receive(p_ext_ref text, p_asset bigint, p_amount bigint,
    p_currency text, p_date date, p_kind text, p_escrow boolean,
    OUT transfer_id bigint, OUT existed boolean)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
    req text;
    a record;
    cv record;
    to_escrow boolean;
BEGIN
    PERFORM arcs.ledger_role_check('receive');
    req := pg_catalog.format('receive asset=%s amount=%s %s date=%s kind=%s escrow=%s', p_asset,
        p_amount, p_currency, pg_catalog.to_char(p_date, 'YYYY-MM-DD'), p_kind,
        CASE WHEN p_escrow THEN 1 ELSE 0 END);
    transfer_id := arcs.ledger_existing(p_ext_ref, req);
    existed := transfer_id IS NOT NULL;
    IF existed THEN
        RETURN;
    END IF;
    IF p_kind IS NULL OR p_kind NOT IN ('sale_proceeds', 'confiscated_cash', 'voluntary_payment',
                                        'foreign_return', 'management_income') THEN
        RAISE EXCEPTION 'unknown receipt kind ''%''', p_kind
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'use sale_proceeds, confiscated_cash, voluntary_payment, foreign_return or management_income';
    END IF;
    cv := arcs.ledger_convert(p_amount, p_currency, p_date);
    a := arcs.ledger_asset(p_asset);
    IF a.state IN ('released', 'returned_abroad', 'destroyed') THEN
        RAISE EXCEPTION 'asset % is %: it brings no proceeds to the fund', p_asset, a.state
            USING ERRCODE = 'check_violation';
    END IF;
    to_escrow := coalesce(p_escrow, false) OR a.state IN ('identified', 'frozen', 'seized')
                 OR (a.state = 'realized' AND a.realized_from = 'seized');
    transfer_id := arcs.ledger_insert(p_ext_ref,
        arcs.ledger_account_id('case:' || a.case_ref || ':proceeds', 'case', a.case_id, NULL, NULL),
        CASE WHEN to_escrow
             THEN arcs.ledger_account_id('escrow:asset:' || p_asset, 'escrow', a.case_id, p_asset, NULL)
             ELSE arcs.ledger_account_id('fund', 'fund', NULL, NULL, NULL) END,
        cv.amount, p_amount, p_currency, cv.rate, cv.rate_date,
        CASE WHEN to_escrow THEN 'escrow_in' ELSE 'receive' END, p_kind, NULL, a.case_id,
        p_asset, NULL, NULL, p_date, req);
END $$;

CREATE FUNCTION arcs.fund_deduct(p_ext_ref text, p_asset bigint, p_amount bigint,
    p_currency text, p_date date, p_kind text, OUT transfer_id bigint, OUT existed boolean)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
    req text;
    a record;
    cv record;
    esc record;
BEGIN
    PERFORM arcs.ledger_role_check('deduct');
    req := pg_catalog.format('deduct asset=%s amount=%s %s date=%s kind=%s', p_asset, p_amount,
        p_currency, pg_catalog.to_char(p_date, 'YYYY-MM-DD'), p_kind);
    transfer_id := arcs.ledger_existing(p_ext_ref, req);
    existed := transfer_id IS NOT NULL;
    IF existed THEN
        RETURN;
    END IF;
    IF p_kind IS NULL OR p_kind NOT IN ('creditor', 'victim', 'cost', 'foreign_share') THEN
        RAISE EXCEPTION 'deduction kind ''%'' is not one of creditor, victim, cost, foreign_share',
            p_kind USING ERRCODE = 'invalid_parameter_value', HINT = 'give --kind';
    END IF;
    cv := arcs.ledger_convert(p_amount, p_currency, p_date);
    a := arcs.ledger_asset(p_asset);
    -- from the asset's escrow while it holds money, else from the fund (the
    -- lots trigger takes it from the case's own receipts there)
    SELECT id, credits - debits AS bal INTO esc FROM arcs.ledger_accounts
     WHERE code = 'escrow:asset:' || p_asset;
    transfer_id := arcs.ledger_insert(p_ext_ref,
        CASE WHEN esc.id IS NOT NULL AND esc.bal > 0 THEN esc.id
             ELSE arcs.ledger_account_id('fund', 'fund', NULL, NULL, NULL) END,
        arcs.ledger_account_id('external:deduction:' || p_kind, 'external', NULL, NULL, NULL),
        cv.amount, p_amount, p_currency, cv.rate, cv.rate_date, 'deduct', p_kind, NULL,
        a.case_id, p_asset, NULL, NULL, p_date, req);
END $$;

CREATE FUNCTION arcs.fund_release_escrow(p_ext_ref text, p_asset bigint, p_to text,
    p_date date, OUT transfer_id bigint, OUT existed boolean)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
    req text;
    a record;
    esc record;
    base text;
BEGIN
    PERFORM arcs.ledger_role_check('escrow release');
    req := pg_catalog.format('release asset=%s to=%s date=%s', p_asset, p_to,
        pg_catalog.to_char(p_date, 'YYYY-MM-DD'));
    transfer_id := arcs.ledger_existing(p_ext_ref, req);
    existed := transfer_id IS NOT NULL;
    IF existed THEN
        RETURN;
    END IF;
    IF p_to IS NULL OR p_to NOT IN ('fund', 'owner') THEN
        RAISE EXCEPTION '--to must be fund or owner, not ''%''', p_to
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    a := arcs.ledger_asset(p_asset);
    -- the row lock makes the amount read here the amount moved
    SELECT id, credits - debits AS bal INTO esc FROM arcs.ledger_accounts
     WHERE code = 'escrow:asset:' || p_asset FOR UPDATE;
    IF esc.id IS NULL OR esc.bal <= 0 THEN
        RAISE EXCEPTION 'asset % has nothing in escrow', p_asset
            USING ERRCODE = 'check_violation',
                  HINT = 'record the proceeds with arcs fund receive first';
    END IF;
    SELECT value INTO base FROM arcs.settings WHERE key = 'base_currency';
    transfer_id := arcs.ledger_insert(p_ext_ref, esc.id,
        CASE WHEN p_to = 'fund' THEN arcs.ledger_account_id('fund', 'fund', NULL, NULL, NULL)
             ELSE arcs.ledger_account_id('external:owner', 'external', NULL, NULL, NULL) END,
        esc.bal, esc.bal, base, 1, NULL,
        CASE WHEN p_to = 'fund' THEN 'escrow_release_to_fund' ELSE 'escrow_return_to_owner' END,
        NULL, NULL, a.case_id, p_asset, NULL, NULL, p_date, req);
END $$;

CREATE FUNCTION arcs.fund_reverse(p_ext_ref text, p_reverses text, p_date date,
    OUT transfer_id bigint, OUT existed boolean)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
    req text;
    o record;
    r text;
BEGIN
    req := pg_catalog.format('reverse of=%s date=%s', p_reverses,
        pg_catalog.to_char(p_date, 'YYYY-MM-DD'));
    SELECT t.* INTO o FROM arcs.ledger_transfers t WHERE t.ext_ref = p_reverses;
    -- reversing an allocation or a disbursement is a supervisor's act too
    PERFORM arcs.ledger_role_check(CASE WHEN o.kind IN ('allocate', 'disburse') THEN o.kind
                                        ELSE 'reverse' END);
    transfer_id := arcs.ledger_existing(p_ext_ref, req);
    existed := transfer_id IS NOT NULL;
    IF existed THEN
        RETURN;
    END IF;
    IF o.id IS NULL THEN
        RAISE EXCEPTION 'no transfer with reference ''%'' to reverse', p_reverses
            USING ERRCODE = 'no_data_found', HINT = 'check --reverses';
    END IF;
    IF o.kind = 'reverse' THEN
        RAISE EXCEPTION '''%'' is a reversal and cannot be reversed', p_reverses
            USING ERRCODE = 'check_violation',
                  HINT = 'record the transfer again with a new reference';
    END IF;
    SELECT x.ext_ref INTO r FROM arcs.ledger_transfers x WHERE x.reverses = o.id;
    IF r IS NOT NULL THEN
        RAISE EXCEPTION '''%'' is reversed already by ''%''', p_reverses, r
            USING ERRCODE = 'check_violation';
    END IF;
    transfer_id := arcs.ledger_insert(p_ext_ref, o.credit_account, o.debit_account, o.amount,
        o.orig_amount, o.orig_currency, o.fx_rate, o.fx_rate_date, 'reverse', o.kind, o.id,
        o.case_id, o.asset_id, o.project_id, o.decision_id, p_date, req);
END $$;

-- An allocation from the fund to a project, by an allocation decision,
-- attributed to the cases whose money pays for it: the named sources
-- (case refs and amounts, adding up to the amount) or FIFO over the fund's
-- receipts.
CREATE FUNCTION arcs.ledger_allocate(p_ext_ref text, p_project text, p_amount bigint,
    p_decision text, p_date date, p_source_cases text[], p_source_amounts bigint[],
    OUT transfer_id bigint, OUT existed boolean)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
    req text;
    n int := coalesce(pg_catalog.cardinality(p_source_cases), 0);
    k record;
    cid bigint;
    ids bigint[] := '{}';
    amts bigint[] := '{}';
    j int;
    s numeric := 0;
BEGIN
    PERFORM arcs.ledger_role_check('allocate');
    IF n <> coalesce(pg_catalog.cardinality(p_source_amounts), 0) THEN
        RAISE EXCEPTION 'each source names a case and an amount'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    req := pg_catalog.format('allocate project=%s amount=%s date=%s decision=%s', p_project,
        p_amount, pg_catalog.to_char(p_date, 'YYYY-MM-DD'), coalesce(p_decision, ''));
    FOR i IN 1 .. n LOOP
        req := req || pg_catalog.format(' source=%s:%s', p_source_cases[i], p_source_amounts[i]);
    END LOOP;
    -- everything the allocation names, in one statement (this runs once per
    -- connection of the CLI: each statement is planned anew)
    SELECT (SELECT x.id FROM arcs.ledger_transfers x WHERE x.ext_ref = p_ext_ref) AS ex_id,
           (SELECT x.request FROM arcs.ledger_transfers x WHERE x.ext_ref = p_ext_ref) AS ex_req,
           (SELECT x.id FROM arcs.projects x WHERE x.code = p_project) AS project,
           (SELECT x.id FROM arcs.decisions x WHERE x.ref = p_decision) AS decision,
           (SELECT x.kind FROM arcs.decisions x WHERE x.ref = p_decision) AS dkind,
           (SELECT x.id FROM arcs.ledger_accounts x WHERE x.code = 'fund') AS fund,
           (SELECT x.id FROM arcs.ledger_accounts x
             WHERE x.code = 'project:' || p_project) AS account,
           (SELECT x.value FROM arcs.settings x WHERE x.key = 'base_currency') AS base
      INTO k;
    IF k.ex_id IS NOT NULL THEN
        IF k.ex_req IS DISTINCT FROM req THEN
            RAISE EXCEPTION 'reference ''%'' is recorded already for something different (%)',
                p_ext_ref, k.ex_req
                USING ERRCODE = 'unique_violation', HINT = 'use a new reference';
        END IF;
        transfer_id := k.ex_id;
        existed := true;
        RETURN;
    END IF;
    existed := false;
    IF p_amount IS NULL OR p_amount <= 0 THEN
        RAISE EXCEPTION 'an amount above zero is needed' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF k.project IS NULL THEN
        RAISE EXCEPTION 'project ''%'' not found', p_project
            USING ERRCODE = 'no_data_found', HINT = 'add it with arcs project add';
    END IF;
    IF k.decision IS NULL THEN
        RAISE EXCEPTION 'decision ''%'' not found', p_decision
            USING ERRCODE = 'no_data_found',
                  HINT = 'record it with arcs decision add --kind allocation';
    END IF;
    IF k.dkind <> 'allocation' THEN
        RAISE EXCEPTION 'decision ''%'' is a % decision, not an allocation', p_decision, k.dkind
            USING ERRCODE = 'check_violation', HINT = 'name an allocation decision';
    END IF;
    FOR i IN 1 .. n LOOP
        IF p_source_amounts[i] IS NULL OR p_source_amounts[i] <= 0 THEN
            RAISE EXCEPTION 'source %: an amount above zero is needed', p_source_cases[i]
                USING ERRCODE = 'invalid_parameter_value';
        END IF;
        SELECT id INTO cid FROM arcs.cases WHERE ref = p_source_cases[i];
        IF cid IS NULL THEN
            RAISE EXCEPTION 'source case ''%'' not found', p_source_cases[i]
                USING ERRCODE = 'no_data_found';
        END IF;
        s := s + p_source_amounts[i];
        j := pg_catalog.array_position(ids, cid);
        IF j IS NULL THEN
            ids := ids || cid;
            amts := amts || p_source_amounts[i];
        ELSE
            amts[j] := amts[j] + p_source_amounts[i];
        END IF;
    END LOOP;
    IF n > 0 AND s <> p_amount THEN
        RAISE EXCEPTION 'the source amounts add up to % minor units, not the allocation''s %',
            s, p_amount USING ERRCODE = 'invalid_parameter_value', HINT = 'make them equal';
    END IF;
    transfer_id := arcs.ledger_insert(p_ext_ref,
        coalesce(k.fund, arcs.ledger_account_id('fund', 'fund', NULL, NULL, NULL)),
        coalesce(k.account, arcs.ledger_account_id('project:' || p_project, 'project', NULL,
                                                   NULL, k.project)),
        p_amount, p_amount, k.base, 1, NULL, 'allocate', NULL, NULL, NULL, NULL, k.project,
        k.decision, p_date, req);
    -- each source's insert takes its money from the case's lots, or is
    -- refused there (ledger_lots_source)
    IF n > 0 THEN
        INSERT INTO arcs.allocation_sources (transfer_id, case_id, amount, named)
        SELECT transfer_id, u.c, u.a, true FROM unnest(ids, amts) WITH ORDINALITY u(c, a, o)
         ORDER BY u.o;
    ELSIF NOT arcs.ledger_attribute_fifo(transfer_id, p_amount) THEN
        RAISE EXCEPTION 'the fund''s receipts do not cover this allocation'
            USING ERRCODE = 'check_violation', HINT = 'record the receipts first';
    END IF;
END $$;

CREATE FUNCTION arcs.ledger_disburse(p_ext_ref text, p_project text, p_amount bigint,
    p_date date, OUT transfer_id bigint, OUT existed boolean)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
    req text;
    p record;
BEGIN
    PERFORM arcs.ledger_role_check('disburse');
    req := pg_catalog.format('disburse project=%s amount=%s date=%s decision=', p_project,
        p_amount, pg_catalog.to_char(p_date, 'YYYY-MM-DD'));
    transfer_id := arcs.ledger_existing(p_ext_ref, req);
    existed := transfer_id IS NOT NULL;
    IF existed THEN
        RETURN;
    END IF;
    IF p_amount IS NULL OR p_amount <= 0 THEN
        RAISE EXCEPTION 'an amount above zero is needed' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT id INTO p FROM arcs.projects WHERE code = p_project;
    IF p.id IS NULL THEN
        RAISE EXCEPTION 'project ''%'' not found', p_project
            USING ERRCODE = 'no_data_found', HINT = 'add it with arcs project add';
    END IF;
    transfer_id := arcs.ledger_insert(p_ext_ref,
        arcs.ledger_account_id('project:' || p_project, 'project', NULL, NULL, p.id),
        arcs.ledger_account_id('external:disbursed:' || p_project, 'external', NULL, NULL, p.id),
        p_amount, p_amount, (SELECT value FROM arcs.settings WHERE key = 'base_currency'), 1,
        NULL, 'disburse', NULL, NULL, NULL, NULL, p.id, NULL, p_date, req);
END $$;

-- A project's two accounts (at zero), made when the project is added: by
-- whoever may add projects (moves no money).
CREATE FUNCTION arcs.project_accounts(p_project text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
    pid bigint;
BEGIN
    SELECT id INTO pid FROM arcs.projects WHERE code = p_project;
    IF pid IS NULL THEN
        RAISE EXCEPTION 'project ''%'' not found', p_project
            USING ERRCODE = 'no_data_found', HINT = 'add it with arcs project add';
    END IF;
    PERFORM arcs.ledger_account_id('project:' || p_project, 'project', NULL, NULL, pid);
    PERFORM arcs.ledger_account_id('external:disbursed:' || p_project, 'external', NULL, NULL, pid);
END $$;

-- ---------------------------------------------------------------- grants

REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON arcs.ledger_accounts, arcs.ledger_transfers,
    arcs.allocation_sources, arcs.ledger_lots FROM PUBLIC, arcs_analyst, arcs_supervisor,
    arcs_admin, arcs_auditor;

-- Internal helpers: no caller runs them directly.
REVOKE ALL ON FUNCTION arcs.ledger_account_id(text, text,
    bigint, bigint, bigint), arcs.ledger_role_check(text), arcs.ledger_existing(text, text),
    arcs.ledger_convert(bigint, text, date), arcs.ledger_insert(text, bigint, bigint, bigint,
    bigint, text, numeric, date, text, text, bigint, bigint, bigint, bigint, bigint, date, text),
    arcs.ledger_asset(bigint), arcs.ledger_attribute_fifo(bigint, bigint),
    arcs.ledger_lots_take(bigint, bigint, text), arcs.ledger_lots_give(bigint, bigint),
    arcs.ledger_lots_settle(bigint) FROM PUBLIC;
-- (owner_trigger_context stays executable by all: the guards call it as
-- whoever updates the row, and it only answers a question.)

-- The movements: analysts (supervisors are analysts too); each checks the
-- role its kind needs. arcs_admin moves no money (SPEC §2).
REVOKE ALL ON FUNCTION arcs.fund_receive(text, bigint, bigint, text, date, text, boolean),
    arcs.fund_deduct(text, bigint, bigint, text, date, text),
    arcs.fund_release_escrow(text, bigint, text, date), arcs.fund_reverse(text, text, date),
    arcs.ledger_allocate(text, text, bigint, text, date, text[], bigint[]),
    arcs.ledger_disburse(text, text, bigint, date), arcs.project_accounts(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION arcs.fund_receive(text, bigint, bigint, text, date, text, boolean),
    arcs.fund_deduct(text, bigint, bigint, text, date, text),
    arcs.fund_release_escrow(text, bigint, text, date), arcs.fund_reverse(text, text, date),
    arcs.ledger_allocate(text, text, bigint, text, date, text[], bigint[]),
    arcs.ledger_disburse(text, text, bigint, date) TO arcs_analyst, arcs_supervisor;
GRANT EXECUTE ON FUNCTION arcs.project_accounts(text) TO arcs_analyst, arcs_supervisor,
    arcs_admin;

-- The record of a status change or a transition names who made it: a
-- writer inserts every column but db_user and created_at, which keep their
-- defaults (session_user, now()).
REVOKE INSERT ON arcs.case_status_changes, arcs.asset_transitions FROM arcs_analyst, arcs_admin;
GRANT INSERT (case_id, from_status, to_status, decision_id, on_date, actor)
    ON arcs.case_status_changes TO arcs_analyst, arcs_admin;
GRANT INSERT (asset_id, from_state, to_state, decision_id, on_date, note, amount, currency, actor)
    ON arcs.asset_transitions TO arcs_analyst, arcs_admin;

-- Nor do writers draw numbers from the ledger's sequences (the functions
-- do, as the owner).
REVOKE ALL ON SEQUENCE arcs.ledger_accounts_id_seq, arcs.ledger_transfers_id_seq
    FROM arcs_analyst, arcs_admin;
