// SPDX-License-Identifier: GPL-2.0
/*
 * fault N: map N separate anonymous VMAs, then fault one page in each.
 * Expect N prepare calls: every VMA's first fault, none shared.
 */
#include <stdio.h>

#include "common.h"
#include "scenarios.h"

#define MAX_VMAS 4096

int w_fault(int argc, char **argv)
{
	static char *vma[MAX_VMAS];
	struct al_stats a, b;
	unsigned long n;

	if (argc != 2)
		al_die("usage: fault N");
	n = al_count_arg(argv[1], MAX_VMAS);
	for (unsigned long i = 0; i < n; i++)
		vma[i] = al_map_isolated(1);

	al_snap(&a);
	for (unsigned long i = 0; i < n; i++)
		al_touch(vma[i], 1, (char)i);
	al_snap(&b);

	al_print_delta("fault", &a, &b);
	return 0;
}
