-- 0001: the arcs schema, reference data (currencies, countries), settings and roles.
CREATE SCHEMA IF NOT EXISTS arcs;

CREATE TABLE arcs.settings (
    key text PRIMARY KEY,
    value text NOT NULL
);

CREATE TABLE arcs.currencies (
    code char(3) PRIMARY KEY CHECK (code ~ '^[A-Z]{3}$'),
    exponent smallint NOT NULL CHECK (exponent BETWEEN 0 AND 4),
    name text NOT NULL
);

INSERT INTO arcs.currencies (code, exponent, name) VALUES
    ('KZT', 2, 'Kazakhstani tenge'), ('USD', 2, 'US dollar'), ('EUR', 2, 'Euro'),
    ('CHF', 2, 'Swiss franc'), ('JPY', 0, 'Yen'), ('KWD', 3, 'Kuwaiti dinar');

CREATE TABLE arcs.countries (
    code char(2) PRIMARY KEY CHECK (code ~ '^[A-Z]{2}$'),
    name text NOT NULL
);
INSERT INTO arcs.countries (code, name) VALUES ('KZ', 'Kazakhstan'), ('AT', 'Austria');

-- Group roles (SPEC §2). Roles belong to the cluster, so create them once.
DO $$
DECLARE r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['arcs_analyst', 'arcs_supervisor', 'arcs_auditor', 'arcs_admin'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = r) THEN
            EXECUTE pg_catalog.format('CREATE ROLE %I NOLOGIN', r);
        END IF;
    END LOOP;
END $$;
-- A supervisor does what an analyst does, and more.
GRANT arcs_analyst TO arcs_supervisor;

GRANT USAGE ON SCHEMA arcs TO arcs_analyst, arcs_supervisor, arcs_auditor, arcs_admin;
GRANT SELECT ON arcs.settings, arcs.currencies, arcs.countries
    TO arcs_analyst, arcs_supervisor, arcs_auditor, arcs_admin;
GRANT INSERT, UPDATE ON arcs.settings, arcs.currencies, arcs.countries TO arcs_admin;
