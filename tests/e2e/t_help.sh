# Help: `saker --help`, `saker help`, `saker help COMMAND`, `saker COMMAND
# --help` exit 0 with nothing on stderr and print a usage with examples;
# the two ways of asking for a command's help print the same text.
# shellcheck source=tests/e2e/lib.sh
. "$E2E_LIB"

for args in "--help" "help" "-h" \
    "help info" "info --help" "info -h" "help read" "read --help" "read -h" \
    "help record" "record --help" "record -h" "help fields" "fields --help" "fields -h" \
    "help rules" "rules --help" "rules -h"; do
    # shellcheck disable=SC2086 # split on purpose
    sk $args
    expect_clean "saker $args"
    grep -q '^usage: saker' sk.out || fail "saker $args: no 'usage: saker' line"
    grep -q '^examples:' sk.out || fail "saker $args: no 'examples:' section"
    grep -Eq '^  saker [a-z]' sk.out || fail "saker $args: no example command line"
    name=$(echo "$args" | tr ' ' _)
    cp sk.out "help_$name.txt"
done
for c in info read record fields rules; do
    cmp -s "help_help_$c.txt" "help_${c}_--help.txt" || fail "'saker help $c' differs from 'saker $c --help'"
    cmp -s "help_${c}_-h.txt" "help_${c}_--help.txt" || fail "'saker $c -h' differs from 'saker $c --help'"
    grep -q "^usage: saker $c " "help_${c}_--help.txt" || fail "saker $c --help: usage is not for '$c'"
done
cmp -s help_--help.txt help_help.txt || fail "'saker --help' differs from 'saker help'"
cmp -s help_--help.txt help_-h.txt || fail "'saker -h' differs from 'saker --help'"
for c in info read record fields rules; do
    grep -Eq "^  $c " help_help.txt || fail "saker help: command '$c' not listed"
done

sk --version
expect_clean "saker --version"
grep -Eq '^saker [0-9]+\.[0-9]+' sk.out || fail "saker --version: no version: $(first_line sk.out)"
pass
