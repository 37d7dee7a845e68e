-- pgbench: the plain-SQL equivalent of one allocation: a guarded UPDATE of
-- the fund, a guarded UPDATE of the project, and the transfer row.
\set n random(1, 1000000000)
BEGIN;
UPDATE bench.accounts SET debits = debits + 100 WHERE id = 1 AND credits - debits >= 100;
UPDATE bench.accounts SET credits = credits + 100 WHERE id = 2;
INSERT INTO bench.transfers (ext_ref, debit_account, credit_account, amount)
    VALUES ('pg-' || :client_id || '-' || :n || '-' || pg_backend_pid() || '-' || clock_timestamp(), 1, 2, 100);
COMMIT;
