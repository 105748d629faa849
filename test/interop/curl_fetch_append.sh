#!/bin/bash
# curl's IMAP client: APPEND (-T), UID FETCH by URL, LIST, SEARCH by URL,
# custom commands (-X), a folder in the URL, a refused login.

. "$(dirname "$0")/lib.sh"

command -v curl >/dev/null || skip "curl not installed"
curl -V | grep -qw imap || skip "curl lacks IMAP support"
interop_init

start_server

URL="imap://127.0.0.1:$PORT"
CURL=(timeout 60 curl -sS --max-time 30 --user "$USER1:$PASS1")

printf 'From: Alice <alice@example.org>\r\nTo: Bob <bob@example.org>\r
Subject: first via curl\r\nMessage-ID: <c1@interop.test>\r\n\r
Hello from curl.\r\n.leading dot line\r\n\r\nlast line\r\n' >"$TMP/m1.eml"
printf 'From: Bob <bob@example.org>\r\nTo: Alice <alice@example.org>\r
Subject: second via curl\r\nMessage-ID: <c2@interop.test>\r\n\r
Second body.\r\n' >"$TMP/m2.eml"
python3 -c 'import imaptest, sys
sys.stdout.buffer.write(imaptest.big_message(300000, seed=3))' \
    >"$TMP/m3.eml" || fail "cannot make m3.eml"

for m in m1 m2 m3; do
	"${CURL[@]}" --url "$URL/INBOX" -T "$TMP/$m.eml" \
	    >"$TMP/$m.append.out" || fail "curl -T $m.eml (APPEND) failed"
done

# UID SEARCH (custom request) to learn the UIDs of the three messages.
"${CURL[@]}" --url "$URL/INBOX" -X 'UID SEARCH ALL' >"$TMP/search.out" ||
    fail "curl -X 'UID SEARCH ALL' failed"
read -r -a UIDS <<<"$(tr -d '\r' <"$TMP/search.out" |
    sed -n 's/^\* SEARCH *//p')"
[ "${#UIDS[@]}" = 3 ] || fail "UID SEARCH ALL: want 3 UIDs, got: \
$(cat "$TMP/search.out")"

i=0
for m in m1 m2 m3; do
	uid=${UIDS[$i]}
	i=$((i + 1))
	"${CURL[@]}" --url "$URL/INBOX;UID=$uid" -o "$TMP/$m.fetched" ||
	    fail "curl fetch INBOX;UID=$uid failed"
	cmp_files "$TMP/$m.eml" "$TMP/$m.fetched" "fetch of UID $uid ($m)"
done

# A section of a message: ;SECTION=HEADER
"${CURL[@]}" --url "$URL/INBOX;UID=${UIDS[1]};SECTION=HEADER" \
    -o "$TMP/m2.header" || fail "curl SECTION=HEADER failed"
sed -n '1,/^\r$/p' "$TMP/m2.eml" >"$TMP/m2.header.want"
cmp_files "$TMP/m2.header.want" "$TMP/m2.header" "BODY[HEADER] of m2"

# SEARCH through the URL query.
"${CURL[@]}" --url "$URL/INBOX?SUBJECT%20second" >"$TMP/s2.out" ||
    fail "curl URL SEARCH failed"
tr -d '\r' <"$TMP/s2.out" | grep -qx '\* SEARCH 2' ||
    fail "SEARCH SUBJECT second: $(cat "$TMP/s2.out")"

# CREATE, then LIST shows it; APPEND and fetch in that folder.
"${CURL[@]}" --url "$URL/" -X 'CREATE Curly' >/dev/null ||
    fail "curl -X CREATE failed"
"${CURL[@]}" --url "$URL/" >"$TMP/list.out" || fail "curl LIST failed"
tr -d '\r' <"$TMP/list.out" | grep -Eq '^\* LIST \(.*\) ("/"|NIL) "?INBOX"?$' ||
    fail "LIST lacks INBOX: $(cat "$TMP/list.out")"
tr -d '\r' <"$TMP/list.out" | grep -Eq '^\* LIST \(.*\) "/" "?Curly"?$' ||
    fail "LIST lacks Curly: $(cat "$TMP/list.out")"
"${CURL[@]}" --url "$URL/Curly" -T "$TMP/m2.eml" >/dev/null ||
    fail "APPEND to Curly failed"
"${CURL[@]}" --url "$URL/Curly" -X 'UID SEARCH ALL' >"$TMP/cs.out" ||
    fail "UID SEARCH in Curly failed"
cuid=$(tr -d '\r' <"$TMP/cs.out" | sed -n 's/^\* SEARCH *//p')
if [ -z "$cuid" ] || [ "${cuid// /}" != "$cuid" ]; then
	fail "Curly UID SEARCH: $(cat "$TMP/cs.out")"
fi
"${CURL[@]}" --url "$URL/Curly;UID=$cuid" -o "$TMP/c.fetched" ||
    fail "fetch Curly;UID=$cuid failed"
cmp_files "$TMP/m2.eml" "$TMP/c.fetched" "fetch from Curly"

# Custom request: EXAMINE shows the untagged EXISTS.
"${CURL[@]}" --url "$URL/" -X 'EXAMINE INBOX' >"$TMP/examine.out" ||
    fail "curl -X 'EXAMINE INBOX' failed"
tr -d '\r' <"$TMP/examine.out" | grep -qx '\* 3 EXISTS' ||
    fail "EXAMINE INBOX: no '* 3 EXISTS': $(cat "$TMP/examine.out")"
tr -d '\r' <"$TMP/examine.out" | grep -Eq '^\* OK \[UIDVALIDITY [0-9]+\]' ||
    fail "EXAMINE INBOX: no [UIDVALIDITY]: $(cat "$TMP/examine.out")"

# STATUS through a custom request.
"${CURL[@]}" --url "$URL/" -X 'STATUS INBOX (MESSAGES UIDNEXT)' \
    >"$TMP/status.out" || fail "curl STATUS failed"
st=$(tr -d '\r' <"$TMP/status.out" | grep -E '^\* STATUS "?INBOX"? \(')
case $st in
*"MESSAGES 3"*"UIDNEXT "[0-9]*|*"UIDNEXT "[0-9]*"MESSAGES 3"*) ;;
*)	fail "STATUS: $(cat "$TMP/status.out")" ;;
esac

# A wrong password must be refused (curl: 67 = login denied).
timeout 60 curl -sS --max-time 30 --user "$USER1:wrong" --url "$URL/" \
    >/dev/null 2>&1
rc=$?
[ "$rc" = 67 ] || fail "wrong password: curl exit $rc, want 67"

exit 0
