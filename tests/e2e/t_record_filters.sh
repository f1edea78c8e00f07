# What saker record keeps:
#  --syscalls openat,execve: those and the state syscalls (close, ...), no
#    read, write or mmap;
#  -s 0: reads without data; -s 200: the first 200 bytes of a 300-byte
#    read, escaped;
#  proc.name=saker-fltr (system-wide, -M 2): the reads of a binary copied
#    as saker-fltr, not those of cat running beside it, whose openat and
#    close (state) are still there;
#  -c 500: exactly 500 events;
#  never the recorder itself: with -a and a checkpoint every second (the
#    recorder reads /proc then), no event of its thread, the parent (ptid)
#    of the command's execve.
# shellcheck source=tests/e2e/lib.sh
. "$E2E_LIB"
need_bpf

# the name (6th field) of every event line of sk.out, sorted, unique
names() { awk '{ print $7 }' sk.out | sort -u | tr '\n' ' '; }

# 6 lines of 49 letters: 300 bytes; the first 200 escaped as saker does
awk 'BEGIN { for (l = 0; l < 6; l++) { for (i = 0; i < 49; i++) printf "%c", 65 + (l + i) % 26; printf "\n" } }' > known.txt
[ "$(size known.txt)" = 300 ] || fail "known.txt: $(size known.txt) bytes, expected 300"
first200=$(head -c 200 known.txt | awk '{ printf "%s\\x0a", $0 }')

# --syscalls
rec -w sc.skr --syscalls openat,execve -- sh -c 'cat known.txt > /dev/null'
expect_rc 0 "saker record --syscalls openat,execve"
sk read sc.skr
expect_clean "saker read sc.skr"
n=$(names)
case " $n" in *" read "* | *" write "* | *" mmap "* | *" pread "*)
    fail "--syscalls openat,execve: other syscalls recorded: $n" ;;
esac
grep -q '= openat fd=[0-9]* dirfd=-100 name=known.txt ' sk.out || fail "--syscalls openat,execve: no openat of known.txt"
grep -q '= execve res=0 exe=cat args=known.txt ' sk.out || fail "--syscalls openat,execve: no execve of cat"
grep -q '= close ' sk.out || fail "--syscalls openat,execve: no close (a state syscall, always kept): $n"

# -s 0 and -s 200 (cat's output is /dev/null: into a regular file cat
# copies with copy_file_range, without read)
rec -w s0.skr -s 0 -- sh -c 'cat known.txt > /dev/null'
expect_rc 0 "saker record -s 0"
sk read s0.skr
expect_clean "saker read s0.skr"
grep -q '= read res=300 data= fd=' sk.out || fail "-s 0: no 300-byte read with empty data"
! grep -q '= read res=[0-9]* data=[^ ]' sk.out || fail "-s 0: a read with data: $(grep -m 1 '= read res=[0-9]* data=[^ ]' sk.out | cut -c 1-200)"
rec -w s200.skr -s 200 -- sh -c 'cat known.txt > /dev/null'
expect_rc 0 "saker record -s 200"
sk read s200.skr
expect_clean "saker read s200.skr"
grep -qF "= read res=300 data=$first200 fd=" sk.out ||
    fail "-s 200: the 300-byte read does not show the first 200 bytes: $(grep -m 1 '= read res=300 ' sk.out | cut -c 1-200)"

# proc.name
cp /bin/cat saker-fltr
echo mine-data > mine.txt
echo other-data > other.txt
trap 'touch stop' EXIT
(
    i=0
    while [ ! -e stop ] && [ $i -lt 100 ]; do
        ./saker-fltr mine.txt > /dev/null
        cat other.txt > /dev/null
        sleep 0.05
        i=$((i + 1))
    done
) &
rec -w pn.skr -M 2 proc.name=saker-fltr
touch stop
expect_rc 0 "saker record -M 2 proc.name=saker-fltr"
sk read pn.skr
expect_clean "saker read pn.skr"
cp sk.out pn.txt
grep -q '= read res=10 data=mine-data\\x0a ' pn.txt || fail "proc.name=saker-fltr: no read of saker-fltr"
! grep -q 'data=other-data' pn.txt ||
    fail "proc.name=saker-fltr: cat's read or write is there: $(grep -m 1 'data=other-data' pn.txt | cut -c 1-300)"
grep -q '= openat fd=[0-9]* dirfd=-100 name=other.txt ' pn.txt || fail "proc.name=saker-fltr: cat's openat of other.txt is gone"
# a close by one of the cat processes (the threads of their execve)
grep '= execve res=0 exe=cat args=other.txt ' pn.txt | awk '{ print $5 }' | sort -u > cat.tids
[ -s cat.tids ] || fail "proc.name=saker-fltr: no execve of cat (a state syscall)"
awk 'NR == FNR { t[$1] = 1; next } $7 == "close" && ($5 in t) { n++ } END { exit n == 0 }' cat.tids pn.txt ||
    fail "proc.name=saker-fltr: no close by cat"

# -c 500
rec -w c.skr -c 500 -- sh -c 'dd if=/dev/zero of=/dev/null bs=64 count=20000 2> /dev/null'
expect_rc 0 "saker record -c 500"
sk info c.skr
expect_clean "saker info c.skr"
[ "$(field events sk.out)" = 500 ] || fail "-c 500: $(field events sk.out) events"
grep -q '^index:       present$' sk.out || fail "saker info c.skr: $(grep '^index:' sk.out)"
sk read c.skr
expect_clean "saker read c.skr"
expect_lines 500 sk.out "saker read c.skr (-c 500)"
check_numbers sk.out 1 "saker read c.skr (-c 500)"

# the recorder itself: --syscalls keeps the host's reads and writes out
"$SAKER" record -q -a --checkpoint 1 --syscalls openat,execve -w self.skr -- \
    sh -c 'sleep 2; cat known.txt > /dev/null' > bg.out 2> bg.err < /dev/null &
self=$!
wait $self
rc=$?
_check_run "saker record -a --checkpoint 1" bg.out bg.err
expect_rc 0 "saker record -a --checkpoint 1"
sk read self.skr
expect_clean "saker read self.skr"
ptid=$(grep -m 1 "= execve res=0 exe=sh args=-c sleep 2; cat known.txt" sk.out | sed -n 's/.* ptid=\([0-9]*\) .*/\1/p')
[ "$ptid" = "$self" ] || fail "the command's execve has ptid '$ptid', the recorder is $self"
mine=$(awk -v t="($self)" '$5 == t' sk.out | wc -l)
[ "$mine" -eq 0 ] || fail "$mine events of the recorder's thread $self: $(awk -v t="($self)" '$5 == t' sk.out | head -n 1 | cut -c 1-200)"
pass
