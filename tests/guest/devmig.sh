#!/bin/bash
# Device migration (migrate_vma_*) of anonymous memory on our kernel,
# through lib/test_hmm.c (CONFIG_TEST_HMM=y: /dev/hmm_dmirror*) and the
# mm selftest hmm-tests: the device-private variants of its tests fault
# anonymous memory (lazy roots with vm.anon_vma_lazy=1), migrate it to
# device memory and back, fork it, make it device-exclusive, and check
# the data every time. Series 0001-0005 lost the data with the sysctl 1
# (a migration entry left behind: kernel BUG at exit, anonlazy issue 11).
#
# hmm-tests comes from scripts/build-selftests.sh: $AL_HMM_TESTS, or the
# one in the cache. Its device-coherent variants need memory the guest
# does not have and are not run; hmm_gup_test skips without
# CONFIG_GUP_TEST: exactly one skip.
. tests/guest/lib.sh
T=/tmp/devmig
mkdir -p $T
# the devices, the binary, then per variant: exit status, the totals
plan $((2 + 2 * 2))
# anon_write_hugetlbfs maps hugetlb pages (run_vmtests.sh reserves them)
echo 16 > /proc/sys/vm/nr_hugepages

hmm=${AL_HMM_TESTS:-$(ls /var/cache/anonlazy/selftests-mm/*/hmm-tests 2>/dev/null | head -n1)}
expect "test_hmm's devices" "$(ls /dev/hmm_dmirror0 /dev/hmm_dmirror1 2>/dev/null | wc -l)" 2
if [ -z "$hmm" ] || [ ! -x "$hmm" ]; then
	fail "hmm-tests" "not found (scripts/build-selftests.sh builds it; AL_HMM_TESTS='${AL_HMM_TESTS:-}')"
	exit 1
fi
pass "hmm-tests: $hmm"

# variant FIXTURE VARIANT SKIPS: run one variant of hmm-tests, check that
# it ran every test of its fixture (one a line of the fixture's block in
# hmm-tests -l), skipped SKIPS and failed none.
variant() {
	local f=$1 v=$2 skips=$3 n rc
	n=$("$hmm" -l 2>&1 | awk -v f="$f" '/^---/ { s = 0 } $1 == f { s = 1 } s { n++ } END { print n + 0 }')
	timeout -k 10 600 "$hmm" -v "$v" > $T/$v.log 2>&1 < /dev/null
	rc=$?
	expect "hmm-tests -v $v: exit status" "$rc" 0
	expect "hmm-tests -v $v: totals of its $n tests" \
		"$(sed -n 's/^# Totals: //p' $T/$v.log)" \
		"pass:$((n - skips)) fail:0 xfail:0 xpass:0 skip:$skips error:0"
	grep -E '^not ok|# SKIP' $T/$v.log | sed 's/^/info: /'
	[ $rc -eq 0 ] || tail -n 30 $T/$v.log
}
variant hmm hmm_device_private 1
variant hmm2 hmm2_device_private 0
exit $al_failed
