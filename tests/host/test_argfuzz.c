// SPDX-License-Identifier: GPL-2.0
/*
 * anonlazy-top and anonlazy-bpf abused as whole programs (bad arguments,
 * broken recorded trees, FIFOs, devices, unreadable files, a socket that
 * answers garbage): tests/host/test_argfuzz.sh runs every case (its
 * PASS/FAIL lines pass through, so make check counts them); this binary
 * makes it one of the host tests and fails when the script does.
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
	st = system("bash tests/host/test_argfuzz.sh");
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "argfuzz: test_argfuzz.sh passed");
	return test_exit();
}
