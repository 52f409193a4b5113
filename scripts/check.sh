#!/bin/bash
# make check: every test. Set-up and builds first (the test kernel too, if
# the cache does not hold it), then host tests, then the guest suites on
# both test kernels. Ends with "N passed, N failed, N skipped" and exits
# non-zero on any failure. Per-run logs: out/check/ and out/vm/.
#
# scripts/check.sh --debug (make check-debug): the same guest suites on the
# KASAN + lockdep variant of our kernel instead of the stock and default
# ones, plus the mm selftests with vm.anon_vma_lazy 0 and 1.
#
# scripts/check.sh --stress (make stress): no host tests; the module loaded
# and unloaded under load (tests/guest/stress-long.sh), STRESS_CYCLES times
# (1000) on our kernel with vm.anon_vma_lazy=1 and on the stock one, and
# STRESS_DEBUG_CYCLES times (100) on the debug kernel (KASAN, lockdep,
# kmemleak) with vm.anon_vma_lazy=1; the figures -> docs/stress.md.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
debug=0
stress=0
case ${1:-} in
--debug) debug=1 ;;
--stress) stress=1 ;;
esac
ours=ours
[ $debug -eq 1 ] && ours=debug
res=out/check-$ours
[ $stress -eq 1 ] && res=out/check-stress
rm -rf "$res"
mkdir -p "$res"
all=$res/results.txt
: > "$all"

say() { echo "check: $*"; }
record() { tee -a "$all"; }
# step NAME CMD...: run a build step; its failure is a FAIL line.
step() {
	local name=$1
	shift
	say "$name"
	if "$@" > "$res/$name.log" 2>&1; then
		echo "PASS: build: $name" | record
		return 0
	fi
	tail -n 30 "$res/$name.log"
	echo "FAIL: build: $name (log: $res/$name.log)" | record
	return 1
}

step setup scripts/setup.sh || { echo "0 passed, 1 failed"; exit 1; }
step userspace make -s userspace host-test-bins
step kernel-$ours scripts/build-kernel.sh --variant "$([ $debug -eq 1 ] && echo debug || echo default)" &&
	have_kernel=1 || have_kernel=0
have_stock=0
[ $debug -eq 0 ] && { step module-stock scripts/build-module.sh stock && have_stock=1; }
step module-$ours scripts/build-module.sh $ours && have_ours=1 || have_ours=0
# alrace.ko: the lazy suite widens a race window of the lazy walk with it
step alrace-$ours scripts/build-module.sh $ours alrace
# hmm-tests, for the devmig suite (cached; shared with make mm-selftests)
have_st=0
[ $have_kernel -eq 1 ] && [ $stress -eq 0 ] && step selftests scripts/build-selftests.sh && have_st=1
# anonlazy-bpf: its vmlinux.h comes from our kernel's BTF
have_bpf=0
[ $have_kernel -eq 1 ] && [ $stress -eq 0 ] && step bpf make -s bpf && have_bpf=1
# the Debian packages (anonlazy-bpf in them too), for the deb suite
have_deb=0
if [ $debug -eq 0 ] && [ $stress -eq 0 ] && [ $have_bpf -eq 1 ]; then
	step deb env VMLINUX_BTF="$(scripts/kernel-env.sh ours | sed -n 's/^KERNEL_VMLINUX=//p')" \
		scripts/build-deb.sh && step dkms scripts/dkms-build.sh && have_deb=1
fi

# summary: the failures, the skips, "N passed, N failed, N skipped"; the
# exit status: 0 when nothing failed
summary() {
	local pass fail skip
	pass=$(grep -c '^PASS: ' "$all")
	fail=$(grep -c '^FAIL: ' "$all")
	skip=$(grep -c '^SKIP: ' "$all")
	if [ "$fail" -gt 0 ]; then
		echo
		echo "Failures:"
		grep '^FAIL: ' "$all"
	fi
	if [ "$skip" -gt 0 ]; then
		echo
		echo "Skipped:"
		grep '^SKIP: ' "$all"
	fi
	echo
	echo "$pass passed, $fail failed, $skip skipped"
	[ "$fail" -eq 0 ]
}

# host tests and checkpatch (not in --stress)
if [ $stress -eq 0 ]; then
	say "host tests"
	# One binary per tests/host/test_*.c (the Makefile's HOST_TESTS). Its
	# PASS/FAIL/SKIP lines count; so does how it ended: a binary that is
	# missing, prints no result, exits non-zero without a FAIL line, or dies
	# of a signal is a FAIL of its own (stdout is line-buffered, so the lines
	# before a crash are kept).
	for src in tests/host/test_*.c; do
		t=out/tests/$(basename "$src" .c)
		if [ ! -x "$t" ]; then
			echo "FAIL: host: $t: not built" | record
			continue
		fi
		log=$res/host-$(basename "$t").log
		"$t" > "$log" 2>&1
		rc=$?
		grep -E '^(PASS|FAIL|SKIP): ' "$log" | record
		if [ $rc -gt 128 ]; then
			echo "FAIL: host: $t crashed: signal $((rc - 128)) ($(kill -l $((rc - 128)) 2>/dev/null)) after $(grep -c -E '^(PASS|FAIL|SKIP): ' "$log") result lines (log: $log)" | record
		elif [ $rc -ne 0 ] && ! grep -q '^FAIL: ' "$log"; then
			echo "FAIL: host: $t exited $rc without a FAIL line (log: $log)" | record
		elif ! grep -q -E '^(PASS|FAIL|SKIP): ' "$log"; then
			echo "FAIL: host: $t printed no result (log: $log)" | record
		fi
	done
	scripts/checkpatch.sh | record
	for s in scripts/*.sh scripts/guest/* scripts/perf/anonlazy-record scripts/perf/anonlazy-report tests/guest/*.sh; do
		if bash -n "$s" 2> "$res/syntax.err"; then
			echo "PASS: host: shell syntax $s"
		else
			echo "FAIL: host: shell syntax $s: $(head -n1 "$res/syntax.err")"
		fi
	done | record
fi

# plan_check NAME LOG: a FAIL line unless LOG has exactly one plan line
# ("PLAN: <label>: N", tests/guest/lib.sh) and exactly N PASS/FAIL/SKIP
# lines: a suite that stopped early, skipped a branch or printed nothing
# fails even when it exited 0.
plan_check() {
	local name=$1 log=$2 plans n got
	if [ ! -f "$log" ]; then
		echo "FAIL: $name: no output (no $log)"
		return
	fi
	plans=$(grep -c '^PLAN: ' "$log")
	got=$(grep -c -E '^(PASS|FAIL|SKIP): ' "$log")
	if [ "$plans" -ne 1 ]; then
		echo "FAIL: $name: $plans plan lines, want 1 (printed $got results)"
		return
	fi
	n=$(sed -n 's/^PLAN: .*: \([0-9][0-9]*\)$/\1/p' "$log")
	if [ -z "$n" ]; then
		echo "FAIL: $name: malformed plan: $(grep '^PLAN: ' "$log")"
	elif [ "$got" -ne "$n" ]; then
		echo "FAIL: $name: planned $n results, printed $got"
	fi
}

# guest KERNEL SUITE LABEL [vm-run options]: one guest suite in one boot;
# GUEST_ENV: VAR=VALUE words for the suite's environment (make stress)
guest() {
	local kernel=$1 suite=$2 label=$3
	local name=$label-$suite
	shift 3
	say "guest suite $suite on $label"
	scripts/vm-run.sh --kernel "$kernel" --name "$name" "$@" -- \
		env AL_KERNEL="$label" ${GUEST_ENV:-} bash "tests/guest/$suite.sh" > "$res/vm-$name.log" 2>&1
	local vrc=$?
	local log=out/vm/$name/guest.log
	[ -f "$log" ] && grep -E '^(PASS|FAIL|SKIP): ' "$log" | record
	plan_check "$label: $suite" "$log" | record
	local clean=0
	grep -q '^kernel_clean yes' "out/vm/$name/verdict" 2>/dev/null && clean=1
	if [ $clean -eq 1 ]; then
		echo "PASS: $label: $suite: guest reported back, no oops/BUG/WARNING/KASAN/lockdep in the kernel log" | record
	else
		echo "FAIL: $label: $suite: $(grep '^problem' "out/vm/$name/verdict" 2>/dev/null | head -n3 | tr '\n' ' ')(see $res/vm-$name.log)" | record
	fi
	if [ $vrc -ne 0 ] && [ $clean -eq 1 ] && [ -f "$log" ] && ! grep -q '^FAIL: ' "$log"; then
		echo "FAIL: $label: $suite exited non-zero without a FAIL line (see $log)" | record
	fi
}

if [ $stress -eq 1 ]; then
	. scripts/stress-run.sh
	summary
	exit
fi

if [ $debug -eq 0 ]; then
	if [ $have_stock -eq 1 ]; then
		guest stock module stock
	else
		echo "FAIL: stock: module suite not run: the module did not build" | record
	fi
	guest stock integrity stock
	[ $have_stock -eq 1 ] && guest stock acct stock
	# trace and stress patch the kernel's text while work runs (static
	# keys of the events they enable, probes they load): one TCG thread,
	# see the comment on our kernel's trace below.
	[ $have_stock -eq 1 ] && guest stock trace stock --single-thread
	[ $have_stock -eq 1 ] && guest stock perf stock
	if [ $have_stock -eq 1 ]; then
		guest stock census stock
		guest stock stress stock --single-thread
		guest stock fuzzfs stock
	fi
	if [ $have_stock -eq 1 ] && [ $have_bpf -eq 1 ]; then
		guest stock bpf stock
	else
		echo "FAIL: stock: bpf suite not run: the module or anonlazy-bpf did not build" | record
	fi
	[ $have_stock -eq 1 ] && guest stock top stock
	if [ $have_deb -eq 1 ]; then
		guest stock deb stock
	else
		echo "FAIL: stock: deb suite not run: the packages or the DKMS module did not build" | record
	fi
fi
# Our kernel: every suite with vm.anon_vma_lazy 0 (the default) and 1.
LAZY_ON=(--append sysctl.vm.anon_vma_lazy=1)
if [ $have_kernel -eq 1 ]; then
	for label in $ours $ours-lazy; do
		opts=()
		[ $label = $ours-lazy ] && opts=("${LAZY_ON[@]}")
		guest $ours lazy $label "${opts[@]}"
		guest $ours integrity $label "${opts[@]}"
		if [ $have_st -eq 1 ]; then
			guest $ours devmig $label "${opts[@]}"
		else
			echo "FAIL: $label: devmig suite not run: the mm selftests did not build" | record
		fi
		if [ $have_ours -eq 1 ]; then
			guest $ours module $label "${opts[@]}"
			guest $ours acct $label "${opts[@]}"
			# Multi-threaded TCG once ran an int3 that text_poke_bp() had
			# already replaced by the nop of a static key the suite enabled
			# (2026-12-03, ours-lazy: Oops: int3 at __schedule+0x29a, the
			# code bytes the nop; the rerun passed), as stress's probes do
			# (README, "stress"): one host thread, 48 s instead of 37-40.
			guest $ours trace $label "${opts[@]}" --single-thread
			guest $ours perf $label "${opts[@]}"
			guest $ours top $label "${opts[@]}"
		else
			echo "FAIL: $label: module suite not run: the module did not build" | record
		fi
		if [ $have_ours -eq 1 ]; then
			guest $ours census $label "${opts[@]}"
			guest $ours stress $label "${opts[@]}" --single-thread
			guest $ours fuzzfs $label "${opts[@]}"
		fi
		if [ $have_ours -eq 1 ] && [ $have_bpf -eq 1 ]; then
			guest $ours bpf $label "${opts[@]}"
		else
			echo "FAIL: $label: bpf suite not run: the module or anonlazy-bpf did not build" | record
		fi
	done
	if [ $debug -eq 1 ]; then
		say "mm selftests on debug, vm.anon_vma_lazy 0 and 1"
		scripts/mm-selftests.sh --variant debug > "$res/mm-selftests.log" 2>&1
		mrc=$?
		grep -E '^(PASS|FAIL|SKIP): ' "$res/mm-selftests.log" | record
		if [ $mrc -ne 0 ] && ! grep -q '^FAIL: ' "$res/mm-selftests.log"; then
			echo "FAIL: $ours: mm selftests exited $mrc without a FAIL line (see $res/mm-selftests.log)" | record
		fi
		sed -n '/^flaky (passed only on a retry)/,/^[0-9]* passed/p' "$res/mm-selftests.log" | grep -v ' passed, '
	fi
else
	echo "FAIL: $ours: guest suites not run: the kernel did not build" | record
fi

summary
