#!/bin/bash
# In the guest: the cost of counting. Runs a fork-heavy and a
# pageout-heavy alwork benchmark with nothing attached, with anonlazy.ko
# loaded with every hook, loaded with hooks=$LIGHT only, under
# anonlazy-bpf (every counter, no module; its per-process rows off, the
# default), under anonlazy-bpf --processes (the rows on) and under a
# bpftrace script that counts the same functions (what a user would write
# instead), in an order that rotates from one repetition to the next so
# that drift over the session hits all six alike, with vm.anon_vma_lazy 0
# and 1 where the kernel has it. Prints markdown tables of medians and
# ratios, and on stderr each run's times ("runs ...") and the module's
# latency file of the last pageout run with every hook ("latency lazy=L:
# LINE", read after alwork's timed work, before the unload).
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
BPF=${AL_BPF:-out/bin/anonlazy-bpf}
MODES="0 1 2 3 4 5"
NMODES=6
mkdir -p $T

die() { echo "bench-overhead: $*" >&2; exit 1; }
[ -f "$KO" ] || die "no module at $KO"
lsmod | grep -q '^anonlazy ' && die "anonlazy is loaded already"
zram_swap_on 256M || die "could not set up zram swap"
[ -x "$BPF" ] || die "no $BPF (make bpf)"
command -v bpftrace > /dev/null || die "no bpftrace (scripts/setup.sh installs it)"

# The bpftrace script: the functions anonlazy-bpf probes that this kernel
# has, counted, their results counted where the module reads them at the
# return, and the rmap walks timed.
has() { grep -q " [tT] $1\$" /proc/kallsyms; }
pick() {
	local f out=
	for f in "$@"; do
		has $f && out="$out${out:+, }$1:$f"
	done
	echo "$out"
}
{
	echo "$(pick kprobe anon_vma_clone unlink_anon_vmas) { @calls[func] = count(); }"
	echo "$(pick kprobe __anon_vma_prepare anon_vma_fork anon_vma_lazy_make_root anon_vma_lazy_upgrade) { @calls[func] = count(); }"
	echo "$(pick kretprobe __anon_vma_prepare anon_vma_fork anon_vma_lazy_make_root anon_vma_lazy_upgrade) { @ret[func, retval] = count(); }"
	echo "$(pick kprobe rmap_walk_anon rmap_walk_file rmap_walk_ksm) { @calls[func] = count(); @start[tid] = nsecs; }"
	echo "$(pick kretprobe rmap_walk_anon rmap_walk_file rmap_walk_ksm) /@start[tid]/ { @ns[func] = hist(nsecs - @start[tid]); delete(@start[tid]); }"
} | sed '/^ {/d' > $T/count.bt

# one MODE WORKLOAD ARGS...: ns per op of one run; MODE 0 nothing
# attached, 1 the module with every hook, 2 the module with hooks=$LIGHT,
# 3 anonlazy-bpf, 4 bpftrace $T/count.bt, 5 anonlazy-bpf --processes. The
# work is timed inside alwork, after the attach, so a tool's start-up is
# not in it.
one() {
	local mode=$1 run=("$ALWORK")
	shift
	case $mode in
	1) insmod "$KO" || die "insmod $KO failed" ;;
	2) insmod "$KO" hooks=$LIGHT || die "insmod $KO hooks=$LIGHT failed" ;;
	3) run=("$BPF" -s stats -- "$ALWORK") ;;
	5) run=("$BPF" --processes -s stats -- "$ALWORK") ;;
	esac
	if [ $mode = 4 ]; then
		bpftrace $T/count.bt -c "$ALWORK $*" > $T/run.out 2> $T/run.err ||
			die "bpftrace -c 'alwork $*': $(tail -n 3 $T/run.err)"
		grep -q '^@calls\[' $T/run.out || die "bpftrace counted nothing: $(tail -n 3 $T/run.out)"
	else
		"${run[@]}" "$@" > $T/run.out 2> $T/run.err ||
			die "${run[*]} $*: $(tail -n 3 $T/run.err)"
	fi
	if [ $mode = 1 ] && [ "$1" = pageoutbench ]; then
		cat $DBG/latency > "$T/latency.$lazy" || die "no $DBG/latency"
	fi
	if [ $mode = 1 ] || [ $mode = 2 ]; then
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
		for m in $MODES; do
			: > $T/$m
		done
		for ((r = 0; r < REPS; r++)); do
			# rotate: 0 1 2 3 4 5, 1 2 3 4 5 0, ...
			order=$(echo $MODES $MODES | cut -d' ' -f$((r % NMODES + 1))-$((r % NMODES + NMODES)))
			for m in $order; do
				# shellcheck disable=SC2086
				one $m $w >> $T/$m
			done
		done
		for m in $MODES; do
			med[$lazy,$name,$m]=$(median < $T/$m)
		done
		echo "runs $name lazy=$lazy unloaded:         $(tr '\n' ' ' < $T/0)" >&2
		echo "runs $name lazy=$lazy loaded:           $(tr '\n' ' ' < $T/1)" >&2
		echo "runs $name lazy=$lazy hooks=$LIGHT: $(tr '\n' ' ' < $T/2)" >&2
		echo "runs $name lazy=$lazy anonlazy-bpf:     $(tr '\n' ' ' < $T/3)" >&2
		echo "runs $name lazy=$lazy anonlazy-bpf --processes: $(tr '\n' ' ' < $T/5)" >&2
		echo "runs $name lazy=$lazy bpftrace:         $(tr '\n' ' ' < $T/4)" >&2
	done
done
[ -w $S ] && echo 0 > $S
for lazy in "${lazies[@]}"; do
	sed "s/^/latency lazy=$lazy: /" "$T/latency.$lazy" >&2
done

echo "| workload | vm.anon_vma_lazy | unloaded ns/op | module, all hooks | ratio | module, hooks=$LIGHT | ratio | anonlazy-bpf | ratio | anonlazy-bpf --processes | ratio | bpftrace | ratio |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
for w in "forkbench:fork + exit, $VMAS VMAs" "pageoutbench:fault + MADV_PAGEOUT, per page"; do
	name=${w%%:*}
	for lazy in "${lazies[@]}"; do
		u=${med[$lazy,$name,0]}
		line="| ${w#*:} | ${lazy/-/n/a} | $u |"
		for m in 1 2 3 5 4; do
			line="$line ${med[$lazy,$name,$m]} | $(ratio "$u" "${med[$lazy,$name,$m]}") |"
		done
		echo "$line"
	done
done
# What each tool adds to one VMA's fork + exit (its three hooked calls:
# anon_vma_fork, anon_vma_clone, unlink_anon_vmas): (median - unloaded) /
# VMAs, in ns; set beside the per-hit costs of bench-mech.sh.
echo
echo "Fork + exit, ns added per VMA (its 3 hooked calls): (median - unloaded) / $VMAS."
echo
echo "| vm.anon_vma_lazy | module, all hooks | anonlazy-bpf | anonlazy-bpf --processes | bpftrace |"
echo "|---|---|---|---|---|"
for lazy in "${lazies[@]}"; do
	u=${med[$lazy,forkbench,0]}
	line="| ${lazy/-/n/a} |"
	for m in 1 3 5 4; do
		line="$line $(awk -v a="$u" -v b="${med[$lazy,forkbench,$m]}" -v n=$VMAS \
			'BEGIN { printf "%.0f", (b - a) / n }') |"
	done
	echo "$line"
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
