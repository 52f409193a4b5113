#!/bin/bash
# Data-integrity tests of anonymous memory (out/bin/alinteg): fork + COW,
# split, mremap, swap, NUMA migration, KSM, THP split and collapse,
# userfaultfd. On our kernel they run with vm.anon_vma_lazy 0 and 1.
. tests/guest/lib.sh
zram_swap_on 256M || fail "zram swap" "could not set up /dev/zram0 as swap"
out/bin/alinteg 2> /tmp/alinteg.err
rc=$?
if [ $rc -ne 0 ] && [ $rc -ne 1 ]; then
	fail "integrity" "alinteg exited $rc: $(tail -n 3 /tmp/alinteg.err)"
fi
[ $rc -eq 0 ] && [ $al_failed -eq 0 ]
