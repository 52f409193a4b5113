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
#include <stdlib.h>
#include <sys/wait.h>

#include "check.h"

int main(void)
{
	int st;

	test_init();
	fflush(stdout);
	st = system("bash tests/host/test_fuzz.sh");
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "fuzz: test_fuzz.sh passed");
	return test_exit();
}
