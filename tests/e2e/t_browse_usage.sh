# `saker browse` refuses what it cannot use with one line on stderr and
# status 2, before touching the terminal: no terminal (stdin/stdout not a
# tty), no argument, a missing file, a file that is neither a trace nor a
# database, an SQLite file of another program, a bad --filter, a bad
# option; --help shows the synopsis with examples.
# shellcheck source=tests/e2e/lib.sh
. "$E2E_LIB"

sk browse --help
expect_clean "browse --help"
grep -q '^usage: saker browse \[OPTIONS\] \[DB\] \[TRACE...\]' sk.out || fail "no synopsis in --help"
grep -q 'saker browse hits.db' sk.out || fail "no example in --help"
sk help browse
expect_clean "help browse"

gen t.skr -n 1000

# no terminal: sk runs with stdin from /dev/null and stdout to a file
sk browse t.skr
expect_rc 2 "browse without a terminal"
expect_one_error "browse without a terminal" "needs a terminal"

sk browse
expect_rc 2 "browse without arguments"
expect_one_error "browse without arguments" "no hit database or trace given"

sk browse missing.db
expect_rc 2 "browse of a missing file"
expect_one_error "browse of a missing file" "missing.db"

printf 'not a trace, not a database\n' > junk.txt
# the check on the terminal comes after the files are opened: run it with
# a terminal-less stdin but let the file checks speak first
sk browse junk.txt
expect_rc 2 "browse of a junk file"
expect_one_error "browse of a junk file" "junk.txt"

sk browse --frobnicate t.skr
expect_rc 2 "an unknown option"
expect_one_error "an unknown option" "unknown option"

if command -v sqlite3 > /dev/null 2>&1; then
    sqlite3 other.db 'CREATE TABLE x(a); INSERT INTO x VALUES (1);'
    sk browse other.db
    expect_rc 2 "browse of another program's database"
    expect_one_error "browse of another program's database" "other.db"
fi
pass
