# arcs report in a browser: each HTML report opens in headless Chromium, its
# rendered text shows the key figures, its charts are inline <svg>, it names
# no URL to fetch, and it renders to a PNG. Screenshots go to
# $ARCS_SCREENSHOT_DIR when set (docs/screenshots in the repository).
. "$(dirname "$0")/lib.sh"
CHROME=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROME" ]; then
    fail "chromium is not installed (apt-get install -y chromium)"
    finish
    exit 1
fi
W=$(mktemp -d)
trap 'rm -rf "$W" "$T_OUT" "$T_ERR"' EXIT
chrome() {
    "$CHROME" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$(mktemp -d -p "$W")" "$@" 2>>"$W/chrome.log"
}
ok() { expect_exit 0 "$1" "${@:2}"; }

ok "init" arcs db init --base-currency KZT
ok "fx" arcs fx set USD 2024-01-01 470.10
ok "case" arcs case add --ref ARC-2024-0042 --title "Liechtenstein accounts" --offence embezzlement \
    --opened 2023-03-01 --jurisdiction victim:KZ --jurisdiction holding:LI
printf '770203400567\n' >"$W/id"
ok "subject" arcs subject add ARC-2024-0042 --name "B. Official" --kind person --role defendant --id-number-file "$W/id"
ok "asset" arcs asset add ARC-2024-0042 --kind bank_account --desc "Account, Vaduz" --country LI \
    --value 1000000.00 USD --valued-on 2024-01-10
A=$OUT
ok "case 2" arcs case add --ref ARC-2024-0043 --title "Almaty towers" --offence bribery --opened 2023-05-01
ok "asset 2" arcs asset add ARC-2024-0043 --kind real_estate --desc "Office tower" --country KZ \
    --value 900000000.00 KZT --valued-on 2024-01-05
B=$OUT
ok "freeze" arcs decision add ARC-2024-0042 --kind freeze --ref FZ-1 --issuer Court --date 2024-02-01 --asset "$A"
ok "confiscate" arcs decision add ARC-2024-0042 --kind confiscation --ref CF-1 --issuer Court --date 2024-03-01 --final 2024-03-15 --asset "$A"
ok "confiscate 2" arcs decision add ARC-2024-0043 --kind confiscation --ref CF-2 --issuer Court --date 2024-03-01 --final 2024-03-10 --asset "$B"
ok "alloc decision" arcs decision add ARC-2024-0042 --kind allocation --ref AD-1 --issuer Government --date 2024-05-01
ok "frozen" arcs asset transition "$A" frozen --decision FZ-1 --date 2024-02-01
ok "confiscated" arcs asset transition "$A" confiscated --decision CF-1 --date 2024-03-15
ok "realized" arcs asset transition "$A" realized --decision CF-1 --date 2024-04-01 --amount 1000000.00 USD
ok "confiscated 2" arcs asset transition "$B" confiscated --decision CF-2 --date 2024-03-10
ok "realized 2" arcs asset transition "$B" realized --decision CF-2 --date 2024-04-20 --amount 800000000.00 KZT
ok "receive" arcs fund receive --asset "$A" --amount 1000000.00 USD --date 2024-04-01 --ref RC-1
ok "receive 2" arcs fund receive --asset "$B" --amount 800000000.00 KZT --date 2024-04-20 --ref RC-2
ok "project" arcs project add --code MUS-1 --name "Music school, Temirlan" --sector education --region Turkistan --budget 890000000.00 KZT
ok "project 2" arcs project add --code WAT-1 --name "Water supply, Kosshy" --sector water --region Akmola --budget 476700000.00 KZT
ok "allocate" arcs allocate --project MUS-1 --amount 890000000.00 --decision AD-1 --date 2024-05-02 --ref AL-1
ok "allocate 2" arcs allocate --project WAT-1 --amount 300000000.00 --decision AD-1 --date 2024-05-03 --ref AL-2
ok "disburse" arcs disburse --project MUS-1 --amount 400000000.00 --date 2024-06-01 --ref DB-1

ok "funds html" arcs report funds --out "$W/funds.html"
ok "case html" arcs report case ARC-2024-0042 --out "$W/case.html"
ok "statistics html" arcs report statistics --year 2024 --out "$W/statistics.html"
ok "provenance html" arcs report provenance --project MUS-1 --out "$W/provenance.html"

for r in funds case statistics provenance; do
    f="$W/$r.html"
    # no URL anywhere a browser would fetch from
    if grep -Eiq '(src|href|action|poster|data)[[:space:]]*=[[:space:]]*"?[a-z]*:?//|url\(|@import|https?://' "$f"; then
        fail "$r: the HTML names an external URL"
    else
        pass "$r: self-contained, no URL"
    fi
    expect_match '@media print' "$(cat "$f")" "$r: has a print stylesheet"
    run chrome --dump-dom "file://$f"
    DOM=$OUT
    expect_match '<svg' "$DOM" "$r: rendered DOM holds inline SVG charts"
    expect_match 'unsigned tree head|signed and verified checkpoint|checkpoint recorded, not verified' "$DOM" "$r: names its audit checkpoint"
    rm -f "$W/$r.png"
    chrome --screenshot="$W/$r.png" --window-size=1100,1500 --hide-scrollbars "file://$f" >/dev/null
    if [ -s "$W/$r.png" ] && [ "$(head -c 4 "$W/$r.png" | od -An -tx1 | tr -d ' ')" = 89504e47 ]; then
        pass "$r: screenshot is a PNG"
    else
        fail "$r: no screenshot"
    fi
    if [ -n "${ARCS_SCREENSHOT_DIR:-}" ] && { [ "$r" = funds ] || [ "$r" = case ]; }; then
        cp "$W/$r.png" "$ARCS_SCREENSHOT_DIR/report-$r.png"
    fi
    printf '%s' "$DOM" >"$W/$r.dom"
done
# key figures in the rendered text: 1,000,000.00 USD at 470.10 = 470,100,000.00
# received + 800,000,000.00 = 1,270,100,000.00; available = 1,270,100,000.00
# - 1,190,000,000.00 allocated = 80,100,000.00
expect_match '1,270,100,000.00 KZT' "$(cat "$W/funds.dom")" "funds: received in the rendered page"
expect_match '80,100,000.00 KZT' "$(cat "$W/funds.dom")" "funds: available in the rendered page"
expect_match 'Money flow' "$(cat "$W/funds.dom")" "funds: flow chart titled"
expect_match 'ARC-2024-0042' "$(cat "$W/case.dom")" "case: reference shown"
expect_match '•••• 0567' "$(cat "$W/case.dom")" "case: identity number masked"
expect_match '890,000,000.00 KZT' "$(cat "$W/provenance.dom")" "provenance: allocation shown"
# nothing fetched from the network: every URL request chromium's network layer
# saw while it loaded the page is listed in its verbose log. Chromium's own
# background services (update checks, account and time queries to Google's
# hosts, which the flags do not silence at once) are not the page's; any other
# request is.
expect_match "Content-Security-Policy\" content=\"default-src 'none'" "$(cat "$W/funds.html")" \
    "funds: a content security policy forbids every fetch"
run chrome --enable-logging=stderr --v=1 --dump-dom "file://$W/funds.html"
requests=$(grep -Eo 'NotifyBeforeURLRequest: [^ ]+' "$W/chrome.log" | sed 's/^NotifyBeforeURLRequest: //' |
    grep -Ev '^https?://([a-z0-9-]+\.)*(google\.com|googleapis\.com|gstatic\.com|gvt1\.com)(/|$)' || true)
if printf '%s' "$requests" | grep -q .; then
    fail "the page made network requests: $(printf '%s' "$requests" | head -3 | tr '\n' ' ')"
else
    pass "no network request made by the page"
fi
# the same filter sees a request when there is one: a page with an image URL
printf '<!DOCTYPE html><html><body><img src="http://127.0.0.1:9/x.png"></body></html>' >"$W/fetching.html"
run chrome --enable-logging=stderr --v=1 --dump-dom "file://$W/fetching.html"
if grep -Eo 'NotifyBeforeURLRequest: [^ ]+' "$W/chrome.log" | grep -q '127\.0\.0\.1:9'; then
    pass "the request check sees a page's fetch"
else
    fail "the request check missed a page's fetch"
fi
finish
