// SPDX-License-Identifier: GPL-2.0
/*
 * The libFuzzer harnesses of tests/fuzz/: tests/host/test_fuzz.sh builds
 * them (make fuzz-bins) and runs each a fixed number of times from a
 * fixed seed (its PASS/FAIL lines pass through, so make check counts
 * them); this binary makes it one of the host tests and fails when the
 * script does (clang-14 or libclang-rt-14-dev missing is a FAIL: make
 * setup installs them).
 */
#define _GNU_SOURCE

#include "check.h"

int main(void)
{
	test_init();
	check_script("fuzz: test_fuzz.sh", "bash tests/host/test_fuzz.sh");
	return test_exit();
}
