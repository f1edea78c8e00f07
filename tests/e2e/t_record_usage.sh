# saker record refuses bad arguments before anything else (root or not):
# exit 2, one line on stderr starting "saker: " and naming what is wrong,
# nothing on stdout, no file. Each bad line ends in a short command (or
# -M 3), so a value wrongly taken ends the recording instead of the case
# timing out. `saker record --help` (and -h) exits 0 with examples.
# shellcheck source=tests/e2e/lib.sh
. "$E2E_LIB"

# bad TEXT ARGS...: saker record ARGS... is refused, naming TEXT.
bad() {
    _text=$1
    shift
    sk record "$@"
    expect_rc 2 "saker record $*"
    expect_one_error "saker record $*" "$_text"
    [ ! -s sk.out ] || fail "saker record $*: output on stdout"
    [ ! -e x.skr ] || fail "saker record $*: x.skr created"
}

bad "-s" -w x.skr -s -1 -- true
bad "-s" -w x.skr -s 65536 -- true
bad "-z" -w x.skr -z 99 -- true
bad "-z" -w x.skr -z 0 -- true
bad "-C" -w x.skr -C 0 -- true
bad "-c" -w x.skr -c 0 -- true
bad "-G" -w x.skr -G 1x -- true
bad "unknown filter term 'bogus.term=1'" -w x.skr bogus.term=1 -- true
bad "'nameless' is not NAME=VALUE" -w x.skr nameless -- true
bad "proc.name" -w x.skr proc.name=sixteen-chars-xx -- true
bad "'--' without a command" -w x.skr -M 3 --
bad "'--' without a command" -w x.skr -M 3 proc.name=sh --
bad "-w FILE" -s 10 -- true
bad "-w" -w
bad "unknown option '-Q'" -w x.skr -Q -- true

for h in --help -h; do
    sk record $h
    expect_clean "saker record $h"
    grep -q '^usage: saker record -w FILE' sk.out || fail "saker record $h: no usage line: $(first_line sk.out)"
    grep -q '^examples:$' sk.out || fail "saker record $h: no examples"
    [ "$(grep -c '^  saker record -w ' sk.out)" -ge 3 ] || fail "saker record $h: fewer than 3 examples"
done
pass
