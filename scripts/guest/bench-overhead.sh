#!/bin/bash
# In the guest: the cost of anonlazy.ko's probes. Runs a fork-heavy and a
# pageout-heavy alwork benchmark with the module unloaded, loaded with
# every hook, and loaded with hooks=$LIGHT only, in an order that rotates
# from one repetition to the next so that drift over the session hits all
# three alike, with vm.anon_vma_lazy 0 and 1 where the kernel has it.
# Prints a markdown table of medians and ratios.
#
#   bench-overhead.sh [REPS]     (default 9 runs of each kind)
. tests/guest/lib.sh

REPS=${1:-9}
VMAS=1000
FORKS=20
PAGES=512
ROUNDS=32
LIGHT=prepare,upgrade
S=/proc/sys/vm/anon_vma_lazy
T=/tmp/al-bench
mkdir -p $T

die() { echo "bench-overhead: $*" >&2; exit 1; }
[ -f "$KO" ] || die "no module at $KO"
lsmod | grep -q '^anonlazy ' && die "anonlazy is loaded already"
zram_swap_on 256M || die "could not set up zram swap"

# one MODE WORKLOAD ARGS...: ns per op of one run; MODE 0 unloaded,
# 1 loaded with every hook, 2 loaded with hooks=$LIGHT
one() {
	local mode=$1
	shift
	case $mode in
	1) insmod "$KO" || die "insmod $KO failed" ;;
	2) insmod "$KO" hooks=$LIGHT || die "insmod $KO hooks=$LIGHT failed" ;;
	esac
	"$ALWORK" "$@" > $T/run.out 2> $T/run.err || die "alwork $*: $(cat $T/run.err)"
	if [ "$mode" != 0 ]; then
		rmmod anonlazy || die "rmmod failed"
	fi
	awk '$1 ~ /\.ns_per_op$/ { print $2 }' $T/run.out
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# ratio A B: B / A with three decimals
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b / a }'; }

lazies=(-)
[ -w $S ] && lazies=(0 1)
declare -A med
for lazy in "${lazies[@]}"; do
	[ "$lazy" = - ] || echo "$lazy" > $S
	for w in "forkbench $VMAS $FORKS" "pageoutbench $PAGES $ROUNDS"; do
		name=${w%% *}
		# shellcheck disable=SC2086
		one 0 $w > /dev/null	# warm-up: page cache, slab, swap
		: > $T/0
		: > $T/1
		: > $T/2
		for ((r = 0; r < REPS; r++)); do
			case $((r % 3)) in
			0) order="0 1 2" ;;
			1) order="1 2 0" ;;
			*) order="2 0 1" ;;
			esac
			for m in $order; do
				# shellcheck disable=SC2086
				one $m $w >> $T/$m
			done
		done
		for m in 0 1 2; do
			med[$lazy,$name,$m]=$(median < $T/$m)
		done
		echo "runs $name lazy=$lazy unloaded:         $(tr '\n' ' ' < $T/0)" >&2
		echo "runs $name lazy=$lazy loaded:           $(tr '\n' ' ' < $T/1)" >&2
		echo "runs $name lazy=$lazy hooks=$LIGHT: $(tr '\n' ' ' < $T/2)" >&2
	done
done
[ -w $S ] && echo 0 > $S

echo "| workload | vm.anon_vma_lazy | unloaded ns/op | loaded, all hooks | ratio | loaded, hooks=$LIGHT | ratio |"
echo "|---|---|---|---|---|---|---|"
for w in "forkbench:fork + exit, $VMAS VMAs" "pageoutbench:fault + MADV_PAGEOUT, per page"; do
	name=${w%%:*}
	for lazy in "${lazies[@]}"; do
		u=${med[$lazy,$name,0]}
		l=${med[$lazy,$name,1]}
		h=${med[$lazy,$name,2]}
		echo "| ${w#*:} | ${lazy/-/n/a} | $u | $l | $(ratio "$u" "$l") | $h | $(ratio "$u" "$h") |"
	done
done
if [ -w $S ]; then
	echo
	echo "| workload | lazy 1 / lazy 0, unloaded | lazy 1 / lazy 0, loaded |"
	echo "|---|---|---|"
	for w in "forkbench:fork + exit, $VMAS VMAs" "pageoutbench:fault + MADV_PAGEOUT, per page"; do
		name=${w%%:*}
		echo "| ${w#*:} | $(ratio "${med[0,$name,0]}" "${med[1,$name,0]}") | $(ratio "${med[0,$name,1]}" "${med[1,$name,1]}") |"
	done
fi
