// SPDX-License-Identifier: GPL-2.0
/*
 * Faults racing with the upgrade of their lazy root. Two threads fault the
 * first page of fresh 2 MiB regions of a lazy VMA, so that nearly every
 * fault installs a page table of its own, while the main thread splits
 * the VMA with mprotect(): __split_vma() upgrades it in anon_vma_clone()
 * before it write-locks the VMA, so per-VMA-lock faults still run in it.
 * Every folio faulted meanwhile must end up with the new anon_vma as its
 * mapping, none with the lazy root's.
 *
 * Then a child forked from the split VMAs checks the data, the parent
 * unmaps its own copy, and the child pages its copy out and reads it back.
 * Paging out walks each folio's rmap: through the anon_vma the child is
 * chained to; a folio still naming the parent's dead VMA would make that
 * walk a use-after-free (KASAN reports it on the debug kernel; vm-run
 * checks every kernel's log).
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "integ.h"

#define REGIONS 64		/* 2 MiB each: one page table per region */
#define ROUNDS 40

struct faulter {
	pthread_barrier_t *start;
	char *base;
	size_t region_pages;
	int first, step;	/* regions first, first + step, ... */
	unsigned int seed;
};

static void *fault_regions(void *arg)
{
	struct faulter *f = arg;

	pthread_barrier_wait(f->start);
	for (int r = f->first; r < REGIONS; r += f->step)
		fill(f->base + r * f->region_pages * al_page, 1, f->seed + r);
	return NULL;
}

/* Pages of the regions' first pages that lost their data. */
static size_t bad_regions(char *base, size_t region_pages, unsigned int seed)
{
	size_t bad = 0;

	for (int r = 1; r < REGIONS; r++)
		bad += bad_pages(base + r * region_pages * al_page, 1, seed + r);
	return bad;
}

/* One round; returns the number of problems (0: all data where it belongs). */
static int round_of(unsigned int seed, bool swap, bool states)
{
	size_t region_pages = (2u << 20) / al_page;
	size_t npages = REGIONS * region_pages;
	struct faulter f[2];
	pthread_barrier_t start;
	pthread_attr_t attr;
	cpu_set_t all;
	pthread_t t[2];
	int status, pipefd[2], problems = 0;
	char *p = al_map_isolated(npages);
	pid_t pid;

	fill(p, 1, seed);	/* region 0: makes the VMA a lazy root */
	CPU_ZERO(&all);
	for (int c = 0; c < CPU_SETSIZE; c++)
		CPU_SET(c, &all);
	if (pthread_barrier_init(&start, NULL, 3) || pthread_attr_init(&attr) ||
	    pthread_attr_setaffinity_np(&attr, sizeof(all), &all))
		al_die("pthread set-up");
	for (int i = 0; i < 2; i++) {
		f[i] = (struct faulter){ &start, p, region_pages, 1 + i, 2, seed };
		if (pthread_create(&t[i], &attr, fault_regions, &f[i]))
			al_die("pthread_create");
	}
	pthread_barrier_wait(&start);
	/* The upgrade: split off the VMA's last page. */
	if (mprotect(p + (npages - 1) * al_page, al_page, PROT_READ))
		al_die("mprotect");
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	pthread_attr_destroy(&attr);
	pthread_barrier_destroy(&start);

	if (states) {
		expect_state(0, p, "regular", "upgrade: the VMA after the split");
		expect_state(0, p + (npages - 1) * al_page, "regular",
			     "upgrade: the page split off");
	}
	problems += bad_regions(p, region_pages, seed) != 0;
	problems += bad_pages(p, 1, seed) != 0;
	if (pipe(pipefd))
		al_die("pipe");
	pid = fork();
	if (pid < 0)
		al_die("fork");
	if (pid == 0) {
		char c;
		int bad = bad_regions(p, region_pages, seed) != 0;

		/* Wait until the parent has unmapped its copy. */
		close(pipefd[1]);
		if (read(pipefd[0], &c, 1) != 1)
			_exit(4);
		if (swap && madvise(p, npages * al_page, MADV_PAGEOUT))
			_exit(8);
		bad |= (bad_regions(p, region_pages, seed) != 0) << 1;
		_exit(bad);
	}
	close(pipefd[0]);
	munmap(p, npages * al_page);
	if (write(pipefd[1], "x", 1) != 1)
		al_die("pipe write");
	close(pipefd[1]);
	if (waitpid(pid, &status, 0) != pid)
		al_die("waitpid");
	problems += !WIFEXITED(status) || WEXITSTATUS(status) != 0;
	return problems;
}

int t_upgrade(void)
{
	bool swap = al_have_swap();
	int bad = 0;

	if (!swap)
		skip("upgrade: no swap device is on: the child's copy is not paged out");
	for (int r = 0; r < ROUNDS; r++)
		bad += round_of(200 + r * REGIONS, swap, r == 0) != 0;
	ok(bad == 0, "upgrade: faults installing page tables during a split's upgrade, %d rounds, then fork, parent unmap%s: %d rounds lost data",
	   ROUNDS, swap ? ", child pageout" : "", bad);
	return 0;
}
