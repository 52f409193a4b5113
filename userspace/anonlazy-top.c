// SPDX-License-Identifier: GPL-2.0
/*
 * anonlazy-top: the anonlazy counters with their rates, the slab caches
 * an anon_vma costs, the census, the rmap walk latency and the processes,
 * redrawn every interval (issue 13). Reads the module's debugfs files
 * (or a recorded copy); never writes reset: rates come from its own
 * snapshots.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "top_json.h"
#include "top_opts.h"
#include "top_prom.h"
#include "top_snap.h"
#include "top_text.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int die(int code, const char *msg)
{
	fprintf(stderr, "anonlazy-top: %s\n", msg);
	return code;
}

/* Where the frames come from: the module's directory, or an error. */
static int pick_source(const struct top_opts *o, char *err, size_t errlen)
{
	char why[600];

	if (o->source == TOP_SRC_BPF) {
		snprintf(err, errlen,
			 "--source bpf is not supported yet (issue 13): load the anonlazy module and use --source module");
		return -1;
	}
	if (!top_check_dir(o->debugfs, !o->debugfs_given, why, sizeof(why)))
		return 0;
	if (o->source == TOP_SRC_AUTO && !o->debugfs_given)
		snprintf(err, errlen, "%s (and the BPF source is not supported yet)", why);
	else
		snprintf(err, errlen, "%s", why);
	return -1;
}

static double mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Sleep until CLOCK_MONOTONIC reaches t; false when a signal stops us. */
static bool sleep_until(double t)
{
	struct timespec ts = {
		.tv_sec = (time_t)t,
		.tv_nsec = (long)((t - (double)(time_t)t) * 1e9),
	};

	while (!stop) {
		int r = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);

		if (r == 0)
			return true;
		if (r != EINTR)
			return false;
	}
	return false;
}

int main(int argc, char **argv)
{
	static struct top_snap snaps[2];
	struct top_snap *cur = &snaps[0], *prev = NULL;
	struct sigaction sa = { .sa_handler = on_signal };
	struct top_opts o;
	char err[1024], slabinfo[4096];
	double start;
	bool tty = isatty(STDOUT_FILENO);

	if (top_opts_parse(argc, argv, &o, err, sizeof(err)))
		return die(2, err);
	if (o.help) {
		fputs(top_usage, stdout);
		return 0;
	}
	if (pick_source(&o, err, sizeof(err)))
		return die(1, err);
	/* a recorded tree brings its own slabinfo */
	if (o.debugfs_given && !o.slabinfo_given) {
		snprintf(slabinfo, sizeof(slabinfo), "%s/slabinfo", o.debugfs);
		if (access(slabinfo, F_OK) == 0)
			o.slabinfo = slabinfo;
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	start = mono();
	for (uint64_t seq = 1; !stop; seq++) {
		struct top_frame f = {
			.cur = cur, .prev = prev, .o = &o, .source = "module",
			.seq = seq,
		};

		if (top_snap_read(o.debugfs, o.slabinfo, cur, err, sizeof(err))) {
			top_snap_free(&snaps[0]);
			top_snap_free(&snaps[1]);
			return die(1, err);
		}
		f.elapsed = cur->t - start;
		switch (o.format) {
		case TOP_FMT_JSON:
			top_render_json(stdout, &f);
			break;
		case TOP_FMT_PROM:
			top_render_prom(stdout, &f);
			break;
		default:
			if (!o.noclear && tty)
				fputs("\033[H\033[2J", stdout);
			else if (seq > 1)
				fputc('\n', stdout);
			top_render_text(stdout, &f);
			break;
		}
		if (fflush(stdout) || ferror(stdout))
			break;
		if (o.count > 0 && seq >= (uint64_t)o.count)
			break;
		if (!sleep_until(start + (double)seq * o.interval))
			break;
		prev = cur;
		cur = cur == &snaps[0] ? &snaps[1] : &snaps[0];
	}
	top_snap_free(&snaps[0]);
	top_snap_free(&snaps[1]);
	return ferror(stdout) ? 1 : 0;
}
