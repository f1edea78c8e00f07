# Every example command line in `saker --help`, `saker info --help` and
# `saker read --help` runs, as shown, against generated traces with the
# file names the example uses: exit 0, output, nothing on stderr. A pager
# is replaced by cat; `-n COUNT` must print COUNT lines.
# shellcheck source=tests/e2e/lib.sh
. "$E2E_LIB"

# A stand-in for each trace named in an example; rot-N.skr are a rotated
# set (numbering and time continue from one file to the next).
make_trace() {
    case $1 in
    rot-[0-9].skr)
        k=${1#rot-}
        k=${k%.skr}
        gen "$1" -n 1000 -s $((k + 1)) -e $((k * 1000 + 1)) -t $((T0 + k * 10000000))
        ;;
    *) gen "$1" -n 1000 -k 250 -S 250 ;;
    esac
}

# The shell functions the examples run with (through eval).
# shellcheck disable=SC2317
saker() {
    "$SAKER" "$@" 2>> ex.err
    echo "$?" >> ex.rc
}
# shellcheck disable=SC2317
less() { cat; }
# shellcheck disable=SC2317
more() { cat; }
if ! command -v jq > /dev/null 2>&1; then
    need python3
    # enough of jq for the examples: one .KEY filter, JSON lines in
    # shellcheck disable=SC2317
    jq() {
        python3 -c 'import json, sys
key = sys.argv[1].lstrip(".")
for line in sys.stdin:
    print(json.dumps(json.loads(line)[key]))' "$1"
    }
fi

examples() {
    awk '/^examples:/ { on = 1; next }
         on && /^[ \t]*$/ { exit }
         on { sub(/^[ \t]+/, ""); sub(/[ \t]+#.*$/, ""); print }' "$1"
}

total=0
for help in "--help" "info --help" "read --help"; do
    # shellcheck disable=SC2086 # split on purpose
    sk $help
    expect_clean "saker $help"
    examples sk.out > examples.txt
    [ -s examples.txt ] || fail "saker $help: no examples"
    while IFS= read -r ex; do
        case $ex in
        "saker "*) ;;
        *) fail "saker $help: example does not start with 'saker ': $ex" ;;
        esac
        for w in $ex; do
            case $w in
            *[*?]* | -*) ;;
            *.skr) [ -e "$w" ] || make_trace "$w" ;;
            esac
        done
        rm -f ex.rc ex.err ex.out
        (eval "$ex") > ex.out
        st=$?
        [ "$st" -eq 0 ] || fail "example '$ex': exit status $st"
        [ -s ex.rc ] || fail "example '$ex': saker did not run"
        grep -qv '^0$' ex.rc && fail "example '$ex': saker exit status $(grep -v '^0$' ex.rc | head -n 1)"
        [ ! -s ex.err ] || fail "example '$ex': stderr: $(first_line ex.err)"
        [ -s ex.out ] || fail "example '$ex': no output"
        ! has_ctl ex.out || fail "example '$ex': raw control bytes on stdout"
        grep -Eq 'Sanitizer|runtime error:' ex.err && fail "example '$ex': sanitizer report"
        n=$(echo "$ex" | sed -n 's/.* -n \([0-9][0-9]*\) .*/\1/p')
        [ -z "$n" ] || expect_lines "$n" ex.out "example '$ex'"
        total=$((total + 1))
    done < examples.txt
done
[ "$total" -ge 6 ] || fail "only $total examples found"
pass
