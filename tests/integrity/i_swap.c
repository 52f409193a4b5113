// SPDX-License-Identifier: GPL-2.0
/*
 * Swap: page anonymous memory out with MADV_PAGEOUT and back in, alone and
 * shared with a child (swap entries copied by fork).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "integ.h"

#define N 128

int t_swap(void)
{
	char *p;
	int status;
	pid_t pid;

	if (!al_have_swap()) {
		skip("swap: no swap device is on");
		return 0;
	}
	al_pin_cpu0();
	p = al_map_isolated(N);
	fill(p, N, 11);
	ok(madvise(p, N * al_page, MADV_PAGEOUT) == 0 && al_count_swapped(p, N) == N,
	   "swap: MADV_PAGEOUT swaps all %d pages out", N);
	ok(bad_pages(p, N, 11) == 0, "swap: swap-in returns the data");
	expect_state(0, p, "lazy", "swap: out and in, no upgrade");

	ok(madvise(p, N * al_page, MADV_PAGEOUT) == 0 && al_count_swapped(p, N) == N,
	   "swap: paged out again before fork");
	pid = fork();
	if (pid == 0) {
		int bad = bad_pages(p, N, 11) != 0;

		fill(p, N / 2, 12);
		_exit(bad | (bad_pages(p, N / 2, 12) ? 2 : 0));
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		al_die("waitpid");
	ok(WEXITSTATUS(status) == 0, "swap: a child swaps in shared entries and COWs them");
	expect_state(0, p, "regular", "swap: the parent after a fork with swapped-out pages");
	ok(bad_pages(p, N, 11) == 0, "swap: the parent swaps in its own copy");
	ok(madvise(p, N * al_page, MADV_PAGEOUT) == 0 && bad_pages(p, N, 11) == 0,
	   "swap: out and in once more after the child is gone");
	munmap(p, N * al_page);
	return 0;
}
