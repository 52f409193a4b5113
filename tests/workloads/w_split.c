// SPDX-License-Identifier: GPL-2.0
/*
 * split: on faulted 4-page VMAs,
 *   mprotect_head: mprotect the first page read-only (one split);
 *   munmap_middle: unmap pages 1-2 (two splits, one VMA torn down).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "common.h"
#include "scenarios.h"

int w_split(int argc, char **argv)
{
	struct al_stats a, b;
	char *p, *q;
	int bad;

	(void)argv;
	if (argc != 1)
		al_die("usage: split");
	p = al_map_isolated(4);
	q = al_map_isolated(4);
	al_touch(p, 4, 1);
	al_touch(q, 4, 2);

	al_snap(&a);
	if (mprotect(p, al_page, PROT_READ))
		al_die("mprotect: %s", strerror(errno));
	al_snap(&b);
	al_print_delta("mprotect_head", &a, &b);

	al_snap(&a);
	if (munmap(q + al_page, 2 * al_page))
		al_die("munmap: %s", strerror(errno));
	al_snap(&b);
	al_print_delta("munmap_middle", &a, &b);

	bad = al_verify(p, 4, 1) != 0 || q[0] != 2 || q[3 * al_page] != 5;
	printf("split.intact %d\n", !bad);
	return 0;
}
