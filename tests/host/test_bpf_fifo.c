// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of anonlazy-bpf's stats FIFO (userspace/bpf_fifo.c), with
 * the BPF side replaced by a stub whose counter moves at each print: a
 * reader gets one fresh stats text per open, which the project's stats
 * reader (alwork's, AL_STATS=PATH) parses; stopping removes the FIFO.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "bpf_fifo.h"
#include "bpf_load.h"
#include "stats.h"

static unsigned int prints, bad_show;

/* The stub: prepare_calls counts the prints, and missed is 0. */
int al_bpf_print(struct al_bpf *b, FILE *f, unsigned int show, char *err,
		 size_t errlen)
{
	(void)b;
	(void)err;
	(void)errlen;
	if (show != 1U << AL_BPF_SEC_STATS)
		bad_show++;
	prints++;
	fprintf(f, ANONLAZY_STATS_FMT, anonlazy_counter_names[ANONLAZY_PREPARE_CALLS],
		(unsigned long long)prints);
	fprintf(f, ANONLAZY_STATS_FMT, anonlazy_counter_names[ANONLAZY_MISSED], 0ULL);
	fflush(f);
	return 0;
}

int main(void)
{
	char tmp[] = "/tmp/anonlazy-fifo-test-XXXXXX", path[256], err[512];
	struct al_bpf_fifo *s, *again;
	struct al_stats a, b;
	struct stat st;
	int ok;

	test_init();
	if (!mkdtemp(tmp)) {
		printf("FAIL: host: fifo: mkdtemp: %s\n", strerror(errno));
		return 1;
	}
	snprintf(path, sizeof(path), "%s/stats", tmp);
	s = al_bpf_fifo_start((struct al_bpf *)1, path, err, sizeof(err));
	CHECK(s && !stat(path, &st) && S_ISFIFO(st.st_mode) && (st.st_mode & 0777) == 0600,
	      "fifo: made at PATH, mode 0600");
	ok = s && !al_stats_read(path, &a, err, sizeof(err)) &&
	     !al_stats_read(path, &b, err, sizeof(err));
	CHECK(ok, "fifo: the stats reader reads it twice");
	CHECK(ok && a.present[ANONLAZY_PREPARE_CALLS] && a.val[ANONLAZY_PREPARE_CALLS] == 1 &&
	      b.val[ANONLAZY_PREPARE_CALLS] == 2 && b.present[ANONLAZY_MISSED] &&
	      !b.present[ANONLAZY_FORK_CALLS],
	      "fifo: each open gets a text printed for it, and only one");
	CHECK(prints == 2 && bad_show == 0, "fifo: only the stats section is printed");

	again = al_bpf_fifo_start((struct al_bpf *)1, path, err, sizeof(err));
	CHECK(!again && !strncmp(err, "--stats-fifo ", 13) && strstr(err, ": File exists"),
	      "fifo: a path that exists is refused, with its name");
	if (again)
		al_bpf_fifo_stop(again);

	al_bpf_fifo_stop(s);
	CHECK(stat(path, &st) == -1 && errno == ENOENT && prints == 2,
	      "fifo: stop ends the thread without a print and removes the FIFO");
	rmdir(tmp);
	return test_exit();
}
