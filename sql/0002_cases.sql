-- 0002: cases, subjects, decisions, assets and their legal life cycle.
--
-- The asset state machine lives here, in the database, so that no client can
-- break it: a state changes only by recording a transition (which names a
-- decision, a date and an actor), and a transition the table below does not
-- allow is refused.

CREATE TABLE arcs.cases (
    id bigserial PRIMARY KEY,
    ref text NOT NULL UNIQUE CHECK (ref ~ '^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$'),
    title text NOT NULL CHECK (length(title) BETWEEN 1 AND 500),
    route text NOT NULL DEFAULT 'criminal' CHECK (route IN
        ('criminal', 'non_conviction', 'civil', 'administrative', 'voluntary')),
    offences text[] NOT NULL DEFAULT '{}' CHECK (offences <@ ARRAY[
        'bribery', 'embezzlement', 'trading_in_influence', 'abuse_of_functions',
        'illicit_enrichment', 'money_laundering', 'concealment', 'other']::text[]),
    status text NOT NULL DEFAULT 'open' CHECK (status IN
        ('open', 'investigation', 'prosecution', 'trial', 'judgment', 'appeal',
         'enforcement', 'suspended', 'closed')),
    opened_on date NOT NULL DEFAULT current_date,
    closed_on date CHECK (closed_on IS NULL OR closed_on >= opened_on),
    lead_agency text,
    cluster text,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE arcs.case_jurisdictions (
    case_id bigint NOT NULL REFERENCES arcs.cases (id),
    role text NOT NULL CHECK (role IN ('victim', 'holding', 'transit', 'bribe_payer')),
    country char(2) NOT NULL REFERENCES arcs.countries (code),
    PRIMARY KEY (case_id, role, country)
);

CREATE TABLE arcs.subjects (
    id bigserial PRIMARY KEY,
    case_id bigint NOT NULL REFERENCES arcs.cases (id),
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 500),
    kind text NOT NULL CHECK (kind IN ('person', 'entity')),
    role text NOT NULL CHECK (role IN ('defendant', 'beneficial_owner', 'nominee',
        'third_party', 'bona_fide_acquirer', 'creditor', 'victim')),
    country char(2) REFERENCES arcs.countries (code),
    id_number text, -- personal data: masked in reports unless asked for
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ON arcs.subjects (case_id);

-- A legal act. Its ref is unique across the system, so commands can name it
-- alone (an allocation decision belongs to the fund, not to a case).
CREATE TABLE arcs.decisions (
    id bigserial PRIMARY KEY,
    case_id bigint REFERENCES arcs.cases (id),
    kind text NOT NULL CHECK (kind IN ('freeze', 'seizure', 'confiscation', 'appeal',
        'release', 'return_agreement', 'sharing_agreement', 'allocation')),
    ref text NOT NULL UNIQUE CHECK (length(ref) BETWEEN 1 AND 200),
    issuer text NOT NULL CHECK (length(issuer) BETWEEN 1 AND 500),
    issued_on date NOT NULL,
    effective_on date,
    final_on date CHECK (final_on IS NULL OR final_on >= issued_on),
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ON arcs.decisions (case_id);

CREATE TABLE arcs.asset_states (
    state text PRIMARY KEY,
    final boolean NOT NULL
);
INSERT INTO arcs.asset_states VALUES
    ('identified', false), ('frozen', false), ('seized', false), ('confiscated', false),
    ('realized', true), ('transferred_in_kind', true), ('returned_abroad', true),
    ('destroyed', true), ('released', true);

-- SPEC §1: the moves the law allows.
CREATE TABLE arcs.asset_moves (
    from_state text NOT NULL REFERENCES arcs.asset_states (state),
    to_state text NOT NULL REFERENCES arcs.asset_states (state),
    PRIMARY KEY (from_state, to_state)
);
INSERT INTO arcs.asset_moves VALUES
    ('identified', 'frozen'), ('identified', 'seized'), ('identified', 'confiscated'),
    ('identified', 'released'),
    ('frozen', 'seized'), ('frozen', 'confiscated'), ('frozen', 'released'),
    ('seized', 'confiscated'), ('seized', 'realized'), ('seized', 'released'),
    ('confiscated', 'realized'), ('confiscated', 'transferred_in_kind'),
    ('confiscated', 'returned_abroad'), ('confiscated', 'destroyed'),
    ('confiscated', 'frozen');

CREATE TABLE arcs.assets (
    id bigserial PRIMARY KEY,
    case_id bigint NOT NULL REFERENCES arcs.cases (id),
    external_ref text UNIQUE CHECK (length(external_ref) BETWEEN 1 AND 200),
    kind text NOT NULL CHECK (kind IN ('real_estate', 'bank_account', 'securities',
        'company_shares', 'vehicle', 'cash', 'crypto', 'precious_metals', 'art', 'other')),
    description text NOT NULL CHECK (length(description) BETWEEN 1 AND 2000),
    country char(2) NOT NULL REFERENCES arcs.countries (code),
    identifiers text,  -- cadastral number, IBAN, VIN ...
    custodian text,
    state text NOT NULL DEFAULT 'identified' REFERENCES arcs.asset_states (state),
    state_since date,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ON arcs.assets (case_id);
CREATE INDEX ON arcs.assets (state);

-- Valuations are kept per event and never overwritten.
CREATE TABLE arcs.valuations (
    id bigserial PRIMARY KEY,
    asset_id bigint NOT NULL REFERENCES arcs.assets (id),
    amount bigint NOT NULL CHECK (amount > 0),
    currency char(3) NOT NULL REFERENCES arcs.currencies (code),
    valued_on date NOT NULL,
    method text NOT NULL DEFAULT 'estimate' CHECK (method IN
        ('estimate', 'appraisal', 'market', 'sale')),
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ON arcs.valuations (asset_id, valued_on);

-- The history is the record: one row per state change.
CREATE TABLE arcs.asset_transitions (
    id bigserial PRIMARY KEY,
    asset_id bigint NOT NULL REFERENCES arcs.assets (id),
    from_state text NOT NULL REFERENCES arcs.asset_states (state),
    to_state text NOT NULL REFERENCES arcs.asset_states (state),
    decision_id bigint NOT NULL REFERENCES arcs.decisions (id),
    on_date date NOT NULL,
    note text,
    amount bigint CHECK (amount > 0),
    currency char(3) REFERENCES arcs.currencies (code),
    actor text NOT NULL DEFAULT coalesce(nullif(current_setting('arcs.actor', true), ''),
                                         session_user),
    db_user text NOT NULL DEFAULT session_user,
    created_at timestamptz NOT NULL DEFAULT now(),
    CHECK ((amount IS NULL) = (currency IS NULL)),
    CHECK (to_state <> 'realized' OR amount IS NOT NULL)
);
CREATE INDEX ON arcs.asset_transitions (asset_id, id);

-- A transition is legal when the asset is in from_state now and the move is
-- allowed; then it moves the asset. Runs for every writer, psql included.
CREATE FUNCTION arcs.transition_apply() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
DECLARE
    cur text;
    asset_case bigint;
    decision_case bigint;
BEGIN
    SELECT state, case_id INTO cur, asset_case FROM arcs.assets WHERE id = NEW.asset_id FOR UPDATE;
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
    SELECT case_id INTO decision_case FROM arcs.decisions WHERE id = NEW.decision_id;
    IF decision_case IS NOT NULL AND decision_case <> asset_case THEN
        RAISE EXCEPTION 'decision % belongs to another case than asset %',
            NEW.decision_id, NEW.asset_id USING ERRCODE = 'check_violation';
    END IF;
    PERFORM pg_catalog.set_config('arcs.transition', NEW.id::text, true);
    UPDATE arcs.assets SET state = NEW.to_state, state_since = NEW.on_date WHERE id = NEW.asset_id;
    PERFORM pg_catalog.set_config('arcs.transition', '', true);
    RETURN NEW;
END $$;

CREATE TRIGGER transition_apply AFTER INSERT ON arcs.asset_transitions
    FOR EACH ROW EXECUTE FUNCTION arcs.transition_apply();

-- An asset is born identified, and its state moves only through a recorded
-- transition: a direct UPDATE of the state is refused, legal or not.
CREATE FUNCTION arcs.asset_guard() RETURNS trigger
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
        -- transition_apply names the row it applies; it must be this asset's
        -- newest transition, from the old state to the new one, so setting
        -- arcs.transition by hand moves nothing.
        IF NOT EXISTS (SELECT 1 FROM arcs.asset_transitions t
                       WHERE t.id::text = coalesce(current_setting('arcs.transition', true), '')
                         AND t.asset_id = OLD.id AND t.from_state = OLD.state
                         AND t.to_state = NEW.state AND t.on_date = NEW.state_since
                         AND NOT EXISTS (SELECT 1 FROM arcs.asset_transitions u
                                         WHERE u.asset_id = OLD.id AND u.id > t.id)) THEN
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

-- The insert check runs only for a row that breaks it (the WHEN clause is
-- evaluated without calling the function), so a bulk import pays nothing.
CREATE TRIGGER asset_guard_insert BEFORE INSERT ON arcs.assets
    FOR EACH ROW WHEN (NEW.state IS DISTINCT FROM 'identified')
    EXECUTE FUNCTION arcs.asset_guard();
CREATE TRIGGER asset_guard BEFORE UPDATE ON arcs.assets
    FOR EACH ROW EXECUTE FUNCTION arcs.asset_guard();

-- History and valuations are append-only.
CREATE FUNCTION arcs.append_only() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
BEGIN
    RAISE EXCEPTION '% of %.% refused: the table is append-only', TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME
        USING ERRCODE = 'check_violation',
              HINT = 'record a new row that corrects the old one';
END $$;

CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON arcs.asset_transitions
    FOR EACH ROW EXECUTE FUNCTION arcs.append_only();
CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON arcs.valuations
    FOR EACH ROW EXECUTE FUNCTION arcs.append_only();

ALTER TABLE arcs.asset_transitions ENABLE ALWAYS TRIGGER transition_apply;
ALTER TABLE arcs.asset_transitions ENABLE ALWAYS TRIGGER append_only;
ALTER TABLE arcs.valuations ENABLE ALWAYS TRIGGER append_only;
ALTER TABLE arcs.assets ENABLE ALWAYS TRIGGER asset_guard;
ALTER TABLE arcs.assets ENABLE ALWAYS TRIGGER asset_guard_insert;
-- TRUNCATE fires no row trigger: refuse it on the history too.
CREATE TRIGGER append_only_truncate BEFORE TRUNCATE ON arcs.asset_transitions
    FOR EACH STATEMENT EXECUTE FUNCTION arcs.append_only();
CREATE TRIGGER append_only_truncate BEFORE TRUNCATE ON arcs.valuations
    FOR EACH STATEMENT EXECUTE FUNCTION arcs.append_only();
ALTER TABLE arcs.asset_transitions ENABLE ALWAYS TRIGGER append_only_truncate;
ALTER TABLE arcs.valuations ENABLE ALWAYS TRIGGER append_only_truncate;

CREATE TABLE arcs.decision_assets (
    decision_id bigint NOT NULL REFERENCES arcs.decisions (id),
    asset_id bigint NOT NULL REFERENCES arcs.assets (id),
    PRIMARY KEY (decision_id, asset_id)
);

-- A case's status changes only by recording the change, which names the
-- decision behind it, the date and the actor: the history is the record.
CREATE TABLE arcs.case_status_changes (
    id bigserial PRIMARY KEY,
    case_id bigint NOT NULL REFERENCES arcs.cases (id),
    from_status text NOT NULL,
    to_status text NOT NULL CHECK (to_status IN
        ('open', 'investigation', 'prosecution', 'trial', 'judgment', 'appeal',
         'enforcement', 'suspended', 'closed')),
    decision_id bigint NOT NULL REFERENCES arcs.decisions (id),
    on_date date NOT NULL,
    actor text NOT NULL DEFAULT coalesce(nullif(current_setting('arcs.actor', true), ''),
                                         session_user),
    db_user text NOT NULL DEFAULT session_user,
    created_at timestamptz NOT NULL DEFAULT now(),
    CHECK (from_status <> to_status)
);
CREATE INDEX ON arcs.case_status_changes (case_id, id);

CREATE FUNCTION arcs.case_status_apply() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
DECLARE
    cur text;
    opened date;
    decision_case bigint;
BEGIN
    SELECT status, opened_on INTO cur, opened FROM arcs.cases WHERE id = NEW.case_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'case % not found', NEW.case_id USING ERRCODE = 'foreign_key_violation';
    END IF;
    IF cur <> NEW.from_status THEN
        RAISE EXCEPTION 'case % is %, not %', NEW.case_id, cur, NEW.from_status
            USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.on_date < opened THEN
        RAISE EXCEPTION 'a status change dated % is before the case was opened (%)',
            NEW.on_date, opened USING ERRCODE = 'check_violation';
    END IF;
    SELECT case_id INTO decision_case FROM arcs.decisions WHERE id = NEW.decision_id;
    IF decision_case IS DISTINCT FROM NEW.case_id THEN
        RAISE EXCEPTION 'decision % belongs to another case than case %',
            NEW.decision_id, NEW.case_id USING ERRCODE = 'check_violation';
    END IF;
    PERFORM pg_catalog.set_config('arcs.case_status', NEW.id::text, true);
    UPDATE arcs.cases
       SET status = NEW.to_status,
           closed_on = CASE WHEN NEW.to_status = 'closed' THEN NEW.on_date END
     WHERE id = NEW.case_id;
    PERFORM pg_catalog.set_config('arcs.case_status', '', true);
    RETURN NEW;
END $$;

CREATE TRIGGER case_status_apply AFTER INSERT ON arcs.case_status_changes
    FOR EACH ROW EXECUTE FUNCTION arcs.case_status_apply();

-- A direct UPDATE of a case's status (or closing date) is refused.
CREATE FUNCTION arcs.case_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
BEGIN
    IF (NEW.status IS DISTINCT FROM OLD.status OR NEW.closed_on IS DISTINCT FROM OLD.closed_on)
       AND coalesce(current_setting('arcs.case_status', true), '') = '' THEN
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

CREATE TRIGGER case_guard BEFORE UPDATE ON arcs.cases
    FOR EACH ROW EXECUTE FUNCTION arcs.case_guard();
CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON arcs.case_status_changes
    FOR EACH ROW EXECUTE FUNCTION arcs.append_only();
ALTER TABLE arcs.case_status_changes ENABLE ALWAYS TRIGGER case_status_apply;
ALTER TABLE arcs.case_status_changes ENABLE ALWAYS TRIGGER append_only;
ALTER TABLE arcs.cases ENABLE ALWAYS TRIGGER case_guard;

-- Grants (SPEC §2): auditors read, analysts enter case data, admins own.
GRANT USAGE ON SCHEMA arcs TO arcs_analyst, arcs_supervisor, arcs_auditor, arcs_admin;
GRANT SELECT ON ALL TABLES IN SCHEMA arcs TO arcs_analyst, arcs_supervisor, arcs_auditor, arcs_admin;
GRANT INSERT, UPDATE ON arcs.cases, arcs.case_jurisdictions, arcs.subjects, arcs.decisions,
    arcs.assets, arcs.decision_assets TO arcs_analyst, arcs_admin;
GRANT INSERT ON arcs.valuations, arcs.asset_transitions, arcs.case_status_changes
    TO arcs_analyst, arcs_admin;
GRANT DELETE ON arcs.case_jurisdictions, arcs.decision_assets TO arcs_analyst, arcs_admin;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA arcs TO arcs_analyst, arcs_admin;
