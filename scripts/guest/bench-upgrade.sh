#!/bin/bash
# In the guest: how long the upgrade of a big lazy root holds its hashed
# lazy lock, seen from another process. Runs `alwork upgrade S K N`
# (tests/workloads/w_upgrade.c) with vm.anon_vma_lazy 0 and then 1 in the
# same boot (only once, as is, on a kernel without the sysctl): process A
# upgrades an S MiB lazy root K times (mprotect of one page in its middle,
# timed), while process B walks the rmaps of its N one-page lazy VMAs one
# at a time, timed: with page_idle (the walk folio_referenced() does,
# cheap) and with MADV_PAGEOUT (try_to_unmap()), a run each. Prints a
# markdown table per run (and the raw alwork output, "raw" lines, on
# stderr).
#
#   bench-upgrade.sh [S K N [WALKS]]     (default 1024 5 1024 "idle pageout")
. tests/guest/lib.sh

MIB=${1:-1024}
K=${2:-5}
N=${3:-1024}
HOWS=${4:-idle pageout}
S=/proc/sys/vm/anon_vma_lazy
T=/tmp/al-bench-upgrade
mkdir -p $T

die() { echo "bench-upgrade: $*" >&2; exit 1; }
zram_swap_on 256M || die "could not set up zram swap"
[ "$(cat /proc/sys/vm/max_map_count)" -gt $((2 * N + 100)) ] ||
	echo $((2 * N + 1000)) > /proc/sys/vm/max_map_count

ms() { awk -v n="$1" 'BEGIN { printf "%.2f", n / 1e6 }'; }
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
maxof() { sort -n | tail -n1; }

lazies=(-)
[ -w $S ] && lazies=(0 1)
for lazy in "${lazies[@]}"; do
for how in $HOWS; do
	[ "$lazy" = - ] || echo "$lazy" > $S
	out=$T/out.$lazy.$how
	"$ALWORK" upgrade "$MIB" "$K" "$N" "$how" > "$out" 2> "$T/err" ||
		die "alwork upgrade $MIB $K $N $how (lazy $lazy): $(cat $T/err)"
	sed "s/^/raw lazy=$lazy /" "$out" >&2
	v() { awk -v k="upgrade.$1" '$1 == k { print $2; exit }' "$out"; }
	# each R KEY: KEY of every round, one a line
	each() { for ((r = 0; r < K; r++)); do v "round$r.$1"; done; }

	# The measurement means something only if the pageouts reclaimed and
	# the mprotect did (or, with the sysctl 0, did not) upgrade.
	[ "$(v b_checked)" -gt $((N / 2)) ] ||
		die "lazy $lazy, $how: B's calls walked $(v b_checked) of its $N pages"
	want_before=regular
	[ "$lazy" = 1 ] && want_before=lazy
	[ "$lazy" = - ] && want_before=absent
	want_after=regular
	[ "$lazy" = - ] && want_after=absent
	for ((r = 0; r < K; r++)); do
		if [ "$(v round$r.state_before)" != $want_before ] ||
			[ "$(v round$r.state_after)" != $want_after ]; then
			die "lazy $lazy round $r: A's VMA $(v round$r.state_before) -> $(v round$r.state_after), want $want_before -> $want_after"
		fi
	done

	case $how in
	idle)
		call="page_idle bitmap write"
		checked="walked (shown idle) after a last pass"
		;;
	pageout)
		call="MADV_PAGEOUT"
		checked="swapped out after a last pass"
		;;
	esac
	case $lazy in
	-) echo "### B: $call; no vm.anon_vma_lazy on this kernel" ;;
	*) echo "### B: $call; vm.anon_vma_lazy=$lazy" ;;
	esac
	echo
	echo "A: one $MIB MiB VMA a round, every 4 KiB page written, then mprotect() of"
	echo "one page. B: $N one-page VMAs, $(v b_calls) calls ($call) in all;"
	echo "$(v b_checked) of its $N pages $checked."
	echo
	echo "| round | A: fault $MIB MiB (s) | A's VMA before -> after | A: mprotect (ms) | B during the mprotect: calls, max (ms), p99 (ms) | baseline window (ms) | B in it: calls, max (ms), p99 (ms) |"
	echo "|---|---|---|---|---|---|---|"
	for ((r = 0; r < K; r++)); do
		p=round$r
		echo "| $r | $(awk -v n="$(v $p.fault_ns)" 'BEGIN { printf "%.1f", n / 1e9 }') |" \
			"$(v $p.state_before) -> $(v $p.state_after) |" \
			"$(ms "$(v $p.mprotect_ns)") |" \
			"$(v $p.during.n), $(ms "$(v $p.during.max_ns)"), $(ms "$(v $p.during.p99_ns)") |" \
			"$(ms "$(v $p.window_ns)") |" \
			"$(v $p.base.n), $(ms "$(v $p.base.max_ns)"), $(ms "$(v $p.base.p99_ns)") |"
	done
	echo
	echo "| summary over the $K rounds | value |"
	echo "|---|---|"
	echo "| A: mprotect (upgrade), median / longest | $(ms "$(each mprotect_ns | median)") / $(ms "$(each mprotect_ns | maxof)") ms |"
	echo "| B: longest call during an mprotect | $(ms "$(each during.max_ns | maxof)") ms |"
	echo "| B: longest call in a baseline window | $(ms "$(each base.max_ns | maxof)") ms |"
	echo "| B: median of the rounds' longest, during / baseline | $(ms "$(each during.max_ns | median)") / $(ms "$(each base.max_ns | median)") ms |"
	echo "| B: longest call outside both (A faulting, unmapping), p99 | $(ms "$(v other.max_ns)") ms, $(ms "$(v other.p99_ns)") ms |"
	echo
done
done
[ -w $S ] && echo 0 > $S
exit 0
