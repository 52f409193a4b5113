// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of anonlazy-bpf's stats socket (userspace/bpf_sock.c), with
 * the BPF side replaced by a stub whose counter moves at each print: a
 * reader gets one fresh stats text per connection, which the project's
 * stats reader (alwork's, AL_STATS=PATH) parses; many back-to-back
 * readers never hang (the FIFO it replaces could); stopping removes the
 * socket. The request line: its parser, the sections a request gets, an
 * unknown section's error line, and clients that never write (served
 * the stats after the wait, without delaying the others).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "bpf_sock.h"
#include "bpf_load.h"
#include "stats.h"

#define READERS 4
#define READS 500

static atomic_uint prints, bad_show, last_show;
static atomic_bool want_stats_only = true;

/*
 * The stub: prepare_calls counts the prints, and missed is 0; with more
 * than one section, each after "== <section>" as al_bpf_print() does,
 * the others one line "<section> <n>".
 */
int al_bpf_print(struct al_bpf *b, FILE *f, unsigned int show, char *err,
		 size_t errlen)
{
	unsigned int n = atomic_fetch_add(&prints, 1) + 1;

	(void)b;
	(void)err;
	(void)errlen;
	atomic_store(&last_show, show);
	if (atomic_load(&want_stats_only) && show != 1U << AL_BPF_SEC_STATS)
		atomic_fetch_add(&bad_show, 1);
	for (int s = 0; s < AL_BPF_NR_SECTIONS; s++) {
		if (!(show & 1U << s))
			continue;
		if (show & (show - 1))
			fprintf(f, "== %s\n", al_bpf_section_names[s]);
		if (s != AL_BPF_SEC_STATS) {
			fprintf(f, "%s %u\n", al_bpf_section_names[s], n);
			continue;
		}
		fprintf(f, ANONLAZY_STATS_FMT, anonlazy_counter_names[ANONLAZY_PREPARE_CALLS],
			(unsigned long long)n);
		fprintf(f, ANONLAZY_STATS_FMT, anonlazy_counter_names[ANONLAZY_MISSED], 0ULL);
	}
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

static double mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int client(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	memcpy(sa.sun_path, path, strnlen(path, sizeof(sa.sun_path) - 1));
	if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Read fd to its end (5 s at most) into out, NUL-terminated; close it. */
static long drain(int fd, char *out, size_t size)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	size_t n = 0;
	ssize_t r = 0;

	while (n < size - 1 && poll(&p, 1, 5000) == 1 &&
	       (r = read(fd, out + n, size - 1 - n)) > 0)
		n += (size_t)r;
	out[n] = '\0';
	close(fd);
	return r == 0 ? (long)n : -1;
}

/* Send req (NULL: nothing), half-close when shut, read the answer. */
static long ask(const char *req, bool shut, char *out, size_t size, double *secs)
{
	double t0 = mono();
	int fd = client();
	long n;

	if (fd < 0)
		return -1;
	if (req && write(fd, req, strlen(req)) != (ssize_t)strlen(req)) {
		close(fd);
		return -1;
	}
	if (shut)
		shutdown(fd, SHUT_WR);
	n = drain(fd, out, size);
	if (secs)
		*secs = mono() - t0;
	return n;
}

static void test_request_parse(void)
{
	char err[256];
	unsigned int show;

#define SEC(x) (1U << AL_BPF_SEC_##x)
	CHECK(!al_bpf_sock_request("", 0, &show, err, sizeof(err)) && show == SEC(STATS) &&
	      !al_bpf_sock_request("\n", 1, &show, err, sizeof(err)) && show == SEC(STATS) &&
	      !al_bpf_sock_request("\r\n", 2, &show, err, sizeof(err)) && show == SEC(STATS),
	      "sock request: nothing, or an empty line: the stats");
	CHECK(!al_bpf_sock_request("stats,latency,probes,processes\n", 31, &show, err,
				   sizeof(err)) &&
	      show == (SEC(STATS) | SEC(LATENCY) | SEC(PROBES) | SEC(PROCESSES)) &&
	      !al_bpf_sock_request("all\r\n", 5, &show, err, sizeof(err)) &&
	      show == (SEC(STATS) | SEC(LATENCY) | SEC(PROBES) | SEC(PROCESSES) | SEC(CENSUS)),
	      "sock request: the four sections, and all (with \\r\\n)");
	CHECK(!al_bpf_sock_request("processes,latency", 17, &show, err, sizeof(err)) &&
	      show == (SEC(LATENCY) | SEC(PROCESSES)),
	      "sock request: no newline (the client half-closed): the line as sent");
	CHECK(!al_bpf_sock_request("probes\nstats\n", 14, &show, err, sizeof(err)) &&
	      show == SEC(PROBES), "sock request: the first line only");
	CHECK(al_bpf_sock_request("stats,slabs\n", 12, &show, err, sizeof(err)) == -1 &&
	      !strcmp(err, "error: unknown section 'slabs'"),
	      "sock request: an unknown section named");
	CHECK(al_bpf_sock_request("x\n", 2, &show, err, sizeof(err)) == -1 &&
	      !strcmp(err, "error: unknown section 'x'") &&
	      al_bpf_sock_request("stats,\n", 7, &show, err, sizeof(err)) == -1 &&
	      !strcmp(err, "error: an empty section name in 'stats,'") &&
	      al_bpf_sock_request("a\0b\n", 4, &show, err, sizeof(err)) == -1 &&
	      !strncmp(err, "error: not a request line", 25),
	      "sock request: 'x', an empty name, a NUL byte: one error line each");
	CHECK(al_bpf_sock_request("\x1b[2J\n", 5, &show, err, sizeof(err)) == -1 &&
	      !strcmp(err, "error: unknown section '\\x1b[2J'") &&
	      al_bpf_sock_request("stats,,\x1b\n", 9, &show, err, sizeof(err)) == -1 &&
	      !strcmp(err, "error: an empty section name in 'stats,,\\x1b'"),
	      "sock request: the client's control bytes escaped in the error line");
}

struct silent {
	double secs;
	long n;
	char out[512];
};

/* A client of the old kind: connects, never writes nor half-closes. */
static void *silent_client(void *arg)
{
	struct silent *c = arg;

	c->n = ask(NULL, false, c->out, sizeof(c->out), &c->secs);
	return NULL;
}

static void test_requests(void)
{
	static struct silent quiet[AL_BPF_SOCK_PENDING + 4];
	pthread_t t[AL_BPF_SOCK_PENDING + 4];
	char out[1024], err[512];
	struct al_stats st;
	double secs, t0;
	unsigned int p0;
	int ok;

	atomic_store(&want_stats_only, false);
	p0 = atomic_load(&prints);
	CHECK(ask("stats,latency,probes,processes\n", true, out, sizeof(out), NULL) > 0 &&
	      atomic_load(&last_show) == 15 &&
	      !strncmp(out, "== stats\nprepare_calls ", 23) &&
	      strstr(out, "\nmissed 0\n== latency\nlatency ") &&
	      strstr(out, "\n== probes\nprobes ") && strstr(out, "\n== processes\nprocesses "),
	      "sock: a request of the four sections: each after its '== <section>' line");
	CHECK(ask("latency\n", false, out, sizeof(out), &secs) > 0 && secs < 0.5 &&
	      atomic_load(&last_show) == 1U << AL_BPF_SEC_LATENCY &&
	      !strncmp(out, "latency ", 8) && !strchr(out, '=') && strchr(out, '\n') == out + strlen(out) - 1,
	      "sock: one section, without '==', at once after its newline (no half-close)");
	CHECK(ask("x\n", true, out, sizeof(out), NULL) == 27 &&
	      !strcmp(out, "error: unknown section 'x'\n") &&
	      atomic_load(&prints) == p0 + 2,
	      "sock: an unknown section: one error line, then the end, nothing printed");
	CHECK(ask("", true, out, sizeof(out), &secs) > 0 && secs < 0.5 &&
	      !strncmp(out, "prepare_calls ", 14) && !strstr(out, "=="),
	      "sock: a half-close without a request: the plain stats at once");

	/* an old client waits its second; the others are served meanwhile */
	pthread_create(&t[0], NULL, silent_client, &quiet[0]);
	usleep(100000);
	t0 = mono();
	ok = !al_stats_read(path, &st, err, sizeof(err)) && st.present[ANONLAZY_PREPARE_CALLS] &&
	     ask("probes\n", true, out, sizeof(out), NULL) > 0 &&
	     !strncmp(out, "probes ", 7);
	secs = mono() - t0;
	pthread_join(t[0], NULL);
	CHECK(ok && secs < 0.5,
	      "sock: while a client that never writes waits, the stats reader and a request are served at once");
	CHECK(quiet[0].n > 0 && !strncmp(quiet[0].out, "prepare_calls ", 14) &&
	      !strstr(quiet[0].out, "==") &&
	      quiet[0].secs >= AL_BPF_SOCK_WAIT_MS / 1000.0 - 0.15 &&
	      quiet[0].secs < AL_BPF_SOCK_WAIT_MS / 1000.0 + 1.0,
	      "sock: a client that never writes nor closes gets the plain stats after the wait (1 s)");

	/* more silent clients than the server waits for at once */
	t0 = mono();
	for (int i = 0; i < AL_BPF_SOCK_PENDING + 4; i++)
		pthread_create(&t[i], NULL, silent_client, &quiet[i]);
	ok = 1;
	for (int i = 0; i < AL_BPF_SOCK_PENDING + 4; i++) {
		pthread_join(t[i], NULL);
		ok &= quiet[i].n > 0 && !strncmp(quiet[i].out, "prepare_calls ", 14);
	}
	secs = mono() - t0;
	CHECK(ok && secs < 2 * AL_BPF_SOCK_WAIT_MS / 1000.0 + 1.0,
	      "sock: 36 silent clients (32 wait at once, 4 in the backlog): all served, within two waits");
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
	test_request_parse();
	test_requests();

	again = al_bpf_sock_start((struct al_bpf *)1, path, err, sizeof(err));
	CHECK(!again && !strncmp(err, "--stats-socket ", 15) && strstr(err, "already exists"),
	      "sock: a path that exists is refused, with its name");
	if (again)
		al_bpf_sock_stop(again);

	{
		/* stopped while a silent client waits: it gets the end, no text */
		struct silent q;
		pthread_t qt;
		unsigned int before;
		double t0;

		pthread_create(&qt, NULL, silent_client, &q);
		usleep(100000);
		before = atomic_load(&prints);
		t0 = mono();
		al_bpf_sock_stop(s);
		pthread_join(qt, NULL);
		CHECK(mono() - t0 < 0.5 && q.n == 0 && atomic_load(&prints) == before &&
		      stat(path, &st) == -1 && errno == ENOENT,
		      "sock: stop ends the thread at once, without a print, drops a waiting client and removes the socket");
	}

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
