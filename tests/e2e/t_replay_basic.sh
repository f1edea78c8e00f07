# `saker replay` on a generated trace with a small rules file written here:
# each rule's hits are exactly the events `saker read` selects with the
# rule's condition, printed as Falco prints an alert (the same text as
# read -p '*%evt.time: Priority OUTPUT'); --rule-matching all reports
# every rule, first only the first in load order; --min-priority, --tags,
# --disable-rule and --from/--to leave out what they should; the summary
# counts; JSON lines carry Falco's keys.
# shellcheck source=tests/e2e/lib.sh
. "$E2E_LIB"

gen a.skr -n 30000 -k 10000 -S 5000 -s 3

cat > r.yaml << 'EOF'
- list: shells
  items: [bash, sh]
- macro: open_read
  condition: evt.type in (open, openat, openat2) and evt.is_open_read=true and fd.typechar='f'
- rule: Shell reads passwd
  desc: a shell reads /etc/passwd
  condition: open_read and proc.name in (shells) and fd.name=/etc/passwd
  output: "Shell read passwd (command=%proc.cmdline file=%fd.name parent=%proc.aname[2] tid=%thread.tid)"
  priority: WARNING
  tags: [filesystem, t_passwd]
- rule: Reads passwd
  desc: anyone reads /etc/passwd
  condition: open_read and fd.name=/etc/passwd
  output: "Passwd read by %proc.name (user=%user.name)"
  priority: NOTICE
  tags: [filesystem]
- rule: Curl connects
  desc: network
  condition: evt.type=connect and proc.name=curl
  output: "curl connects (fd=%fd.name pid=%proc.pid)"
  priority: ERROR
  tags: [network]
EOF
c1="evt.type in (open, openat, openat2) and evt.is_open_read=true and fd.typechar='f' and proc.name in (bash, sh) and fd.name=/etc/passwd"
c2="evt.type in (open, openat, openat2) and evt.is_open_read=true and fd.typechar='f' and fd.name=/etc/passwd"
c3="evt.type=connect and proc.name=curl"
o1='Warning Shell read passwd (command=%proc.cmdline file=%fd.name parent=%proc.aname[2] tid=%thread.tid)'
o2='Notice Passwd read by %proc.name (user=%user.name)'
o3='Error curl connects (fd=%fd.name pid=%proc.pid)'

# want N COND OUTPUT: what rule N must print, from saker read.
want() {
    sk read a.skr -p "*%evt.num %evt.time: $3" "$2"
    expect_clean "saker read -p ... $2"
    [ -s sk.out ] || fail "test data: nothing matches $2"
    sed "s/^/$1 /" sk.out > "want$1.out"
}
want 1 "$c1" "$o1"
want 2 "$c2" "$o2"
want 3 "$c3" "$o3"
# all: every rule that fires, in time order, rules in load order per event
sort -k2,2n -k1,1n -s want1.out want2.out want3.out | cut -d' ' -f3- > want_all.out

sk replay -r r.yaml --no-db a.skr
expect_rc 0 "saker replay -r r.yaml a.skr"
cmp -s want_all.out sk.out ||
    fail "replay (all): $(nlines sk.out) lines, expected $(nlines want_all.out): $(diff want_all.out sk.out | sed -n 2p | cut -c 1-200)"
n1=$(nlines want1.out) n2=$(nlines want2.out) n3=$(nlines want3.out)
grep -q "^replay: 30000 events in .*, 1 trace, 1 rules file, 3 rules evaluated" sk.err ||
    fail "summary: $(first_line sk.err)"
grep -q "^hits: $((n1 + n2 + n3)) (Error $n3, Warning $n1, Notice $n2)" sk.err ||
    fail "summary hits: $(grep '^hits' sk.err)"
grep -Eq "^ +$n2  Notice +Reads passwd$" sk.err || fail "summary by rule: $(tr '\n' '|' < sk.err)"
grep -q '^drops: 0 events lost' sk.err || fail "summary drops: $(grep drops sk.err)"

# first: an event reading passwd from a shell is only "Shell reads passwd"
sk replay -q -r r.yaml --no-db --rule-matching first a.skr
expect_clean "saker replay --rule-matching first"
awk 'NR == FNR { seen[$2] = 1; next } !($2 in seen)' want1.out want2.out > want2f.out
sort -k2,2n -k1,1n -s want1.out want2f.out want3.out | cut -d' ' -f3- > want_first.out
cmp -s want_first.out sk.out ||
    fail "replay (first): $(nlines sk.out) lines, expected $(nlines want_first.out)"
[ "$(nlines want_first.out)" -lt "$(nlines want_all.out)" ] || fail "test data: no event fires two rules"

# options that leave rules out
count_rule() { grep -c "$1" sk.out; }
sk replay -q -r r.yaml --no-db --min-priority warning a.skr
expect_clean "--min-priority warning"
[ "$(count_rule ' Notice ')" -eq 0 ] && [ "$(nlines sk.out)" -eq $((n1 + n3)) ] ||
    fail "--min-priority warning: $(nlines sk.out) lines, expected $((n1 + n3))"
sk replay -q -r r.yaml --no-db --tags t_passwd,network a.skr
expect_clean "--tags t_passwd,network"
[ "$(nlines sk.out)" -eq $((n1 + n3)) ] || fail "--tags: $(nlines sk.out) lines, expected $((n1 + n3))"
sk replay -q -r r.yaml --no-db --tags network a.skr
[ "$(nlines sk.out)" -eq "$n3" ] || fail "--tags network: $(nlines sk.out) lines, expected $n3"
sk replay -q -r r.yaml --no-db --disable-rule 'Reads passwd' --disable-rule 'Curl*' a.skr
expect_clean "--disable-rule"
[ "$(nlines sk.out)" -eq "$n1" ] || fail "--disable-rule: $(nlines sk.out) lines, expected $n1"
sk replay -r r.yaml --no-db --disable-rule 'No such rule' a.skr
expect_rc 0 "--disable-rule 'No such rule'"
grep -q "no rule is named 'No such rule'" sk.err || fail "--disable-rule typo: no warning"

# --from/--to: the hits of that range only
from=$((T0 + 3000000)) to=$((T0 + 9000000))
sk replay -q -r r.yaml --no-db --from $from --to $to a.skr
expect_clean "--from/--to"
sk read a.skr -c --from $from --to $to "($c1) or ($c2) or ($c3)"
events=$(cat sk.out)
sk replay -q -r r.yaml --no-db --rule-matching first --from $from --to $to a.skr
[ "$(nlines sk.out)" -eq "$events" ] || fail "--from/--to: $(nlines sk.out) hits, expected $events"
[ "$events" -gt 0 ] && [ "$events" -lt "$(nlines want_first.out)" ] || fail "test data: range $events"

# --iso8601: Falco's time_format_iso_8601
sk replay -q -r r.yaml --no-db --iso8601 --tags network a.skr
head -n 1 sk.out | grep -Eq '^2023-11-14T22:13:20\.[0-9]{9}\+0000: Error curl connects \(fd=' ||
    fail "--iso8601: $(first_line sk.out)"

# JSON: Falco's keys; output_fields has the fields of the output
sk replay -q -r r.yaml --no-db -o json a.skr
expect_clean "replay -o json"
expect_lines "$(nlines want_all.out)" sk.out "replay -o json"
cp sk.out j.out
json_check j.out "replay -o json" '
keys = ["hostname", "output", "priority", "rule", "source", "tags", "time", "output_fields"]
for d in docs:
    assert list(d.keys()) == keys, "keys %s" % list(d.keys())
    assert d["source"] == "syscall" and d["hostname"] == "gen-host", d
    assert d["time"].startswith("2023-11-14T22:13:20.") and d["time"].endswith("Z"), d["time"]
    f = d["output_fields"]
    assert isinstance(f["evt.time"], int), f
    if d["rule"] == "Shell reads passwd":
        assert d["priority"] == "Warning" and d["tags"] == ["filesystem", "t_passwd"], d
        assert f["fd.name"] == "/etc/passwd" and isinstance(f["thread.tid"], int), f
        assert "proc.aname[2]" in f and "proc.cmdline" in f, f
        assert d["output"].endswith(" Warning Shell read passwd (command=%s file=/etc/passwd parent=%s tid=%d)" % (f["proc.cmdline"], "<NA>" if f["proc.aname[2]"] is None else f["proc.aname[2]"], f["thread.tid"])), d["output"]
    elif d["rule"] == "Curl connects":
        assert d["priority"] == "Error" and isinstance(f["proc.pid"], int), d
rules = set(d["rule"] for d in docs)
assert rules == {"Shell reads passwd", "Reads passwd", "Curl connects"}, rules
'

# --json-omit: Falco's json_include_*_property=false
sk replay -q -r r.yaml --no-db -o json --json-omit output,tags --tags network a.skr
expect_clean "--json-omit output,tags"
cp sk.out jo.out
json_check jo.out "--json-omit" '
for d in docs:
    assert list(d.keys()) == ["hostname", "priority", "rule", "source", "time", "output_fields"], list(d.keys())
'
sk replay -q -r r.yaml --no-db -o json --json-omit tags,oops a.skr
expect_rc 2 "--json-omit tags,oops"
expect_one_error "--json-omit tags,oops" "oops"

# several files: one timeline, hits from both
gen b.skr -n 5000 -s 9 -e 100001 -t $((T0 + 40000000))
sk read -c a.skr b.skr "($c1) or ($c2) or ($c3)"
expect_clean "read -c a.skr b.skr"
cp sk.out want.n
[ "$(cat want.n)" -gt "$(nlines want_first.out)" ] || fail "test data: b.skr adds no hit"
sk replay -q -r r.yaml --no-db --rule-matching first a.skr b.skr
expect_clean "replay a.skr b.skr"
[ "$(nlines sk.out)" -eq "$(cat want.n)" ] || fail "two files: $(nlines sk.out) hits, expected $(cat want.n)"

# a rules directory loads its *.yaml in name order
mkdir rd
cp r.yaml rd/10-main.yaml
printf -- '- rule: Curl connects\n  enabled: false\n' > rd/20-off.yaml
printf 'not rules\n' > rd/README
sk replay -q -r rd --no-db a.skr
expect_clean "replay -r DIR"
[ "$(nlines sk.out)" -eq $((n1 + n2)) ] || fail "replay -r DIR: $(nlines sk.out) lines, expected $((n1 + n2))"
pass
