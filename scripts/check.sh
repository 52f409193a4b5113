#!/bin/bash
# make check: every test. Set-up and builds first (the test kernel too, if
# the cache does not hold it), then host tests, then the guest suites on
# both test kernels. Ends with "N passed, N failed, N skipped" and exits
# non-zero on any failure. Per-run logs: out/check/ and out/vm/.
#
# scripts/check.sh --debug (make check-debug): the same guest suites on the
# KASAN + lockdep variant of our kernel instead of the stock and default
# ones, plus the mm selftests with vm.anon_vma_lazy 0 and 1.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
debug=0
[ "${1:-}" = --debug ] && debug=1
ours=ours
[ $debug -eq 1 ] && ours=debug
res=out/check-$ours
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
step userspace make -s userspace out/tests/test_stats out/tests/test_census
step kernel-$ours scripts/build-kernel.sh --variant "$([ $debug -eq 1 ] && echo debug || echo default)" &&
	have_kernel=1 || have_kernel=0
have_stock=0
[ $debug -eq 0 ] && { step module-stock scripts/build-module.sh stock && have_stock=1; }
step module-$ours scripts/build-module.sh $ours && have_ours=1 || have_ours=0

say "host tests"
for t in out/tests/test_*; do
	[ -x "$t" ] || continue
	"$t" 2>&1 | record
done
scripts/checkpatch.sh | record
for s in scripts/*.sh scripts/guest/* scripts/perf/anonlazy-record scripts/perf/anonlazy-report tests/guest/*.sh; do
	if bash -n "$s" 2> "$res/syntax.err"; then
		echo "PASS: host: shell syntax $s"
	else
		echo "FAIL: host: shell syntax $s: $(head -n1 "$res/syntax.err")"
	fi
done | record

# guest KERNEL SUITE LABEL [vm-run options]: one guest suite in one boot.
guest() {
	local kernel=$1 suite=$2 label=$3
	local name=$label-$suite
	shift 3
	say "guest suite $suite on $label"
	scripts/vm-run.sh --kernel "$kernel" --name "$name" "$@" -- \
		env AL_KERNEL="$label" bash "tests/guest/$suite.sh" > "$res/vm-$name.log" 2>&1
	local vrc=$?
	local log=out/vm/$name/guest.log
	[ -f "$log" ] && grep -E '^(PASS|FAIL|SKIP): ' "$log" | record
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

if [ $debug -eq 0 ]; then
	if [ $have_stock -eq 1 ]; then
		guest stock module stock
	else
		echo "FAIL: stock: module suite not run: the module did not build" | record
	fi
	guest stock integrity stock
	[ $have_stock -eq 1 ] && guest stock acct stock
	[ $have_stock -eq 1 ] && guest stock trace stock
	[ $have_stock -eq 1 ] && guest stock perf stock
	if [ $have_stock -eq 1 ]; then
		guest stock census stock
		guest stock stress stock --single-thread
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
		if [ $have_ours -eq 1 ]; then
			guest $ours module $label "${opts[@]}"
			guest $ours acct $label "${opts[@]}"
			guest $ours trace $label "${opts[@]}"
			guest $ours perf $label "${opts[@]}"
		else
			echo "FAIL: $label: module suite not run: the module did not build" | record
		fi
		if [ $have_ours -eq 1 ]; then
			guest $ours census $label "${opts[@]}"
			guest $ours stress $label "${opts[@]}" --single-thread
		fi
	done
	if [ $debug -eq 1 ]; then
		say "mm selftests on debug, vm.anon_vma_lazy 0 and 1"
		scripts/mm-selftests.sh --variant debug 2>&1 | grep -E '^(PASS|FAIL|SKIP): ' | record
	fi
else
	echo "FAIL: $ours: guest suites not run: the kernel did not build" | record
fi

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
