// SPDX-License-Identifier: GPL-2.0
/*
 * mremap: move a faulted 4-page VMA to a free spot with gaps on both sides
 * (one copy of the VMA, one teardown of the old one).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "common.h"
#include "scenarios.h"

int w_mremap(int argc, char **argv)
{
	struct al_stats a, b;
	char *p, *hole, *q;

	(void)argv;
	if (argc != 1)
		al_die("usage: mremap");
	p = al_map_isolated(4);
	al_touch(p, 4, 7);
	/* Find 8 free pages, give them back, aim at their middle. */
	hole = mmap(NULL, 8 * al_page, PROT_NONE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (hole == MAP_FAILED || munmap(hole, 8 * al_page))
		al_die("reserve: %s", strerror(errno));

	al_snap(&a);
	q = mremap(p, 4 * al_page, 4 * al_page, MREMAP_MAYMOVE | MREMAP_FIXED,
		   hole + 2 * al_page);
	al_snap(&b);
	if (q == MAP_FAILED)
		al_die("mremap: %s", strerror(errno));
	al_print_delta("move", &a, &b);
	printf("move.intact %d\n", al_verify(q, 4, 7) == 0);
	return 0;
}
