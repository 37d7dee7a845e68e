# Output is safe and whole (issue 11, item 9): no renderer cuts a value; CSV
# cells cannot run as formulas; Markdown text cannot become markup; terminal
# output shows control characters escaped; --out never writes through a
# link nor over anything but a regular file.
. "$(dirname "$0")/lib.sh"
W=$(mktemp -d)
trap 'rm -rf "$W" "$T_OUT" "$T_ERR"' EXIT

j() { printf '%s' "$OUT" | jq -r "$1"; }
ok() { expect_exit 0 "$1" "${@:2}"; }
# N Cyrillic characters ("Ж"... then a final "я", so a cut shows)
cyr() { python3 -c "import sys; n=int(sys.argv[1]); sys.stdout.write('Ж'*(n-1)+'я')" "$1"; }
# has FILE TEXT: FILE holds TEXT whole, and FILE is valid UTF-8
has_whole() {
    python3 - "$1" "$2" <<'PY'
import sys
data = open(sys.argv[1], 'rb').read()
try:
    text = data.decode('utf-8', 'strict')
except UnicodeDecodeError as e:
    print("invalid utf-8:", e); sys.exit(1)
sys.exit(0 if sys.argv[2] in text else 2)
PY
}

DESC=$(cyr 2000)
TITLE=$(cyr 500)
ok "init" arcs db init --base-currency KZT
ok "case with a 500-character Cyrillic title" arcs case add --ref OUT-1 --title "$TITLE" \
    --offence bribery --opened 2024-01-01 --jurisdiction victim:KZ
ok "case with formula and markup in its title" arcs case add --ref OUT-2 \
    --title '=HYPERLINK("http://x","y") # heading [link](http://x) ![img](x)' \
    --offence bribery --opened 2024-01-01 --jurisdiction victim:KZ
ok "asset with a 2,000-character Cyrillic description" arcs asset add OUT-1 --kind cash \
    --desc "$DESC" --country KZ --value 100.00 KZT --valued-on 2024-01-02
A1=$OUT
ok "asset of case 2" arcs asset add OUT-2 --kind cash --desc '-1+2' --country KZ \
    --value 100.00 KZT --valued-on 2024-01-02
A2=$OUT
for n in 1 2; do
    a=$([ $n = 1 ] && echo "$A1" || echo "$A2")
    ok "freeze $n" arcs decision add OUT-$n --kind freeze --ref F$n --issuer Court --date 2024-02-01 --asset "$a"
    ok "confiscation $n" arcs decision add OUT-$n --kind confiscation --ref C$n --issuer Court \
        --date 2024-03-01 --final 2024-03-02 --asset "$a"
    ok "frozen $n" arcs asset transition "$a" frozen --decision F$n --date 2024-02-01
    ok "confiscated $n" arcs asset transition "$a" confiscated --decision C$n --date 2024-03-02
    ok "realized $n" arcs asset transition "$a" realized --decision C$n --date 2024-03-03 --amount 100.00 KZT
    ok "receive $n" arcs fund receive --asset "$a" --amount 100.00 KZT --date 2024-03-03 --ref R$n
done

# ---- whole, valid UTF-8, in every format ----
for f in html md json; do
    ok "case report $f" arcs report case OUT-1 --format $f --out "$W/case.$f"
    if has_whole "$W/case.$f" "$DESC"; then pass "case report $f holds the 2,000-character description whole"
    else fail "case report $f cut the description or is not UTF-8"; fi
    if has_whole "$W/case.$f" "$TITLE"; then pass "case report $f holds the 500-character title whole"
    else fail "case report $f cut the title"; fi
done
ok "case report json parses" arcs report case OUT-1 --format json
expect_eq "$DESC" "$(j '.assets[0].description')" "json: the description, character for character"
ok "funds report csv" arcs report funds --format csv --out "$W/funds.csv"
if has_whole "$W/funds.csv" "$TITLE"; then pass "funds csv holds the 500-character title whole"
else fail "funds csv cut the title"; fi

# ---- CSV: formulas neutralised, numbers kept ----
python3 - "$W/funds.csv" >"$W/csv.out" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8')))
bad = [r for r in rows if r and r[-1][:1] in ('=', '+', '-', '@', '\t', '\r', '\n')
       and not r[-1].lstrip('-').replace('.', '', 1).isdigit()]
guarded = [r[-1] for r in rows if r and r[-1].startswith("'=HYPERLINK")]
print(len(bad), len(guarded))
PY
expect_eq "0 1" "$(cat "$W/csv.out")" "csv: no text cell starts a formula; the title is guarded with '"

# ---- Markdown: the title cannot become a heading, link or image ----
ok "case report md of the markup title" arcs report case OUT-2 --format md --out "$W/case2.md"
md=$(cat "$W/case2.md")
expect_match '\\=HYPERLINK\\\("http://x","y"\\\)' "$md" "md: the title is there, escaped"
if printf '%s' "$md" | grep -Eq '(^|[^\\])\[link\]\(|!\[img\]\(|^#+ heading'; then
    fail "md: a link, image or heading survived"
else pass "md: no link, image or heading from the title"; fi
expect_match '\\# heading \\\[link\\\]\\\(http://x\\\) \\!\\\[img\\\]\\\(x\\\)' "$md" \
    "md: every metacharacter of the title is escaped"

# ---- terminal: control characters shown escaped ----
# an insider writes raw control characters past the CLI (which refuses them)
sql "UPDATE arcs.cases SET title = E'red \\x1b[31mALERT\\x07 bell\\rCR\\nLF\\x7f \\u009b2J end' WHERE ref = 'OUT-2'"
ok "case list" arcs case list
if printf '%s' "$OUT" | LC_ALL=C grep -q $'[\x01-\x09\x0b-\x1f\x7f]'; then
    fail "case list printed a raw control character"
else pass "case list prints no raw control character"; fi
if printf '%s' "$OUT" | LC_ALL=C grep -q $'\xc2\x9b'; then
    fail "case list printed a raw C1 control"
else pass "case list prints no raw C1 control"; fi
expect_match 'red \\x1b\[31mALERT\\x07 bell\\x0dCR\\x0aLF\\x7f \\xc2\\x9b2J end' "$OUT" \
    "case list shows ESC, BEL, CR, LF, DEL and C1 as \\xNN"
ok "case show" arcs case show OUT-2
if printf '%s' "$OUT" | LC_ALL=C grep -q $'[\x01-\x09\x0b-\x1f\x7f]'; then
    fail "case show printed a raw control character"
else pass "case show prints no raw control character"; fi
expect_match 'title: +red \\x1b\[31mALERT' "$OUT" "case show shows ESC escaped"
expect_exit 2 "an error echoing input" arcs case show "$(printf 'NO\033[2J')"
if printf '%s' "$ERR" | LC_ALL=C grep -q $'\x1b'; then fail "the error message echoed a raw ESC"
else pass "the error message shows ESC escaped"; fi
ok "json is JSON-escaped, not terminal-escaped" arcs case show OUT-2 --json
expect_eq "$(printf 'red \033[31mALERT')" "$(j .title | head -c 14)" "--json keeps the value (JSON escaping)"

# ---- --out: never through a link, never over a non-regular file ----
echo "precious" >"$W/target"
ln -s "$W/target" "$W/link"
expect_exit 2 "report --out onto a symlink is refused" arcs report funds --format csv --out "$W/link"
expect_eq "precious" "$(cat "$W/target")" "the symlink's target is untouched"
[ -L "$W/link" ] && pass "the symlink is still a symlink" || fail "the symlink was replaced"
ln -s "$W/nothing-yet" "$W/dangling"
expect_exit 2 "report --out onto a dangling symlink is refused" arcs report funds --format csv --out "$W/dangling"
[ ! -e "$W/nothing-yet" ] && pass "nothing created through the dangling link" || fail "a file was created through the link"
mkfifo "$W/fifo"
expect_exit 2 "report --out onto a FIFO is refused" timeout 20 "$ARCS_BIN" report funds --format csv --out "$W/fifo"
[ -p "$W/fifo" ] && pass "the FIFO is still a FIFO" || fail "the FIFO was replaced"
mkdir "$W/dir"
expect_exit 2 "report --out onto a directory is refused" arcs report funds --format csv --out "$W/dir"
echo "old" >"$W/regular"
ok "report --out onto a regular file" arcs report funds --format csv --out "$W/regular"
expect_match '^section,row,field,value' "$(head -n 1 "$W/regular")" "the regular file is replaced by the report"
expect_eq "" "$(ls -A "$W" | grep '^\.' || true)" "no temporary file is left behind"

ok "keygen" arcs audit keygen --name out.example/log --out "$W/log.key"
expect_eq "600" "$(stat -c %a "$W/log.key")" "the key file is mode 0600"
ln -s "$W/stolen.key" "$W/keylink"
expect_exit 2 "keygen --out onto a symlink is refused" arcs audit keygen --name x --out "$W/keylink"
[ ! -e "$W/stolen.key" ] && pass "no key written through the link" || fail "a key was written through the link"
cp "$W/log.key" "$W/log.key.bak"
expect_exit 2 "keygen never replaces a key" arcs audit keygen --name y --out "$W/log.key"
cmp -s "$W/log.key" "$W/log.key.bak" && pass "the old key is untouched" || fail "the old key changed"
echo "precious" >"$W/target"
expect_exit 2 "audit checkpoint --out onto a symlink is refused" \
    arcs audit checkpoint --key "$W/log.key" --out "$W/link"
expect_eq "precious" "$(cat "$W/target")" "the checkpoint did not go through the link"
mkdir "$W/export"
ln -s "$W/target" "$W/export/entries.jsonl"
run arcs audit export "$W/export"
expect_eq "2" "$RC" "audit export refuses a symlink among its files"
expect_eq "precious" "$(cat "$W/target")" "the export did not write through the link"
rm "$W/export/entries.jsonl"
ok "audit export to a clean folder" arcs audit export "$W/export"
[ -f "$W/export/entries.jsonl" ] && [ ! -L "$W/export/entries.jsonl" ] && pass "export wrote a regular entries.jsonl" \
    || fail "export did not write entries.jsonl"

finish
