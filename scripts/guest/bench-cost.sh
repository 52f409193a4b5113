#!/bin/bash
# In the guest (our kernel, booted with slab_nomerge): what ANON_VMA_LAZY
# costs in time next to the slab it saves. Runs `alwork costbench N P`
# (tests/workloads/w_costbench.c: fault, fork, munmap and MADV_PAGEOUT of
# one-page VMAs, timed; anon_vma and anon_vma_chain objects per faulted
# VMA) with vm.anon_vma_lazy 0 and 1 in turn, REPS times each, the order
# of the two alternating from one repetition to the next so that drift
# over the session hits both alike. Prints markdown tables of the medians
# (times: and of the fastest runs) and the lazy 1 / lazy 0 ratios, and
# each run's values ("runs" lines, on stderr).
#
#   bench-cost.sh [N P REPS]     (default 1000 512 7; make bench: 21)
. tests/guest/lib.sh

N=${1:-1000}
P=${2:-512}
REPS=${3:-7}
S=/proc/sys/vm/anon_vma_lazy
T=/tmp/al-bench-cost
rm -rf $T
mkdir -p $T

die() { echo "bench-cost: $*" >&2; exit 1; }
[ -w $S ] || die "$S missing: not an ANON_VMA_LAZY kernel"
grep -q '^anon_vma_chain ' /proc/slabinfo ||
	die "no anon_vma_chain line in /proc/slabinfo: boot with slab_nomerge"
zram_swap_on 256M || die "could not set up zram swap"
[ "$(cat /proc/sys/vm/max_map_count)" -gt $((2 * N + P + 1000)) ] ||
	echo $((2 * N + P + 2000)) > /proc/sys/vm/max_map_count

# one LAZY: a run of costbench with the sysctl LAZY; its output in $T/out
one() {
	echo "$1" > $S
	"$ALWORK" costbench "$N" "$P" > $T/out 2> $T/err ||
		die "alwork costbench $N $P (lazy $1): $(cat $T/err)"
}
v() { awk -v k="costbench.$1" '$1 == k { print $2; exit }' $T/out; }
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# ratio A B: B / A with three decimals ("n/a" when A is 0)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == 0) print "n/a"; else printf "%.3f", b / a }'; }
# per A B: (B - A) / N with three decimals
per() { awk -v a="$1" -v b="$2" -v n="$N" 'BEGIN { printf "%.3f\n", (b - a) / n }'; }

times="fault munmap_nofork fork1 fork2 munmap_forked pageout"
slabs="anon_vma.faulted anon_vma_chain.faulted bytes.faulted anon_vma.forked anon_vma_chain.forked bytes.forked"

one 0 # warm-up, not counted: page cache, slab, zram
one 1
for ((r = 0; r < REPS; r++)); do
	order="0 1"
	[ $((r % 2)) = 1 ] && order="1 0"
	for lazy in $order; do
		one "$lazy"
		{ [ "$(v vmas)" = "$N" ] && [ "$(v pages)" = "$P" ]; } ||
			die "costbench printed vmas '$(v vmas)', pages '$(v pages)'"
		for t in $times; do
			x=$(v "$t.ns_per_op")
			[ -n "$x" ] || die "no costbench.$t.ns_per_op in the output"
			echo "$x" >> "$T/$lazy.$t"
		done
		for c in anon_vma anon_vma_chain; do
			b=$(v "slab.$c.before")
			for when in faulted forked; do
				per "$b" "$(v "slab.$c.$when")" >> "$T/$lazy.$c.$when"
			done
		done
		# slab bytes per VMA: both caches' objects times their sizes
		for when in faulted forked; do
			awk -v n="$N" \
				-v a0="$(v slab.anon_vma.before)" -v a1="$(v "slab.anon_vma.$when")" \
				-v as="$(v slab.anon_vma.objsize)" \
				-v c0="$(v slab.anon_vma_chain.before)" -v c1="$(v "slab.anon_vma_chain.$when")" \
				-v cs="$(v slab.anon_vma_chain.objsize)" \
				'BEGIN { printf "%.1f\n", ((a1 - a0) * as + (c1 - c0) * cs) / n }' \
				>> "$T/$lazy.bytes.$when"
		done
	done
done
echo 0 > $S

declare -A med least
for lazy in 0 1; do
	for k in $times $slabs; do
		med[$lazy,$k]=$(median < "$T/$lazy.$k")
		least[$lazy,$k]=$(sort -g "$T/$lazy.$k" | head -n1)
		echo "runs $k lazy=$lazy: $(tr '\n' ' ' < "$T/$lazy.$k")" >&2
	done
done

label() {
	case $1 in
	fault) echo "first write to a fresh one-page VMA, per VMA" ;;
	munmap_nofork) echo "munmap of a faulted VMA, process never forked, per VMA" ;;
	fork1) echo "first fork + _exit + waitpid, $N faulted VMAs, per fork" ;;
	fork2) echo "second fork + _exit + waitpid, per fork" ;;
	munmap_forked) echo "munmap of a faulted VMA after the forks, per VMA" ;;
	pageout) echo "MADV_PAGEOUT of a page, $P one-page VMAs, per page" ;;
	anon_vma.faulted) echo "anon_vma objects per faulted VMA" ;;
	anon_vma_chain.faulted) echo "anon_vma_chain objects per faulted VMA" ;;
	bytes.faulted) echo "slab bytes per faulted VMA (both caches)" ;;
	anon_vma.forked) echo "anon_vma objects per VMA after the first fork (child gone)" ;;
	anon_vma_chain.forked) echo "anon_vma_chain objects per VMA after the first fork" ;;
	bytes.forked) echo "slab bytes per VMA after the first fork" ;;
	esac
}

# Under TCG another host thread only ever adds time, and the runs of a
# row are often bimodal: the fastest run of each mode is the steadier
# comparison, the median the one that includes the interference.
echo "| operation | lazy 0 ns, median | lazy 1 ns, median | lazy 1 / lazy 0 | lazy 0 ns, fastest | lazy 1 ns, fastest | lazy 1 / lazy 0 |"
echo "|---|---|---|---|---|---|---|"
for k in $times; do
	echo "| $(label "$k") | ${med[0,$k]} | ${med[1,$k]} | $(ratio "${med[0,$k]}" "${med[1,$k]}") |" \
		"${least[0,$k]} | ${least[1,$k]} | $(ratio "${least[0,$k]}" "${least[1,$k]}") |"
done
echo
echo "| slab | lazy 0 | lazy 1 | lazy 1 / lazy 0 |"
echo "|---|---|---|---|"
for k in $slabs; do
	echo "| $(label "$k") | ${med[0,$k]} | ${med[1,$k]} | $(ratio "${med[0,$k]}" "${med[1,$k]}") |"
done
echo
echo "Medians of $REPS runs each, \`alwork costbench $N $P\`, vm.anon_vma_lazy 0 and 1"
echo "in turn (the order alternating), one boot; objects per VMA: (after - before) / $N."
