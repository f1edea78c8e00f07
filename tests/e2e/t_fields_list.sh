# `saker fields`: lists every field grouped by class, with its Falco type
# and a description; --json gives one valid object per field and line;
# a CLASS or PATTERN narrows the list; nothing matching, extra arguments
# and unknown options are one-line errors with exit status 2. With the
# shared corpus present, every field that rules/INVENTORY.md lists for a
# syscall class (and that Falco still declares) is listed -- for the
# classes of fields_proc.c/fields_user.c always, for the others (evt, fd,
# fs) once that class has any field at all; and their types and arguments
# are those of Falco's field catalog.
# shellcheck source=tests/e2e/lib.sh
. "$E2E_LIB"

sk fields
expect_clean "saker fields"
[ "$(nlines sk.out)" -ge 150 ] || fail "saker fields: only $(nlines sk.out) lines"
grep -Eq '^  proc\.name +CHARBUF +[^ ]' sk.out || fail "saker fields: no 'proc.name CHARBUF description' line"
grep -Eq '^  proc\.aname\[N\] +CHARBUF ' sk.out || fail "saker fields: proc.aname not shown with its index"
grep -Eq '^  container\.mount\.dest\[N\|KEY\] +STRING ' sk.out || fail "saker fields: container.mount.dest not shown with its argument"
for cls in proc thread user group container k8s; do
    grep -qx "$cls" sk.out || fail "saker fields: no '$cls' class heading"
done
# each class heading appears once: classes are not split
dup=$(grep -E '^[a-z0-9]+$' sk.out | sort | uniq -d | head -n 1)
[ -z "$dup" ] || fail "saker fields: class '$dup' listed twice"
grep -q 'proc\.nobody' sk.out && fail "saker fields: lists proc.nobody, which Falco does not declare"
cp sk.out all.txt

sk fields --json
expect_clean "saker fields --json"
json_check sk.out "saker fields --json" '
names = [d["name"] for d in docs]
assert len(names) == len(set(names)), "a field is listed twice"
for d in docs:
    for k in ("name", "class", "type", "arg", "flags", "desc"):
        assert k in d, "%s has no %s" % (d.get("name"), k)
    assert d["name"].startswith(d["class"] + "."), "%s is not in class %s" % (d["name"], d["class"])
    assert d["type"] and d["desc"], "%s: empty type or description" % d["name"]
    assert d["arg"] in ("none", "optional", "required"), "%s: arg %s" % (d["name"], d["arg"])
by = dict((d["name"], d) for d in docs)
assert by["proc.name"]["type"] == "CHARBUF", "proc.name is not CHARBUF"
assert by["proc.pid"]["type"] == "INT64", "proc.pid is not INT64"
assert by["user.uid"]["type"] == "UINT32", "user.uid is not UINT32"
assert by["proc.aname"]["arg"] == "optional" and by["proc.aname"]["arg_kind"] == "index", "proc.aname argument"
assert "list" in by["proc.aname"]["flags"], "proc.aname is not a list"
assert by["container.mount.dest"]["arg"] == "required", "container.mount.dest argument"
'
[ "$(nlines sk.out)" -eq "$(grep -c '^  ' all.txt)" ] || fail "saker fields --json: not one line per field of the text listing"

# A class, a prefix, a pattern.
sk fields proc
expect_clean "saker fields proc"
grep -qx proc sk.out || fail "saker fields proc: no heading"
bad=$(grep '^  ' sk.out | grep -v '^  proc\.' | head -n 1)
[ -z "$bad" ] || fail "saker fields proc: lists $bad"
[ "$(grep -c '^  ' sk.out)" -ge 60 ] || fail "saker fields proc: only $(grep -c '^  ' sk.out) fields"
sk fields proc.exe
expect_clean "saker fields proc.exe"
grep -Eq '^  proc\.exepath ' sk.out || fail "saker fields proc.exe: proc.exepath missing"
grep -Eq '^  proc\.name ' sk.out && fail "saker fields proc.exe: lists proc.name"
sk fields --json 'user.*'
expect_clean "saker fields --json 'user.*'"
json_check sk.out "saker fields --json 'user.*'" '
names = sorted(d["name"] for d in docs)
assert names == ["user.homedir", "user.loginname", "user.loginuid", "user.name", "user.shell", "user.uid"], "got %s" % names
'

# Errors.
sk fields no.such.field
expect_rc 2 "saker fields no.such.field"
expect_one_error "saker fields no.such.field" "no.such.field"
[ ! -s sk.out ] || fail "saker fields no.such.field: output on stdout"
sk fields proc user
expect_rc 2 "saker fields proc user"
expect_one_error "saker fields proc user" "fields"
sk fields --bogus
expect_rc 2 "saker fields --bogus"
expect_one_error "saker fields --bogus" "--bogus"
sk help fields
expect_clean "saker help fields"
grep -q '^usage: saker fields' sk.out || fail "saker help fields: no usage"
grep -q '^examples:' sk.out || fail "saker help fields: no examples"
# every example of the help runs as shown: exit 0, output, nothing on stderr
awk '/^examples:/ { on = 1; next } on && /^[ \t]*$/ { exit }
     on { sub(/^[ \t]+/, ""); sub(/[ \t]+#.*$/, ""); print }' sk.out > examples.txt
[ "$(nlines examples.txt)" -ge 3 ] || fail "saker fields --help: fewer than 3 examples"
while IFS= read -r ex; do
    case $ex in "saker fields"*) ;; *) fail "example does not run saker fields: $ex" ;; esac
    (eval "\"\$SAKER\"${ex#saker}") > ex.out 2> ex.err < /dev/null || fail "example '$ex': exit status $?"
    [ -s ex.out ] || fail "example '$ex': no output"
    [ ! -s ex.err ] || fail "example '$ex': stderr: $(first_line ex.err)"
done < examples.txt

# Every field INVENTORY.md lists for a syscall class.
inv=$E2E_ROOT/../shared/corpus/rules/INVENTORY.md
if [ ! -f "$inv" ]; then
    echo "no $inv: INVENTORY part skipped"
    pass
fi
sk fields --json
# shellcheck disable=SC2016 # Python code, backquotes included
json_check sk.out "INVENTORY fields" '
import re
have = set(d["name"] for d in docs)
classes = set(d["class"] for d in docs)
mine = {"proc", "thread", "user", "group", "container", "k8s"}
syscall = mine | {"evt", "fd", "fs"}
section = cls = None
missing, checked = [], 0
for line in open(args[0], encoding="utf-8"):
    if line.startswith("## "):
        section = line.strip()
        continue
    if section != "## Fields by class":
        continue
    m = re.match(r"### (\S+) \(", line)
    if m:
        cls = m.group(1)
        continue
    m = re.match(r"\| `([^`]+)` \|", line)
    if not m or cls not in syscall or (cls not in mine and cls not in classes):
        continue
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    ftype = cells[-2]
    if ftype.startswith("\u2014"):
        continue        # not declared by Falco today: must stay unknown
    name = m.group(1)
    if "via `.name` suffix" in ftype:
        name = name.rsplit(".", 1)[0]
    checked += 1
    if name not in have:
        missing.append(name)
assert checked >= 40, "only %d INVENTORY fields found in %s" % (checked, args[0])
assert not missing, "INVENTORY fields not listed: %s" % " ".join(sorted(set(missing)))
' "$inv"

# Types and arguments as Falco declares them (field-catalog.json), for the
# classes of fields_proc.c and fields_user.c; container.info is the one
# field Falco does not declare (its old %container.info output summary).
cat=$(dirname "$inv")/field-catalog.json
[ -f "$cat" ] || pass
json_check sk.out "field-catalog.json types" '
cat = json.load(open(args[0], encoding="utf-8"))
bad, checked = [], 0
for d in docs:
    if d["class"] not in ("proc", "thread", "user", "group", "container", "k8s"):
        continue
    if d["name"] == "container.info":
        continue
    c = cat.get(d["name"])
    if c is None:
        bad.append(d["name"] + ": not declared by Falco")
        continue
    checked += 1
    flags = " ".join(c.get("flags", []))
    arg = "required" if "ARG_REQUIRED" in flags else "optional" if "ARG_ALLOWED" in flags else "none"
    if c["type"] != d["type"]:
        bad.append("%s: type %s, Falco %s" % (d["name"], d["type"], c["type"]))
    if arg != d["arg"]:
        bad.append("%s: argument %s, Falco %s" % (d["name"], d["arg"], arg))
assert checked >= 90, "only %d fields compared" % checked
assert not bad, "; ".join(bad)
' "$cat"
pass
