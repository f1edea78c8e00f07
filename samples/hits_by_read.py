#!/usr/bin/env python3
"""samples/hits_by_read.py TRACE [RULES.yaml...] -- the hits the rules give
on TRACE, one line per hit, "EVTNUM<TAB>RULE", sorted by event then file
order: each enabled rule's condition, with our macros and lists expanded
here, is run through `saker read`, which evaluates a filter as the rules
engine does. It wrote the first draft of samples/expected/NAME.hits (then
read and checked by hand) and lets the e2e tests cross-check `saker replay`
against an independent evaluation. RULES default to rules/*.yaml; SAKER
overrides build/saker. Needs PyYAML."""
import glob
import os
import re
import subprocess
import sys

import yaml

PLAIN = re.compile(r"^[A-Za-z0-9_./:-]+$")


def load(files):
    lists, macros, rules = {}, {}, []
    for f in files:
        with open(f) as fh:
            for item in yaml.safe_load(fh) or []:
                if "list" in item:
                    lists[item["list"]] = [str(i) for i in item["items"]]
                elif "macro" in item:
                    macros[item["macro"]] = item["condition"]
                elif "rule" in item and "condition" in item and item.get("enabled", True):
                    rules.append((item["rule"], item["condition"]))
    return lists, macros, rules


def expand(cond, lists, macros):
    for _ in range(20):
        new = re.sub(r"\b[A-Za-z_][A-Za-z0-9_]*\b",
                     lambda m: "(%s)" % macros[m.group(0)] if m.group(0) in macros else m.group(0), cond)
        if new == cond:
            break
        cond = new

    def items(m):
        out = []
        for name in (x.strip() for x in m.group(2).split(",")):
            vals = lists.get(name, [name])
            out += [v if PLAIN.match(v) or v.startswith('"') else '"%s"' % v for v in vals]
        return "%s (%s)" % (m.group(1), ", ".join(out))
    return re.sub(r"\b(in|pmatch|intersects)\s*\(\s*([^()]*?)\s*\)", items, " ".join(cond.split()))


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: hits_by_read.py TRACE [RULES.yaml...]")
    saker = os.environ.get("SAKER", "build/saker")
    files = sys.argv[2:] or sorted(glob.glob("rules/*.yaml"))
    lists, macros, rules = load(files)
    hits = []
    for order, (name, cond) in enumerate(rules):
        full = expand(cond, lists, macros)
        out = subprocess.run([saker, "read", "-p", "%evt.num", sys.argv[1], full],
                             capture_output=True, text=True)
        if out.returncode != 0:
            sys.exit("hits_by_read.py: rule '%s': %s" % (name, out.stderr.strip()))
        hits += [(int(n), order, name) for n in out.stdout.split()]
    for num, _, name in sorted(hits):
        print("%d\t%s" % (num, name))


if __name__ == "__main__":
    main()
