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
while read -r line; do
	t=${line#MMST }
	t=${t%% rc=*}
	other=$(grep -F "MMST $t rc=" "$b" | head -n1)
	r0=${line#MMST "$t" }
	r1=${other#MMST "$t" }
	if [ -z "$other" ]; then
		echo "FAIL: $label: selftest $t: no result with vm.anon_vma_lazy=1"
	elif [ "$r0" = "$r1" ]; then
		echo "PASS: $label: selftest $t: same with vm.anon_vma_lazy 0 and 1 ($r0)"
	else
		echo "FAIL: $label: selftest $t: lazy 0: $r0; lazy 1: $r1"
	fi
done < <(grep '^MMST ' "$a" 2>/dev/null) >> "$res"
[ -s "$a" ] || echo "FAIL: $label: mm selftests with vm.anon_vma_lazy=0 produced no result" >> "$res"

cat "$res"
pass=$(grep -c '^PASS: ' "$res")
fail=$(grep -c '^FAIL: ' "$res")
rm -f "$res"
echo
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
