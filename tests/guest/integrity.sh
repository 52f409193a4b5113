#!/bin/bash
# Data-integrity tests of anonymous memory (out/bin/alinteg): fork + COW,
# split, mremap, swap, NUMA migration, KSM, THP split and collapse,
# userfaultfd. On our kernel they run with vm.anon_vma_lazy 0 and 1.
. tests/guest/lib.sh

# The plan: alinteg's data checks, by test: fork 8, vma 12, swap 6,
# migrate 6, ksm 7, thp 8, uffd 3, race 4, upgrade 1 (55); UFFDIO_MOVE's 4
# where the kernel has it (6.8+), else its one skip line. On a kernel with
# ANON_VMA_LAZY the VMA states too: fork 3, vma 5, swap 2, migrate 2, ksm
# 1, thp 1, uffd 1, upgrade 2 (17), and 2 more with UFFDIO_MOVE; without
# it one skip line says so.
kver=$(uname -r)
kmaj=${kver%%.*}
kmin=${kver#*.}
kmin=${kmin%%[.-]*}
MOVE=0
[ "$kmaj" -gt 6 ] || { [ "$kmaj" -eq 6 ] && [ "$kmin" -ge 8 ]; } && MOVE=1
if [ $MOVE = 1 ]; then n=$((55 + 4)); else n=$((55 + 1)); fi
if [ $HAVE_LAZY = 1 ]; then n=$((n + 17 + 2 * MOVE)); else n=$((n + 1)); fi
plan $n

zram_swap_on 256M || fail "zram swap" "could not set up /dev/zram0 as swap"
out/bin/alinteg > /tmp/alinteg.out 2> /tmp/alinteg.err
rc=$?
# alinteg prints its own result lines; its skips follow skip()'s rule.
skips_checked < /tmp/alinteg.out
if [ $rc -ne 0 ] && [ $rc -ne 1 ]; then
	fail "integrity" "alinteg exited $rc: $(tail -n 3 /tmp/alinteg.err)"
fi
[ $rc -eq 0 ] && [ $al_failed -eq 0 ]
