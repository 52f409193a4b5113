// SPDX-License-Identifier: GPL-2.0
/*
 * The bench's figures: tests/host/test_plots.sh runs scripts/plots.sh on
 * a copy of docs/ (its PASS/FAIL lines pass through, so make check counts
 * them); this binary makes it one of the host tests and fails when the
 * script does (gnuplot missing is a FAIL: make setup installs it).
 */
#define _GNU_SOURCE

#include "check.h"

int main(void)
{
	test_init();
	check_script("plots: test_plots.sh", "bash tests/host/test_plots.sh");
	return test_exit();
}
