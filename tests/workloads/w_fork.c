// SPDX-License-Identifier: GPL-2.0
/*
 * fork N: fork a child that exits at once (phase "base"); then fault N more
 * separate VMAs and fork again (phase "more"). The difference between the
 * phases is what N more anonymous VMAs cost a fork and its child's exit.
 *
 * A first fork ("warmup") upgrades whatever lazy roots the process had
 * (ANON_VMA_LAZY), and stdout's buffer exists before it, so that "base"
 * finds no lazy root left and "more" exactly the N new ones.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"
#include "scenarios.h"

#define MAX_VMAS 4096

static void fork_once(const char *phase)
{
	struct al_stats a, b;

	al_snap(&a);
	al_fork_reap();
	al_snap(&b);
	al_print_delta(phase, &a, &b);
}

int w_fork(int argc, char **argv)
{
	unsigned long n;

	if (argc != 2)
		al_die("usage: fork N");
	n = al_count_arg(argv[1], MAX_VMAS);

	printf("fork.n %lu\n", n);
	fork_once("warmup");
	fork_once("base");
	for (unsigned long i = 0; i < n; i++)
		al_touch(al_map_isolated(1), 1, (char)i);
	fork_once("more");
	return 0;
}
