# Every proc.*, thread.*, user.*, group.*, container.* and k8s.* field
# (as `saker fields` lists them, with an argument where one is required,
# plus indexed and keyed forms) extracted on every event of generated
# traces replayed through the state, by `saker read -p`: no crash, no
# sanitizer report, no raw control bytes (also with -x names full of
# them), one line per event; thread.tid and proc.name agree with the
# default line, container.id is "host" or 12 hex digits, and
# proc.apid[0] is proc.pid.
# shellcheck source=tests/e2e/lib.sh
. "$E2E_LIB"
need python3

sk fields --json
expect_clean "saker fields --json"
python3 -c '
import json, sys
out = []
for line in open(sys.argv[1], encoding="utf-8"):
    d = json.loads(line)
    if d["class"] not in ("proc", "thread", "user", "group", "container", "k8s"):
        continue
    n = d["name"]
    if d["arg"] == "required":
        n += "[0]" if "index" in d.get("arg_kind", "") else "[x]"
    out.append("%" + n)
out += ["%proc.aname[1]", "%proc.apid[2]", "%proc.aexe[3]", "%proc.acmdline[1]",
        "%proc.env[HOME]", "%proc.args[0]", "%proc.aenv[PATH]", "%proc.aenv[1]",
        "%container.mount.dest[/etc]", "%thread.cgroup.cpu"]
print(" ".join(out))
' sk.out > fmt.txt || fail "could not build the format"
fmt=$(cat fmt.txt)
[ "$(echo "$fmt" | wc -w)" -ge 100 ] || fail "only $(echo "$fmt" | wc -w) fields in the format"

for x in "" -x; do
    gen a$x.skr -n 20000 -k 4000 -S 2000 -s 11 $x
    sk read a$x.skr
    expect_clean "saker read a$x.skr"
    cp sk.out all$x.out
    sk read -p "*$fmt" a$x.skr
    expect_clean "saker read -p (every field) a$x.skr"
    expect_lines "$(nlines all$x.out)" sk.out "saker read -p (every field) a$x.skr"
done

# Agreement with the default line (NUMBER TIME CPU PROCESS (TID) ...) and
# between fields, on the trace without odd bytes.
sk read -p '*%evt.num|%thread.tid|%proc.name|%container.id|%proc.pid|%proc.apid[0]' a.skr
expect_clean "saker read -p '%evt.num|%thread.tid|...' a.skr"
bad=$(awk 'NR == FNR { gsub(/[()]/, "", $5); tid[$1] = $5; name[$1] = $4; next }
    $2 != tid[$1] { print "event " $1 ": thread.tid " $2 ", line " tid[$1]; exit }
    name[$1] != "<NA>" && $3 != name[$1] { print "event " $1 ": proc.name " $3 ", line " name[$1]; exit }
    $4 != "host" && $4 !~ /^[0-9a-f]+$/ { print "event " $1 ": container.id " $4; exit }
    $5 != $6 { print "event " $1 ": proc.pid " $5 ", proc.apid[0] " $6; exit }' all.out FS='|' sk.out)
[ -z "$bad" ] || fail "$bad"
pass
