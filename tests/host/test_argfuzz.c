// SPDX-License-Identifier: GPL-2.0
/*
 * anonlazy-top and anonlazy-bpf abused as whole programs (bad arguments,
 * broken recorded trees, FIFOs, devices, unreadable files, a socket that
 * answers garbage): tests/host/test_argfuzz.sh runs every case (its
 * PASS/FAIL lines pass through, so make check counts them); this binary
 * makes it one of the host tests and fails when the script does.
 */
#define _GNU_SOURCE

#include "check.h"

int main(void)
{
	test_init();
	check_script("argfuzz: test_argfuzz.sh", "bash tests/host/test_argfuzz.sh");
	return test_exit();
}
