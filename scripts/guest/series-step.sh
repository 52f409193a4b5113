#!/bin/bash
# One step of scripts/series-steps.sh, in the guest: alinteg on the kernel
# of patches 1..k. Every data check must pass; the VMA state checks count
# only where the kernel shows states in smaps (before the patch that adds
# them alinteg still checks them against an absent line: reported apart).
# The last line sums it up for the table:
#   series-step: data P/N, states P/N | states not shown (S checks)
. tests/guest/lib.sh
zram_swap_on 256M || { echo "series-step: no zram swap" >&2; exit 1; }
out/bin/alinteg > /tmp/alinteg.out 2> /tmp/alinteg.err
rc=$?
cat /tmp/alinteg.out
[ $rc -le 1 ] || { echo "series-step: alinteg exited $rc: $(tail -n 3 /tmp/alinteg.err)"; exit 1; }
shown=0
grep -q "^$(sed -n 's/^#define ANONLAZY_SMAPS_KEY[[:space:]]*"\(.*\)"/\1/p' include/anonlazy.h)" \
	/proc/self/smaps && shown=1
data_pass=$(grep '^PASS: ' /tmp/alinteg.out | grep -vc ': state ' || true)
data_fail=$(grep '^FAIL: ' /tmp/alinteg.out | grep -vc ': state ' || true)
st_pass=$(grep '^PASS: ' /tmp/alinteg.out | grep -c ': state ' || true)
st_fail=$(grep '^FAIL: ' /tmp/alinteg.out | grep -c ': state ' || true)
bad=0
[ "$data_fail" -eq 0 ] && [ "$data_pass" -gt 0 ] || bad=1
if [ $shown -eq 1 ]; then
	[ "$st_fail" -eq 0 ] || bad=1
	st="states $st_pass/$((st_pass + st_fail))"
else
	st="states not shown ($((st_pass + st_fail)) checks)"
fi
echo "series-step: data $data_pass/$((data_pass + data_fail)), $st"
exit $bad
