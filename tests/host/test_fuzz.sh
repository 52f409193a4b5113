#!/bin/bash
# The libFuzzer harnesses of tests/fuzz/ (one per parser of input: the
# readers of anonlazy-top's files and anonlazy-bpf's answer, both
# command lines, anonlazy-bpf's socket requests, kallsyms, lockdown and
# --btf): built by make fuzz-bins (clang-14, ASan + UBSan), each run
# from its corpus tests/fuzz/corpus/NAME/ a fixed number of times from a
# fixed seed, so a run is reproducible: the same inputs, in the same
# order, on the same build. A harness that crashes, trips a sanitizer or
# one of its own checks (one printable line per error, ...) is a FAIL
# with the input that did it (out/fuzz/crash/NAME-*).
#
# Prints PASS/FAIL lines; run by tests/host/test_fuzz.c (make check) and
# by make fuzz. Run from the repository's root. FUZZ_RUNS=N changes the
# runs of every harness (default: RUNS below), FUZZ_SEED the seed (1).
set -uo pipefail
out=out/fuzz
failed=0
pass() { echo "PASS: host: fuzz: $1"; }
fail() { echo "FAIL: host: fuzz: $1: $2"; failed=1; }

# The harnesses that draw what they read, and those that go through a
# file per input, are slower: fewer runs keep the whole under a minute
# on 2 cores.
declare -A RUNS=([tree]=20000 [sect]=20000 [bpf_env]=25000 [ksyms]=25000)
default_runs=50000
seed=${FUZZ_SEED:-1}

if ! command -v clang-14 > /dev/null; then
	fail "clang-14" "not installed (make setup installs clang and libclang-rt-14-dev)"
	exit 1
fi
if ! make -s fuzz-bins > "$out.build.log" 2>&1; then
	mkdir -p "$(dirname "$out")"
	fail "make fuzz-bins" "$(grep -m1 -E 'error|cannot find' "$out.build.log" || tail -n1 "$out.build.log")"
	exit 1
fi
pass "make fuzz-bins: the harnesses built (clang-14, -fsanitize=fuzzer,address,undefined)"

names=$(ls tests/fuzz/fuzz_*.c | sed 's|tests/fuzz/fuzz_\(.*\)\.c|\1|')
[ "$(echo "$names" | wc -l)" -ge 12 ] && pass "12 or more harnesses: $(echo $names)" ||
	fail "12 or more harnesses" "$(echo $names)"
start=$SECONDS
for n in $names; do
	corpus=tests/fuzz/corpus/$n
	if [ -z "$(ls -A "$corpus" 2>/dev/null)" ]; then
		fail "$n" "no seed corpus in $corpus"
		continue
	fi
	runs=${FUZZ_RUNS:-${RUNS[$n]:-$default_runs}}
	rm -rf "$out/work/$n" "$out/crash/$n"-*
	mkdir -p "$out/work/$n" "$out/crash"
	log=$out/$n.log
	t0=$SECONDS
	# the first corpus directory gets the new inputs: never the seeds'
	timeout 300 "$out/fuzz_$n" -runs="$runs" -seed="$seed" -max_len=4096 -timeout=10 \
		-rss_limit_mb=2048 -artifact_prefix="$out/crash/$n-" \
		"$out/work/$n" "$corpus" > "$log" 2>&1
	rc=$?
	what="$runs runs, seed $seed, $(ls "$corpus" | wc -l) seeds, $((SECONDS - t0)) s"
	report=$(grep -m1 -E '^==[0-9]+==ERROR|runtime error:|^fuzz: .*:[0-9]+:|deadly signal|ERROR: libFuzzer' "$log")
	if [ $rc -ne 0 ] || [ -n "$report" ]; then
		fail "$n" "exit $rc: ${report:-see $log} (input: $(ls "$out/crash/$n"-* 2>/dev/null | head -n1); log: $log)"
	elif ! grep -q "^Done $runs runs" "$log"; then
		fail "$n" "did not finish $runs runs (log: $log)"
	else
		pass "$n: $what: no crash, no sanitizer report"
	fi
done
echo "# fuzz: $(echo $names | wc -w) harnesses in $((SECONDS - start)) s"
exit $failed
