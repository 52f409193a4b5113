// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include "common.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

size_t al_page;

void al_die(const char *fmt, ...)
{
	va_list ap;

	fputs("alwork: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

unsigned long al_count_arg(const char *s, unsigned long max)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || end == s || v == 0 || v > max)
		al_die("count '%s': want a number from 1 to %lu", s, max);
	return v;
}

void al_pin_cpu0(void)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(0, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		al_die("sched_setaffinity: %s", strerror(errno));
}

void al_snap(struct al_stats *s)
{
	const char *path = getenv("AL_STATS");
	char err[256];

	if (!path)
		path = ANONLAZY_DEBUGFS_PATH "/" ANONLAZY_STATS_FILE;
	if (al_stats_read(path, s, err, sizeof(err)))
		al_die("%s", err);
}

void al_print_delta(const char *phase, const struct al_stats *before,
		    const struct al_stats *after)
{
	for (int i = 0; i < ANONLAZY_NR_COUNTERS; i++) {
		/* a counter the module does not have: say so, no number */
		if (!before->present[i] || !after->present[i])
			printf("%s.%s absent\n", phase, anonlazy_counter_names[i]);
		else
			printf("%s.%s %lld\n", phase, anonlazy_counter_names[i],
			       (long long)(after->val[i] - before->val[i]));
	}
}

char *al_map_isolated(size_t npages)
{
	size_t len = (npages + 2) * al_page;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		al_die("mmap %zu pages: %s", npages + 2, strerror(errno));
	if (munmap(p, al_page) || munmap(p + (npages + 1) * al_page, al_page))
		al_die("munmap guard: %s", strerror(errno));
	p += al_page;
	if (madvise(p, npages * al_page, MADV_NOHUGEPAGE))
		al_die("madvise(MADV_NOHUGEPAGE): %s", strerror(errno));
	return p;
}

/* Fork a child that exits at once, and reap it; dies unless it exited 0. */
void al_fork_reap(void)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		al_die("fork: %s", strerror(errno));
	if (pid == 0)
		_exit(0);
	if (waitpid(pid, &status, 0) != pid)
		al_die("waitpid: %s", strerror(errno));
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		al_die("child ended with status %#x", status);
}

void al_touch(char *p, size_t npages, char seed)
{
	for (size_t i = 0; i < npages; i++)
		p[i * al_page] = (char)(seed + i);
}

size_t al_verify(const char *p, size_t npages, char seed)
{
	size_t bad = 0;

	for (size_t i = 0; i < npages; i++)
		bad += p[i * al_page] != (char)(seed + i);
	return bad;
}

int al_have_swap(void)
{
	char line[256];
	int n = 0;
	FILE *f = fopen("/proc/swaps", "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		n++;
	fclose(f);
	return n > 1;
}

size_t al_count_swapped(const char *p, size_t npages)
{
	uint64_t ent;
	size_t n = 0;
	int fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		al_die("/proc/self/pagemap: %s", strerror(errno));
	for (size_t i = 0; i < npages; i++) {
		off_t off = (off_t)((uintptr_t)(p + i * al_page) / al_page * 8);

		if (pread(fd, &ent, sizeof(ent), off) != sizeof(ent))
			al_die("pagemap read: %s", strerror(errno));
		n += (ent >> 62) & 1;	/* bit 62: page swapped */
	}
	close(fd);
	return n;
}
