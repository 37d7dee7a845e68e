# Bad input to case, subject, decision and user commands: each is refused
# with exit 2 (usage) and one line on stderr naming the field, and the
# database stays exactly as it was. An unknown case is exit 3.
#
# A final date before the issue date is bad input (exit 2): it is checked in
# C before anything is read or written, like any other impossible date.
. "$(dirname "$0")/lib.sh"

expect_exit 0 "db init" arcs db init --base-currency KZT
expect_exit 0 "a case to hang things on" arcs case add --ref ARC-2025-0001 --title "Base case" \
    --opened 2024-01-10 --jurisdiction victim:KZ
pwfile=$(mktemp)
printf 'S3cret-pw\n' >"$pwfile"
chmod 600 "$pwfile"
before=$(db_digest)

# bad CODE FIELD_REGEX DESCRIPTION CMD...: exit CODE, the field named on stderr,
# the database unchanged.
bad() {
    local code=$1 field=$2 what=$3
    shift 3
    expect_exit "$code" "$what" "$@" || return 0
    expect_match "$field" "$ERR" "$what: message names the field"
    expect_eq "$before" "$(db_digest)" "$what: database unchanged"
}

ca() { arcs case add --ref ARC-2025-0002 --title "New case" "$@"; }

bad 2 'opened date.*2024-02-30' "impossible date 2024-02-30" ca --opened 2024-02-30
bad 2 'opened date.*2023-13-01' "month 13" ca --opened 2023-13-01
bad 2 'opened date.*24-01-01' "two-digit year" ca --opened 24-01-01
bad 2 'jurisdiction country.*kz' "lowercase country kz" ca --jurisdiction victim:kz
bad 2 'jurisdiction country.*XX' "unknown country XX" ca --jurisdiction victim:XX
bad 2 'jurisdiction country.*KAZ' "alpha-3 country KAZ" ca --jurisdiction victim:KAZ
bad 2 "route 'crimnal'" "unknown route" ca --route crimnal
bad 2 "offence 'theft'" "unknown offence" ca --offence theft
bad 2 "jurisdiction role 'culprit'" "bad jurisdiction role" ca --jurisdiction culprit:KZ
bad 2 "jurisdiction 'victim-KZ'" "jurisdiction without a colon" ca --jurisdiction victim-KZ
bad 2 'empty title' "empty title" arcs case add --ref ARC-2025-0002 --title ""
bad 2 'empty title' "blank title" arcs case add --ref ARC-2025-0002 --title "   "
bad 2 'missing --title' "missing --title" arcs case add --ref ARC-2025-0002
bad 2 'missing --ref' "missing --ref" arcs case add --title "No ref"
bad 2 "case ref 'ARC 2025'" "malformed case ref" arcs case add --ref "ARC 2025" --title T
bad 2 "unknown option '--colour'" "unknown flag" ca --colour red
bad 2 "option '--offence' needs a value" "flag without its value" ca --offence
bad 2 "subject kind 'robot'" "unknown subject kind" arcs subject add ARC-2025-0001 --name X --kind robot --role defendant
bad 2 "subject role 'villain'" "unknown subject role" arcs subject add ARC-2025-0001 --name X --kind person --role villain
bad 2 "country 'kz'" "subject lowercase country" arcs subject add ARC-2025-0001 --name X --kind person --role defendant --country kz
bad 2 'missing --role' "subject without --role" arcs subject add ARC-2025-0001 --name X --kind person
bad 2 'id-number-file' "unreadable identity number file" arcs subject add ARC-2025-0001 --name X --kind person --role defendant --id-number-file /nonexistent/id
bad 2 "decision kind 'arrest'" "unknown decision kind" arcs decision add ARC-2025-0001 --kind arrest --ref D-1 --issuer Court --date 2024-02-01
bad 2 "issue date '2024-02-30'" "decision impossible date" arcs decision add ARC-2025-0001 --kind freeze --ref D-1 --issuer Court --date 2024-02-30
bad 2 'final date 2024-01-01 is before the issue date' "final before issue" arcs decision add ARC-2025-0001 --kind freeze --ref D-1 --issuer Court --date 2024-02-01 --final 2024-01-01
bad 2 'missing --issuer' "decision without --issuer" arcs decision add ARC-2025-0001 --kind freeze --ref D-1 --date 2024-02-01
bad 2 "--asset needs an asset id" "decision with a non-numeric asset" arcs decision add ARC-2025-0001 --kind freeze --ref D-1 --issuer Court --date 2024-02-01 --asset abc
bad 2 "status 'finished'" "unknown case status" arcs case status ARC-2025-0001 finished --decision D-1 --date 2024-02-01
bad 2 "date '2024-13-01'" "status change with a bad date" arcs case status ARC-2025-0001 closed --decision D-1 --date 2024-13-01
bad 2 "status 'sleeping'" "list with an unknown status" arcs case list --status sleeping
bad 2 "country 'XX'" "list with an unknown country" arcs case list --country XX
bad 2 "role 'boss'" "user with an unknown role" arcs user add bob --role boss --password-file "$pwfile"
bad 2 "user name 'Bob Smith'" "malformed user name" arcs user add "Bob Smith" --role analyst --password-file "$pwfile"
chmod 644 "$pwfile"
bad 2 "chmod 600" "password file readable by others" arcs user add bob --role analyst --password-file "$pwfile"
rm -f "$pwfile"

bad 3 'case ARC-1999-0001 not found' "subject of an unknown case" arcs subject add ARC-1999-0001 --name X --kind person --role defendant
bad 3 'case ARC-1999-0001 not found' "decision of an unknown case" arcs decision add ARC-1999-0001 --kind freeze --ref D-9 --issuer Court --date 2024-02-01
bad 3 'case ARC-1999-0001 not found' "show an unknown case" arcs case show ARC-1999-0001
finish
