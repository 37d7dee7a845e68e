# The demo's workspace: demo_serve ARCS HOME. Sourced by scripts/demo after
# the data is loaded, with the libpq environment (PGHOST, PGDATABASE, PGUSER
# the cluster's superuser) set.
#
# - Three demo logins, one per role (DEMO_LOGINS), with random passwords kept
#   in HOME/web-logins (mode 0600, "NAME ROLE PASSWORD" per line). A password
#   goes to `arcs user add` through a 0600 file, never on a command line. On
#   a second run the logins and their passwords are kept; a login whose
#   password is no longer in the file gets a new one.
# - An arcs serve started by an earlier run (HOME/serve.pid) is stopped, then
#   a new one starts on 127.0.0.1:8080, or the next free port of 20,
#   logging to HOME/serve.log. Run as root, it runs as `nobody` (it reads
#   nothing of the database but what each person's own login may): the
#   server's account never needs the cluster's superuser. ARCS_DEMO_PORT
#   (default 8080) is the first port tried; 0 lets the kernel pick one.
# Sets DEMO_URL, DEMO_PID and DEMO_LOGINS.

DEMO_LOGINS=(demo_analyst demo_supervisor demo_auditor)

# demo_serve_stop HOME: stop the server of an earlier run, if it still runs.
demo_serve_stop() {
    local home=$1 pid _
    [ -f "$home/serve.pid" ] || return 0
    pid=$(cat "$home/serve.pid")
    if [ -n "$pid" ] && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'arcs serve'; then
        echo "stopping the workspace of the last run (pid $pid)"
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 50); do
            [ -d "/proc/$pid" ] || break
            sleep 0.1
        done
    fi
    rm -f "$home/serve.pid"
}

# demo_serve_reset NAME PWFILE: a login kept from a run whose password file
# is gone gets the password in PWFILE. `arcs user password` changes only
# one's own, so the cluster's superuser sets it, as a SCRAM verifier (what
# arcs user add sends too), never the password itself.
demo_serve_reset() {
    local ver
    ver=$(/usr/bin/python3 - "$2" <<'PY'
import base64, hashlib, hmac, os, sys
pw = open(sys.argv[1], encoding="utf-8").readline().rstrip("\n").encode()
salt, n = os.urandom(16), 4096
salted = hashlib.pbkdf2_hmac("sha256", pw, salt, n)
client = hmac.new(salted, b"Client Key", "sha256").digest()
server = hmac.new(salted, b"Server Key", "sha256").digest()
b = lambda x: base64.b64encode(x).decode()
print("SCRAM-SHA-256$%d:%s$%s:%s" % (n, b(salt), b(hashlib.sha256(client).digest()), b(server)))
PY
) || return 1
    psql -X -q -v ON_ERROR_STOP=1 -v name="$1" -v ver="$ver" <<'SQL'
ALTER ROLE :"name" PASSWORD :'ver';
SQL
}

# demo_serve_logins ARCS HOME: the three logins and HOME/web-logins.
demo_serve_logins() {
    local arcs=$1 home=$2 file=$2/web-logins tmp name role pw out fresh existed
    tmp=$(umask 077 && mktemp -d)
    (umask 077 && touch "$file")
    chmod 600 "$file"
    for name in "${DEMO_LOGINS[@]}"; do
        role=${name#demo_}
        pw=$(awk -v n="$name" '$1 == n { print $3 }' "$file")
        fresh=
        if [ -z "$pw" ]; then
            pw=$(head -c 18 /dev/urandom | base64 | tr '+/' '-_')
            fresh=1
        fi
        (umask 077 && printf '%s\n' "$pw" >"$tmp/pw")
        # a login already there keeps its password, unless the file lost it
        out=$("$arcs" user add "$name" --role "$role" --password-file "$tmp/pw" --json 2>/dev/null) ||
            { "$arcs" user add "$name" --role "$role" --password-file "$tmp/pw" >/dev/null; rm -rf "$tmp"; return 1; }
        case "$out" in *'"existed":'*true*) existed=1 ;; *) existed= ;; esac
        if [ -n "$existed" ] && [ -n "$fresh" ]; then
            demo_serve_reset "$name" "$tmp/pw" || { rm -rf "$tmp"; return 1; }
        fi
        [ -z "$fresh" ] || printf '%s %s %s\n' "$name" "$role" "$pw" >>"$file"
        if [ -z "$existed" ]; then
            echo "login $name ($role) created"
        else
            echo "login $name ($role) kept${fresh:+, with a new password}"
        fi
    done
    rm -rf "$tmp"
}

demo_serve() {
    local arcs=$1 home=$2 port pid url run=() first=${ARCS_DEMO_PORT:-8080} ports
    demo_serve_logins "$arcs" "$home" || return 1
    demo_serve_stop "$home"
    if [ "$(id -u)" = 0 ]; then
        run=(setpriv --reuid=nobody --regid=nogroup --clear-groups --)
        if ! "${run[@]}" test -x "$arcs" || ! "${run[@]}" test -S "$PGHOST/.s.PGSQL.5432"; then
            echo "demo: user nobody cannot run $arcs or reach $PGHOST; running arcs serve as postgres" >&2
            run=(setpriv --reuid=postgres --regid=postgres --clear-groups --)
        fi
    fi
    ports=0
    [ "$first" = 0 ] || ports=$(seq "$first" $((first + 19)))
    for port in $ports; do
        : >"$home/serve.log"
        nohup "${run[@]}" env -u PGUSER -u PGPASSWORD "$arcs" serve \
            --listen "127.0.0.1:$port" </dev/null >>"$home/serve.log" 2>&1 &
        pid=$!
        url=
        for _ in $(seq 100); do
            url=$(grep -o 'http://127\.0\.0\.1:[0-9]*/' "$home/serve.log" | head -n 1 || true)
            [ -z "$url" ] && [ -d "/proc/$pid" ] && sleep 0.1 && continue
            break
        done
        if [ -n "$url" ]; then
            echo "$pid" >"$home/serve.pid"
            DEMO_URL=$url DEMO_PID=$pid
            echo "arcs serve (pid $pid) at $url, log $home/serve.log"
            return 0
        fi
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
        grep -q 'cannot listen' "$home/serve.log" || break
    done
    echo "demo: arcs serve did not start: $(cat "$home/serve.log")" >&2
    return 1
}
