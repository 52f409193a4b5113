// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of anonlazy-bpf's stats socket (userspace/bpf_sock.c), with
 * the BPF side replaced by a stub whose counter moves at each print: a
 * reader gets one fresh stats text per connection, which the project's
 * stats reader (alwork's, AL_STATS=PATH) parses; many back-to-back
 * readers never hang (the FIFO it replaces could); stopping removes the
 * socket.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "bpf_sock.h"
#include "bpf_load.h"
#include "stats.h"

#define READERS 4
#define READS 500

static atomic_uint prints, bad_show;

/* The stub: prepare_calls counts the prints, and missed is 0. */
int al_bpf_print(struct al_bpf *b, FILE *f, unsigned int show, char *err,
		 size_t errlen)
{
	unsigned int n = atomic_fetch_add(&prints, 1) + 1;

	(void)b;
	(void)err;
	(void)errlen;
	if (show != 1U << AL_BPF_SEC_STATS)
		atomic_fetch_add(&bad_show, 1);
	fprintf(f, ANONLAZY_STATS_FMT, anonlazy_counter_names[ANONLAZY_PREPARE_CALLS],
		(unsigned long long)n);
	fprintf(f, ANONLAZY_STATS_FMT, anonlazy_counter_names[ANONLAZY_MISSED], 0ULL);
	fflush(f);
	return 0;
}

static char path[256];

/* One reader: READS snapshots, each newer than the one before. */
static void *reader(void *arg)
{
	uint64_t last = 0;
	long bad = 0;
	char err[512];

	(void)arg;
	for (int i = 0; i < READS; i++) {
		struct al_stats st;

		if (al_stats_read(path, &st, err, sizeof(err)) ||
		    !st.present[ANONLAZY_PREPARE_CALLS] ||
		    st.val[ANONLAZY_PREPARE_CALLS] <= last)
			bad++;
		else
			last = st.val[ANONLAZY_PREPARE_CALLS];
	}
	return (void *)bad;
}

int main(void)
{
	char tmp[] = "/tmp/anonlazy-sock-test-XXXXXX", err[512];
	struct al_bpf_sock *s, *again;
	pthread_t t[READERS];
	struct al_stats a, b;
	long bad = 0;
	struct stat st;
	int ok;

	test_init();
	if (!mkdtemp(tmp)) {
		printf("FAIL: host: sock: mkdtemp: %s\n", strerror(errno));
		return 1;
	}
	snprintf(path, sizeof(path), "%s/stats", tmp);
	s = al_bpf_sock_start((struct al_bpf *)1, path, err, sizeof(err));
	CHECK(s && !stat(path, &st) && S_ISSOCK(st.st_mode) && (st.st_mode & 0777) == 0600,
	      "sock: bound at PATH, mode 0600");
	ok = s && !al_stats_read(path, &a, err, sizeof(err)) &&
	     !al_stats_read(path, &b, err, sizeof(err));
	CHECK(ok, "sock: the stats reader reads it twice");
	CHECK(ok && a.present[ANONLAZY_PREPARE_CALLS] && a.val[ANONLAZY_PREPARE_CALLS] == 1 &&
	      b.val[ANONLAZY_PREPARE_CALLS] == 2 && b.present[ANONLAZY_MISSED] &&
	      !b.present[ANONLAZY_FORK_CALLS],
	      "sock: each connection gets a text printed for it, and only one");

	for (int i = 0; i < READERS; i++)
		pthread_create(&t[i], NULL, reader, NULL);
	for (int i = 0; i < READERS; i++) {
		void *r;

		pthread_join(t[i], &r);
		bad += (long)r;
	}
	CHECK(bad == 0 && prints == 2 + READERS * READS,
	      "sock: 4 readers x 500 back-to-back reads: each a fresh text, none lost or hung");
	CHECK(bad_show == 0, "sock: only the stats section is printed");

	again = al_bpf_sock_start((struct al_bpf *)1, path, err, sizeof(err));
	CHECK(!again && !strncmp(err, "--stats-socket ", 15) && strstr(err, "already exists"),
	      "sock: a path that exists is refused, with its name");
	if (again)
		al_bpf_sock_stop(again);

	al_bpf_sock_stop(s);
	CHECK(stat(path, &st) == -1 && errno == ENOENT && prints == 2 + READERS * READS,
	      "sock: stop ends the thread without a print and removes the socket");

	/* A socket nobody serves: the reader says so. */
	s = al_bpf_sock_start((struct al_bpf *)1, path, err, sizeof(err));
	ok = s != NULL;
	if (s) {
		/* Leave the file, close the server: as if the loader was killed. */
		char keep[300];

		snprintf(keep, sizeof(keep), "%s.kept", path);
		ok = !link(path, keep);
		al_bpf_sock_stop(s);
		ok = ok && !rename(keep, path);
	}
	CHECK(ok && al_stats_read(path, &a, err, sizeof(err)) == -1 && errno == ECONNREFUSED &&
	      strstr(err, "nobody serves this socket"),
	      "sock: a socket left by a killed server: ECONNREFUSED, said plainly");
	unlink(path);
	rmdir(tmp);
	return test_exit();
}
