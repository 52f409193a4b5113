// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of anonlazy-top's keys (userspace/top_keys.c): the table,
 * the wait on a pipe (a key, the deadline, end of file), no raw mode on
 * a non-terminal, and every key in --help, the man page's KEYS and the
 * key line of the screen. The keys on a real terminal: test_top_tty.c.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "anonlazy.h"
#include "top_file.h"
#include "top_keys.h"
#include "top_opts.h"

#define MAN "userspace/anonlazy-top.1"

static volatile sig_atomic_t no_stop, stopped = 1, woken = 1;

static void test_table(void)
{
	int sort = -99;

	CHECK(top_key_action('q', &sort) == TOP_KEY_QUIT && sort == -99, "top keys: q quits");
	CHECK(top_key_action('p', &sort) == TOP_KEY_PAUSE && sort == -99, "top keys: p pauses");
	CHECK(top_key_action('l', &sort) == TOP_KEY_SORT && sort == ANONLAZY_PROC_LAZY,
	      "top keys: l sorts by lazy");
	CHECK(top_key_action('i', &sort) == TOP_KEY_SORT && sort == ANONLAZY_PROC_PID,
	      "top keys: i sorts by pid");
	CHECK(top_key_action('m', &sort) == TOP_KEY_SORT && sort == TOP_SORT_COMM,
	      "top keys: m sorts by comm");
	sort = -99;
	CHECK(top_key_action('x', &sort) == TOP_KEY_NONE && top_key_action('Q', &sort) == TOP_KEY_NONE &&
	      top_key_action(0x1b, &sort) == TOP_KEY_NONE && sort == -99,
	      "top keys: other keys do nothing");
}

static void test_wait(void)
{
	int p[2], fd, c = 0;
	double t0;

	if (pipe(p)) {
		CHECK(0, "top keys: pipe");
		return;
	}
	CHECK(!top_keys_start(p[0], STDOUT_FILENO) && !top_keys_start(STDIN_FILENO, p[1]),
	      "top keys: no raw mode unless stdin and stdout are terminals");
	fd = p[0];
	CHECK(write(p[1], "l", 1) == 1 && top_keys_wait(&fd, -1, &no_stop, NULL, &c) == 1 && c == 'l',
	      "top keys: a key wakes the wait");
	t0 = top_mono();
	CHECK(top_keys_wait(&fd, t0 + 0.15, &no_stop, NULL, &c) == 0 && top_mono() - t0 >= 0.15 &&
	      top_mono() - t0 < 1.0 && fd == p[0],
	      "top keys: no key: the wait ends at the deadline");
	CHECK(top_keys_wait(&fd, -1, &stopped, NULL, &c) == -1, "top keys: a stop ends the wait");
	CHECK(top_keys_wait(&fd, -1, &no_stop, &woken, &c) == 2 && fd == p[0],
	      "top keys: a wake (SIGWINCH) ends the wait, the keys stay");
	CHECK(top_keys_wait(&fd, -1, &stopped, &woken, &c) == -1,
	      "top keys: a stop and a wake: the stop wins");
	close(p[1]);
	t0 = top_mono();
	CHECK(top_keys_wait(&fd, t0 + 0.1, &no_stop, NULL, &c) == 0 && fd == -1 &&
	      top_mono() - t0 >= 0.1,
	      "top keys: end of file stops the keys, the wait goes on to the deadline");
	CHECK(top_keys_wait(&fd, -1, &stopped, NULL, &c) == -1, "top keys: no keys, stopped");
	close(p[0]);
}

/*
 * The key columns of a Keys section: in --help, each line's text before
 * its two-space gap; in the man page, each .TP tag (the quotes and
 * commas of .BR dropped). Each key a word of out, between spaces.
 */
static void help_keys(char *out, size_t size)
{
	const char *p = strstr(top_usage, "\nKeys");

	*out = '\0';
	for (p = p ? strchr(p + 1, '\n') : NULL; p && p[1] && p[1] != '\n'; p = strchr(p + 1, '\n')) {
		const char *l = p + 1, *gap;

		if (strncmp(l, "  ", 2) || l[2] == ' ')
			continue;
		gap = strstr(l + 2, "  ");
		snprintf(out + strlen(out), size - strlen(out), " %.*s ",
			 (int)(gap - l - 2), l + 2);
	}
}

static void man_keys(const char *man, char *out, size_t size)
{
	const char *p = strstr(man, "\n.SH KEYS\n"), *end;

	*out = '\0';
	end = p ? strstr(p + 1, "\n.SH ") : NULL;
	for (p = p ? strstr(p, "\n.TP\n") : NULL; p && p < end; p = strstr(p + 1, "\n.TP\n")) {
		const char *t = p + 5, *e = strchr(t, '\n');
		size_t n = strlen(out);

		t += strncmp(t, ".BR ", 4) ? strncmp(t, ".B ", 3) ? 0 : 3 : 4;
		out[n++] = ' ';
		for (; t < e && n + 2 < size; t++)
			if (*t != '"' && *t != ',')
				out[n++] = *t;
		out[n++] = ' ';
		out[n] = '\0';
	}
}

static void test_docs(void)
{
	char *man, help[256], mkeys[256], missing[128] = "";
	size_t len;

	if (top_read_file(MAN, 1 << 20, &man, &len)) {
		CHECK(0, "top keys: " MAN " is readable");
		return;
	}
	help_keys(help, sizeof(help));
	man_keys(man, mkeys, sizeof(mkeys));
	for (const struct top_key *k = top_keys; k->c; k++) {
		char w[8];
		bool h, m, s;

		snprintf(w, sizeof(w), " %c ", k->c);
		h = strstr(help, w);
		m = strstr(mkeys, w);
		s = strstr(top_keys_line, w);
		if (!h || !m || !s)
			snprintf(missing + strlen(missing), sizeof(missing) - strlen(missing),
				 " %c(%s%s%s)", k->c, h ? "" : " help", m ? "" : " man",
				 s ? "" : " line");
	}
	if (*missing)
		printf("# keys not documented:%s\n# help:%s\n# man:%s\n", missing, help, mkeys);
	CHECK(strlen(help) >= 20 && strlen(mkeys) >= 20 && !*missing,
	      "top keys: every key in --help, the man page's KEYS and the screen's key line");
	free(man);
}

int main(void)
{
	test_init();
	test_table();
	test_wait();
	test_docs();
	return test_exit();
}
