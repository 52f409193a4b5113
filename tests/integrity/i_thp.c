// SPDX-License-Identifier: GPL-2.0
/*
 * THP: a PMD-mapped anonymous THP through fork + COW, a PMD split
 * (mprotect of one page), a folio split (debugfs split_huge_pages), and a
 * collapse back (MADV_COLLAPSE, or khugepaged where MADV_COLLAPSE is
 * refused).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "integ.h"

#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE 25
#endif

#define THP (2UL << 20)
#define THP_SYS "/sys/kernel/mm/transparent_hugepage/enabled"
#define KHP "/sys/kernel/mm/transparent_hugepage/khugepaged/"

/* AnonHugePages of the VMA that contains p, in kB; -1 if not found. */
static long anon_huge_kb(const void *p)
{
	char line[512];
	bool in = false;
	long kb = -1;
	FILE *f = fopen("/proc/self/smaps", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		unsigned long lo, hi;

		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2 && strchr(line, '-') < strchr(line, ' '))
			in = (uintptr_t)p >= lo && (uintptr_t)p < hi;
		else if (in && sscanf(line, "AnonHugePages: %ld kB", &kb) == 1)
			break;
	}
	fclose(f);
	return in ? kb : -1;
}

/* Let khugepaged scan quickly until p's VMA holds a THP (30 s at most). */
static long khugepaged_collapse(const void *p)
{
	long kb = anon_huge_kb(p);

	write_knob(KHP "scan_sleep_millisecs", "10");
	write_knob(KHP "alloc_sleep_millisecs", "10");
	write_knob(KHP "pages_to_scan", "4096");
	for (int i = 0; i < 600 && kb != 2048; i++) {
		struct timespec ts = { 0, 50 * 1000 * 1000 };

		nanosleep(&ts, NULL);
		kb = anon_huge_kb(p);
	}
	return kb;
}

int t_thp(void)
{
	size_t n = THP / al_page;
	char cmd[128], old[64] = "";
	int status, rc, err;
	long kb;
	char *raw, *p;
	FILE *f;
	pid_t pid;

	f = fopen(THP_SYS, "r");
	if (!f) {
		skip("thp: the kernel has no transparent hugepages");
		return 0;
	}
	if (!fgets(old, sizeof(old), f))
		old[0] = '\0';
	fclose(f);
	write_knob(THP_SYS, "madvise");

	raw = mmap(NULL, 2 * THP, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (raw == MAP_FAILED)
		al_die("mmap");
	p = (char *)(((uintptr_t)raw + THP - 1) & ~(THP - 1));
	if (madvise(p, THP, MADV_HUGEPAGE))
		al_die("madvise(MADV_HUGEPAGE)");
	fill(p, n, 15);
	ok(anon_huge_kb(p) == 2048, "thp: the first fault maps a 2 MB THP");
	ok(bad_pages(p, n, 15) == 0, "thp: data intact in the THP");
	expect_state(0, p, "lazy", "thp: the THP's VMA");

	pid = fork();
	if (pid == 0) {
		int bad = bad_pages(p, n, 15) != 0;

		fill(p, 1, 16);
		_exit(bad | (bad_pages(p, 1, 16) ? 2 : 0));
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		al_die("waitpid");
	ok(WEXITSTATUS(status) == 0, "thp: a child reads the THP and COWs a page of it");
	ok(bad_pages(p, n, 15) == 0, "thp: the parent's THP is untouched by the child");

	ok(mprotect(p + al_page, al_page, PROT_READ) == 0 && bad_pages(p, n, 15) == 0,
	   "thp: a PMD split by mprotect keeps the data");
	mprotect(p + al_page, al_page, PROT_READ | PROT_WRITE);

	snprintf(cmd, sizeof(cmd), "%d,0x%lx,0x%lx", getpid(), (unsigned long)p,
		 (unsigned long)p + THP);
	if (write_knob("/sys/kernel/debug/split_huge_pages", cmd))
		ok(anon_huge_kb(p) == 0 && bad_pages(p, n, 15) == 0,
		   "thp: split_huge_page splits the folio and keeps the data");
	else
		skip("thp: folio split: no /sys/kernel/debug/split_huge_pages");

	/*
	 * Rewrite every page first: since the fork the PTEs are read-only,
	 * and collapse wants at least one writable one. Then MADV_COLLAPSE,
	 * or khugepaged where the kernel refuses it.
	 */
	fill(p, n, 20);
	rc = madvise(p, THP, MADV_COLLAPSE);
	err = rc ? errno : 0;
	kb = anon_huge_kb(p);
	if (rc == 0 || err != EINVAL)
		ok(rc == 0 && kb == 2048,
		   "thp: MADV_COLLAPSE collapses the range back into a THP (errno %d, %ld kB)",
		   err, kb);
	else
		ok(khugepaged_collapse(p) == 2048,
		   "thp: khugepaged collapses the range back into a THP");
	ok(bad_pages(p, n, 20) == 0, "thp: data intact after the collapse");
	munmap(raw, 2 * THP);
	if (old[0]) {
		char *open = strchr(old, '['), *close = open ? strchr(open, ']') : NULL;

		if (open && close) {
			*close = '\0';
			write_knob(THP_SYS, open + 1);
		}
	}
	return 0;
}
