#!/bin/bash
# In the guest: the census at scale. P processes with V one-page VMAs each
# (F of each process's faulted), read by the module's census:
#   - rate: R census reads alone, VMAs per second of the snapshot's own
#     walk_ns (guest time), and of the reader's open + read;
#   - lock: the longest mmap_lock hold of any census read (lock_hold_max_ns,
#     the longest a writer can wait for a walked mm);
#   - mprotect: one of the P processes toggles a VMA's protection in a loop
#     for T seconds, timing every call, first with no census running, then
#     while another process reads census in a loop, 3 rounds; worst case
#     with the census / worst case without (the median of the rounds'
#     worst cases, and the worst of all).
# Prints a markdown table (and the raw alwork output, "raw" lines, on
# stderr).
#
#   bench-census.sh [P V F T R]     (default 200 5000 1250 3 5)
# (T: seconds of each of the 3 rounds x 2 phases of the mprotect loop)
. tests/guest/lib.sh

P=${1:-200}
V=${2:-5000}
F=${3:-1250}
SECS=${4:-3}
R=${5:-5}
T=/tmp/al-bench-census
mkdir -p $T

die() { echo "bench-census: $*" >&2; exit 1; }
[ -f "$KO" ] || die "no module at $KO"
lsmod | grep -q '^anonlazy ' && die "anonlazy is loaded already"
[ "$(cat /proc/sys/vm/max_map_count)" -gt $((V + 100)) ] ||
	echo $((V + 1000)) > /proc/sys/vm/max_map_count
insmod "$KO" || die "insmod $KO failed"
"$ALWORK" censusbench "$P" "$V" "$F" "$SECS" "$R" > $T/out 2> $T/err ||
	die "alwork censusbench: $(cat $T/err)"
rmmod anonlazy || die "rmmod failed"
sed 's/^/raw /' $T/out >&2

v() { awk -v k="$1" '$1 == k { print $2; exit }' $T/out; }
# vals KIND KEY: every value of bench.<KIND><n>.KEY, one a line
vals() { awk -v p="^bench\\.$1[0-9]+\\.$2\$" '$1 ~ p { print $2 }' $T/out; }
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
maxof() { sort -n | tail -n1; }
sum() { awk '{ s += $1 } END { print s + 0 }'; }
ms() { awk -v n="$1" 'BEGIN { printf "%.3f", n / 1e6 }'; }
# verdict EXPR: "met" when the awk expression holds
verdict() { if [ "$(awk "BEGIN { print ($1) ? 1 : 0 }")" = 1 ]; then echo met; else echo "NOT met"; fi; }
list() { tr '\n' ' ' | sed 's/ $//'; }
msl() { awk '{ printf "%s%.1f", (NR > 1) ? " " : "", $1 / 1e6 }'; }

vmas=$(vals read vmas | median)
walk=$(vals read walk_ns | median)
open_read=$(vals read open_read_ns | median)
rate=$(awk -v n="$vmas" -v t="$walk" 'BEGIN { printf "%.0f", n * 1e9 / t }')
rate_user=$(awk -v n="$vmas" -v t="$open_read" 'BEGIN { printf "%.0f", n * 1e9 / t }')
hold=$( (vals read lock_hold_max_ns; vals round reader.lock_hold_max_ns) | maxof)
holds=$( (vals read lock_holds; vals round reader.lock_holds) | sum)
over1=$( (vals read lock_holds_over_one_ms; vals round reader.lock_holds_over_one_ms) | sum)
over10=$( (vals read lock_holds_over_ten_ms; vals round reader.lock_holds_over_ten_ms) | sum)
reads=$(( R + $(vals round reader.reads | sum) ))
hvmas=$( (vals read lock_hold_max_vmas; vals round reader.lock_hold_max_vmas) | maxof)
step=$( (vals read lock_step_max_ns; vals round reader.lock_step_max_ns) | maxof)
busy=$( (vals read lock_hold_max_busy_ns; vals round reader.lock_hold_max_busy_ns) | maxof)
bmax=$(vals round base.max_ns | maxof)
cmax=$(vals round census.max_ns | maxof)
bmed=$(vals round base.max_ns | median)
cmed=$(vals round census.max_ns | median)
ratio=$(awk -v a="$bmax" -v b="$cmax" 'BEGIN { printf "%.2f", b / a }')
mratio=$(awk -v a="$bmed" -v b="$cmed" 'BEGIN { printf "%.2f", b / a }')
p99ratio=$(awk -v a="$(vals round base.p99_ns | median)" -v b="$(vals round census.p99_ns | median)" 'BEGIN { printf "%.2f", b / a }')
faulted=$(( $(v bench.read0.vmas_regular) + $(v bench.read0.vmas_lazy) ))

echo "| measure | value | target | |"
echo "|---|---|---|---|"
echo "| processes x VMAs (faulted each) | $P x $V ($F) | | |"
echo "| VMAs in the census (median of $R reads) | $vmas | 1000000 | $(verdict "$vmas >= 1000000") |"
echo "| faulted VMAs (regular + lazy) | $faulted | >= 200000 | $(verdict "$faulted >= 200000") |"
echo "| census walk_ns, median of $R reads alone | $(ms "$walk") ms | | |"
echo "| census rate (walk_ns) | $rate VMAs/s | >= 1000000 | $(verdict "$rate >= 1000000") |"
echo "| census rate (open + read, reader's clock) | $rate_user VMAs/s | | |"
echo "| mmap_lock holds, all $reads reads | $holds, $over1 over 1 ms, $over10 over 10 ms | | |"
echo "| longest mmap_lock hold | $(ms "$hold") ms | <= 10 ms | $(verdict "$hold <= 10000000") |"
echo "| longest time between two clock looks in a hold (64 VMAs of work, or the vCPU not run) | $(ms "$step") ms | | |"
echo "| longest hold less its longest step | $(ms "$busy") ms | <= 10 ms | $(verdict "$busy <= 10000000") |"
echo "| most VMAs looked at in one hold, and that work at the census rate | $hvmas, $(awk -v n="$hvmas" -v r="$rate" 'BEGIN { printf "%.3f", n / r * 1e3 }') ms | <= 10 ms | $(verdict "$hvmas / $rate <= 0.01") |"
echo "| mprotect worst case per round, no census (ms) | $(vals round base.max_ns | msl) | | |"
echo "| mprotect worst case per round, census reading (ms) | $(vals round census.max_ns | msl) | | |"
echo "| mprotect calls per round, no census / census | $(vals round base.n | list) / $(vals round census.n | list) | | |"
echo "| mprotect worst case, median of rounds, census / none | $mratio | <= 2 | $(verdict "$mratio <= 2") |"
echo "| mprotect worst case, all rounds, census / none | $ratio | <= 2 | $(verdict "$ratio <= 2") |"
echo "| mprotect p99, median of rounds, census / none | $p99ratio | | |"
echo "| truncated (first read) | $(v bench.read0.truncated) | 0 | $(verdict "$(v bench.read0.truncated) == 0") |"
