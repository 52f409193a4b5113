// SPDX-License-Identifier: GPL-2.0
/*
 * unmap N: fault N fresh separate VMAs (lazy roots with ANON_VMA_LAZY on,
 * else each with its own anon_vma), then munmap each whole VMA (phase
 * "unmap"): N teardowns, no split.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "common.h"
#include "scenarios.h"

#define MAX_VMAS 4096

int w_unmap(int argc, char **argv)
{
	static char *vma[MAX_VMAS];
	struct al_stats a, b;
	unsigned long n;

	if (argc != 2)
		al_die("usage: unmap N");
	n = al_count_arg(argv[1], MAX_VMAS);
	for (unsigned long i = 0; i < n; i++) {
		vma[i] = al_map_isolated(1);
		al_touch(vma[i], 1, (char)i);
	}

	al_snap(&a);
	for (unsigned long i = 0; i < n; i++)
		if (munmap(vma[i], al_page))
			al_die("munmap: %s", strerror(errno));
	al_snap(&b);

	al_print_delta("unmap", &a, &b);
	return 0;
}
