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
declare -A RUNS=([tree]=10000 [sect]=10000 [bpf_env]=15000 [ksyms]=15000)
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

names=()
for f in tests/fuzz/fuzz_*.c; do
	f=${f#tests/fuzz/fuzz_}
	names+=("${f%.c}")
done
if [ ${#names[@]} -ge 12 ]; then
	pass "${#names[@]} harnesses (12 or more): ${names[*]}"
else
	fail "12 or more harnesses" "${names[*]}"
fi
# run NAME RUNS: one reproducible run. The first corpus directory gets
# the new inputs (never the seeds'); the address space is not randomised
# (setarch -R: libFuzzer keys its table of compares by address) and the
# corpus not reloaded while it runs: the same seed, the same inputs.
run() {
	rm -rf "$out/work/$1"
	mkdir -p "$out/work/$1"
	timeout 300 setarch -R "$out/fuzz_$1" -runs="$2" -seed="$seed" -max_len=4096 \
		-timeout=10 -reload=0 -rss_limit_mb=2048 -artifact_prefix="$out/crash/$1-" \
		"$out/work/$1" "tests/fuzz/corpus/$1"
}

start=$SECONDS
for n in "${names[@]}"; do
	corpus=tests/fuzz/corpus/$n
	if [ -z "$(ls -A "$corpus" 2>/dev/null)" ]; then
		fail "$n" "no seed corpus in $corpus"
		continue
	fi
	runs=${FUZZ_RUNS:-${RUNS[$n]:-$default_runs}}
	rm -f "$out/crash/$n"-*
	mkdir -p "$out/crash"
	log=$out/$n.log
	t0=$SECONDS
	run "$n" "$runs" > "$log" 2>&1
	rc=$?
	seeds=("$corpus"/*)
	what="$runs runs, seed $seed, ${#seeds[@]} seeds, $((SECONDS - t0)) s"
	report=$(grep -m1 -E '^==[0-9]+==ERROR|runtime error:|^fuzz: .*:[0-9]+:|deadly signal|ERROR: libFuzzer' "$log")
	if [ $rc -ne 0 ] || [ -n "$report" ]; then
		fail "$n" "exit $rc: ${report:-see $log} (input: $(find "$out/crash" -name "$n-*" | head -n1); log: $log)"
	elif ! grep -q "^Done $runs runs" "$log"; then
		fail "$n" "did not finish $runs runs (log: $log)"
	else
		pass "$n: $what: no crash, no sanitizer report"
	fi
done
# The promise of a fixed seed, on the quickest harness: two runs end
# with the same coverage, features and corpus.
done1=$(grep -m1 -E '^#[0-9]+.DONE ' "$out/bpf_sock.log" | sed 's/ exec\/s:.*//; s/\t/ /g')
done2=$(run bpf_sock "${FUZZ_RUNS:-$default_runs}" 2>&1 | grep -m1 -E '^#[0-9]+.DONE ' | sed 's/ exec\/s:.*//; s/\t/ /g')
if [ -n "$done1" ] && [ "$done1" = "$done2" ]; then
	pass "bpf_sock run twice, seed $seed: the same end ($done1)"
else
	fail "bpf_sock run twice, seed $seed" "'$done1' then '$done2'"
fi
echo "# fuzz: ${#names[@]} harnesses in $((SECONDS - start)) s"
exit $failed
