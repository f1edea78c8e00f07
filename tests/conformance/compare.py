#!/usr/bin/env python3
# tests/conformance/compare.py -- compares `saker read -p` with `sysdig -r -p`
# on one capture, field by field, and checks the differences against
# KNOWN_DIFFERENCES.md.
#
# Both tools print the same format; each event starts with RS (\x1e) and its
# fields are separated by US (\x1f), bytes no capture field contains, so
# embedded newlines or spaces cannot misalign fields.  Events are paired in
# file order by (evt.time, thread.tid, evt.dir), so evt.num is compared as a
# field like the others.  sysdig runs with -D (internal events too: procinfo, container...)
# so that every event saker prints has a counterpart; the set sysdig shows
# without -D is compared separately as the pseudo-field "(shown)".
#
# sysdig prints a subset of saker's events (see KNOWN_DIFFERENCES.md): the
# events saker alone prints are the pseudo-field "(event:TYPE)", and a value
# that differs only by saker's escaping of traced bytes is "FIELD/escaped".
#
# Output: one summary line per file, and per (field) difference group one
# line naming how many events differ, whether KNOWN_DIFFERENCES.md lists it,
# and the first example (-v: every one).  Exit 1 when a difference is not
# listed, 3 when sysdig cannot read the file (nothing compared).
#
#   compare.py SAKER KNOWN.md FILE.scap [-v]
#   compare.py --expected SAKER KNOWN.md FILE.scap EXPECTED[.zst] FORMAT.txt [-v]
import fnmatch, os, re, subprocess, sys

FIELDS = ("evt.num evt.time evt.type evt.dir evt.res evt.rawres proc.name "
          "proc.pid thread.tid proc.ppid proc.cmdline proc.exepath proc.cwd "
          "user.name user.uid fd.num fd.name fd.type fd.typechar fd.sip "
          "fd.sport fd.cip fd.cport container.id container.name "
          "container.image").split()
RS, US = "\x1e", "\x1f"
FMT = "*" + RS + US.join("%" + f for f in FIELDS)


def run(cmd, env=None):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       env=env)
    return p.returncode, p.stdout.decode("utf-8", "surrogateescape"), \
        p.stderr.decode("utf-8", "surrogateescape")


def parse(out):
    evs = {}
    order = []
    for rec in out.split(RS)[1:]:
        if rec.endswith("\n"):
            rec = rec[:-1]
        vals = rec.split(US)
        if len(vals) != len(FIELDS):
            raise SystemExit("compare: bad record (%d fields): %r"
                             % (len(vals), rec[:200]))
        num = vals[0]
        evs[num] = vals
        order.append(num)
    return evs, order


def load_known(path):
    """Rows of the table under '## Machine-readable list':
    | file glob | field | events | reason |   events: 'all' or 1-5,9"""
    known = []
    if not os.path.exists(path):
        return known
    on = False
    for line in open(path, encoding="utf-8"):
        if line.startswith("## "):
            on = line.strip().lower().startswith("## machine-readable")
            continue
        if not on or not line.startswith("|"):
            continue
        cells = [c.strip().strip("`") for c in line.strip().strip("|").split("|")]
        if len(cells) < 4 or cells[0] in ("file", "") or set(cells[0]) <= set("-: "):
            continue
        rng = None
        if cells[2] != "all":
            rng = []
            for part in cells[2].split(","):
                a, _, b = part.strip().partition("-")
                rng.append((int(a), int(b or a)))
        known.append((cells[0], cells[1], rng, cells[3]))
    return known


def is_known(known, fname, field, num):
    for glob, fld, rng, _ in known:
        if not fnmatch.fnmatch(fname, glob):
            continue
        if fld != "*" and not fnmatch.fnmatch(field, fld):
            continue
        if rng is None:
            return True
        try:
            n = int(num)
        except ValueError:
            return False
        if any(a <= n <= b for a, b in rng):
            return True
    return False


def main_expected(saker, known_md, cap, expected, fmtfile, verbose):
    """Compares saker with a stored sysdig output (lines of FORMAT, whose
    fields are separated by '|'), matched by evt.num (the first field)."""
    fname = os.path.basename(cap)
    known = load_known(known_md)
    fmt = open(fmtfile, encoding="utf-8").read().strip()
    names = [f.lstrip("*%") for f in fmt.split("|")]
    if expected.endswith(".zst"):
        rc, exp, err = run(["zstd", "-dc", expected])
        if rc != 0:
            print("%s: cannot decompress %s: %s" % (fname, expected, err.strip()))
            return 1
    else:
        exp = open(expected, encoding="utf-8", errors="surrogateescape").read()
    rc, got, err = run([saker, "read", cap, "-p", fmt],
                       dict(os.environ, TZ=os.environ.get("TZ", "UTC")))
    if rc != 0:
        print("%s: saker read failed (exit %d): %s" % (fname, rc, err.strip()))
        return 1
    def rows(text):
        d, order = {}, []
        for line in text.split("\n"):
            if not line:
                continue
            v = line.split("|")
            if len(v) != len(names):   # a '|' inside a value: compare whole
                v = [v[0]] + ["|".join(v[1:])] + [""] * (len(names) - 2)
            d[v[0]] = v
            order.append(v[0])
        return d, order
    e, eorder = rows(exp)
    g, gorder = rows(got)
    groups = {}
    def note(field, num, a, b):
        grp = groups.setdefault(field, [0, 0, None, []])
        grp[0] += 1
        if is_known(known, fname, field, num):
            grp[1] += 1
        elif grp[2] is None:
            grp[2] = (num, a, b)
        if verbose:
            grp[3].append((num, a, b))
    compared = equal = 0
    for num in eorder:
        k = g.get(num)
        if k is None:
            note("(event)", num, "sysdig 0.36 only", "")
            continue
        for i, f in enumerate(names):
            compared += 1
            if e[num][i] == k[i]:
                equal += 1
            else:
                note(f, num, e[num][i], k[i])
    ti = names.index("evt.type") if "evt.type" in names else None
    for num in gorder:
        if num not in e:
            note("(event:%s)" % (g[num][ti] if ti is not None else "?"), num, "", "saker only")
    diff = sum(x[0] for x in groups.values())
    kn = sum(x[1] for x in groups.values())
    print("%s (vs sysdig 0.36 output): %d events x %d fields: %d compared, %d equal, "
          "%d differ; %d event notes; differences %d known, %d unexplained" % (
              fname, len(eorder), len(names), compared, equal, compared - equal,
              diff - (compared - equal), kn, diff - kn))
    bad = 0
    for f, (n, nk, ex, allx) in sorted(groups.items()):
        line = "  %-16s %6d differ, %s" % (f, n, "known" if nk == n else "UNEXPLAINED %d" % (n - nk))
        if ex:
            line += "; e.g. evt %s: sysdig %r saker %r" % ex
            bad = 1
        print(line)
        if verbose:
            for x in allx:
                print("     evt %s: sysdig %r saker %r" % x)
    return bad


def main():
    if len(sys.argv) >= 2 and sys.argv[1] == "--expected":
        a = [x for x in sys.argv[2:] if x != "-v"]
        return main_expected(a[0], a[1], a[2], a[3], a[4], "-v" in sys.argv)
    if len(sys.argv) < 4:
        raise SystemExit("usage: compare.py SAKER KNOWN.md FILE.scap [-v]")
    saker, known_md, cap = sys.argv[1:4]
    verbose = "-v" in sys.argv[4:]
    fname = os.path.basename(cap)
    known = load_known(known_md)
    env = dict(os.environ, TZ=os.environ.get("TZ", "UTC"))
    rc, sd_out, err = run(["sysdig", "-D", "-r", cap, "-p", FMT], env)
    if rc != 0:
        print("%s: sysdig cannot read it (exit %d), skipped" % (fname, rc))
        return 3
    rc2, sd_vis, _ = run(["sysdig", "-r", cap, "-p", "*" + RS + "%evt.num"],
                         env)
    rc, sk_out, err = run([saker, "read", "-D", cap, "-p", FMT], env)
    rc3, sk_vis, _ = run([saker, "read", cap, "-p", "*" + RS + "%evt.time" + RS +
                          "%thread.tid" + RS + "%evt.dir"], env)
    if rc != 0 or rc3 != 0:
        print("%s: saker read failed (exit %d): %s" % (fname, rc, err.strip()))
        return 1
    sd, sd_order = parse(sd_out)
    sk, sk_order = parse(sk_out)
    shown = set(r.strip() for r in sd_vis.split(RS)[1:])
    groups = {}   # field -> [count, known_count, first example]

    def note(field, num, a, b):
        g = groups.setdefault(field, [0, 0, None, []])
        g[0] += 1
        if is_known(known, fname, field, num):
            g[1] += 1
        elif g[2] is None:
            g[2] = (num, a, b)
        if verbose:
            g[3].append((num, a, b))

    # Pair events: sysdig prints a subset of saker's events (it skips some
    # without numbering them, see KNOWN_DIFFERENCES.md), in the same order,
    # so each sysdig event is matched with the next saker event of the same
    # time, thread and direction, looking ahead a bounded window.
    key = lambda v: (v[1], v[8], v[3])
    pairs, sk_only = [], []
    j = 0
    for num in sd_order:
        s = sd[num]
        k = None
        for look in range(j, min(j + 2000, len(sk_order))):
            if key(sk[sk_order[look]]) == key(s):
                k = look
                break
        if k is None:
            note("(event)", num, "sysdig only", "")
            continue
        sk_only.extend(sk_order[j:k])
        pairs.append((s, sk[sk_order[k]]))
        j = k + 1
    sk_only.extend(sk_order[j:])
    compared = equal = 0
    for s, k in pairs:
        for i, f in enumerate(FIELDS):
            compared += 1
            if s[i] == k[i]:
                equal += 1
            else:
                # saker escapes a traced backslash as \\ and a control byte
                # as \xNN (reader/escape.c); sysdig prints the backslash raw
                # and drops control bytes: a group of its own
                esc = (k[i].replace("\\\\", "\\") == s[i] or
                       re.sub(r"\\x(?:[01][0-9a-f]|7f)", "", k[i]) == s[i])
                f = f + "/escaped" if esc else f
                note(f, s[0], s[i], k[i])
                if verbose:
                    groups[f][3][-1] = (s[0] + " (saker %s, %s %s)" % (k[0], s[2], s[3]),
                                        s[i], k[i])
    for num in sk_only:
        t = sk[num][2]
        note("(event:%s)" % t, num, "", "saker only")
    # Without -D both hide the internal events: saker must print exactly
    # the events sysdig prints.
    vis = sk_vis.split(RS)[1:]
    sk_shown = set(tuple(x.strip() for x in vis[i:i + 3]) for i in range(0, len(vis) - 2, 3))
    for s, k in pairs:
        if (s[0] in shown) != ((k[1], k[8], k[3]) in sk_shown):
            note("(shown)", s[0], "shown" if s[0] in shown else "hidden",
                 "shown" if s[0] not in shown else "hidden")
    diff = sum(g[0] for g in groups.values())
    kn = sum(g[1] for g in groups.values())
    print("%s: %d events x %d fields: %d compared, %d equal, %d differ; %d event "
          "notes; differences %d known, %d unexplained" % (
              fname, len(sd_order), len(FIELDS), compared, equal, compared - equal,
              diff - (compared - equal), kn, diff - kn))
    bad = 0
    for f, (n, nk, ex, allx) in sorted(groups.items()):
        state = "known" if nk == n else "UNEXPLAINED %d" % (n - nk)
        line = "  %-16s %6d differ, %s" % (f, n, state)
        if ex:
            line += "; e.g. evt %s: sysdig %r saker %r" % ex
            bad = 1
        print(line)
        if verbose:
            for x in allx:
                print("     evt %s: sysdig %r saker %r" % x)
    return bad


if __name__ == "__main__":
    sys.exit(main())
