# The body of run.sh, run against the throwaway cluster.
set -euo pipefail
sql() { psql -X -v ON_ERROR_STOP=1 -Atq -c "$1"; }
"$ARCS_BIN" db init --base-currency KZT >/dev/null
sql "INSERT INTO arcs.cases (ref, title) VALUES ('B-1', 'bench')"
sql "INSERT INTO arcs.decisions (kind, ref, issuer, issued_on) VALUES
     ('confiscation', 'CONF', 'court', '2024-01-01'),
     ('allocation', 'ALLOC', 'gov', '2024-01-01')"
asset=$(sql "INSERT INTO arcs.assets (case_id, kind, description, country)
             SELECT id, 'cash', 'cash', 'KZ' FROM arcs.cases RETURNING id" | head -n 1)
sql "INSERT INTO arcs.asset_transitions (asset_id, from_state, to_state, decision_id, on_date)
     VALUES ($asset, 'identified', 'confiscated', (SELECT id FROM arcs.decisions WHERE ref = 'CONF'), '2024-01-02')"
"$ARCS_BIN" fund receive --asset "$asset" --amount 100000000000.00 KZT --date 2024-01-10 --ref IN >/dev/null
"$ARCS_BIN" project add --code P --name bench --sector other --region R --budget 1.00 KZT >/dev/null

start=$(date +%s.%N)
for c in 1 2 3 4 5 6 7 8; do
    ( for i in $(seq 1 "$BENCH_COUNT"); do
        "$ARCS_BIN" allocate --project P --amount 1.00 --decision ALLOC --date 2024-02-01 --ref "B-$c-$i" >/dev/null
      done ) &
done
wait
end=$(date +%s.%N)
n=$(sql "SELECT count(*) FROM arcs.ledger_transfers WHERE kind = 'allocate'")
python3 -c "import sys; n, s = int(sys.argv[1]), float(sys.argv[2]); print('arcs allocate: %d allocations in %.1f s: %.1f allocations/s' % (n, s, n / s))" "$n" "$(echo "$end - $start" | bc)"

sql "CREATE SCHEMA bench;
     CREATE TABLE bench.accounts (id int PRIMARY KEY, debits bigint NOT NULL DEFAULT 0,
         credits bigint NOT NULL DEFAULT 0, CHECK (credits >= debits OR id = 0));
     CREATE TABLE bench.transfers (id bigserial PRIMARY KEY, ext_ref text UNIQUE NOT NULL,
         debit_account int NOT NULL, credit_account int NOT NULL, amount bigint NOT NULL CHECK (amount > 0));
     INSERT INTO bench.accounts (id, debits, credits) VALUES (1, 0, 10000000000000), (2, 0, 0)"
out=$(pgbench -n -c 8 -j 2 -T "$BENCH_SECS" -f "$BENCH_DIR/alloc.sql" 2>&1)
tps=$(printf "%s\n" "$out" | sed -n "s/^tps = \([0-9.]*\).*/\1/p" | head -n 1)
echo "pgbench plain SQL: $tps allocations/s (8 clients, $BENCH_SECS s)"
