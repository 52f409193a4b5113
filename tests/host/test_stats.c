// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of the shared header and the stats reader.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "stats.h"

static char tmpdir[] = "/tmp/anonlazy-test-XXXXXX";

/* A well-formed stats text with value i * 10 + 1 for counter i. */
static size_t good_text(char *buf, size_t size)
{
	size_t n = 0;

	for (int i = 0; i < ANONLAZY_NR_COUNTERS; i++)
		n += (size_t)snprintf(buf + n, size - n, "%s %d\n",
				      anonlazy_counter_names[i], i * 10 + 1);
	return n;
}

static void test_header(void)
{
	int ok = 1;

	for (int i = 0; i < ANONLAZY_NR_COUNTERS; i++) {
		const char *s = anonlazy_counter_names[i];

		if (!s || !*s || !anonlazy_counter_descs[i] ||
		    !*anonlazy_counter_descs[i])
			ok = 0;
		for (; s && *s; s++)
			if (!islower((unsigned char)*s) && *s != '_')
				ok = 0;
		for (int j = 0; j < i; j++)
			if (anonlazy_counter_names[i] && anonlazy_counter_names[j] &&
			    !strcmp(anonlazy_counter_names[i], anonlazy_counter_names[j]))
				ok = 0;
	}
	CHECK(ok, "header: every counter has a unique [a-z_] name and a description");
	CHECK(al_counter_index("prepare_calls") == ANONLAZY_PREPARE_CALLS,
	      "header: lookup by name");
	CHECK(al_counter_index("nope") == -1, "header: unknown name is -1");
}

static void test_tags(void)
{
	unsigned long base = 0xffff888012345678UL & ~0x7UL;

	/* The decoder the module's rmap walk probe calls (module/probes.c). */
	CHECK(anonlazy_walk_kind(base | ANONLAZY_MAPPING_ANON) == ANONLAZY_KIND_ANON,
	      "tags: anon_vma | 0x1 is a regular anon folio");
	CHECK(anonlazy_walk_kind(base | ANONLAZY_MAPPING_KSM) == ANONLAZY_KIND_KSM,
	      "tags: stable node | 0x3 is KSM");
	CHECK(anonlazy_walk_kind(base | ANONLAZY_MAPPING_LAZY) == ANONLAZY_KIND_LAZY,
	      "tags: vma | 0x5 is lazy");
	CHECK(anonlazy_walk_kind(base) == ANONLAZY_KIND_FILE,
	      "tags: untagged address_space is file");
	CHECK(anonlazy_walk_kind(base | ANONLAZY_MAPPING_MOVABLE) == ANONLAZY_KIND_FILE,
	      "tags: non-LRU movable (0x2) is not anon");
	CHECK(anonlazy_walk_kind(base | ANONLAZY_MAPPING_LAZY_BIT) == ANONLAZY_KIND_FILE,
	      "tags: bit 2 without the anon bit is not lazy");
	CHECK(anonlazy_walk_kind(base | ANONLAZY_MAPPING_LAZY_BIT |
				 ANONLAZY_MAPPING_KSM) == ANONLAZY_KIND_KSM,
	      "tags: 0x7 (KSM bits) is not lazy");
	CHECK(anonlazy_walk_kind(0) == ANONLAZY_KIND_FILE &&
	      anonlazy_walk_kind(ANONLAZY_MAPPING_LAZY) == ANONLAZY_KIND_LAZY,
	      "tags: the decoder looks at the low bits only");
	CHECK(anonlazy_walk_kind_counter[ANONLAZY_KIND_ANON] == ANONLAZY_WALK_ANON &&
	      anonlazy_walk_kind_counter[ANONLAZY_KIND_KSM] == ANONLAZY_WALK_KSM &&
	      anonlazy_walk_kind_counter[ANONLAZY_KIND_FILE] == ANONLAZY_WALK_FILE &&
	      anonlazy_walk_kind_counter[ANONLAZY_KIND_LAZY] == ANONLAZY_WALK_LAZY,
	      "tags: each walk kind counts under its own counter");
	CHECK((ANONLAZY_MAPPING_LAZY & ANONLAZY_MAPPING_FLAGS) == ANONLAZY_MAPPING_ANON,
	      "tags: a lazy folio still tests as anon and not as movable or KSM");
	CHECK(ANONLAZY_TREE_VMA != ANONLAZY_TREE_PARENT &&
	      (ANONLAZY_TREE_VMA | ANONLAZY_TREE_PARENT) == ANONLAZY_TREE_MASK,
	      "tags: tree tags are distinct and fill the mask");
}

static int parse(const char *text, struct al_stats *s, char *err)
{
	return al_stats_parse(text, strlen(text), s, err, 200);
}

static void test_parse(void)
{
	char buf[2048], bad[4096], err[200], line[32];
	struct al_stats s;
	size_t n = good_text(buf, sizeof(buf));
	int ok = 1;

	CHECK(al_stats_parse(buf, n, &s, err, sizeof(err)) == 0, "parse: well-formed file");
	for (int i = 0; i < ANONLAZY_NR_COUNTERS; i++)
		ok &= s.val[i] == (uint64_t)(i * 10 + 1);
	CHECK(ok, "parse: every value lands in its slot");

	snprintf(bad, sizeof(bad), "future_counter 5\n%s", buf);
	CHECK(parse(bad, &s, err) == 0, "parse: unknown names are skipped");

	/*
	 * Lines of a newer module: a counter this reader does not know, a
	 * list line ("disabled <names>"), a bare word, a name longer than the
	 * reader's buffer. Skipped whatever follows the name; the known
	 * counters around them keep their values.
	 */
	memset(line, 'x', sizeof(line) - 1);
	line[sizeof(line) - 1] = '\0';
	snprintf(bad, sizeof(bad), "future_counter 5\n%sdisabled prepare_calls fork_calls\n"
		 "newword\nfuture_hist 1 2 3\nfuture_neg -1\n%s%s%s 7\n",
		 buf, line, line, line);
	ok = parse(bad, &s, err) == 0;
	for (int i = 0; i < ANONLAZY_NR_COUNTERS; i++)
		ok &= s.present[i] && s.val[i] == (uint64_t)(i * 10 + 1);
	CHECK(ok, "parse: unknown lines of any shape are skipped, known values kept");

	/* An older module: the first counter absent. */
	snprintf(bad, sizeof(bad), "%s", strchr(buf, '\n') + 1);
	CHECK(parse(bad, &s, err) == 0 && !s.present[ANONLAZY_PREPARE_CALLS] &&
	      s.val[ANONLAZY_PREPARE_CALLS] == 0 && s.present[ANONLAZY_PREPARE_ATTACHED] &&
	      s.val[ANONLAZY_PREPARE_ATTACHED] == ANONLAZY_PREPARE_ATTACHED * 10 + 1,
	      "parse: a missing counter is tolerated and marked absent");
	CHECK(al_stats_absent(&s, err, sizeof(err)) == 1 && !strcmp(err, "prepare_calls"),
	      "parse: al_stats_absent names the missing counter");

	/* Only the first and the last counter: every other one absent. */
	snprintf(bad, sizeof(bad), "%s 1\n%s 2\n", anonlazy_counter_names[0],
		 anonlazy_counter_names[ANONLAZY_NR_COUNTERS - 1]);
	ok = parse(bad, &s, err) == 0;
	for (int i = 1; i < ANONLAZY_NR_COUNTERS - 1; i++)
		ok &= !s.present[i];
	CHECK(ok && s.val[0] == 1 && s.val[ANONLAZY_NR_COUNTERS - 1] == 2 &&
	      al_stats_absent(&s, bad, sizeof(bad)) == ANONLAZY_NR_COUNTERS - 2 &&
	      !strncmp(bad, anonlazy_counter_names[1], strlen(anonlazy_counter_names[1])) &&
	      bad[strlen(bad) - 1] != ' ',
	      "parse: many absent counters, listed in the header's order");

	ok = parse(buf, &s, err) == 0 && al_stats_absent(&s, err, sizeof(err)) == 0 &&
	     err[0] == '\0';
	CHECK(ok, "parse: a full file has no absent counter");

	CHECK(al_stats_absent(&s, err, 0) == 0, "parse: al_stats_absent with no buffer");

	CHECK(parse("future_counter 5\ndisabled x\n", &s, err) == -1 &&
	      strstr(err, "no counter"), "parse: a file of unknown lines only is refused");

	snprintf(bad, sizeof(bad), "%s\n", buf);
	CHECK(parse(bad, &s, err) == -1 && strstr(err, "expected"),
	      "parse: an empty line is refused");

	snprintf(bad, sizeof(bad), "%sprepare_calls 3\n", buf);
	CHECK(parse(bad, &s, err) == -1 && strstr(err, "twice"),
	      "parse: a duplicate counter is refused");

	/* The other counters' lines, then the bad one: line NR_COUNTERS. */
	snprintf(bad, sizeof(bad), "%sprepare_calls -3\n", strchr(buf, '\n') + 1);
	snprintf(line, sizeof(line), "line %d", ANONLAZY_NR_COUNTERS);
	CHECK(parse(bad, &s, err) == -1 && strstr(err, line),
	      "parse: a negative value is refused with its line number");

	snprintf(bad, sizeof(bad), "%sprepare_calls 18446744073709551616\n",
		 strchr(buf, '\n') + 1);
	CHECK(parse(bad, &s, err) == -1, "parse: 2^64 overflows and is refused");

	snprintf(bad, sizeof(bad), "%sprepare_calls 18446744073709551615\n",
		 strchr(buf, '\n') + 1);
	CHECK(parse(bad, &s, err) == 0 && s.val[ANONLAZY_PREPARE_CALLS] == UINT64_MAX,
	      "parse: 2^64-1 is accepted");

	snprintf(bad, sizeof(bad), "%sprepare_calls\n", strchr(buf, '\n') + 1);
	CHECK(parse(bad, &s, err) == -1 && strstr(err, "expected"),
	      "parse: a line without a value is refused");

	snprintf(bad, sizeof(bad), "%sprepare_calls 12x\n", strchr(buf, '\n') + 1);
	CHECK(parse(bad, &s, err) == -1, "parse: trailing junk is refused");

	memcpy(bad, buf, n - 1);
	bad[n - 1] = '\0';
	CHECK(parse(bad, &s, err) == -1 && strstr(err, "newline"),
	      "parse: a truncated last line is refused");

	CHECK(parse("", &s, err) == -1, "parse: an empty file is refused");
}

static void write_file(const char *path, const char *text, size_t n, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);

	if (fd < 0 || write(fd, text, n) != (ssize_t)n || close(fd))
		abort();
}

static void test_read(void)
{
	char path[256], buf[4096], err[300];
	char *big;
	struct al_stats s;
	size_t n = good_text(buf, sizeof(buf));
	pid_t pid;
	int status;

	snprintf(path, sizeof(path), "%s/stats", tmpdir);
	write_file(path, buf, n, 0600);
	CHECK(al_stats_read(path, &s, err, sizeof(err)) == 0 &&
	      s.val[ANONLAZY_UNLINK_CALLS] == ANONLAZY_UNLINK_CALLS * 10 + 1,
	      "read: a good file");

	snprintf(path, sizeof(path), "%s/absent", tmpdir);
	errno = 0;
	CHECK(al_stats_read(path, &s, err, sizeof(err)) == -1 && errno == ENOENT &&
	      strstr(err, "no such file") && strstr(err, "absent"),
	      "read: a missing file says so and names it");

	snprintf(path, sizeof(path), "%s/bad", tmpdir);
	write_file(path, "prepare_calls x\n", 16, 0600);
	CHECK(al_stats_read(path, &s, err, sizeof(err)) == -1 && errno == EINVAL &&
	      strstr(err, "malformed") && strstr(err, "line 1"),
	      "read: a malformed file says where");

	big = malloc(AL_STATS_MAX + 100);
	memset(big, 'a', AL_STATS_MAX + 100);
	snprintf(path, sizeof(path), "%s/big", tmpdir);
	write_file(path, big, AL_STATS_MAX + 100, 0600);
	free(big);
	CHECK(al_stats_read(path, &s, err, sizeof(err)) == -1 && errno == EFBIG,
	      "read: an oversized file is refused");

	CHECK(al_stats_read(tmpdir, &s, err, sizeof(err)) == -1,
	      "read: a directory is refused");
	CHECK(al_stats_read("/dev/zero", &s, err, sizeof(err)) == -1 &&
	      !strcmp(err, "/dev/zero: not a regular file (want the module's stats file or anonlazy-bpf's socket)"),
	      "read: a device is refused, not read");
	snprintf(path, sizeof(path), "%s/fifo", tmpdir);
	if (mkfifo(path, 0600))
		abort();
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		alarm(5);	/* it used to wait forever for a writer */
		_exit(al_stats_read(path, &s, err, sizeof(err)) == -1 && errno == EINVAL &&
		      strstr(err, "fifo: not a regular file") ? 0 : 1);
	}
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	      WEXITSTATUS(status) == 0, "read: a FIFO is refused at once");
	unlink(path);

	/* Without permission: drop to nobody in a child (needs root to test). */
	if (geteuid() != 0) {
		printf("SKIP: host: read: permission denied: not root, cannot switch users\n");
		return;
	}
	snprintf(path, sizeof(path), "%s/stats", tmpdir);
	chmod(tmpdir, 0755);
	pid = fork();
	if (pid == 0) {
		if (setgid(65534) || setuid(65534))
			_exit(3);
		errno = 0;
		_exit(al_stats_read(path, &s, err, sizeof(err)) == -1 && errno == EACCES &&
		      strstr(err, "permission denied") ? 0 : 1);
	}
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	      WEXITSTATUS(status) == 0, "read: no permission says so");
}

int main(void)
{
	char cmd[300];

	test_init();
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 2;
	}
	test_header();
	test_tags();
	test_parse();
	test_read();
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	if (system(cmd))
		return 2;
	return test_exit();
}
