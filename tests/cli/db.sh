# arcs db init | status: idempotent init, status counts, base currency.
. "$(dirname "$0")/lib.sh"

expect_exit 0 "status on an empty database" arcs db status --json
expect_match '"schema_version":0' "$OUT" "empty database reports schema 0"

expect_exit 2 "init refuses a malformed base currency" arcs db init --base-currency kzt
expect_exit 0 "init creates the schema" arcs db init --base-currency KZT
expect_match 'applied' "$OUT" "first init applies migrations"
before=$(db_digest)
expect_exit 0 "init again is a no-op" arcs db init
expect_match 'up to date' "$OUT" "second init says up to date"
expect_eq "$before" "$(db_digest)" "second init changes no row"
expect_exit 4 "base currency cannot change" arcs db init --base-currency USD
expect_exit 0 "status --json" arcs db status --json
expect_match '"base_currency":"KZT"' "$OUT" "status names the base currency"
expect_match '"counts":\{' "$OUT" "status has counts"
expect_exit 2 "unknown verb" arcs db frobnicate
expect_exit 2 "unknown option" arcs db status --frob
finish
