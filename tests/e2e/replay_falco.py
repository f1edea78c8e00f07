"""replay_falco.py -- Falco's own regression expectations, run on saker replay.

    python3 replay_falco.py SAKER EXPECTED_DIR SCAP_DIR [KNOWN_FAILURES]

EXPECTED_DIR is the corpus's scap/expected/: falco-testing_legacy_expectations.md
(one section per test of falcosecurity/testing's legacy_test.go: capture, rules
files, options, assertions) and falco-testing-rules/ with INDEX.tsv (the Go
names of the rules files). Each test whose capture is in SCAP_DIR is run as
Falco runs it (--rule-matching first, Falco's default; Falco's json_include_*_property=false as --json-omit) and
its assertions are
checked on the JSON alerts (res.Detections()), the exit status and stdout.
Assertions about Falco's own machinery (drop alerts, output channels, the
config file) are not applicable and are counted as such.

Prints one line per failed test, then "falco-expectations: P passed, F failed,
S skipped (capture not in the corpus), N assertions not applicable".
KNOWN_FAILURES (a file of test names, '#' comments) are failures explained
elsewhere: they are reported but do not fail the run; one of them passing is
reported too, so the list stays true. Exit status 1 when an unlisted test
fails, else 0.
"""
import json
import os
import re
import subprocess
import sys

saker, expected, scapdir = sys.argv[1:4]
known = set()
if len(sys.argv) > 4:
    for line in open(sys.argv[4]):
        line = line.split("#", 1)[0].strip()
        if line:
            known.add(line)

index = {}
for line in open(os.path.join(expected, "falco-testing-rules", "INDEX.tsv")):
    parts = line.rstrip("\n").split("\t")
    if len(parts) == 2 and parts[0] != "go_var":
        index[parts[0]] = os.path.join(expected, "falco-testing-rules", parts[1])

tests = []
cur = None
for line in open(os.path.join(expected, "falco-testing_legacy_expectations.md")):
    line = line.rstrip("\n")
    if line.startswith("## "):
        cur = {"name": line[3:].strip(), "asserts": [], "options": "", "extra": ""}
        tests.append(cur)
    elif cur is None:
        continue
    elif line.startswith("- capture: "):
        cur["capture"] = line[len("- capture: "):].strip()
    elif line.startswith("- rules: "):
        cur["rules"] = [r.strip() for r in line[len("- rules: "):].split(",") if r.strip()]
    elif line.startswith("- options: "):
        cur["options"] = line[len("- options: "):]
    elif line.startswith("- extra args: "):
        cur["extra"] = line[len("- extra args: "):]
    elif line.startswith("  - `"):
        cur["asserts"].append(line[5:-1])

PRI = {"EMERGENCY": "Emergency", "ALERT": "Alert", "CRITICAL": "Critical", "ERROR": "Error",
       "WARNING": "Warning", "NOTICE": "Notice", "INFO": "Informational",
       "INFORMATIONAL": "Informational", "DEBUG": "Debug"}


def run(args):
    p = subprocess.run([saker] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       stdin=subprocess.DEVNULL, env=dict(os.environ, TZ="UTC"))
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def tags_of(call, opt):
    m = re.search(opt + r"\(([^)]*)\)", call)
    return [t.strip().strip('"') for t in m.group(1).split(",")] if m else None


passed, failed, skipped, na, skipped_na = 0, [], 0, 0, 0
unexpected = 0
for t in tests:
    cap = t.get("capture", "")
    if "(not in corpus)" in cap or not os.path.exists(os.path.join(scapdir, cap)):
        skipped += 1
        continue
    if re.search(r"WithConfig\(configs\.Drops", t["options"]):
        # Falco's syscall_event_drops configuration: nothing saker has
        na += len(t["asserts"])
        skipped_na += 1
        continue
    args = ["replay", "-q", "--no-db", "--rule-matching", "first"]
    missing = [r for r in t.get("rules", []) if r not in index]
    if missing:
        failed.append((t["name"], "rules file unknown: %s" % missing))
        continue
    for r in t.get("rules", []):
        args += ["-r", index[r]]
    m = re.search(r'WithMinRulePriority\("([A-Z]+)"\)', t["options"])
    if m:
        args += ["--min-priority", m.group(1).lower()]
    en = tags_of(t["options"], "WithEnabledTags")
    if en:
        args += ["--tags", ",".join(en)]
    dis = tags_of(t["options"], "WithDisabledTags")
    if dis:
        args += ["--skip-tags", ",".join(dis)]
    iso = "time_format_iso_8601=true" in t["extra"]
    omit = [k for k in ("output", "tags") if "json_include_%s_property=false" % k in t["extra"]]
    text_args = args + (["--iso8601"] if iso else []) + [os.path.join(scapdir, cap)]
    json_args = args + (["--iso8601"] if iso else []) + ["-o", "json", os.path.join(scapdir, cap)]
    if omit:
        json_args[-1:-1] = ["--json-omit", ",".join(omit)]
    rc, out, err = run(json_args)
    dets = []
    for line in out.splitlines():
        try:
            dets.append(json.loads(line))
        except ValueError:
            pass
    trc, tout, terr = run(text_args)

    def count(a):
        m = re.search(r'OfRule\((?:"((?:[^"\\]|\\.)*)"|`([^`]*)`)\)', a)
        d = dets
        if m:
            name = m.group(1) if m.group(1) is not None else m.group(2)
            if m.group(1) is not None:
                name = name.encode().decode("unicode_escape")
            d = [x for x in d if x["rule"] == name]
        m = re.search(r'OfPriority\("([A-Z]+)"\)', a)
        if m:
            d = [x for x in d if x["priority"] == PRI.get(m.group(1), m.group(1))]
        return len(d)

    why = []
    for a in t["asserts"]:
        if "Detections()" in a:
            n = count(a)
            if a.startswith("assert.NotZero"):
                ok = n != 0
            elif a.startswith("assert.Zero"):
                ok = n == 0
            else:
                m = re.match(r"assert\.Equal\(t, (\d+),", a)
                ok = bool(m) and n == int(m.group(1))
            if not ok:
                why.append("%s: got %d" % (a, n))
        elif a.startswith("assert.Equal(t, ") and "res.ExitCode()" in a:
            want = int(re.match(r"assert\.Equal\(t, (\d+),", a).group(1))
            if (want == 0) != (rc == 0):
                why.append("%s: exit status %d: %s" % (a, rc, err.strip().splitlines()[:1]))
        elif a.startswith("assert.NoError(t, res.Err()"):
            if rc != 0:
                why.append("%s: exit status %d: %s" % (a, rc, err.strip().splitlines()[:1]))
        elif a.startswith("assert.Error(t, res.Err()"):
            if rc == 0:
                why.append("%s: exit status 0" % a)
        elif re.match(r"assert\.(Not)?Regexp\(t, `.*`, res\.Stdout\(\)\)$", a) and "Falco internal" not in a:
            m = re.match(r"assert\.(Not)?Regexp\(t, `(.*)`, res\.Stdout\(\)\)$", a)
            pat = m.group(2)
            # the JSON tests' patterns are about JSON stdout, the others text
            src = out if "WithOutputJSON" in t["options"] else tout
            found = re.search(pat, src) is not None
            if found == bool(m.group(1)):
                why.append("%s: %s" % (a, "found" if found else "not found"))
        else:
            na += 1
    if why:
        failed.append((t["name"], "; ".join(why)))
    else:
        passed += 1
        if t["name"] in known:
            print("note: %s passes but is listed as a known failure" % t["name"])

for name, why in failed:
    tag = "known failure" if name in known else "FAIL"
    if name not in known:
        unexpected += 1
    print("%s %s: %s" % (tag, name, why[:400]))
print("falco-expectations: %d passed, %d failed (%d not listed as known), %d skipped "
      "(capture not in the corpus), %d not applicable (Falco configuration), %d assertions "
      "not applicable" % (passed, len(failed), unexpected, skipped, skipped_na, na))
sys.exit(1 if unexpected else 0)
