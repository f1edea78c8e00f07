# Every example of `saker replay --help` runs as shown, with stand-ins for
# the files it names (generated traces, small rules files written here,
# saker's own rules for the default): exit 0, hits on stdout, and what the
# example asks of the database (saker.db, case.db, or none).
# shellcheck source=tests/e2e/lib.sh
. "$E2E_LIB"

gen trace.skr -n 20000 -k 5000 -S 5000
gen rot-0.skr -n 2000 -s 1 -e 1 -t "$T0"
gen rot-1.skr -n 2000 -s 2 -e 2001 -t $((T0 + 10000000))
cat > falco_rules.yaml << 'EOF2'
- rule: Read sensitive file untrusted
  desc: d
  condition: evt.type = openat and fd.name in (/etc/shadow, /etc/passwd)
  output: "Sensitive file opened (file=%fd.name command=%proc.cmdline)"
  priority: WARNING
EOF2
printf -- '- rule: Read sensitive file untrusted\n  append: true\n  condition: and proc.name != cron\n' > my_rules.yaml
mkdir rules.d
cp falco_rules.yaml rules.d/10-a.yaml

sk replay --help
expect_clean "replay --help"
sed -n '/^examples:/,/^$/p' sk.out | sed -n 's/^  \(saker [^#]*\).*/\1/p' > examples.txt
[ "$(nlines examples.txt)" -ge 5 ] || fail "replay --help: fewer than 5 examples"
have_default=0
ls "$E2E_ROOT"/rules/*.yaml > /dev/null 2>&1 && have_default=1
while IFS= read -r ex; do
    case $ex in
    *" -r "*) ;;
    *) [ "$have_default" = 1 ] || continue ;;  # saker's own rules are not in this tree
    esac
    rm -f saker.db case.db
    eval "set -- ${ex#saker }"
    sk "$@"
    expect_rc 0 "example '$ex'"
    case $ex in
    *--no-db*) [ ! -e saker.db ] || fail "example '$ex' wrote saker.db" ;;
    *"--db case.db"*) [ -s case.db ] || fail "example '$ex': no case.db" ;;
    *) [ -s saker.db ] || fail "example '$ex': no saker.db" ;;
    esac
done < examples.txt
# the JSON example prints alerts; the default one has hits with saker's rules
sk replay -r rules.d --min-priority warning -o json trace.skr --no-db
[ -s sk.out ] || fail "the -o json example printed no hit"
pass
