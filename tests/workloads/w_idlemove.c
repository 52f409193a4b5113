// SPDX-License-Identifier: GPL-2.0
/*
 * idlemove N: N rounds of a lazy rmap walk racing UFFDIO_MOVE, the race
 * of issue 11 item 4, hit every round with alrace.ko (tests/kmod/alrace.c)
 * loaded and vm.anon_vma_lazy 1.
 *
 * One faulted page moves back and forth between two one-page VMAs, A and
 * B, each a lazy root (UFFDIO_MOVE gives the folio the destination's
 * state, no upgrade). Each round: write the page's bit in
 * /sys/kernel/mm/page_idle/bitmap (an rmap walk clears the young bit,
 * then the folio is marked idle); arm alrace; a second thread (comm
 * "alrace-walk", CPU 1) reads the bitmap word, whose rmap walk of the
 * idle folio stalls right before it takes the lazy lock of the root it
 * read, A say; meanwhile (once alrace counts the stall) this thread, on
 * CPU 0, moves the page to B, where its new PTE is young. The walk then
 * locks A, which the folio has left. A walk that looks again finds the
 * folio in B, young: the folio is not idle, the bit reads 0. A walk that
 * gave up (the bug: "the mapping changed, so it was upgraded") visits
 * nothing: the bit reads 1, as if nothing had used the page.
 *
 * The stall lasts until this thread has moved the page (alrace's release),
 * so the round does not depend on timing.
 *
 * Prints idlemove.rounds, .stalled (rounds whose walk stalled in the lazy
 * lock: N when the folio was lazy), .moved (moves done in the stall),
 * .stall_timeouts (stalls that ended unreleased: 0),
 * .idle_after_move (rounds whose bit read 1: 0 when the walk is right)
 * and .data_bad (the page lost its data: 0).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "common.h"
#include "scenarios.h"
#include "uffd_move.h"

#define IDLE_BITMAP "/sys/kernel/mm/page_idle/bitmap"
#define ALRACE_PARAM "/sys/module/alrace/parameters/"
#define MAX_ROUNDS 10000

static int pin_to(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set);
}

static long read_param(const char *name)
{
	char path[128], buf[32];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), ALRACE_PARAM "%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		al_die("%s: %s (is alrace.ko loaded?)", path, strerror(errno));
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		al_die("%s: read failed", path);
	buf[n] = '\0';
	return strtol(buf, NULL, 10);
}

static void write_param(const char *name, const char *val)
{
	char path[128];
	int fd;

	snprintf(path, sizeof(path), ALRACE_PARAM "%s", name);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, val, strlen(val)) != (ssize_t)strlen(val))
		al_die("%s: %s", path, strerror(errno));
	close(fd);
}

struct walker {
	int fd;
	uint64_t pfn;
	uint64_t word;
	int err;
};

/* The bitmap read: page_idle_clear_pte_refs() walks the idle folio. */
static void *walk(void *arg)
{
	struct walker *w = arg;

	if (pin_to(1) || prctl(PR_SET_NAME, "alrace-walk")) {
		w->err = errno;
		return NULL;
	}
	if (pread(w->fd, &w->word, sizeof(w->word), (off_t)(w->pfn / 64 * 8)) !=
	    sizeof(w->word))
		w->err = errno ? errno : EIO;
	return NULL;
}

static uint64_t pfn_of(const char *p)
{
	uint64_t ent;
	int fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);

	if (fd < 0 || pread(fd, &ent, sizeof(ent), (off_t)((uintptr_t)p / al_page * 8)) !=
	    sizeof(ent))
		al_die("/proc/self/pagemap: %s", strerror(errno));
	close(fd);
	if (!(ent >> 63) || !(ent & ((1ULL << 55) - 1)))
		al_die("pagemap: no PFN for a present page (not root?)");
	return ent & ((1ULL << 55) - 1);
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

int w_idlemove(int argc, char **argv)
{
	struct uffdio_api api = { .api = UFFD_API, .features = UFFD_FEATURE_MOVE };
	struct uffdio_register reg = { .mode = UFFDIO_REGISTER_MODE_MISSING };
	unsigned long n, stalled = 0, moved = 0, idle = 0, bad = 0;
	long t0 = read_param("timeouts");
	char *vma[2];
	int uffd, fd, cur = 0;
	uint64_t pfn;

	if (argc != 2)
		al_die("usage: idlemove N");
	n = al_count_arg(argv[1], MAX_ROUNDS);
	if (pin_to(0))
		al_die("sched_setaffinity(CPU 0): %s", strerror(errno));
	uffd = (int)syscall(__NR_userfaultfd, O_CLOEXEC);
	if (uffd < 0)
		al_die("userfaultfd: %s", strerror(errno));
	if (ioctl(uffd, UFFDIO_API, &api) || !(api.features & UFFD_FEATURE_MOVE))
		al_die("UFFDIO_API: no UFFD_FEATURE_MOVE (Linux 6.8+)");
	vma[0] = al_map_isolated(1);
	vma[1] = al_map_isolated(1);
	/* faulted before either is registered: no missing-page fault waits */
	al_touch(vma[0], 1, 42);
	for (int i = 0; i < 2; i++) {
		reg.range.start = (uintptr_t)vma[i];
		reg.range.len = al_page;
		if (ioctl(uffd, UFFDIO_REGISTER, &reg))
			al_die("UFFDIO_REGISTER: %s", strerror(errno));
	}
	/* MADV_COLD drains this CPU's LRU batch: page_idle wants LRU folios */
	if (madvise(vma[0], al_page, MADV_COLD))
		al_die("MADV_COLD: %s", strerror(errno));
	pfn = pfn_of(vma[0]);
	fd = open(IDLE_BITMAP, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		al_die(IDLE_BITMAP ": %s", strerror(errno));

	for (unsigned long r = 0; r < n; r++) {
		struct walker w = { .fd = fd, .pfn = pfn };
		struct uffdio_move mv = { 0 };
		uint64_t bit = 1ULL << (pfn % 64);
		long s0 = read_param("stalls");
		pthread_t t;
		int waited;

		/* walk (young bits cleared), then the folio is marked idle */
		if (pwrite(fd, &bit, sizeof(bit), (off_t)(pfn / 64 * 8)) != sizeof(bit))
			al_die(IDLE_BITMAP " write: %s", strerror(errno));
		write_param("arm", "1");
		if (pthread_create(&t, NULL, walk, &w))
			al_die("pthread_create");
		for (waited = 0; waited < 2000 && read_param("stalls") == s0; waited++)
			sleep_ms(1);
		if (read_param("stalls") != s0)
			stalled++;
		mv.dst = (uintptr_t)vma[!cur];
		mv.src = (uintptr_t)vma[cur];
		mv.len = al_page;
		if (ioctl(uffd, UFFDIO_MOVE, &mv) || mv.move != (__s64)al_page)
			al_die("UFFDIO_MOVE: %s (moved %lld)", strerror(errno), (long long)mv.move);
		moved++;
		cur = !cur;
		write_param("release", "1");
		pthread_join(t, NULL);
		write_param("arm", "0");
		if (w.err)
			al_die("the walker: %s", strerror(w.err));
		idle += !!(w.word & bit);
		bad += al_verify(vma[cur], 1, 42);
		if (pfn_of(vma[cur]) != pfn)
			al_die("the page changed PFN (migrated?): the round proves nothing");
	}
	close(fd);
	close(uffd);
	printf("idlemove.rounds %lu\nidlemove.stalled %lu\nidlemove.moved %lu\n"
	       "idlemove.stall_timeouts %ld\n"
	       "idlemove.idle_after_move %lu\nidlemove.data_bad %lu\n",
	       n, stalled, moved, read_param("timeouts") - t0, idle, bad);
	return 0;
}
