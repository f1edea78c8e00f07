# `saker rules` on the shared Falco rules corpus (skipped when absent):
# the official files load and compile, alone and stacked; every invalid
# file of Falco's regression tests exits 2 with exactly one line naming
# the file and FILE:LINE:COL; -l lists, -s shows the expanded condition;
# the --help examples run as written; names from a file never reach the
# terminal raw. `saker rules validate` names every rule that does not
# compile; `saker rules list` shows each rule's event types.
# shellcheck source=tests/e2e/lib.sh
. "$E2E_LIB"

corpus=$E2E_ROOT/../shared/corpus/rules
[ -d "$corpus/stable" ] || skip "no rules corpus at $corpus"
stable=$corpus/stable

sk rules "$stable/falco_rules.yaml"
expect_clean "saker rules falco_rules.yaml"
grep -q '^25 rules: 25 to evaluate' sk.out || fail "falco_rules.yaml: $(first_line sk.out)"

sk rules -q "$stable/falco_rules.yaml" "$stable/falco-incubating_rules.yaml" \
    "$stable/falco-sandbox_rules.yaml"
expect_clean "saker rules stable+incubating+sandbox"
grep -q '^93 rules: ' sk.out || fail "stable+incubating+sandbox: $(first_line sk.out)"

sk rules -l "$stable/falco_rules.yaml"
expect_clean "saker rules -l"
expect_lines 25 sk.out "saker rules -l"
grep -q '^Notice  *enabled  *syscall  *Terminal shell in container \[' sk.out ||
    fail "saker rules -l: no 'Terminal shell in container' line"

sk rules -s 'Terminal shell in container' "$stable/falco_rules.yaml"
expect_clean "saker rules -s"
grep -q '^expanded:  spawned_process and container' sk.out ||
    fail "saker rules -s: $(grep expanded sk.out | cut -c 1-100)"

# Falco's invalid files: one line, the file named with a position
for f in "$corpus"/falco-test-rules/invalid_*.yaml; do
    case $f in
    */invalid_base_*.yaml) continue ;;         # valid alone: bases for overwrite/append
    esac
    sk rules -q "$f"
    expect_rc 2 "saker rules $f"
    expect_one_error "saker rules $f" "$f:"
    grep -Eq "^saker: $f:[0-9]+:[0-9]+: " sk.err || fail "$f: no FILE:LINE:COL: $(first_line sk.err)"
    [ ! -s sk.out ] || fail "saker rules $f: output on stdout"
done
# ... and the pairs Falco's tests load together
for pair in overwrite_macro append_macro; do
    sk rules -q "$corpus/falco-test-rules/invalid_base_macro.yaml" \
        "$corpus/falco-test-rules/invalid_$pair.yaml"
    expect_rc 2 "saker rules invalid_base_macro + invalid_$pair"
    expect_one_error "invalid_base_macro + invalid_$pair" "macro 'some macro'"
done

# the --help examples, with the file names they use
cp "$stable/falco_rules.yaml" falco_rules.yaml
printf -- '- rule: Terminal shell in container\n  enabled: false\n' > my_rules.yaml
sk rules --help
expect_clean "saker rules --help"
sed -n '/^examples:/,/^$/p' sk.out | sed -n 's/^  \(saker [^#]*\).*/\1/p' > examples.txt
[ "$(nlines examples.txt)" -ge 3 ] || fail "saker rules --help: fewer than 3 examples"
while IFS= read -r ex; do
    eval "set -- ${ex#saker }"
    sk "$@"
    expect_rc 0 "example '$ex'"
    [ -s sk.out ] || fail "example '$ex': no output"
done < examples.txt
sk rules falco_rules.yaml my_rules.yaml
grep -q '24 to evaluate, 1 disabled' sk.out || fail "my_rules.yaml did not disable: $(first_line sk.out)"

# usage errors and unreadable files
sk rules
expect_rc 2 "saker rules (no file)"
expect_one_error "saker rules (no file)" "no rules file"
sk rules -Z x.yaml
expect_rc 2 "saker rules -Z"
expect_one_error "saker rules -Z" "-Z"
sk rules no_such.yaml
expect_rc 2 "saker rules no_such.yaml"
expect_one_error "saker rules no_such.yaml" "no_such.yaml"

# control bytes in names are escaped (sk fails the case on raw ones)
printf -- '- rule: "bad\\x1b[31mname"\n  desc: d\n  condition: proc.name=cat\n  output: o\n  priority: INFO\n- macro: "m\\x07"\n  nope: 1\n' > ctl.yaml
sk rules ctl.yaml
expect_rc 2 "saker rules ctl.yaml"
sk rules -q -l "$stable/falco_rules.yaml"
# validate: the classic form's summary; on a condition that does not
# compile, every such rule is named (Falco stops at the first)
sk rules validate "$stable/falco_rules.yaml"
expect_clean "saker rules validate falco_rules.yaml"
grep -q '^25 rules: 25 to evaluate' sk.out || fail "validate: $(first_line sk.out)"
cat > bad2.yaml << 'EOF'
- macro: m1
  condition: proc.nmae=cat
- rule: a
  desc: d
  condition: evt.type=open and m1
  output: o
  priority: INFO
- rule: b
  desc: d
  condition: evt.type=open and fd.nmae=x
  output: o
  priority: INFO
- rule: c
  desc: d
  condition: evt.type=open
  output: o
  priority: INFO
EOF
sk rules validate -q bad2.yaml
expect_rc 2 "saker rules validate bad2.yaml"
expect_lines 2 sk.err "saker rules validate bad2.yaml"
grep -q "^saker: bad2.yaml:3:3: rule 'a': cannot compile: in macro 'm1': 1:1: unknown field 'proc.nmae'" sk.err ||
    fail "validate: rule a: $(first_line sk.err)"
grep -q "^saker: bad2.yaml:8:3: rule 'b': cannot compile: .*unknown field 'fd.nmae'" sk.err ||
    fail "validate: rule b: $(sed -n 2p sk.err)"
sk rules -q bad2.yaml
expect_rc 2 "saker rules bad2.yaml"
expect_one_error "saker rules bad2.yaml" "bad2.yaml:3:3"

# list: one line per rule with the event types it can match
sk rules list -q "$stable/falco_rules.yaml"
expect_clean "saker rules list falco_rules.yaml"
expect_lines 25 sk.out "saker rules list"
grep -q '^Notice  *enabled  *Terminal shell in container \[.*\] evt: execve,execveat$' sk.out ||
    fail "rules list: $(grep 'Terminal shell' sk.out)"
printf -- '- rule: every\n  desc: d\n  condition: proc.name=cat\n  output: o\n  priority: INFO\n  enabled: false\n' > any.yaml
sk rules list -q any.yaml
expect_clean "saker rules list any.yaml"
grep -qx 'Informational disabled every evt: any' sk.out || fail "rules list any.yaml: $(first_line sk.out)"
# no file: the rules saker replay uses by default (the tree's rules/)
if ls "$E2E_ROOT"/rules/*.yaml > /dev/null 2>&1; then
    sk rules list -q
    expect_clean "saker rules list (default rules)"
    [ -s sk.out ] || fail "saker rules list: no rule listed from $E2E_ROOT/rules"
fi
sk rules validate
expect_rc 2 "saker rules validate (no file)"
expect_one_error "saker rules validate (no file)" "no rules file"
pass
