// SPDX-License-Identifier: GPL-2.0
/*
 * pageout N: MADV_PAGEOUT N faulted private anon pages (phase "pageout"),
 * then N pages of a shared memfd (phase "pageout_file"), with swap on.
 * Reclaim unmaps each 4 KiB folio with one rmap walk, so the walk counters
 * move by N; the pages are then read back (swap-in) and checked.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "common.h"
#include "scenarios.h"

#define MAX_PAGES 65536

static size_t count_resident(const char *p, size_t npages)
{
	unsigned char vec[MAX_PAGES];
	size_t n = 0;

	if (mincore((void *)p, npages * al_page, vec))
		al_die("mincore: %s", strerror(errno));
	for (size_t i = 0; i < npages; i++)
		n += vec[i] & 1;
	return n;
}

int w_pageout(int argc, char **argv)
{
	struct al_stats a, b;
	unsigned long n;
	char *p;
	int fd;

	if (argc != 2)
		al_die("usage: pageout N");
	n = al_count_arg(argv[1], MAX_PAGES);
	if (!al_have_swap())
		al_die("no swap device is on: pageout needs one");

	p = al_map_isolated(n);
	al_touch(p, n, 3);
	al_snap(&a);
	if (madvise(p, n * al_page, MADV_PAGEOUT))
		al_die("madvise(MADV_PAGEOUT): %s", strerror(errno));
	al_snap(&b);
	al_print_delta("pageout", &a, &b);
	printf("pageout.swapped %zu\n", al_count_swapped(p, n));
	printf("pageout.intact %d\n", al_verify(p, n, 3) == 0);

	fd = memfd_create("alwork", MFD_CLOEXEC);
	if (fd < 0 || ftruncate(fd, (off_t)(n * al_page)))
		al_die("memfd: %s", strerror(errno));
	p = mmap(NULL, n * al_page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		al_die("mmap memfd: %s", strerror(errno));
	al_touch(p, n, 9);
	al_snap(&a);
	if (madvise(p, n * al_page, MADV_PAGEOUT))
		al_die("madvise(MADV_PAGEOUT) on memfd: %s", strerror(errno));
	al_snap(&b);
	al_print_delta("pageout_file", &a, &b);
	printf("pageout_file.evicted %zu\n", n - count_resident(p, n));
	printf("pageout_file.intact %d\n", al_verify(p, n, 9) == 0);
	return 0;
}
