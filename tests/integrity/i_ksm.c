// SPDX-License-Identifier: GPL-2.0
/*
 * KSM: identical anonymous pages merge into one KSM page, stay readable,
 * break on write (COW), survive a fork, and unmerge.
 */
#define _GNU_SOURCE
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "integ.h"

#define N 32
#define KSM "/sys/kernel/mm/ksm/"

/* Wait for ksmd to finish two more full scans; false on timeout. */
static bool ksm_settle(void)
{
	long start = read_num(KSM "full_scans");

	for (int i = 0; i < 600; i++) {
		struct timespec ts = { 0, 50 * 1000 * 1000 };

		if (read_num(KSM "full_scans") >= start + 2)
			return true;
		nanosleep(&ts, NULL);
	}
	return false;
}

static size_t same_pages(const char *p, size_t npages, char c)
{
	size_t n = 0;

	for (size_t i = 0; i < npages; i++) {
		const char *pg = p + i * al_page;

		n += pg[0] == c && !memcmp(pg, pg + 1, al_page - 1);
	}
	return n;
}

int t_ksm(void)
{
	long shared0, sharing0;
	int status;
	char *p;
	pid_t pid;

	if (read_num(KSM "run") < 0) {
		skip("ksm: the kernel has no KSM");
		return 0;
	}
	write_knob(KSM "sleep_millisecs", "10");
	write_knob(KSM "pages_to_scan", "1000");
	if (!write_knob(KSM "run", "1"))
		al_die("cannot start ksmd");
	shared0 = read_num(KSM "pages_shared");
	sharing0 = read_num(KSM "pages_sharing");

	p = al_map_isolated(N);
	memset(p, 0x77, N * al_page);
	ok(madvise(p, N * al_page, MADV_MERGEABLE) == 0 && ksm_settle(),
	   "ksm: ksmd scans the area");
	ok(read_num(KSM "pages_shared") - shared0 == 1 &&
	   read_num(KSM "pages_sharing") - sharing0 == N - 1,
	   "ksm: %d identical pages merge into 1 KSM page", N);
	ok(same_pages(p, N, 0x77) == N, "ksm: merged pages read back intact");
	/* KSM records the VMA's anon_vma for its stable tree: an upgrade. */
	expect_state(0, p, "regular", "ksm: after the merge");

	pid = fork();
	if (pid == 0) {
		int bad = same_pages(p, N, 0x77) != N;

		memset(p, 0x11, al_page);
		_exit(bad | (same_pages(p, 1, 0x11) != 1 ? 2 : 0));
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		al_die("waitpid");
	ok(WEXITSTATUS(status) == 0, "ksm: a child reads the KSM pages and COWs one");
	memset(p + al_page, 0x22, al_page);
	ok(same_pages(p, 1, 0x77) == 1 && same_pages(p + al_page, 1, 0x22) == 1 &&
	   same_pages(p + 2 * al_page, N - 2, 0x77) == N - 2,
	   "ksm: a write breaks COW for one page only");
	ok(madvise(p, N * al_page, MADV_UNMERGEABLE) == 0 &&
	   same_pages(p, 1, 0x77) == 1 && same_pages(p + 2 * al_page, N - 2, 0x77) == N - 2,
	   "ksm: unmerge keeps the data");
	fill(p, N, 14);
	ok(bad_pages(p, N, 14) == 0, "ksm: unmerged pages are writable again");
	munmap(p, N * al_page);
	write_knob(KSM "run", "2");
	return 0;
}
