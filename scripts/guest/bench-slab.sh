#!/bin/bash
# In the guest (booted with slab_nomerge): anon_vma and anon_vma_chain slab
# objects and KB while a workload holds its memory, with vm.anon_vma_lazy 0
# and then 1, in the same boot. Prints a markdown table.
S=/proc/sys/vm/anon_vma_lazy
[ -w $S ] || { echo "bench-slab: $S missing: not an ANON_VMA_LAZY kernel" >&2; exit 1; }
grep -q '^anon_vma_chain ' /proc/slabinfo ||
	{ echo "bench-slab: no anon_vma_chain line in /proc/slabinfo: boot with slab_nomerge" >&2; exit 1; }

# slab NAME: "active_objs objsize"; dies rather than report a silent 0
slab() {
	local v
	v=$(awk -v n="$1" '$1 == n { print $2, $4 }' /proc/slabinfo)
	[ -n "$v" ] || { echo "bench-slab: no '$1' line in /proc/slabinfo" >&2; exit 1; }
	echo "$v"
}

# measure READY CMD: start the shell command CMD in its own session, wait
# for READY "ready" lines on its stdout, print the slab counts it holds,
# stop it.
measure() {
	local ready=$1
	shift
	local out=/tmp/bench.$$
	local av0 avc0 av1 avc1 size_av size_avc
	local v
	sync
	v=$(slab anon_vma) || exit 1
	read -r av0 size_av <<< "$v"
	v=$(slab anon_vma_chain) || exit 1
	read -r avc0 size_avc <<< "$v"
	setsid bash -c "exec $*" > $out 2>/dev/null &
	local pid=$!
	for _ in $(seq 1200); do
		[ "$(grep -c ready $out 2>/dev/null)" -ge "$ready" ] && break
		sleep 0.1
	done
	[ "$(grep -c ready $out)" -ge "$ready" ] ||
		{ echo "bench-slab: '$*' never got ready" >&2; exit 1; }
	v=$(slab anon_vma) || exit 1
	read -r av1 _ <<< "$v"
	v=$(slab anon_vma_chain) || exit 1
	read -r avc1 _ <<< "$v"
	kill -TERM -- -"$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	rm -f $out
	echo "x $((av1 - av0)) $(((av1 - av0) * size_av / 1024)) $((avc1 - avc0)) $(((avc1 - avc0) * size_avc / 1024))"
}

# label|processes that print "ready"|command. SLUB's per-CPU slabs hide
# differences of a few objects: each workload holds hundreds at least.
workloads=(
	"1000 VMAs, no fork|1|out/bin/alwork hold 1000 0"
	"1000 VMAs, 4 children|1|out/bin/alwork hold 1000 4"
)
declare -A res
for lazy in 0 1; do
	echo $lazy > $S
	for w in "${workloads[@]}"; do
		label=${w%%|*}
		rest=${w#*|}
		res["$lazy|$label"]=$(measure "${rest%%|*}" "${rest#*|}") || exit 1
	done
done
echo 0 > $S

echo "| workload | anon_vma objs (lazy 0 -> 1) | anon_vma KB | anon_vma_chain objs | anon_vma_chain KB |"
echo "|---|---|---|---|---|"
for w in "${workloads[@]}"; do
	label=${w%%|*}
	read -r _ a0 ak0 c0 ck0 <<< "${res["0|$label"]}"
	read -r _ a1 ak1 c1 ck1 <<< "${res["1|$label"]}"
	pct() { [ "$1" -gt 0 ] && echo "$(( ($2 - $1) * 100 / $1 ))%" || echo "n/a"; }
	echo "| $label | $a0 -> $a1 ($(pct $a0 $a1)) | $ak0 -> $ak1 | $c0 -> $c1 ($(pct $c0 $c1)) | $ck0 -> $ck1 |"
done
