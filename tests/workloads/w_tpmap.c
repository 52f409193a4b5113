// SPDX-License-Identifier: GPL-2.0
/*
 * tpmap N: one upgrade of each cause the anon_vma tracepoints name, on
 * VMAs whose addresses it prints, so a trace of the run can be matched
 * event by event:
 *
 *   tpmap.split <hex>    3 pages, faulted, then its middle page
 *                        mprotected: one upgrade by anon_vma_clone()
 *                        (cause clone) of 3 folios
 *   tpmap.mremap <hex>   2 pages, faulted, then moved: one upgrade by
 *                        copy_vma() (cause mremap) of 2 folios
 *   tpmap.fork <hex>     N one-page VMAs, faulted, then one fork: one
 *                        upgrade each by anon_vma_fork() (cause fork) of 1
 *                        folio
 *   tpmap.keep <hex>     N one-page VMAs, faulted and never shared: lazy
 *                        roots until the process exits (anon_vma_lazy_end)
 *
 * in the trace events' format (start address, hex, no 0x). Every VMA is
 * isolated (al_map_isolated()), so no other VMA shares an anon_vma with it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "common.h"
#include "scenarios.h"

#define MAX_VMAS 1024

int w_tpmap(int argc, char **argv)
{
	static char *fork_vma[MAX_VMAS], *keep_vma[MAX_VMAS];
	char *split, *move, *hole, *moved;
	unsigned long n;

	if (argc != 2)
		al_die("usage: tpmap N");
	n = al_count_arg(argv[1], MAX_VMAS);

	split = al_map_isolated(3);
	al_touch(split, 3, 1);
	if (mprotect(split + al_page, al_page, PROT_READ))
		al_die("mprotect: %s", strerror(errno));
	printf("tpmap.split %lx\n", (unsigned long)split);

	move = al_map_isolated(2);
	al_touch(move, 2, 2);
	/* Find 6 free pages, give them back, aim at their middle. */
	hole = mmap(NULL, 6 * al_page, PROT_NONE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (hole == MAP_FAILED || munmap(hole, 6 * al_page))
		al_die("reserve: %s", strerror(errno));
	moved = mremap(move, 2 * al_page, 2 * al_page,
		       MREMAP_MAYMOVE | MREMAP_FIXED, hole + 2 * al_page);
	if (moved == MAP_FAILED)
		al_die("mremap: %s", strerror(errno));
	printf("tpmap.mremap %lx\n", (unsigned long)move);

	for (unsigned long i = 0; i < n; i++) {
		fork_vma[i] = al_map_isolated(1);
		al_touch(fork_vma[i], 1, (char)i);
		printf("tpmap.fork %lx\n", (unsigned long)fork_vma[i]);
	}
	al_fork_reap();

	/* After the fork: lazy roots no second mm ever saw. */
	for (unsigned long i = 0; i < n; i++) {
		keep_vma[i] = al_map_isolated(1);
		al_touch(keep_vma[i], 1, (char)i);
		printf("tpmap.keep %lx\n", (unsigned long)keep_vma[i]);
	}
	printf("tpmap.intact %d\n", al_verify(split, 3, 1) == 0 &&
	       al_verify(moved, 2, 2) == 0);
	return 0;
}
