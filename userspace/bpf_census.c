// SPDX-License-Identifier: GPL-2.0
/*
 * anonlazy-bpf: the census section, by running the census_iter program
 * (bpf/anonlazy.bpf.c) once per section: it walks every mm and leaves the
 * census keys in its census[] global. One run at a time: the printing
 * thread and the socket's may both ask.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "bpf_load.h"
#include "bpf_obj.h"

static pthread_mutex_t census_lock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t census_generation;

void al_census_attach(struct al_bpf *b, FILE *report)
{
	b->census_link = bpf_program__attach_iter(b->skel->progs.census_iter, NULL);
	if (b->census_link) {
		b->census_err = 0;
		return;
	}
	b->census_err = -errno;
	fprintf(report, AL_BPF_NAME
		": census: the task_vma iterator not attached (%s): no census\n",
		strerror(errno));
}

static uint64_t now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000ULL + (uint64_t)t.tv_nsec;
}

/* Run the iterator to its end: its output is empty, its work the walk. */
static int run_iter(struct al_bpf *b, char *err, size_t errlen)
{
	char buf[256];
	ssize_t n;
	int fd;

	fd = bpf_iter_create(bpf_link__fd(b->census_link));
	if (fd < 0)
		return al_bpf_fail(err, errlen, -1, "census: starting the iterator failed: %s",
				   strerror(errno));
	/* EAGAIN: it stopped after a million VMAs, to go on at the next read */
	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (n < 0) {
			int e = errno;

			close(fd);
			return al_bpf_fail(err, errlen, -1, "census: reading the iterator failed: %s",
					   strerror(e));
		}
	}
	close(fd);
	return 0;
}

int al_census_print(struct al_bpf *b, FILE *f, char *err, size_t errlen)
{
	uint64_t t[ANONLAZY_NR_CENSUS_KEYS], start;
	int r;

	if (!b->census_link) {
		al_print_census_off(f, b->census_err);
		return 0;
	}
	pthread_mutex_lock(&census_lock);
	start = now_ns();
	r = run_iter(b, err, errlen);
	if (!r) {
		memcpy(t, b->skel->bss->census, sizeof(t));
		t[ANONLAZY_CENSUS_GENERATION] = ++census_generation;
		t[ANONLAZY_CENSUS_TIME_NS] = start;
		t[ANONLAZY_CENSUS_WALK_NS] = now_ns() - start;
		t[ANONLAZY_CENSUS_SIM_MAX_VMAS] =
			bpf_map__max_entries(b->skel->maps.sim);
	}
	pthread_mutex_unlock(&census_lock);
	if (!r)
		al_print_census(f, t);
	return r;
}
