#!/bin/bash
# The demo, in the guest: load the module, run a small workload, show what
# it counted. Run by scripts/demo.sh through scripts/vm-run.sh.
set -e
. tests/guest/lib.sh
insmod "$KO"
zram_swap_on 256M
echo "== vm.anon_vma_lazy = $(cat /proc/sys/vm/anon_vma_lazy)"
echo "== workload: fault 64 fresh VMAs, fork holding 16 more, page out 32 pages"
echo 1 > $DBG/reset
"$ALWORK" fault 64 > /dev/null
"$ALWORK" fork 16 > /dev/null
"$ALWORK" pageout 32 > /dev/null
echo "== $DBG/stats (system-wide since the reset)"
cat $DBG/stats
echo "== $DBG/probes"
cat $DBG/probes
echo "== anonlazy-top --once (the same counters with the slab caches, census, latency and processes)"
out/bin/anonlazy-top --once
rmmod anonlazy
