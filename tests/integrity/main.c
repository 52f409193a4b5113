// SPDX-License-Identifier: GPL-2.0
/*
 * alinteg [TEST...]: run the named integrity tests (all by default).
 * The label in front of each result line comes from $AL_KERNEL.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "integ.h"

static const char *label(void)
{
	const char *k = getenv("AL_KERNEL");

	return k ? k : "kernel";
}

static int failures;

void ok(bool cond, const char *fmt, ...)
{
	va_list ap;

	printf("%s: %s: integrity ", cond ? "PASS" : "FAIL", label());
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	failures += !cond;
}

void skip(const char *fmt, ...)
{
	va_list ap;

	printf("SKIP: %s: integrity ", label());
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

static uint64_t word(unsigned int seed, size_t page, size_t i)
{
	return ((uint64_t)seed << 40) ^ ((uint64_t)page << 12) ^ i ^ 0x5a5a5a5aULL;
}

void fill(void *p, size_t npages, unsigned int seed)
{
	size_t n = al_page / sizeof(uint64_t);

	for (size_t pg = 0; pg < npages; pg++) {
		uint64_t *w = (uint64_t *)((char *)p + pg * al_page);

		for (size_t i = 0; i < n; i++)
			w[i] = word(seed, pg, i);
	}
}

size_t bad_pages(const void *p, size_t npages, unsigned int seed)
{
	return bad_pages_from(p, 0, npages, seed);
}

size_t bad_pages_from(const void *base, size_t from, size_t npages,
		      unsigned int seed)
{
	size_t n = al_page / sizeof(uint64_t), bad = 0;

	for (size_t pg = from; pg < from + npages; pg++) {
		const uint64_t *w = (const uint64_t *)((const char *)base + pg * al_page);

		for (size_t i = 0; i < n; i++)
			if (w[i] != word(seed, pg, i)) {
				bad++;
				break;
			}
	}
	return bad;
}

bool write_knob(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY);
	bool good;

	if (fd < 0)
		return false;
	good = write(fd, val, strlen(val)) == (ssize_t)strlen(val);
	close(fd);
	return good;
}

long read_num(const char *path)
{
	char buf[64];
	ssize_t n;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return strtol(buf, NULL, 10);
}

static const struct {
	const char *name;
	int (*run)(void);
} tests[] = {
	{ "fork", t_fork },
	{ "vma", t_vma },
	{ "swap", t_swap },
	{ "migrate", t_migrate },
	{ "ksm", t_ksm },
	{ "thp", t_thp },
	{ "uffd", t_uffd },
	{ "race", t_race },
	{ "upgrade", t_upgrade },
};

int main(int argc, char **argv)
{
	size_t nt = sizeof(tests) / sizeof(tests[0]);

	al_page = (size_t)sysconf(_SC_PAGESIZE);
	setvbuf(stdout, NULL, _IOLBF, 0);
	states_note();
	for (size_t i = 0; i < nt; i++) {
		bool want = argc < 2;

		for (int a = 1; a < argc; a++)
			want |= !strcmp(argv[a], tests[i].name);
		if (want)
			tests[i].run();
	}
	for (int a = 1; a < argc; a++) {
		bool known = false;

		for (size_t i = 0; i < nt; i++)
			known |= !strcmp(argv[a], tests[i].name);
		if (!known) {
			fprintf(stderr, "alinteg: unknown test '%s'\n", argv[a]);
			return 2;
		}
	}
	return failures ? 1 : 0;
}
