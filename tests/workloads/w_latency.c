// SPDX-License-Identifier: GPL-2.0
/*
 * latency N: MADV_PAGEOUT N faulted private anon pages (swap on), with the
 * module's stats and latency histograms read before and after in this
 * process. Prints the stats deltas as "latency.<counter> <delta>", each
 * walk kind's histogram total delta as "latency.hist_<kind> <delta>", the
 * delta of its 0..1 ns bucket as "latency.zero_<kind> <delta>" (a walk
 * takes far longer than a ns: a count there is a clock that stood still),
 * and "latency.format_ok 1" when every row of both reads was well formed
 * (header first, known kind, lo_ns/hi_ns the bounds of a log2 bucket,
 * count > 0, kinds in header order, buckets ascending).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "common.h"
#include "scenarios.h"

#define MAX_PAGES 65536
#define LAT_MAX 65536

static int format_ok = 1;

/*
 * Sum each kind's histogram and its 0..1 ns bucket; check every row
 * against the header's format.
 */
static void lat_read(uint64_t *total, uint64_t *zero)
{
	static char buf[LAT_MAX];
	const char *path = ANONLAZY_DEBUGFS_PATH "/" ANONLAZY_LATENCY_FILE;
	int last_kind = -1, last_bucket = -1;
	ssize_t len = 0, n;
	char *line, *save;
	int fd;

	memset(total, 0, sizeof(uint64_t) * ANONLAZY_NR_WALK_KINDS);
	memset(zero, 0, sizeof(uint64_t) * ANONLAZY_NR_WALK_KINDS);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		al_die("%s: %s", path, strerror(errno));
	while ((n = read(fd, buf + len, sizeof(buf) - 1 - (size_t)len)) > 0)
		len += n;
	if (n < 0)
		al_die("read %s: %s", path, strerror(errno));
	close(fd);
	buf[len] = '\0';
	if (strncmp(buf, ANONLAZY_LATENCY_HEADER, strlen(ANONLAZY_LATENCY_HEADER)))
		format_ok = 0;
	line = strtok_r(buf + strlen(ANONLAZY_LATENCY_HEADER), "\n", &save);
	for (; line; line = strtok_r(NULL, "\n", &save)) {
		char kind[16];
		uint64_t lo, hi, count;
		int k, b, used = 0;

		if (sscanf(line, "%15s %" SCNu64 " %" SCNu64 " %" SCNu64 "%n",
			   kind, &lo, &hi, &count, &used) != 4 ||
		    line[used] != '\0') {
			format_ok = 0;
			continue;
		}
		for (k = 0; k < ANONLAZY_NR_WALK_KINDS; k++)
			if (!strcmp(kind, anonlazy_walk_kind_names[k]))
				break;
		if (k == ANONLAZY_NR_WALK_KINDS) {
			format_ok = 0;
			continue;
		}
		/* bucket 0 is 0..1 ns, bucket b >= 1 is 2^b .. 2^(b+1)-1 */
		b = lo ? 63 - __builtin_clzll(lo) : 0;
		if (lo == 1 || (lo && lo != 1ULL << b) ||
		    hi != (b < 63 ? (2ULL << b) - 1 : UINT64_MAX) || !count ||
		    k < last_kind || (k == last_kind && b <= last_bucket))
			format_ok = 0;
		last_kind = k;
		last_bucket = b;
		total[k] += count;
		if (!lo)
			zero[k] += count;
	}
}

int w_latency(int argc, char **argv)
{
	uint64_t ha[ANONLAZY_NR_WALK_KINDS], hb[ANONLAZY_NR_WALK_KINDS];
	uint64_t za[ANONLAZY_NR_WALK_KINDS], zb[ANONLAZY_NR_WALK_KINDS];
	struct al_stats a, b;
	unsigned long n;
	char *p;

	if (argc != 2)
		al_die("usage: latency N");
	n = al_count_arg(argv[1], MAX_PAGES);
	if (!al_have_swap())
		al_die("no swap device is on: latency needs one");

	p = al_map_isolated(n);
	al_touch(p, n, 5);
	/* Fault in both readers' buffers and code before the window. */
	al_snap(&a);
	lat_read(ha, za);
	al_snap(&a);
	lat_read(ha, za);
	if (madvise(p, n * al_page, MADV_PAGEOUT))
		al_die("madvise(MADV_PAGEOUT): %s", strerror(errno));
	lat_read(hb, zb);
	al_snap(&b);
	al_print_delta("latency", &a, &b);
	for (int k = 0; k < ANONLAZY_NR_WALK_KINDS; k++) {
		printf("latency.hist_%s %" PRIu64 "\n", anonlazy_walk_kind_names[k],
		       hb[k] - ha[k]);
		printf("latency.zero_%s %" PRIu64 "\n", anonlazy_walk_kind_names[k],
		       zb[k] - za[k]);
	}
	printf("latency.format_ok %d\n", format_ok);
	printf("latency.swapped %zu\n", al_count_swapped(p, n));
	printf("latency.intact %d\n", al_verify(p, n, 5) == 0);
	return 0;
}
