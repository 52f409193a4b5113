#!/bin/bash
# The mm selftests of linux-source-6.12 on our kernel, with
# vm.anon_vma_lazy 0 and then 1 (two boots, 4 vCPUs so that the migration
# tests run): every test must end the same way with the sysctl 1 as with
# it 0, and neither boot may leave a kernel report.
#
#   scripts/mm-selftests.sh [--variant default|debug]
#
# Prints PASS/FAIL lines and "N passed, N failed"; logs in
# out/vm/mmst-*/mm-selftests.log.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
kernel=ours
label=ours
# Per-test limit in the guest, and the boot's. Under KASAN + lockdep and
# TCG, split_huge_page_test alone took more than 600 s. KASAN's shadow
# takes an eighth of the RAM: with 2 GiB, mremap_test's 2 GB mappings fail
# the overcommit check (ENOMEM), so the debug guest gets 4 GiB.
test_tmo=600
vm_tmo=5400
mem=2
case ${1:-} in
--variant) [ "${2:-}" = debug ] && { kernel=debug; label=debug; test_tmo=2400; vm_tmo=14400; mem=4; } ;;
"") ;;
*) echo "usage: mm-selftests.sh [--variant default|debug]" >&2; exit 2 ;;
esac

st=$(scripts/build-selftests.sh) || { echo "FAIL: $label: mm selftests did not build"; echo "0 passed, 1 failed"; exit 1; }
res=$(mktemp)
for lazy in 0 1; do
	name=mmst-$label-lazy$lazy
	scripts/vm-run.sh --kernel "$kernel" --name "$name" --cpus 4 --mem-gb $mem --timeout $vm_tmo \
		--append "sysctl.vm.anon_vma_lazy=$lazy" -- \
		env AL_KERNEL="$label" AL_MMST_TIMEOUT=$test_tmo AL_MMST_ONLY="${AL_MMST_ONLY:-}" \
		bash tests/guest/mm-selftests.sh "$st" > "out/$name.vm.log" 2>&1
	if grep -q '^kernel_clean yes' "out/vm/$name/verdict" 2>/dev/null; then
		echo "PASS: $label: mm selftests, vm.anon_vma_lazy=$lazy: no kernel report" >> "$res"
	else
		echo "FAIL: $label: mm selftests, vm.anon_vma_lazy=$lazy: $(grep '^problem' "out/vm/$name/verdict" 2>/dev/null | head -n2 | tr '\n' ' ')" >> "$res"
	fi
done

a=out/vm/mmst-$label-lazy0/guest.log
b=out/vm/mmst-$label-lazy1/guest.log
# Every test the guest planned (MMST-PLAN) must have a result (MMST) in
# both boots, and must not have crashed there: a signal (rc > 128,
# including timeout's SIGKILL, 137) or the time limit (timeout's 124)
# fails it, even when both boots crashed alike. A test that passed (rc 0,
# or 4: kselftest's skip) only on a retry is reported as flaky, counted
# and listed at the end. The rest compares the two boots' results.
# result LOG TEST: the "rc=..." rest of TEST's result line, "" if none
result() { grep -F "MMST $2 rc=" "$1" | head -n1 | sed "s/^MMST .* \(rc=\)/\1/"; }
# attempts LOG TEST: "n/3", "" if none
attempts() {
	awk -v t="MMST-ATTEMPTS $2" '{ n = $NF; sub(/ [^ ]*$/, "") } $0 == t { print n; exit }' "$1"
}
# crashed RC: why the rc is a crash, or nothing
crashed() {
	if [ "$1" -eq 124 ]; then
		echo "timed out (${test_tmo} s)"
	elif [ "$1" -gt 128 ]; then
		echo "killed by signal $(($1 - 128)) ($(kill -l $(($1 - 128)) 2> /dev/null))"
	fi
}
flaky=()
planned=0
while read -r t; do
	planned=$((planned + 1))
	why=
	notes=
	for lazy in 0 1; do
		log=out/vm/mmst-$label-lazy$lazy/guest.log
		r=$(result "$log" "$t")
		if [ -z "$r" ]; then
			why="$why no result with vm.anon_vma_lazy=$lazy (the runner died or hung);"
			continue
		fi
		rc=${r#rc=}
		rc=${rc%% *}
		c=$(crashed "$rc")
		[ -n "$c" ] && why="$why $c with vm.anon_vma_lazy=$lazy;"
		n=$(attempts "$log" "$t")
		if { [ "$rc" = 0 ] || [ "$rc" = 4 ]; } && [ -n "$n" ] && [ "${n%/*}" != 1 ]; then
			notes="$notes, flaky: passed on retry $n with vm.anon_vma_lazy=$lazy"
			flaky+=("$t (vm.anon_vma_lazy=$lazy, attempt $n)")
		fi
	done
	r0=$(result "$a" "$t")
	r1=$(result "$b" "$t")
	if [ -n "$why" ]; then
		echo "FAIL: $label: selftest $t:$why"
	elif [ "$r0" = "$r1" ]; then
		echo "PASS: $label: selftest $t: same with vm.anon_vma_lazy 0 and 1 ($r0)${notes:+ (${notes#, })}"
	else
		echo "FAIL: $label: selftest $t: lazy 0: $r0; lazy 1: $r1${notes}"
	fi
done < <(sed -n 's/^MMST-PLAN //p' "$a" 2>/dev/null) >> "$res"
[ $planned -gt 0 ] || echo "FAIL: $label: mm selftests with vm.anon_vma_lazy=0 planned no test (no MMST-PLAN line)" >> "$res"
[ "$(grep -c '^MMST-PLAN ' "$b" 2>/dev/null)" = $planned ] ||
	echo "FAIL: $label: mm selftests with vm.anon_vma_lazy=1 planned $(grep -c '^MMST-PLAN ' "$b" 2>/dev/null) tests, lazy=0 $planned" >> "$res"

cat "$res"
pass=$(grep -c '^PASS: ' "$res")
fail=$(grep -c '^FAIL: ' "$res")
rm -f "$res"
echo
echo "flaky (passed only on a retry): ${#flaky[@]}"
for f in "${flaky[@]}"; do
	echo "  $f"
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
