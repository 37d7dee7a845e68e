-- 0010: admin is not a way out; identity numbers stay with those who may
-- read them (SPEC §2).
--
-- Logins. Until now arcs.create_login ran with the caller's rights and every
-- arcs admin login held CREATEROLE. In PostgreSQL 15 CREATEROLE lets its
-- holder grant itself pg_execute_server_program (COPY ... FROM PROGRAM runs
-- as the server's operating system user) and reset the password of any
-- role that is not a superuser. Now logins are made and locked only through
-- checked SECURITY DEFINER functions owned by the schema owner, and no arcs
-- admin login keeps CREATEROLE, CREATEDB, REPLICATION, BYPASSRLS or a pg_*
-- role. Who may change what:
--   - anyone changes only their own password (arcs.set_own_password, or
--     ALTER ROLE of themselves, which PostgreSQL allows every role);
--   - an admin creates arcs logins and locks or unlocks them (LOGIN and
--     NOLOGIN), never its own, never a superuser, never a role that is not
--     purely an arcs login; an admin sets no one else's password: a
--     forgotten password is a locked login and a new one (or the DBA).
--
-- Money settings. The base currency, and the exponent and code of a
-- currency that stored amounts are written in, cannot change once they are
-- used: triggers refuse it whoever asks.
--
-- Identity numbers. Analysts and supervisors lose SELECT on
-- arcs.subjects.id_number (they keep SELECT on every other column and may
-- still write the number); arcs.subject_identity tells them whether one is
-- on file, masked. The audit log keeps sensitive columns out of the captured
-- images entirely: an unsalted digest of a 12-digit number is the number.

-- ---------------------------------------------------------------- logins

-- A role that is purely an arcs login: not a superuser, no role attribute
-- beyond LOGIN, a member of one or more arcs groups and of nothing else,
-- owning no schema and no database.
CREATE FUNCTION arcs.is_arcs_login(r oid) RETURNS boolean
LANGUAGE sql STABLE SET search_path = pg_catalog AS $$
    SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_roles a
                   WHERE a.oid = r AND NOT a.rolsuper AND NOT a.rolcreaterole
                     AND NOT a.rolcreatedb AND NOT a.rolreplication AND NOT a.rolbypassrls
                     AND a.rolname !~ '^(arcs_|pg_)')
       AND EXISTS (SELECT 1 FROM pg_catalog.pg_auth_members m
                   JOIN pg_catalog.pg_roles g ON g.oid = m.roleid
                   WHERE m.member = r
                     AND g.rolname IN ('arcs_analyst', 'arcs_supervisor', 'arcs_auditor',
                                       'arcs_admin'))
       AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_auth_members m
                       JOIN pg_catalog.pg_roles g ON g.oid = m.roleid
                       WHERE m.member = r
                         AND g.rolname NOT IN ('arcs_analyst', 'arcs_supervisor',
                                               'arcs_auditor', 'arcs_admin'))
       AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_namespace n WHERE n.nspowner = r)
       AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_database d WHERE d.datdba = r)
$$;
REVOKE ALL ON FUNCTION arcs.is_arcs_login(oid) FROM PUBLIC;

-- Refuse unless the session's user is an arcs admin or a superuser. The
-- session user, not the current one: SET ROLE changes nothing here.
CREATE FUNCTION arcs.require_admin(what text) RETURNS void
LANGUAGE plpgsql STABLE SET search_path = pg_catalog AS $$
BEGIN
    IF NOT (pg_catalog.pg_has_role(session_user, 'arcs_admin', 'MEMBER')
            OR coalesce((SELECT a.rolsuper FROM pg_catalog.pg_roles a
                         WHERE a.rolname = session_user), false)) THEN
        RAISE EXCEPTION 'permission denied to %: it needs the arcs_admin role', what
            USING ERRCODE = 'insufficient_privilege',
                  HINT = 'ask an arcs administrator';
    END IF;
END $$;
REVOKE ALL ON FUNCTION arcs.require_admin(text) FROM PUBLIC;

-- Users are login roles in one of the four groups. The client sends only a
-- SCRAM verifier it computed itself, never the clear password. Returns false
-- when the login exists in that group already (a retry: its password is left
-- alone). Runs as the schema owner: the caller needs no CREATEROLE.
CREATE OR REPLACE FUNCTION arcs.create_login(login text, grp text, verifier text)
RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
    PERFORM arcs.require_admin('create logins');
    IF login IS NULL OR login !~ '^[a-z_][a-z0-9_]{0,62}$' OR login ~ '^(arcs_|pg_)' THEN
        RAISE EXCEPTION 'user name ''%'' is not allowed', login
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'use lowercase letters, digits and _, not starting with arcs_ or pg_';
    END IF;
    IF grp IS NULL OR grp NOT IN ('arcs_analyst', 'arcs_supervisor', 'arcs_auditor', 'arcs_admin') THEN
        RAISE EXCEPTION 'unknown role ''%''', grp
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'use analyst, supervisor, auditor or admin';
    END IF;
    IF verifier IS NULL OR verifier !~ '^SCRAM-SHA-256\$[0-9]+:[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$' THEN
        RAISE EXCEPTION 'a password must arrive as a SCRAM-SHA-256 verifier'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = login) THEN
        IF pg_catalog.pg_has_role(login, grp, 'MEMBER') THEN
            RETURN false;
        END IF;
        RAISE EXCEPTION 'user % exists already with another role', login
            USING ERRCODE = 'unique_violation',
                  HINT = 'choose another name';
    END IF;
    EXECUTE pg_catalog.format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE'
                              ' NOREPLICATION NOBYPASSRLS INHERIT PASSWORD %L',
                              login, verifier);
    EXECUTE pg_catalog.format('GRANT %I TO %I', grp, login);
    RETURN true;
END $$;
REVOKE ALL ON FUNCTION arcs.create_login(text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION arcs.create_login(text, text, text) TO arcs_admin;

-- Lock (enabled false: NOLOGIN) or unlock (LOGIN) an arcs login. Never the
-- caller's own, never a role that is not purely an arcs login. Returns
-- whether anything changed.
CREATE FUNCTION arcs.set_login_enabled(login text, enabled boolean) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
    r oid;
    was boolean;
BEGIN
    PERFORM arcs.require_admin('lock or unlock logins');
    IF enabled IS NULL THEN
        RAISE EXCEPTION 'say whether to lock or unlock' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT a.oid, a.rolcanlogin INTO r, was FROM pg_catalog.pg_roles a WHERE a.rolname = login;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'user % not found', login
            USING ERRCODE = 'no_data_found', HINT = 'check the name';
    END IF;
    IF login = session_user THEN
        RAISE EXCEPTION 'refused: you cannot lock or unlock your own login'
            USING ERRCODE = 'insufficient_privilege', HINT = 'ask another administrator';
    END IF;
    IF NOT arcs.is_arcs_login(r) THEN
        RAISE EXCEPTION 'refused: % is not an arcs login', login
            USING ERRCODE = 'insufficient_privilege',
                  HINT = 'only logins made by arcs user add, in arcs groups only, can be locked';
    END IF;
    IF was = enabled THEN
        RETURN false;
    END IF;
    IF enabled THEN
        EXECUTE pg_catalog.format('ALTER ROLE %I LOGIN', login);
    ELSE
        EXECUTE pg_catalog.format('ALTER ROLE %I NOLOGIN', login);
    END IF;
    RETURN true;
END $$;
REVOKE ALL ON FUNCTION arcs.set_login_enabled(text, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION arcs.set_login_enabled(text, boolean) TO arcs_admin;

-- A person changes their own password, sent as a SCRAM verifier. Not
-- SECURITY DEFINER: PostgreSQL lets every role set its own password, and
-- this grants nothing beyond that.
CREATE FUNCTION arcs.set_own_password(verifier text) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
BEGIN
    IF verifier IS NULL OR verifier !~ '^SCRAM-SHA-256\$[0-9]+:[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$' THEN
        RAISE EXCEPTION 'a password must arrive as a SCRAM-SHA-256 verifier'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    EXECUTE pg_catalog.format('ALTER ROLE %I PASSWORD %L', session_user, verifier);
END $$;
REVOKE ALL ON FUNCTION arcs.set_own_password(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION arcs.set_own_password(text)
    TO arcs_analyst, arcs_supervisor, arcs_auditor, arcs_admin;

-- Strip what earlier versions gave admin logins, and anything a superuser
-- added since: role attributes beyond LOGIN, and pg_* roles, from the group
-- and every member of it that is not a superuser (a superuser is outside
-- what arcs can promise). The group roles themselves keep no attribute.
DO $$
DECLARE
    r record;
BEGIN
    FOR r IN SELECT a.rolname, a.rolcreaterole, a.rolcreatedb, a.rolreplication,
                    a.rolbypassrls
               FROM pg_catalog.pg_roles a
              WHERE NOT a.rolsuper
                AND (a.rolname IN ('arcs_analyst', 'arcs_supervisor', 'arcs_auditor',
                                   'arcs_admin')
                     OR pg_catalog.pg_has_role(a.oid, 'arcs_admin', 'MEMBER')) LOOP
        IF r.rolcreaterole THEN
            EXECUTE pg_catalog.format('ALTER ROLE %I NOCREATEROLE', r.rolname);
        END IF;
        IF r.rolcreatedb THEN
            EXECUTE pg_catalog.format('ALTER ROLE %I NOCREATEDB', r.rolname);
        END IF;
        IF r.rolreplication THEN
            EXECUTE pg_catalog.format('ALTER ROLE %I NOREPLICATION', r.rolname);
        END IF;
        IF r.rolbypassrls THEN
            EXECUTE pg_catalog.format('ALTER ROLE %I NOBYPASSRLS', r.rolname);
        END IF;
    END LOOP;
    FOR r IN SELECT g.rolname AS grp, a.rolname AS member
               FROM pg_catalog.pg_auth_members m
               JOIN pg_catalog.pg_roles g ON g.oid = m.roleid
               JOIN pg_catalog.pg_roles a ON a.oid = m.member
              WHERE g.rolname ~ '^pg_' AND NOT a.rolsuper
                AND (a.rolname IN ('arcs_analyst', 'arcs_supervisor', 'arcs_auditor',
                                   'arcs_admin')
                     OR pg_catalog.pg_has_role(a.oid, 'arcs_admin', 'MEMBER')) LOOP
        EXECUTE pg_catalog.format('REVOKE %I FROM %I', r.grp, r.member);
    END LOOP;
END $$;

-- ------------------------------------------------------- money settings

-- Is currency c written in stored amounts? (Transfers, valuations,
-- realized amounts, budgets and rates all count its minor units.)
CREATE FUNCTION arcs.currency_in_use(c text) RETURNS boolean
LANGUAGE sql STABLE SET search_path = pg_catalog AS $$
    SELECT EXISTS (SELECT 1 FROM arcs.ledger_transfers t WHERE t.orig_currency = c)
        OR EXISTS (SELECT 1 FROM arcs.valuations v WHERE v.currency = c)
        OR EXISTS (SELECT 1 FROM arcs.asset_transitions x WHERE x.currency = c)
        OR EXISTS (SELECT 1 FROM arcs.projects p WHERE p.budget_currency = c)
        OR EXISTS (SELECT 1 FROM arcs.fx_rates f WHERE f.currency = c)
        OR (EXISTS (SELECT 1 FROM arcs.ledger_transfers)
            AND EXISTS (SELECT 1 FROM arcs.settings s
                        WHERE s.key = 'base_currency' AND s.value = c))
$$;

CREATE FUNCTION arcs.guard_base_currency() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.key IS NOT DISTINCT FROM OLD.key
       AND NEW.value IS NOT DISTINCT FROM OLD.value THEN
        RETURN NEW;
    END IF;
    IF ((TG_OP <> 'INSERT' AND OLD.key = 'base_currency')
        OR (TG_OP <> 'DELETE' AND NEW.key = 'base_currency'))
       AND EXISTS (SELECT 1 FROM arcs.ledger_transfers) THEN
        RAISE EXCEPTION 'the base currency cannot change: the ledger holds transfers in it'
            USING ERRCODE = 'check_violation',
                  HINT = 'the base currency is fixed once money has moved';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER guard_base_currency BEFORE INSERT OR UPDATE OR DELETE ON arcs.settings
    FOR EACH ROW EXECUTE FUNCTION arcs.guard_base_currency();
ALTER TABLE arcs.settings ENABLE ALWAYS TRIGGER guard_base_currency;

CREATE FUNCTION arcs.guard_currency() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.code = OLD.code AND NEW.exponent = OLD.exponent THEN
        RETURN NEW;
    END IF;
    IF arcs.currency_in_use(OLD.code) THEN
        RAISE EXCEPTION 'currency % is in use: its code and exponent cannot change and it cannot be deleted',
            OLD.code
            USING ERRCODE = 'check_violation',
                  HINT = 'stored amounts are counted in its minor units';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER guard_currency BEFORE UPDATE OR DELETE ON arcs.currencies
    FOR EACH ROW EXECUTE FUNCTION arcs.guard_currency();
ALTER TABLE arcs.currencies ENABLE ALWAYS TRIGGER guard_currency;

-- -------------------------------------------------------- identity numbers

-- What analysts and supervisors may know of a subject's identity number:
-- whether one is on file, and its last four characters when it has eight or
-- more. The view runs with its owner's rights (not security_invoker).
CREATE VIEW arcs.subject_identity WITH (security_barrier) AS
SELECT s.id, s.case_id, s.id_number IS NOT NULL AS on_file,
       CASE WHEN s.id_number IS NULL THEN NULL
            WHEN pg_catalog.length(s.id_number) >= 8
            THEN '•••• ' || pg_catalog.right(s.id_number, 4)
            ELSE 'on file' END AS masked
  FROM arcs.subjects s;
GRANT SELECT ON arcs.subject_identity
    TO arcs_analyst, arcs_supervisor, arcs_auditor, arcs_admin;

-- The subject a retried "subject add" recorded the first time: same case,
-- name, kind, role, country and identity number. An analyst may not read
-- identity numbers, so a match on one is answered only for a subject whose
-- insert the caller made (the number they typed themselves), or when no
-- number is given, or to a reader of identity numbers: the lookup is not a
-- way to test guesses about numbers others entered.
CREATE FUNCTION arcs.subject_retry_of(p_case bigint, p_name text, p_kind text, p_role text,
                                      p_country text, p_id_number text)
RETURNS bigint
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
    me text := session_user;
    reader boolean := pg_catalog.pg_has_role(session_user, 'arcs_auditor', 'MEMBER')
                      OR pg_catalog.pg_has_role(session_user, 'arcs_admin', 'MEMBER');
    r bigint;
BEGIN
    IF NOT (reader OR pg_catalog.pg_has_role(session_user, 'arcs_analyst', 'MEMBER')) THEN
        RAISE EXCEPTION 'permission denied for subjects'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    SELECT s.id INTO r FROM arcs.subjects s
     WHERE s.case_id = p_case AND s.name = p_name AND s.kind = p_kind AND s.role = p_role
       AND s.country IS NOT DISTINCT FROM p_country::char(2)
       AND s.id_number IS NOT DISTINCT FROM p_id_number
       AND (p_id_number IS NULL OR reader
            OR EXISTS (SELECT 1 FROM arcs_audit.pending p
                       WHERE p.table_name = 'arcs.subjects' AND p.op = 'insert'
                         AND p.db_user = me AND (p.key ->> 'id') = s.id::text)
            OR EXISTS (SELECT 1 FROM arcs_audit.entries e
                       WHERE e.case_id = s.case_id::text AND e.table_name = 'arcs.subjects'
                         AND e.row_key = '{"id":"' || s.id::text || '"}'
                         AND (pg_catalog.convert_from(e.entry, 'UTF8')::jsonb ->> 'op') = 'insert'
                         AND (pg_catalog.convert_from(e.entry, 'UTF8')::jsonb ->> 'db_user') = me))
     ORDER BY s.id LIMIT 1;
    RETURN r;
END $$;
REVOKE ALL ON FUNCTION arcs.subject_retry_of(bigint, text, text, text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION arcs.subject_retry_of(bigint, text, text, text, text, text)
    TO arcs_analyst, arcs_admin;

-- Column privileges: every role but auditor and admin reads every column of
-- a table but its sensitive ones. Table-wide SELECT is what a later
-- "GRANT SELECT ON ALL TABLES" gives back, so arcs db init calls this after
-- every migration run, and it holds whatever a migration granted.
CREATE FUNCTION arcs_audit.protect_sensitive() RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
DECLARE
    t record;
    cols text;
BEGIN
    FOR t IN SELECT DISTINCT s.table_name FROM arcs_audit.sensitive_columns s
              WHERE pg_catalog.to_regclass(s.table_name) IS NOT NULL LOOP
        SELECT pg_catalog.string_agg(pg_catalog.quote_ident(a.attname), ', ' ORDER BY a.attnum)
          INTO cols
          FROM pg_catalog.pg_attribute a
         WHERE a.attrelid = t.table_name::regclass AND a.attnum > 0 AND NOT a.attisdropped
           AND NOT EXISTS (SELECT 1 FROM arcs_audit.sensitive_columns s
                           WHERE s.table_name = t.table_name AND s.column_name = a.attname);
        EXECUTE pg_catalog.format('REVOKE SELECT ON %s FROM PUBLIC, arcs_analyst, arcs_supervisor',
                                  t.table_name::regclass);
        EXECUTE pg_catalog.format('GRANT SELECT (%s) ON %s TO arcs_analyst, arcs_supervisor',
                                  cols, t.table_name::regclass);
        FOR cols IN SELECT pg_catalog.quote_ident(s.column_name) FROM arcs_audit.sensitive_columns s
                     WHERE s.table_name = t.table_name LOOP
            EXECUTE pg_catalog.format('REVOKE SELECT (%s) ON %s FROM PUBLIC, arcs_analyst, arcs_supervisor',
                                      cols, t.table_name::regclass);
        END LOOP;
    END LOOP;
END $$;
REVOKE ALL ON FUNCTION arcs_audit.protect_sensitive() FROM PUBLIC;
SELECT arcs_audit.protect_sensitive();

-- The functions here belong to the schema owner, whoever runs this: the
-- SECURITY DEFINER ones run with its rights, no one else's.
DO $$
DECLARE
    owner text := (SELECT n.nspowner::regrole::text FROM pg_catalog.pg_namespace n
                   WHERE n.nspname = 'arcs');
    f text;
BEGIN
    FOREACH f IN ARRAY ARRAY['arcs.is_arcs_login(oid)', 'arcs.require_admin(text)',
                             'arcs.create_login(text, text, text)',
                             'arcs.set_login_enabled(text, boolean)',
                             'arcs.set_own_password(text)', 'arcs.currency_in_use(text)',
                             'arcs.guard_base_currency()', 'arcs.guard_currency()',
                             'arcs.subject_retry_of(bigint, text, text, text, text, text)',
                             'arcs_audit.protect_sensitive()'] LOOP
        EXECUTE pg_catalog.format('ALTER FUNCTION %s OWNER TO %s', f, owner);
    END LOOP;
    EXECUTE pg_catalog.format('ALTER VIEW arcs.subject_identity OWNER TO %s', owner);
END $$;

-- Capture keeps sensitive columns out of the row images entirely (0003 and
-- 0005 wrote an unsalted SHA-256 of them, which a brute force reverses in
-- seconds). This is 0005's object_expr with those columns skipped; the
-- snapshot functions verify uses build their images with it too, so they
-- leave them out alike. Keys never hold them (they are not primary keys).
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
               AND NOT EXISTS (SELECT 1 FROM arcs_audit.sensitive_columns s
                               WHERE s.table_name = rel::text AND s.column_name = a.attname)
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
-- The same column expressions as 0005, except that a sensitive column has
-- none: asked for one, it refuses, so no capture built by a later rewrite
-- of object_expr can put the column (or a digest of it) back in the log.
CREATE OR REPLACE FUNCTION arcs_audit.column_expr(rel regclass, att name, typ oid, al text)
RETURNS text LANGUAGE plpgsql STABLE SET search_path = pg_catalog AS $$
DECLARE
    c text := format('%I.%I', al, att);
    base oid := typ;
    cat "char";
    elem oid;
    tname text;
BEGIN
    IF EXISTS (SELECT 1 FROM arcs_audit.sensitive_columns s
               WHERE s.table_name = rel::text AND s.column_name = att) THEN
        RAISE EXCEPTION 'column %.% is sensitive and is never captured', rel, att
            USING ERRCODE = 'feature_not_supported',
                  HINT = 'leave it out of the row image (arcs_audit.object_expr does)';
    END IF;
    -- a domain is written as its base type
    LOOP
        SELECT t.typbasetype INTO elem FROM pg_type t WHERE t.oid = base;
        EXIT WHEN elem IS NULL OR elem = 0;
        base := elem;
    END LOOP;
    SELECT t.typcategory, t.typelem, t.typname INTO cat, elem, tname
        FROM pg_type t WHERE t.oid = base;
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

-- Changes captured before this migration and not yet sealed lose their
-- digests too: they are not in the log yet, so nothing signed changes.
UPDATE arcs_audit.pending p
   SET old_row = CASE WHEN p.old_row IS NULL THEN NULL
                      ELSE (p.old_row::jsonb - s.column_name)::json END,
       new_row = CASE WHEN p.new_row IS NULL THEN NULL
                      ELSE (p.new_row::jsonb - s.column_name)::json END
  FROM arcs_audit.sensitive_columns s
 WHERE s.table_name = p.table_name
   AND ((p.old_row::jsonb) ? s.column_name OR (p.new_row::jsonb) ? s.column_name);

-- arcs db init runs arcs_audit.attach_all() after the migrations, which
-- regenerates every capture function without the sensitive columns.
