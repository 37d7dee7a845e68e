# Helpers for the tests of arcs serve: start it on a free loopback port,
# drive it with curl, stop it whatever happens. Source after lib.sh.

WEB_DIR=$(mktemp -d)
WEB_PID=
trap 'web_stop; rm -rf "$WEB_DIR" "$T_OUT" "$T_ERR"' EXIT

web_stop() {
    if [ -n "$WEB_PID" ]; then
        kill "$WEB_PID" 2>/dev/null
        wait "$WEB_PID" 2>/dev/null
        WEB_PID=
    fi
}

# web_start [ARGS...]: arcs serve on 127.0.0.1 and a port the kernel picks;
# sets WEB (the base URL).
web_start() {
    "$ARCS_BIN" serve --listen 127.0.0.1:0 "$@" 2>"$WEB_DIR/server.log" &
    WEB_PID=$!
    for _ in $(seq 100); do
        WEB=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$WEB_DIR/server.log" | head -n 1)
        [ -n "$WEB" ] && return 0
        sleep 0.1
    done
    echo "arcs serve did not start: $(cat "$WEB_DIR/server.log")" >&2
    return 1
}

# req JAR METHOD PATH [CURL ARGS...]: STATUS, BODY, HDRS (headers) set.
req() {
    local jar=$1 method=$2 path=$3
    shift 3
    STATUS=$(curl -s -o "$WEB_DIR/body" -D "$WEB_DIR/hdrs" -w '%{http_code}' \
        -b "$WEB_DIR/$jar.jar" -c "$WEB_DIR/$jar.jar" -X "$method" "$@" "$WEB$path")
    BODY=$(cat "$WEB_DIR/body")
    HDRS=$(tr -d '\r' <"$WEB_DIR/hdrs")
}

# post JAR PATH FIELD=VALUE...: a form POST (values URL-encoded by curl).
post() {
    local jar=$1 path=$2 args=()
    shift 2
    for kv in "$@"; do args+=(--data-urlencode "$kv"); done
    req "$jar" POST "$path" "${args[@]}"
}

# The csrf token of the last page.
csrf_of() { printf '%s' "$BODY" | grep -o 'name="csrf" value="[0-9a-f]*"' | head -n 1 | sed 's/.*value="//; s/"//'; }

header() { printf '%s\n' "$HDRS" | grep -i "^$1:" | head -n 1 | sed 's/^[^:]*: //'; }

expect_status() {
    if [ "$STATUS" = "$1" ]; then pass "$2"; else fail "$2: HTTP $STATUS, wanted $1 ($(printf '%s' "$BODY" | grep -o 'class="err"[^<]*<[^<]*' | head -n 2))"; fi
}
