// SPDX-License-Identifier: GPL-2.0
/*
 * faultmap N: like fault N (N fresh separate VMAs, one first fault each),
 * and print each VMA's start as "faultmap.vma <hex>", in the trace
 * events' format, so a trace of the run can be matched VMA by VMA.
 */
#include <stdio.h>

#include "common.h"
#include "scenarios.h"

#define MAX_VMAS 4096

int w_faultmap(int argc, char **argv)
{
	static char *vma[MAX_VMAS];
	struct al_stats a, b;
	unsigned long n;

	if (argc != 2)
		al_die("usage: faultmap N");
	n = al_count_arg(argv[1], MAX_VMAS);
	for (unsigned long i = 0; i < n; i++)
		vma[i] = al_map_isolated(1);

	al_snap(&a);
	for (unsigned long i = 0; i < n; i++)
		al_touch(vma[i], 1, (char)i);
	al_snap(&b);

	al_print_delta("faultmap", &a, &b);
	for (unsigned long i = 0; i < n; i++)
		printf("faultmap.vma %lx\n", (unsigned long)vma[i]);
	return 0;
}
