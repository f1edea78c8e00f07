# saker record -C 1 -W 2 keeps a ring of the 2 newest files: of the K files
# made (the summary says how many, at least 3 here), only r.skr.K-2 and
# r.skr.K-1 are left, both whole and readable, holding the last events
# with no gap between them. -W without -C or -G is refused: exit 2, one
# line, no file.
# shellcheck source=tests/e2e/lib.sh
. "$E2E_LIB"
need_bpf

sk record -w r.skr -W 2 -- true
expect_rc 2 "saker record -W 2 without -C or -G"
expect_one_error "saker record -W 2 without -C or -G" "-W needs -C or -G"
[ ! -s sk.out ] || fail "saker record -W 2 without -C or -G: output on stdout"
[ -z "$(find . -name 'r.skr*')" ] || fail "saker record -W 2 without -C or -G created a file"

sk record -w r.skr -C 1 -W 2 -- sh -c 'dd if=/dev/urandom of=/dev/null bs=256 count=70000 2> /dev/null'
expect_rc 0 "saker record -C 1 -W 2"
k=$(sed -n 's/^saker: record: [0-9]* events in \([0-9]*\) file(s).*/\1/p' sk.err)
total=$(sed -n 's/^saker: record: \([0-9]*\) events in .*/\1/p' sk.err)
[ -n "$k" ] || fail "no summary line: $(first_line sk.err)"
[ "$k" -ge 3 ] || fail "only $k files made at -C 1: nothing for -W 2 to delete"

left=$(find . -name 'r.skr*' | sed 's|^\./||' | sort -t . -k 3n | tr '\n' ' ')
[ "$left" = "r.skr.$((k - 2)) r.skr.$((k - 1)) " ] ||
    fail "$k files made with -W 2, left: $left(expected r.skr.$((k - 2)) r.skr.$((k - 1)))"

sk info r.skr.$((k - 2))
expect_clean "saker info r.skr.$((k - 2))"
grep -q '^index:       present$' sk.out || fail "saker info r.skr.$((k - 2)): $(grep '^index:' sk.out)"
old=$(field events sk.out)
sk info r.skr.$((k - 1))
expect_clean "saker info r.skr.$((k - 1))"
grep -q '^index:       present$' sk.out || fail "saker info r.skr.$((k - 1)): $(grep '^index:' sk.out)"
new=$(field events sk.out)

sk read r.skr.*
expect_clean "saker read r.skr.* (the 2 kept)"
expect_lines $((old + new)) sk.out "saker read r.skr.* (the 2 kept)"
first=$((total - old - new + 1))
[ "$first" -gt 1 ] || fail "the kept files start at event $first: nothing was deleted"
check_numbers sk.out $first "saker read r.skr.* (the 2 kept: the last $((old + new)) of $total events)"
pass
