# tests/e2e/lib.sh -- helpers for the end-to-end cases; each t_*.sh starts
# with `. "$E2E_LIB"`. tests/e2e/run sets SAKER, GENTRACE (absolute paths),
# E2E_ROOT (the project root), E2E_STATUS (where a case leaves its result),
# TZ=UTC and LC_ALL=C, and starts each case in an empty temporary directory.
#
# A case ends with `pass`, `fail REASON` or `skip REASON`; a case that
# stops without one of them counts as failed.
# shellcheck shell=sh

: "${SAKER:?run the cases through tests/e2e/run}" "${GENTRACE:?}" "${E2E_STATUS:?}"

# The default start time of gentrace (ns since the epoch).
# shellcheck disable=SC2034 # used by the cases
T0=1700000000000000000

pass() { echo pass > "$E2E_STATUS"; exit 0; }
fail() { printf 'fail: %s\n' "$*" > "$E2E_STATUS"; exit 1; }
skip() { printf 'skip: %s\n' "$*" > "$E2E_STATUS"; exit 77; }
need() { command -v "$1" > /dev/null 2>&1 || skip "$1 not installed"; }

# nlines FILE: lines in FILE, a last line without \n included.
nlines() { awk 'END { print NR }' "$1"; }

# has_ctl FILE: true if FILE holds a control byte other than \t and \n
# (bytes 0x00-0x08, 0x0b-0x1f, 0x7f): saker must escape every one.
has_ctl() { [ "$(tr -d '\011\012\040-\176\200-\377' < "$1" | wc -c)" -ne 0 ]; }

# utf8_ok FILE: true if FILE is valid UTF-8.
utf8_ok() { iconv -f UTF-8 -t UTF-8 < "$1" > /dev/null 2>&1; }

# first_line FILE: its first line without control bytes, for messages.
first_line() { head -n 1 "$1" | tr -d '\000-\037\177' | cut -c 1-200; }

# _check_run WHAT OUT ERR: no crash, no sanitizer report, no raw control bytes.
_check_run() {
    [ "$rc" -lt 128 ] || fail "$1: killed by signal $((rc - 128))"
    if grep -Eq 'Sanitizer|runtime error:' "$3"; then
        fail "$1: sanitizer report: $(grep -Em 1 'Sanitizer|runtime error:' "$3" | cut -c 1-200)"
    fi
    ! has_ctl "$2" || fail "$1: raw control bytes on stdout"
    ! has_ctl "$3" || fail "$1: raw control bytes on stderr"
}

# sk ARGS...: runs saker with stdout in sk.out, stderr in sk.err and the
# exit status in $rc (fails the case on a crash, a sanitizer report or raw
# control bytes in either output).
sk() {
    "$SAKER" "$@" > sk.out 2> sk.err < /dev/null
    rc=$?
    _check_run "saker $*" sk.out sk.err
}

# gen FILE ARGS...: writes a trace with gentrace.
gen() {
    _f=$1
    shift
    "$GENTRACE" -o "$_f" "$@" > gen.out 2> gen.err < /dev/null
    rc=$?
    _check_run "gentrace -o $_f $*" gen.out gen.err
    [ "$rc" -eq 0 ] || fail "gentrace -o $_f $*: exit status $rc: $(first_line gen.err)"
    [ -s "$_f" ] || fail "gentrace -o $_f $*: wrote nothing"
}

# expect_rc N WHAT: the last sk exited with N.
expect_rc() {
    [ "$rc" -eq "$1" ] || fail "$2: exit status $rc, expected $1 (stderr: $(first_line sk.err))"
}

# expect_clean WHAT: the last sk exited 0 with nothing on stderr.
expect_clean() {
    expect_rc 0 "$1"
    [ ! -s sk.err ] || fail "$1: unexpected stderr: $(first_line sk.err)"
}

# expect_one_error WHAT TEXT: the last sk wrote exactly one line on stderr,
# starting "saker: " and holding TEXT (a file name, a message).
expect_one_error() {
    _n=$(nlines sk.err)
    [ "$_n" -eq 1 ] || fail "$1: $_n lines on stderr, expected 1 (first: $(first_line sk.err))"
    _l=$(head -n 1 sk.err)
    case $_l in
    "saker: "*) ;;
    *) fail "$1: stderr does not start with 'saker: ': $(first_line sk.err)" ;;
    esac
    case $_l in
    *"$2"*) ;;
    *) fail "$1: stderr does not name '$2': $(first_line sk.err)" ;;
    esac
}

# expect_lines N FILE WHAT
expect_lines() {
    _n=$(nlines "$2")
    [ "$_n" -eq "$1" ] || fail "$3: $_n lines, expected $1"
}

# field NAME FILE: the value of an `info` text line "NAME:   value".
field() { sed -n "s/^$1: *//p" "$2" | head -n 1; }

# check_numbers FILE FIRST WHAT: event numbers FIRST, FIRST+1, ... in order.
check_numbers() {
    _bad=$(awk -v first="$2" '$1 != first + NR - 1 { print "line " NR " has number " $1 ", expected " first + NR - 1; exit }' "$1")
    [ -z "$_bad" ] || fail "$3: $_bad"
}

# check_times FILE WHAT: the times (HH:MM:SS.nnnnnnnnn, TZ=UTC, one day)
# never go back.
check_times() {
    _bad=$(awk 'NR > 1 && $2 < prev { print "line " NR ": time " $2 " after " prev; exit } { prev = $2 }' "$1")
    [ -z "$_bad" ] || fail "$2: $_bad"
}

# blocks FILE: walks the blocks of a trace (man/saker-trace.5 §4) from the
# first one and prints one line per block:
#   NUMBER OFFSET TYPE META_LEN STORED_LEN COUNT FIRST_EVNUM END
# NUMBER counts from 0 for the header block, as saker's reports do; TYPE
# is 1 header, 2 events, 3 checkpoint, 4 stats, 5 index. Stops at the
# trailer or at anything that is not a block. For small files only.
blocks() {
    od -An -v -tu1 "$1" | awk '
        function u(o, k,    v, j) { v = 0; for (j = k - 1; j >= 0; j--) v = v * 256 + b[o + j]; return v }
        { for (i = 1; i <= NF; i++) b[n++] = $i + 0 }
        END {
            off = 16
            for (no = 0; off + 56 <= n; no++) {
                if (b[off] != 229 || b[off + 1] != 83 || b[off + 2] != 75 || b[off + 3] != 66 ||
                    b[off + 4] != 76 || b[off + 5] != 75 || b[off + 6] != 13 || b[off + 7] != 10)
                    break
                meta = u(off + 10, 2)
                stored = u(off + 12, 4)
                end = off + 56 + meta + stored
                print no, off, b[off + 8], meta, stored, u(off + 20, 4), u(off + 40, 8), end
                off = end
            }
        }'
}

# flip_byte FILE OFFSET: inverts every bit of the byte at OFFSET.
flip_byte() {
    _old=$(od -An -tu1 -j "$2" -N 1 "$1" | tr -d ' ')
    [ -n "$_old" ] || fail "flip_byte: $1 has no byte at offset $2"
    # shellcheck disable=SC2059 # the format is the octal escape made here
    printf "$(printf '\\%03o' $((_old ^ 255)))" |
        dd of="$1" bs=1 seek="$2" conv=notrunc 2> /dev/null || fail "flip_byte: dd failed"
}

# size FILE: bytes.
size() { wc -c < "$1" | tr -d ' '; }

# json_check FILE WHAT CODE [ARGS...]: parses FILE as JSON objects, one per
# line, from strict UTF-8, and runs the Python CODE with `docs` (the list
# of objects) and `args` (ARGS); a failing `assert cond, "why"` fails the
# case. Skips the case when python3 is not installed.
json_check() {
    need python3
    _f=$1 _what=$2 _code=$3
    shift 3
    _msg=$(python3 -c '
import json, sys
def strict(name):
    raise ValueError("not JSON: " + name)
try:
    raw = open(sys.argv[1], "rb").read()
    if not raw.endswith(b"\n"):
        raise ValueError("output does not end with a newline")
    docs = [json.loads(line, parse_constant=strict) for line in raw.decode("utf-8").split("\n")[:-1]]
except (ValueError, UnicodeDecodeError) as e:
    print("not JSON lines in UTF-8: %s" % e)
    sys.exit(1)
args = sys.argv[3:]
try:
    exec(sys.argv[2])
except AssertionError as e:
    print(e)
    sys.exit(1)
' "$_f" "$_code" "$@" 2>&1) || fail "$_what: $(echo "$_msg" | tail -n 1)"
}

# need_bpf: the case records with eBPF, which needs root and kernel BTF.
# Elsewhere it is skipped, but where SAKER_REQUIRE_BPF=1 (CI) it fails.
need_bpf() {
    _why=""
    [ "$(id -u)" = 0 ] || _why="not root"
    [ -n "$_why" ] || [ -r /sys/kernel/btf/vmlinux ] || _why="no /sys/kernel/btf/vmlinux"
    if [ -n "$_why" ]; then
        [ "${SAKER_REQUIRE_BPF:-0}" != 1 ] || fail "needs root and BPF ($_why) but SAKER_REQUIRE_BPF=1"
        skip "needs root and BPF ($_why)"
    fi
}

# rec ARGS...: saker record with output like sk (sk.out, sk.err, $rc).
rec() { sk record -q "$@"; }

# wait_block FILE TYPE SECS: waits until FILE (a trace being written) holds
# a whole block of TYPE (see blocks), at most SECS seconds; fails the case
# then. A stats block (4) means the recorder is in its main loop, with its
# signal handlers set.
wait_block() {
    _i=0
    while [ $_i -lt $(($3 * 5)) ]; do
        [ -f "$1" ] && [ "$(blocks "$1" | awk -v t="$2" '$3 == t' | wc -l)" -gt 0 ] && return 0
        sleep 0.2
        _i=$((_i + 1))
    done
    fail "$1: no block of type $2 after $3 s"
}

# busy SECS [PAUSE]: runs cat in a loop, sleeping PAUSE seconds (default
# none) between runs, for SECS seconds or until the file `stop` exists:
# system-wide activity for a recording.
busy() {
    _end=$(($(date +%s) + $1))
    while [ ! -e stop ] && [ "$(date +%s)" -lt $_end ]; do
        cat /etc/passwd /etc/hostname > /dev/null
        [ -z "${2:-}" ] || sleep "$2"
    done
}

# middle_block_fixture: writes d.skr (N events in 16 KiB blocks), keeps its
# read output in orig.out and its block list in blocks.txt, and sets nev
# (events blocks) and no off meta stored count first for the middle one.
middle_block_fixture() {
    gen d.skr -n "$N" -b 16384
    sk read d.skr
    expect_clean "saker read d.skr"
    cp sk.out orig.out
    blocks d.skr > blocks.txt
    nev=$(awk '$3 == 2' blocks.txt | wc -l)
    [ "$nev" -ge 8 ] || fail "gentrace -b 16384 -n $N wrote only $nev events blocks"
    # shellcheck disable=SC2046 # split on purpose
    set -- $(awk -v k=$((nev / 2)) '$3 == 2 && ++i == k' blocks.txt)
    # shellcheck disable=SC2034 # used by the cases
    no=$1 off=$2 meta=$4 stored=$5 count=$6 first=$7
}
