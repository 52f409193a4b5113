// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of anonlazy-top --source bpf (out/bin/anonlazy-top) against
 * anonlazy-bpf's real socket server (userspace/bpf_sock.c), run here,
 * with the BPF side replaced by a stub that prints known numbers with
 * anonlazy-bpf's own printers (userspace/bpf_print.c): the text screen,
 * --json read back by python's json and --prometheus by promtool carry
 * exactly those numbers; the processes section off (anonlazy-bpf without
 * --processes) said so; and every error: no socket, nobody serving it,
 * permission denied, not a socket, neither source for auto. Nothing is
 * loaded into the kernel.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/types.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "bpf_load.h"
#include "bpf_print.h"
#include "bpf_sock.h"
#include "top_bpf.h"

#define TOP "out/bin/anonlazy-top"

static atomic_uint prints;
static atomic_bool procs_off;	/* as anonlazy-bpf without --processes */
static atomic_bool census_off;	/* as anonlazy-bpf without its iterator */

/*
 * The stub: counter i is 1000 + 7 i, prepare_calls 10 more at each print;
 * walk_ksm is not counted; three processes, 4 events dropped.
 */
static uint64_t val(int i, unsigned int n)
{
	return 1000 + 7 * (uint64_t)i + (i == ANONLAZY_PREPARE_CALLS ? 10 * (uint64_t)n : 0);
}

int al_bpf_print(struct al_bpf *b, FILE *f, unsigned int show, char *err,
		 size_t errlen)
{
	unsigned int n = atomic_fetch_add(&prints, 1);
	static struct al_bpf_hist h;
	struct al_proc_row rows[3];
	uint64_t v[ANONLAZY_NR_COUNTERS];
	bool counted[ANONLAZY_NR_COUNTERS];
	const struct al_probe_line probes[] = {
		{ .symbol = "__anon_vma_prepare", .mech = "fentry",
		  .state = AL_PROBE_ATTACHED, .missed = 1 },
		{ .symbol = "anon_vma_fork", .mech = "fexit",
		  .state = AL_PROBE_ATTACHED, .missed = 2 },
		{ .symbol = "anon_vma_lazy_upgrade", .mech = "kprobe",
		  .state = AL_PROBE_FAILED, .err = -2, .hint = ANONLAZY_HINT_ENOENT },
	};

	(void)b;
	(void)err;
	(void)errlen;
	for (int i = 0; i < ANONLAZY_NR_COUNTERS; i++) {
		v[i] = val(i, n);
		counted[i] = i != ANONLAZY_WALK_KSM;
	}
	memset(&h, 0, sizeof(h));
	h.b[ANONLAZY_KIND_ANON][10] = 5;
	h.b[ANONLAZY_KIND_LAZY][11] = 7;
	h.b[ANONLAZY_KIND_FILE][12] = 3;
	memset(rows, 0, sizeof(rows));
	rows[0].tgid = 345;
	strcpy(rows[0].p.comm, "alwork");
	rows[0].p.c[ANONLAZY_PREPARE_CALLS] = 50 + 5 * (uint64_t)n;
	rows[0].p.c[ANONLAZY_FORK_CALLS] = 2;
	rows[0].p.c[ANONLAZY_LAZY_ROOTS] = 40;
	rows[0].p.c[ANONLAZY_UPGRADES] = 6;
	rows[1].tgid = 1;
	strcpy(rows[1].p.comm, "init");
	rows[1].p.c[ANONLAZY_PREPARE_CALLS] = 3;
	rows[2].tgid = 97;
	strcpy(rows[2].p.comm, "");
	rows[2].p.c[ANONLAZY_WALK_ANON] = 9;
	rows[2].p.c[ANONLAZY_WALK_ANON_LOCKED] = 9;
	for (int s = 0; s < AL_BPF_NR_SECTIONS; s++) {
		if (!(show & 1U << s))
			continue;
		if (show & (show - 1))
			fprintf(f, "== %s\n", al_bpf_section_names[s]);
		switch (s) {
		case AL_BPF_SEC_STATS:
			al_print_stats(f, v, counted);
			break;
		case AL_BPF_SEC_LATENCY:
			al_print_latency(f, &h);
			break;
		case AL_BPF_SEC_PROBES:
			for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]); i++)
				al_print_probe(f, &probes[i]);
			break;
		case AL_BPF_SEC_CENSUS: {
			/* key k is 100 + k, as anonlazy-bpf prints them */
			uint64_t t[ANONLAZY_NR_CENSUS_KEYS];

			for (int k = 0; k < ANONLAZY_NR_CENSUS_KEYS; k++)
				t[k] = 100 + (uint64_t)k;
			if (atomic_load(&census_off))
				al_print_census_off(f, -EOPNOTSUPP);
			else
				al_print_census(f, t);
			break;
		}
		default:
			if (atomic_load(&procs_off))
				al_print_procs_off(f);
			else
				al_print_procs(f, rows, 3, 4);
		}
	}
	return 0;
}

static char out[1 << 16], sock[200];

/* Run cmd (a shell line), stdout and stderr into out; its exit status. */
static int sh(const char *cmd)
{
	char line[2048];
	size_t n = 0, r;
	FILE *p;
	int st;

	snprintf(line, sizeof(line), "%s 2>&1", cmd);
	p = popen(line, "r");
	if (!p)
		return -1;
	while (n < sizeof(out) - 1 && (r = fread(out + n, 1, sizeof(out) - 1 - n, p)) > 0)
		n += r;
	out[n] = '\0';
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int top(const char *args)
{
	char cmd[1024];

	snprintf(cmd, sizeof(cmd), TOP " %s", args);
	return sh(cmd);
}

/* anonlazy-top's JSON of args, read by python: objs the objects, o the last. */
static int json(const char *args, const char *py)
{
	char cmd[1024], file[] = "/tmp/al-top-bpf-py.XXXXXX";
	int fd = mkstemp(file), r;
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;

	if (!f)
		return -1;
	fprintf(f, "import json, sys\n"
		"objs = [json.loads(l) for l in sys.stdin.read().splitlines()]\n"
		"o = objs[-1]\n%s\nprint('ok')\n", py);
	fclose(f);
	snprintf(cmd, sizeof(cmd), TOP " --source bpf --bpf-socket %s %s | python3 %s",
		 sock, args, file);
	r = sh(cmd) == 0 && strstr(out, "ok\n") ? 0 : -1;
	unlink(file);
	return r;
}

static void test_screen(void)
{
	char a[256], want[512];

	snprintf(a, sizeof(a), "--source bpf --bpf-socket %s --once", sock);
	snprintf(want, sizeof(want), ", source bpf (%s), up 0:00:00\n", sock);
	CHECK(top(a) == 0 && strstr(out, want), "top bpf: the header names the source and the socket");
	if (getenv("AL_TOP_BPF_SCREEN"))	/* the screen, for a look */
		fputs(out, stdout);
	snprintf(want, sizeof(want), "  prepare_calls%30llu            -  ",
		 (unsigned long long)val(ANONLAZY_PREPARE_CALLS, atomic_load(&prints) - 1));
	CHECK(strstr(out, want) &&
	      strstr(out, "  walk_anon_locked                       1140            -  ") &&
	      strstr(out, "  walk_ksm                               1042          off  "),
	      "top bpf: counters: the stub's totals, walk_ksm off (not counted)");
	/* the stub's key k is 100 + k: processes 100, vmas 101 ... */
	CHECK(strstr(out, "\nCENSUS (generation 119, walk 0.0 ms)\n") &&
	      strstr(out, "\n  processes 100  vmas 101: none 102, regular 103, lazy 104, parent 105, invalid 106\n") &&
	      strstr(out, "\n  ANON_VMA_LAZY would save (estimate): lazy roots 113, parent links 114, anon_vmas 115, chains 116, 117 bytes\n") &&
	      strstr(out, "\n    exact (simulated, VMAs born since the load): vmas 132, lazy roots 133, anon_vmas 134, chains 135, 136 bytes\n") &&
	      strstr(out, "\n  simulation: on, tracking 144 VMAs (145 would-be lazy), 146 dropped (sim_max_vmas 147)\n") &&
	      strstr(out, "\n  truncated: a bound of anonlazy-bpf's census was hit: the counts are partial\n") &&
	      !strstr(out, "\nPROCESSES"),
	      "top bpf: the census section shown as the module's, with no census processes");
	CHECK(strstr(out, "RMAP WALK LATENCY (ns, since anonlazy-bpf started)") &&
	      strstr(out, "\n  1024 -> 2047 : 5        |********************|   0        |                    |\n") &&
	      strstr(out, "\n  2048 -> 4095 : 0        |                    |   7        |********************|\n") &&
	      strstr(out, "\n  4096 -> 8191 : 3        |********************|   0        |                    |\n"),
	      "top bpf: latency: anon 5 and lazy 7 side by side, file 3");
	CHECK(strstr(out, "\nPROBES: 2 attached (missed 3), 0 off, 1 failed: anon_vma_lazy_upgrade kprobe error -2\n"),
	      "top bpf: probes: fentry and fexit attached, a failed kprobe");
	CHECK(strstr(out, "\nPROCESS EVENTS (bpf, since anonlazy-bpf started: 3 rows, 4 events dropped, by calls, first 20)\n") &&
	      strstr(out, "      PID COMM   CALLS     /s PREPARE FORK CLONE UNLINK WALK_ANON WALK_LAZY WALK_FILE WALK_KSM LAZY_ROOTS PARENT_LINKS UPGRADES\n") &&
	      strstr(out, "      345 alwork    "),
	      "top bpf: PROCESS EVENTS: the header and its columns");
	CHECK(strstr(out, "       97 ?          9      -       0    0     0      0         9         0         0        0          0            0        0\n") &&
	      strstr(out, "        1 init       3      -       3    0     0      0         0         0         0        0          0            0        0\n") &&
	      strstr(out, "      345 alwork") < strstr(out, "       97 ?") &&
	      strstr(out, "       97 ?") < strstr(out, "        1 init"),
	      "top bpf: PROCESS EVENTS: the rows' numbers, by calls (the empty comm as '?')");
	snprintf(a, sizeof(a), "--source bpf --bpf-socket %s --once -p 97 -s comm", sock);
	CHECK(top(a) == 0 && strstr(out, "by comm, first 20)") && strstr(out, "       97 ?") &&
	      !strstr(out, " alwork ") && !strstr(out, " init "),
	      "top bpf: -p 97: that process's row only");
	snprintf(a, sizeof(a), "--source bpf --bpf-socket %s -C 0.2 2", sock);
	CHECK(top(a) == 0 && strstr(out, "  prepare_calls ") &&
	      strstr(strstr(out, "this interval"), "      345 alwork") &&
	      strstr(out, "RMAP WALK LATENCY (ns, this interval)") &&
	      strstr(strstr(out, "this interval"), "  anon, lazy: no walks"),
	      "top bpf: two frames: the second's latency is the interval's (none)");
}

static void test_json(void)
{
	char py[4096];

	snprintf(py, sizeof(py),
		 "assert o['schema'] == 'anonlazy-top/1' and o['source'] == 'bpf'\n"
		 "assert o['bpf_socket'] == '%s' and o['debugfs'] is None and o['recorded'] is False\n"
		 "c = o['counters']\n"
		 "assert len(c) == 22 and o['absent'] == []\n"
		 "assert c['walk_anon_locked']['total'] == 1140 and c['missed']['total'] == 1147\n"
		 "assert c['walk_ksm']['disabled'] is True and c['walk_anon']['disabled'] is False\n"
		 "assert (c['prepare_calls']['total'] - 1000) %% 10 == 0\n"
		 "assert o['census']['vmas'] == 101 and o['census']['est_exact_lazy_roots'] == 133\n"
		 "assert 'lock_drops' not in o['census'] and o['processes'] is None\n"
		 "l = o['latency']\n"
		 "assert l['scope'] == 'total' and l['anon'] == [{'lo_ns': 1024, 'hi_ns': 2047, 'count': 5}]\n"
		 "assert l['lazy'] == [{'lo_ns': 2048, 'hi_ns': 4095, 'count': 7}] and l['ksm'] == []\n"
		 "assert o['probes'][1] == {'symbol': 'anon_vma_fork', 'kind': 'fexit', 'state': 'attached', 'missed': 2}\n"
		 "assert o['probes'][2]['error'] == -2\n"
		 "assert o['process_events_dropped'] == 4 and o['process_events_off'] is False\n"
		 "e = o['process_events']\n"
		 "assert [r['pid'] for r in e] == [345, 97, 1], e\n"
		 "assert e[2] == {'pid': 1, 'comm': 'init', 'calls': 3, 'calls_delta': None, 'calls_rate': None, 'counters': dict((k, 3 if k == 'prepare_calls' else 0) for k in c if k != 'missed')}\n"
		 "assert e[0]['counters']['lazy_roots'] == 40 and e[0]['counters']['upgrades'] == 6\n"
		 "assert e[0]['calls'] == e[0]['counters']['prepare_calls'] + 2\n",
		 sock);
	CHECK(json("--once --json", py) == 0, "top bpf --json: python json parses it, exact numbers");
	if (!strstr(out, "ok\n"))
		printf("# %s\n", out);
	CHECK(json("--json 0.2 3",
		   "assert [x['seq'] for x in objs] == [1, 2, 3]\n"
		   "assert objs[0]['process_events'][0]['calls_delta'] is None\n"
		   "assert o['counters']['prepare_calls']['delta'] == 10\n"
		   "assert o['counters']['walk_anon']['delta'] == 0\n"
		   "e = o['process_events'][0]\n"
		   "assert e['pid'] == 345 and e['calls_delta'] == 5 and e['calls_rate'] > 0\n"
		   "assert o['latency']['scope'] == 'interval' and o['latency']['anon'] == []") == 0,
	      "top bpf --json 0.2 3: a connection a frame: prepare_calls +10, alwork's calls +5 a frame");
	if (!strstr(out, "ok\n"))
		printf("# %s\n", out);
}

/* anonlazy-bpf without its census iterator: the census section's off line. */
static void test_census_off(void)
{
	char a[256];

	atomic_store(&census_off, true);
	snprintf(a, sizeof(a), "--source bpf --bpf-socket %s --once", sock);
	CHECK(top(a) == 0 &&
	      strstr(out, "\nCENSUS: none from this anonlazy-bpf (its census iterator is not attached, or it is older)\n") &&
	      strstr(out, "  prepare_calls "),
	      "top bpf: census off: CENSUS says so; the counters as before");
	atomic_store(&census_off, false);
}

/* anonlazy-bpf without --processes: its processes section is the off line. */
static void test_procs_off(void)
{
	char a[256];

	atomic_store(&procs_off, true);
	snprintf(a, sizeof(a), "--source bpf --bpf-socket %s --once", sock);
	CHECK(top(a) == 0 &&
	      strstr(out, "\nPROCESS EVENTS (bpf): off in anonlazy-bpf (its per-process rows: start it with --processes)\n") &&
	      !strstr(out, "      PID COMM") && strstr(out, "  prepare_calls "),
	      "top bpf: rows off: PROCESS EVENTS says so and how to turn them on, no table; the counters as before");
	CHECK(json("--once --json",
		   "assert o['process_events_off'] is True\n"
		   "assert o['process_events'] is None and o['process_events_dropped'] is None\n"
		   "assert o['counters']['walk_anon_locked']['total'] == 1140") == 0,
	      "top bpf --json: rows off: process_events_off true, process_events null");
	if (!strstr(out, "ok\n"))
		printf("# %s\n", out);
	atomic_store(&procs_off, false);
}

static void test_prom(void)
{
	char cmd[1024];

	if (system("command -v promtool > /dev/null")) {
		printf("SKIP: host: top bpf --prometheus: no promtool\n");
		return;
	}
	snprintf(cmd, sizeof(cmd), TOP " --source bpf --bpf-socket %s --prometheus | promtool check metrics", sock);
	CHECK(sh(cmd) == 0, "top bpf --prometheus: promtool check metrics is clean");
	snprintf(cmd, sizeof(cmd), TOP " --source bpf --bpf-socket %s --prometheus", sock);
	CHECK(sh(cmd) == 0 && strstr(out, "\nanonlazy_walk_anon_locked_total 1140\n") &&
	      strstr(out, "\nanonlazy_stats_enabled{name=\"walk_ksm\"} 0\n") &&
	      strstr(out, "\nanonlazy_walk_latency_walks_total{kind=\"lazy\",lo_ns=\"2048\",hi_ns=\"4095\"} 7\n") &&
	      strstr(out, "\nanonlazy_probe_missed_total{symbol=\"anon_vma_fork\",kind=\"fexit\"} 2\n") &&
	      strstr(out, "\nanonlazy_census_est_exact_lazy_roots 133\n") &&
	      strstr(out, "\nanonlazy_census_walk_seconds 0.000000121\n") &&
	      !strstr(out, "anonlazy_census_lock_drops"),
	      "top bpf --prometheus: the exact samples, the census's keys (none it has not)");
}

/* A server of the time before requests: stats, then close, unread. */
static int old_fd = -1;

static void *old_server(void *arg)
{
	const char text[] = "prepare_calls 77\nmissed 0\n";
	int c = accept(old_fd, NULL, NULL);

	(void)arg;
	if (c >= 0) {
		usleep(50000);	/* the request arrives, and is never read */
		if (write(c, text, sizeof(text) - 1) < 0)
			perror("write");
		close(c);
	}
	return NULL;
}

static int listen_at(const char *path, bool listening)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	memcpy(sa.sun_path, path, strnlen(path, sizeof(sa.sun_path) - 1));
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    (listening && listen(fd, 4))) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

static void test_errors(const char *dir)
{
	char a[1024], want[1024], path[100];
	pthread_t t;
	int fd;

	snprintf(path, sizeof(path), "%s/none.sock", dir);
	snprintf(a, sizeof(a), "--source bpf --bpf-socket %s --once", path);
	snprintf(want, sizeof(want),
		 "anonlazy-top: %s: no such socket: start anonlazy-bpf --stats-socket %s\n", path, path);
	CHECK(top(a) == 1 && !strcmp(out, want), "top bpf: no socket: one line, how to start it, exit 1");

	snprintf(path, sizeof(path), "%s/dead.sock", dir);
	fd = listen_at(path, false);
	close(fd);
	snprintf(a, sizeof(a), "--source bpf --bpf-socket %s --once", path);
	snprintf(want, sizeof(want),
		 "anonlazy-top: %s: nobody serves this socket (has anonlazy-bpf exited?): remove it and start anonlazy-bpf --stats-socket %s\n",
		 path, path);
	CHECK(fd >= 0 && top(a) == 1 && !strcmp(out, want),
	      "top bpf: a socket nobody serves (ECONNREFUSED): said so, exit 1");
	unlink(path);

	snprintf(a, sizeof(a), "--source bpf --bpf-socket %s --once", "tests/host/test_top_bpf.c");
	CHECK(top(a) == 1 &&
	      !strcmp(out, "anonlazy-top: tests/host/test_top_bpf.c: not a socket (--bpf-socket wants the PATH of anonlazy-bpf --stats-socket PATH)\n"),
	      "top bpf: not a socket: said so");

	/* the socket is root's, mode 0600, in a 0700 directory: run as nobody */
	snprintf(a, sizeof(a),
		 "setpriv --reuid=65534 --regid=65534 --clear-groups " TOP " --source bpf --bpf-socket %s --once",
		 sock);
	snprintf(want, sizeof(want),
		 "anonlazy-top: %s: permission denied: anonlazy-bpf's socket is root's (mode 0600); run anonlazy-top as root (sudo)\n",
		 sock);
	if (geteuid() != 0 || system("command -v setpriv > /dev/null"))
		printf("SKIP: host: top bpf: permission denied: not root, or no setpriv\n");
	else
		CHECK(sh(a) == 1 && !strcmp(out, want),
		      "top bpf: permission denied (a user other than the socket's): run as root, exit 1");

	if (access(ANONLAZY_DEBUGFS_PATH, F_OK) == 0) {
		printf("SKIP: host: top bpf: --source auto: the module is loaded here\n");
	} else {
		snprintf(a, sizeof(a), "--bpf-socket %s --once", sock);
		snprintf(want, sizeof(want), ", source bpf (%s), up", sock);
		CHECK(top(a) == 0 && strstr(out, want) && strstr(out, "PROCESS EVENTS (bpf"),
		      "top bpf: --source auto without the module: the BPF socket");
		snprintf(a, sizeof(a), "--source auto --bpf-socket %s/none.sock --once", dir);
		snprintf(want, sizeof(want), "; or %s/none.sock: no such socket: start anonlazy-bpf --stats-socket %s/none.sock\n",
			 dir, dir);
		CHECK(top(a) == 1 && !strncmp(out, "anonlazy-top: no source: " ANONLAZY_DEBUGFS_PATH ": ", 25 + strlen(ANONLAZY_DEBUGFS_PATH) + 2) &&
		      strstr(out, want) && strchr(out, '\n') == out + strlen(out) - 1,
		      "top bpf: --source auto with neither: one line naming the module and the socket");
	}
	CHECK(top("--source module --bpf-socket /x") == 2 &&
	      strstr(out, "--bpf-socket is for --source bpf or auto"),
	      "top bpf: --bpf-socket with --source module: usage error");

	snprintf(path, sizeof(path), "%s/old.sock", dir);
	old_fd = listen_at(path, true);
	pthread_create(&t, NULL, old_server, NULL);
	snprintf(a, sizeof(a), "--source bpf --bpf-socket %s --once", path);
	CHECK(old_fd >= 0 && top(a) == 0 &&
	      strstr(out, "  prepare_calls                            77            -  ") &&
	      strstr(out, "absent from stats (an older module?): prepare_attached") &&
	      strstr(out, "PROCESS EVENTS (bpf): no processes section from anonlazy-bpf"),
	      "top bpf: an anonlazy-bpf older than requests: its stats alone");
	pthread_join(t, NULL);
	close(old_fd);
	unlink(path);
}

int main(void)
{
	char dir[] = "/tmp/al-top-bpf.XXXXXX", err[512];
	struct al_bpf_sock *s;

	test_init();
	CHECK(!strcmp(TOP_EVENTS_DROPPED, AL_BPF_DROPPED_KEY),
	      "top bpf: the processes section's dropped key is bpf_print.h's");
	CHECK(!strcmp(TOP_EVENTS_OFF, AL_BPF_PROCS_OFF_KEY) &&
	      !strncmp(AL_BPF_PROCS_OFF, TOP_EVENTS_OFF, strlen(TOP_EVENTS_OFF)),
	      "top bpf: the processes section's off key is bpf_print.h's");
	if (!mkdtemp(dir)) {
		printf("FAIL: host: top bpf: mkdtemp: %s\n", strerror(errno));
		return 1;
	}
	snprintf(sock, sizeof(sock), "%s/al.sock", dir);
	s = al_bpf_sock_start((struct al_bpf *)1, sock, err, sizeof(err));
	CHECK(s != NULL, "top bpf: the stub anonlazy-bpf serves its socket");
	if (!s)
		return test_exit();
	test_screen();
	test_json();
	test_procs_off();
	test_census_off();
	test_prom();
	test_errors(dir);
	al_bpf_sock_stop(s);
	rmdir(dir);
	return test_exit();
}
