// SPDX-License-Identifier: GPL-2.0
/*
 * VMA surgery on faulted anonymous memory: split by mprotect and munmap,
 * then fork across the pieces; mremap move, grow and shrink.
 */
#define _GNU_SOURCE
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "integ.h"

static char *hole(size_t npages)
{
	char *h = mmap(NULL, npages * al_page, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (h == MAP_FAILED || munmap(h, npages * al_page))
		al_die("reserve");
	return h;
}

int t_vma(void)
{
	char *p = al_map_isolated(16), *q, *r;
	size_t pg = al_page;
	int status;
	pid_t pid;

	fill(p, 16, 5);
	expect_state(0, p, "lazy", "split: the faulted VMA before the split");
	ok(mprotect(p + 4 * pg, 4 * pg, PROT_READ) == 0 && bad_pages(p, 16, 5) == 0,
	   "split: mprotect of the middle keeps the data");
	/* The split shares the folios between pieces: upgraded first. */
	expect_state(0, p, "regular", "split: the head after mprotect of the middle");
	expect_state(0, p + 4 * pg, "regular", "split: the middle after mprotect");
	ok(mprotect(p + 4 * pg, 4 * pg, PROT_READ | PROT_WRITE) == 0,
	   "split: mprotect back (the pieces may merge)");
	fill(p + 4 * pg, 4, 6);
	ok(bad_pages(p, 4, 5) == 0 && bad_pages(p + 4 * pg, 4, 6) == 0,
	   "split: writes after the merge land in the right place");
	ok(munmap(p + 8 * pg, 2 * pg) == 0, "split: munmap of two middle pages");
	ok(bad_pages(p, 4, 5) == 0 && bad_pages(p + 4 * pg, 4, 6) == 0,
	   "split: data before the hole intact");

	pid = fork();
	if (pid == 0) {
		int bad = bad_pages(p, 4, 5) || bad_pages(p + 4 * pg, 4, 6);

		fill(p + 10 * pg, 6, 8);
		_exit(bad || bad_pages(p + 10 * pg, 6, 8));
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		al_die("waitpid");
	ok(WEXITSTATUS(status) == 0, "split: a child sees both pieces and COWs one");
	fill(p + 10 * pg, 6, 7);
	ok(bad_pages(p + 10 * pg, 6, 7) == 0, "split: the parent writes the piece after the hole");

	q = al_map_isolated(8);
	fill(q, 8, 9);
	expect_state(0, q, "lazy", "mremap: the faulted VMA before the move");
	r = mremap(q, 8 * pg, 8 * pg, MREMAP_MAYMOVE | MREMAP_FIXED, hole(12) + 2 * pg);
	ok(r != MAP_FAILED && bad_pages(r, 8, 9) == 0, "mremap: move keeps the data");
	/* copy_vma() upgrades before the new VMA maps the folios. */
	if (r != MAP_FAILED)
		expect_state(0, r, "regular", "mremap: the moved VMA");
	if (r == MAP_FAILED)
		return 0;
	q = mremap(r, 8 * pg, 64 * pg, MREMAP_MAYMOVE);
	ok(q != MAP_FAILED && bad_pages(q, 8, 9) == 0, "mremap: grow keeps the old pages");
	if (q == MAP_FAILED)
		return 0;
	fill(q + 8 * pg, 56, 10);
	ok(bad_pages(q, 8, 9) == 0 && bad_pages(q + 8 * pg, 56, 10) == 0,
	   "mremap: the grown part takes new data");
	r = mremap(q + 4 * pg, 8 * pg, 8 * pg, MREMAP_MAYMOVE | MREMAP_FIXED,
		   hole(12) + 2 * pg);
	ok(r != MAP_FAILED && bad_pages(r + 4 * pg, 4, 10) == 0 &&
	   bad_pages(q, 4, 9) == 0, "mremap: moving the middle of a VMA splits it cleanly");
	q = mremap(q + 12 * pg, 52 * pg, 4 * pg, 0);
	ok(q != MAP_FAILED, "mremap: shrink in place");
	return 0;
}
