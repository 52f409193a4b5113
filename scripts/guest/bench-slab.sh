#!/bin/bash
# In the guest (booted with slab_nomerge): anon_vma and anon_vma_chain slab
# objects and KB while a workload holds its memory, with vm.anon_vma_lazy 0
# and then 1, in the same boot. Prints a markdown table.
S=/proc/sys/vm/anon_vma_lazy
[ -w $S ] || { echo "bench-slab: $S missing: not an ANON_VMA_LAZY kernel" >&2; exit 1; }
grep -q '^anon_vma_chain ' /proc/slabinfo ||
	{ echo "bench-slab: no anon_vma_chain line in /proc/slabinfo: boot with slab_nomerge" >&2; exit 1; }

# slab NAME: "active_objs objsize"
slab() { awk -v n="$1" '$1 == n { print $2, $4 }' /proc/slabinfo; }

# measure NAME CMD: start the shell command CMD in its own session, wait
# for "ready" on its stdout, print the slab counts it holds, stop it.
measure() {
	local name=$1
	shift
	local out=/tmp/bench.$$
	local av0 avc0 av1 avc1 size_av size_avc
	sync
	read -r av0 size_av < <(slab anon_vma)
	read -r avc0 size_avc < <(slab anon_vma_chain)
	setsid bash -c "exec $*" > $out 2>/dev/null &
	local pid=$!
	for _ in $(seq 600); do grep -q ready $out 2>/dev/null && break; sleep 0.1; done
	read -r av1 _ < <(slab anon_vma)
	read -r avc1 _ < <(slab anon_vma_chain)
	kill -TERM -- -"$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	rm -f $out
	echo "$name $((av1 - av0)) $(((av1 - av0) * size_av / 1024)) $((avc1 - avc0)) $(((avc1 - avc0) * size_avc / 1024))"
}

workloads=(
	"1000 VMAs, no fork|out/bin/alwork hold 1000 0"
	"1000 VMAs, 4 children|out/bin/alwork hold 1000 4"
	"python3 with 5 modules|python3 -c 'import json, sqlite3, email, http.client, decimal, time; print(\"ready\", flush=True); time.sleep(600)'"
)
declare -A res
for lazy in 0 1; do
	echo $lazy > $S
	for w in "${workloads[@]}"; do
		label=${w%%|*}
		cmd=${w#*|}
		res["$lazy|$label"]=$(measure x "$cmd")
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
