// SPDX-License-Identifier: GPL-2.0
/*
 * anonlazy-top on a terminal: tests/host/test_top_tty.sh runs it in a
 * tmux pane and reads the screen (its PASS/FAIL lines pass through, so
 * make check counts them); this binary makes it one of the host tests
 * and fails when the script does (tmux missing is a FAIL: make setup
 * installs it).
 */
#define _GNU_SOURCE

#include "check.h"

int main(void)
{
	test_init();
	check_script("top tty: test_top_tty.sh", "bash tests/host/test_top_tty.sh out/bin/anonlazy-top");
	return test_exit();
}
