// SPDX-License-Identifier: GPL-2.0
/*
 * anonlazy-top: the anonlazy counters with their rates, the slab caches
 * an anon_vma costs, the census, the rmap walk latency and the processes,
 * redrawn every interval (issue 13). Reads the module's debugfs files
 * (or a recorded copy), or a running anonlazy-bpf's socket (--source
 * bpf); never writes reset: rates come from its own snapshots.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "esc.h"
#include "top_bpf.h"
#include "top_fit.h"
#include "top_json.h"
#include "top_keys.h"
#include "top_opts.h"
#include "top_prom.h"
#include "top_snap.h"
#include "top_text.h"

static volatile sig_atomic_t stop, resized;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void on_winch(int sig)
{
	(void)sig;
	resized = 1;
}

/* The one line of an error; the bytes of input it quotes escaped (esc.h). */
static int die(int code, const char *msg)
{
	al_msg(stderr, "anonlazy-top", msg);
	return code;
}

/*
 * Where the frames come from: TOP_SRC_MODULE (its directory) or
 * TOP_SRC_BPF (anonlazy-bpf's socket); -1 with err naming what is
 * missing and how to get it.
 */
static int pick_source(const struct top_opts *o, char *err, size_t errlen)
{
	char why[480], why_bpf[400];
	int e;

	if (o->source == TOP_SRC_BPF) {
		if (top_bpf_check(o->bpf_socket, err, errlen))
			return -1;
		return TOP_SRC_BPF;
	}
	e = top_check_dir(o->debugfs, !o->debugfs_given, why, sizeof(why));
	if (!e)
		return TOP_SRC_MODULE;
	/* auto: the module's directory, else anonlazy-bpf's socket */
	if (o->source == TOP_SRC_MODULE || o->debugfs_given || e != ENOENT) {
		snprintf(err, errlen, "%s", why);
		return -1;
	}
	if (!top_bpf_check(o->bpf_socket, why_bpf, sizeof(why_bpf)))
		return TOP_SRC_BPF;
	snprintf(err, errlen, "no source: %s; or %s", why, why_bpf);
	return -1;
}

/* The frames drawn so far (a -C frame after the first is set apart). */
static unsigned long drawn;
/* The last screen cut to the terminal ended without a newline. */
static bool mid_line;

/* Before anything else goes to the terminal: end the screen's last line. */
static void end_line(void)
{
	if (mid_line)
		fputc('\n', stdout);
	mid_line = false;
	fflush(stdout);
}

/*
 * Draw f: text, JSON or Prometheus; false when stdout failed. Text on a
 * terminal is drawn on a cleared screen, unless -C; and cut to the
 * terminal's size (top_fit.h) when there is more than one frame.
 */
static bool draw(const struct top_frame *f, bool tty)
{
	int rows, cols;

	switch (f->o->format) {
	case TOP_FMT_JSON:
		top_render_json(stdout, f);
		break;
	case TOP_FMT_PROM:
		top_render_prom(stdout, f);
		break;
	default:
		if (!f->o->noclear && tty)
			fputs("\033[H\033[2J", stdout);
		else if (drawn)
			fputc('\n', stdout);
		if (!f->o->noclear && tty && f->o->count != 1 &&
		    top_term_size(STDOUT_FILENO, &rows, &cols))
			mid_line = top_render_fit(stdout, f, rows, cols) > 0;
		else
			top_render_text(stdout, f);
		break;
	}
	drawn++;
	return !fflush(stdout) && !ferror(stdout);
}

static char status_buf[512];

/* The key line of an interactive screen (NULL without keys). */
static const char *status(bool keys, bool paused)
{
	if (!keys)
		return NULL;
	snprintf(status_buf, sizeof(status_buf), "%s%s",
		 paused ? "PAUSED (p resumes): " : "", top_keys_line);
	return status_buf;
}

/*
 * Wait for the time of the next frame, *next, taking keys from *kfd
 * (-1: none): a sort key redraws f sorted anew, p pauses (redraws f
 * marked paused, then waits for keys only) and resumes (the next frame
 * at once); a new terminal size (SIGWINCH) redraws f at once. False:
 * quit (q, a signal, stdout failed).
 */
static bool wait_next(struct top_frame *f, struct top_opts *o, double *next,
		      int *kfd, bool tty)
{
	bool paused = false;

	for (;;) {
		int c = 0, sort, r = top_keys_wait(kfd, paused ? -1 : *next, &stop,
						   &resized, &c);

		if (r < 0)
			return false;
		if (r == 0)
			return true;
		if (r == 2) {
			resized = 0;	/* redrawn below, cut to the new size */
		} else {
			switch (top_key_action(c, &sort)) {
			case TOP_KEY_QUIT:
				return false;
			case TOP_KEY_PAUSE:
				paused = !paused;
				if (!paused) {
					*next = top_mono();
					return true;
				}
				break;
			case TOP_KEY_SORT:
				o->sort = sort;
				break;
			default:
				continue;
			}
			f->status = status(true, paused);
		}
		if (!draw(f, tty))
			return false;
	}
}

int main(int argc, char **argv)
{
	static struct top_snap snaps[2];
	struct top_snap *cur = &snaps[0], *prev = NULL;
	struct sigaction sa = { .sa_handler = on_signal };
	struct sigaction winch = { .sa_handler = on_winch, .sa_flags = SA_RESTART };
	struct top_opts o;
	char err[1024], slabinfo[4096];
	double start, next;
	bool tty = isatty(STDOUT_FILENO), keys;
	int kfd = -1, src;

	if (top_opts_parse(argc, argv, &o, err, sizeof(err)))
		return die(2, err);
	if (o.help) {
		fputs(top_usage, stdout);
		return 0;
	}
	src = pick_source(&o, err, sizeof(err));
	if (src < 0)
		return die(1, err);
	/* a recorded tree brings its own slabinfo */
	if (o.debugfs_given && !o.slabinfo_given) {
		snprintf(slabinfo, sizeof(slabinfo), "%s/slabinfo", o.debugfs);
		if (access(slabinfo, F_OK) == 0)
			o.slabinfo = slabinfo;
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGWINCH, &winch, NULL);
	/* keys: a text screen of more than one frame, on a terminal */
	keys = o.format == TOP_FMT_TEXT && o.count != 1 &&
	       top_keys_start(STDIN_FILENO, STDOUT_FILENO);
	if (keys)
		kfd = STDIN_FILENO;
	start = next = top_mono();
	for (uint64_t seq = 1; !stop; seq++) {
		struct top_frame f = {
			.cur = cur, .prev = prev, .o = &o, .seq = seq,
			.source = src == TOP_SRC_BPF ? "bpf" : "module", .src = src,
			.where = src == TOP_SRC_BPF ? o.bpf_socket : o.debugfs,
			.status = status(keys, false),
		};
		int r = src == TOP_SRC_BPF ?
			top_bpf_read(o.bpf_socket, o.slabinfo, cur, err, sizeof(err)) :
			top_snap_read(o.debugfs, o.slabinfo, cur, err, sizeof(err));

		if (r) {
			end_line();
			top_keys_restore();
			top_snap_free(&snaps[0]);
			top_snap_free(&snaps[1]);
			return die(1, err);
		}
		f.elapsed = cur->t - start;
		if (!draw(&f, tty))
			break;
		if (o.count > 0 && seq >= (uint64_t)o.count)
			break;
		/* on time, unless a pause or a slow read put us behind */
		next += o.interval;
		if (next < top_mono())
			next = top_mono() + o.interval;
		if (!wait_next(&f, &o, &next, &kfd, tty))
			break;
		prev = cur;
		cur = cur == &snaps[0] ? &snaps[1] : &snaps[0];
	}
	end_line();
	top_keys_restore();
	top_snap_free(&snaps[0]);
	top_snap_free(&snaps[1]);
	return ferror(stdout) ? 1 : 0;
}
