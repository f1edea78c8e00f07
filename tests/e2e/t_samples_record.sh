# Every samples/record-NAME.sh still acts out what its sample shows: run
# again (output in this directory, SAMPLES_OUT), its new trace, replayed
# with rules/, gives the rules of samples/expected/NAME.hits as many times
# each. Only hits of the scenario's own processes count (the process tree
# of the sh the recorder started, whose pid the script prints): other
# processes on the host, another run of this case among them, are recorded
# too.
# shellcheck source=tests/e2e/lib.sh
. "$E2E_LIB"
need_bpf
for p in python3 setpriv unshare nsenter curl bash pgrep; do need "$p"; done
samples=$E2E_ROOT/samples
# the scripts record as uid 65534 with ambient capabilities (lib-record.sh)
caps=$(sed -n 's/^CAPS=\$CAPS,//p; s/^CAPS=//p' "$samples/lib-record.sh" | paste -sd, -)
[ -n "$caps" ] || fail "no CAPS= in samples/lib-record.sh"
setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps="$caps" --ambient-caps="$caps" true 2> /dev/null ||
    skip "cannot give uid 65534 the capabilities $caps"
n=0
for script in "$samples"/record-*.sh; do
    name=$(basename "$script" .sh)
    name=${name#record-}
    run=e2e-$$-$name
    (cd "$E2E_ROOT" && SAMPLES_OUT=$OLDPWD SAMPLES_RUN=$run sh "$script") > "rec-$name.out" 2> "rec-$name.err" ||
        fail "$script: exit status $?: $(grep -v '^saker' "rec-$name.err" | first_line /dev/stdin)"
    [ -s "$name.skr" ] || fail "$script: no $name.skr written"
    sk replay -r "$E2E_ROOT/rules" --no-db -o json "$name.skr"
    expect_rc 0 "saker replay $name.skr (recorded again)"
    cp sk.out "$name.json"
    root=$(sed -n 's/^scenario pid: \([0-9][0-9]*\)$/\1/p' "rec-$name.out")
    [ -n "$root" ] || fail "$script: no 'scenario pid:' line"
    sk read -p '%evt.rawtime' "$name.skr" "proc.pid = $root or proc.apid = $root"
    expect_clean "saker read $name.skr"
    cp sk.out "$name.own"
    grep -v '^#' "$samples/expected/$name.hits" | cut -f 2 > "$name.want"
    json_check "$name.json" "$name.skr recorded again" '
import collections
own = set(int(x) for x in open(args[0]).read().split())
want = collections.Counter(l.rstrip("\n") for l in open(args[1]))
got = collections.Counter(d["rule"] for d in docs if d["output_fields"]["evt.time"] in own)
assert got == want, "%s: hits by rule %s, expected %s" % (args[2], dict(got), dict(want))
' "$name.own" "$name.want" "$name"
    n=$((n + 1))
done
[ "$n" -ge 7 ] || fail "only $n record scripts"
pass
