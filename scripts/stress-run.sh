# Sourced by scripts/check.sh --stress (make stress), after its builds and
# with its guest(), record() and step(): tests/guest/stress-long.sh on our
# kernel with vm.anon_vma_lazy=1, on the stock kernel and on the debug
# kernel with vm.anon_vma_lazy=1, each in one single-threaded TCG boot
# (README, "stress"); then the figures of each run -> docs/stress.md.
# shellcheck shell=bash

STRESS_CYCLES=${STRESS_CYCLES:-1000}
STRESS_DEBUG_CYCLES=${STRESS_DEBUG_CYCLES:-100}
# A cycle took 2-20 s under single-threaded TCG with the load running (the
# host busy or not), 70-170 s on the KASAN kernel (10 cycles in 1704 s
# beside a stress-ng guest): the timeout follows the cycles.
stress_guest() {
	local kernel=$1 label=$2 cycles=$3 per=$4
	shift 4
	GUEST_ENV="STRESS_CYCLES=$cycles" guest "$kernel" stress-long "$label" --single-thread \
		--timeout $((600 + cycles * per)) "$@"
}

have_debug=0
step kernel-debug scripts/build-kernel.sh --variant debug &&
	step module-debug scripts/build-module.sh debug && have_debug=1
if [ $have_kernel -eq 1 ] && [ $have_ours -eq 1 ]; then
	stress_guest ours ours-lazy "$STRESS_CYCLES" 20 --append sysctl.vm.anon_vma_lazy=1
else
	echo "FAIL: ours-lazy: stress-long not run: the kernel or the module did not build" | record
fi
if [ $have_stock -eq 1 ]; then
	stress_guest stock stock "$STRESS_CYCLES" 20
else
	echo "FAIL: stock: stress-long not run: the module did not build" | record
fi
if [ $have_debug -eq 1 ]; then
	stress_guest debug debug-lazy "$STRESS_DEBUG_CYCLES" 240 --append sysctl.vm.anon_vma_lazy=1
else
	echo "FAIL: debug-lazy: stress-long not run: the debug kernel or its module did not build" | record
fi
# stress-ng's memory stressors with the module and anonlazy-bpf attached,
# STRESSNG_SECONDS (600) on the debug kernel, sysctl 1
STRESSNG_SECONDS=${STRESSNG_SECONDS:-600}
if [ $have_debug -eq 1 ] && step bpf make -s bpf; then
	GUEST_ENV="STRESSNG_SECONDS=$STRESSNG_SECONDS" guest debug stressng debug-lazy \
		--timeout $((900 + 2 * STRESSNG_SECONDS)) --append sysctl.vm.anon_vma_lazy=1
else
	echo "FAIL: debug-lazy: stressng not run: the debug kernel, its module or anonlazy-bpf did not build" | record
fi

# docs/stress.md: one row a run, from its guest log's info lines and verdict
{
	echo "# make stress"
	echo
	echo "Measured by \`make stress\` on $(date -u +%Y-%m-%d): \`tests/guest/stress-long.sh\`"
	echo "in one single-threaded TCG boot per kernel (2 vCPUs, 2 GiB): the module"
	echo "loaded and unloaded in a loop while \`alwork churn\` (fork, fault, COW,"
	echo "split, vfork, MADV_PAGEOUT to zram, exit) and \`alinteg ksm fork swap\`"
	echo "run with their data checks and two shells read every debugfs file;"
	echo "then one more load and \`alwork fault 64\` checked exact, the last unload,"
	echo "and on the debug kernel (KASAN, lockdep, kmemleak) a kmemleak scan."
	echo "An open debugfs file holds the module, so \`rmmod\` is refused while a"
	echo "reader is inside one and retried 10 ms later."
	echo "\"kernel log clean\": no oops, BUG, WARNING, KASAN, lockdep, RCU stall or"
	echo "hung task report (vm-run's verdict). Host load (1, 5, 15 min): $(cut -d' ' -f1-3 /proc/loadavg)."
	echo
	echo "| kernel | cycles | guest s | rmmod refused (file open) | debugfs reads | churn rounds | alinteg runs | counters after | kmemleak | results | kernel log clean |"
	echo "|---|---|---|---|---|---|---|---|---|---|---|"
	for label in ours-lazy stock debug-lazy; do
		d=out/vm/$label-stress-long
		[ -f "$d/guest.log" ] || continue
		g=$d/guest.log
		n=$(sed -n 's/^info: cycles \([0-9]*\) rmmod_refused \([0-9]*\)$/\1 \2/p' "$g")
		[ -n "$n" ] || n="? ?"
		read -r ncyc nref <<< "$n"
		reads=$(sed -n 's/^info: \([0-9]*\) reads of debugfs files.*/\1/p' "$g")
		rounds=$(sed -n 's/.*churn rounds that lost data or failed (of \([0-9]*\)).*/\1/p' "$g" | head -n1)
		runs=$(sed -n 's/.*alinteg ksm fork swap runs that failed (of \([0-9]*\)).*/\1/p' "$g" | head -n1)
		after=$(grep -c '^PASS: [^:]*: after the cycles, fault' "$g")
		leak=$(grep -E '^(PASS|FAIL|SKIP): [^:]*: kmemleak' "$g" | sed 's/^\([A-Z]*\): [^:]*: kmemleak[^:]*: */\1 /' | head -n1)
		np=$(grep -c '^PASS: ' "$g")
		nf=$(grep -c '^FAIL: ' "$g")
		clean=$(sed -n 's/^kernel_clean //p' "$d/verdict" 2> /dev/null)
		secs=$(sed -n 's/^seconds //p' "$d/verdict" 2> /dev/null)
		echo "| $label | $ncyc | ${secs:-?} | $nref | ${reads:-?} | ${rounds:-?} | ${runs:-?} | $after of 3 exact | ${leak:-?} | $np passed, $nf failed | ${clean:-no} |"
	done
	g=out/vm/debug-lazy-stressng/guest.log
	if [ -f "$g" ]; then
		echo
		echo "stress-ng (\`tests/guest/stressng.sh\`, debug kernel, sysctl 1, module and"
		echo "anonlazy-bpf attached, two debugfs readers, ${STRESSNG_SECONDS} s; the madvise"
		echo "stressor, which also poisons pages, in a stress-ng of its own): $(grep -c '^PASS: ' "$g")"
		echo "passed, $(grep -c '^FAIL: ' "$g") failed; kernel log clean:"
		echo "$(sed -n 's/^kernel_clean //p' out/vm/debug-lazy-stressng/verdict 2> /dev/null || echo no);"
		echo "$(grep '^info: stress-ng --madvise' "$g" | sed 's/^info: //')."
		echo
		echo '```'
		grep -E 'stress-ng: (metrc|info)' "$g" | sed 's/^stress-ng: [a-z]*: *\[[0-9]*\] //'
		echo '```'
	fi
} > docs/stress.md
echo "stress: docs/stress.md"
