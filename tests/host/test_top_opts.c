// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of anonlazy-top's command line (userspace/top_opts.c), and of
 * its man page: every option --help lists is in userspace/anonlazy-top.1's
 * OPTIONS and every one there is in --help.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "anonlazy.h"
#include "top_file.h"
#include "top_opts.h"

#define MAN "userspace/anonlazy-top.1"

static struct top_opts o;
static char err[512];

static int parse(const char *line)
{
	static char buf[8192];
	char *argv[32], *save = NULL;
	int argc = 0;

	snprintf(buf, sizeof(buf), "anonlazy-top %s", line);
	for (char *t = strtok_r(buf, " ", &save); t && argc < 31; t = strtok_r(NULL, " ", &save))
		argv[argc++] = t;
	argv[argc] = NULL;
	err[0] = '\0';
	return top_opts_parse(argc, argv, &o, err, sizeof(err));
}

static void test_parse(void)
{
	CHECK(parse("") == 0 && o.interval == 1.0 && o.count == -1 && !o.noclear &&
	      o.rows == 20 && o.pid == -1 && o.sort == ANONLAZY_PROC_VMAS &&
	      o.source == TOP_SRC_AUTO && o.format == TOP_FMT_TEXT &&
	      !strcmp(o.debugfs, "/sys/kernel/debug/anon_vma_lazy") && !o.debugfs_given &&
	      !strcmp(o.slabinfo, "/proc/slabinfo"),
	      "top opts: defaults");
	CHECK(parse("-C -s est_saved_bytes -r 5 -p 42 0.5 3") == 0 && o.noclear &&
	      o.sort == ANONLAZY_PROC_EST_SAVED_BYTES && o.rows == 5 && o.pid == 42 &&
	      o.interval == 0.5 && o.count == 3,
	      "top opts: bcc's -C -s -r -p, interval and count");
	CHECK(parse("--noclear --sort=comm --rows 7 --pid=9 2") == 0 && o.noclear &&
	      o.sort == TOP_SORT_COMM && o.rows == 7 && o.pid == 9 && o.interval == 2.0,
	      "top opts: long forms, with = and without");
	CHECK(parse("-spid -r3") == 0 && o.sort == ANONLAZY_PROC_PID && o.rows == 3,
	      "top opts: short options with attached values");
	CHECK(parse("--once --json --source module --debugfs /x --slabinfo /y") == 0 &&
	      o.count == 1 && o.format == TOP_FMT_JSON && o.source == TOP_SRC_MODULE &&
	      !strcmp(o.debugfs, "/x") && o.debugfs_given && !strcmp(o.slabinfo, "/y") &&
	      o.slabinfo_given, "top opts: --once --json --source --debugfs --slabinfo");
	CHECK(parse("") == 0 && !strcmp(o.bpf_socket, "/run/anonlazy-bpf.sock") &&
	      !o.bpf_socket_given &&
	      parse("--source bpf --bpf-socket /tmp/al.sock") == 0 && o.source == TOP_SRC_BPF &&
	      !strcmp(o.bpf_socket, "/tmp/al.sock") && o.bpf_socket_given &&
	      parse("--bpf-socket=/s") == 0 && o.source == TOP_SRC_AUTO && !strcmp(o.bpf_socket, "/s"),
	      "top opts: --source bpf, --bpf-socket (default /run/anonlazy-bpf.sock)");
	CHECK(parse("--source bpf --debugfs /x") == -1 &&
	      !strcmp(err, "--debugfs reads the module's recorded files: not with --source bpf") &&
	      parse("--source module --bpf-socket /s") == -1 &&
	      !strcmp(err, "--bpf-socket is for --source bpf or auto") &&
	      parse("--bpf-socket=") == -1 && !strcmp(err, "--bpf-socket needs a path"),
	      "top opts: --debugfs with bpf, --bpf-socket with module, an empty path");
	CHECK(parse("--prometheus 1 5") == 0 && o.count == 1 && o.format == TOP_FMT_PROM,
	      "top opts: --prometheus prints one exposition");
	CHECK(parse("-h") == 0 && o.help && parse("--help") == 0 && o.help,
	      "top opts: -h and --help");

	CHECK(parse("0") == -1 && strstr(err, "bad interval '0'"), "top opts: interval 0");
	CHECK(parse("-1") == -1 && strstr(err, "bad interval '-1'"), "top opts: negative interval");
	CHECK(parse("1x") == -1 && strstr(err, "bad interval '1x'"), "top opts: interval with junk");
	CHECK(parse("nan") == -1 && parse("inf") == -1 && parse("86401") == -1,
	      "top opts: nan, inf and more than a day refused");
	CHECK(parse("1 0") == -1 && strstr(err, "bad count '0'"), "top opts: count 0");
	CHECK(parse("1 2.5") == -1 && strstr(err, "bad count"), "top opts: fractional count");
	CHECK(parse("1 2 3") == -1 && strstr(err, "unexpected argument '3'"),
	      "top opts: a third argument");
	CHECK(parse("-s nope") == -1 && strstr(err, "bad sort key 'nope'") &&
	      strstr(err, "est_saved_bytes"), "top opts: a bad sort key lists the good ones");
	CHECK(parse("-r 0") == -1 && strstr(err, "bad rows"), "top opts: -r 0");
	CHECK(parse("-p -5") == -1 && strstr(err, "bad pid"), "top opts: negative pid");
	CHECK(parse("-r") == -1 && strstr(err, "needs a value"), "top opts: -r without value");
	CHECK(parse("--debugfs") == -1 && strstr(err, "--debugfs needs a value"),
	      "top opts: --debugfs without value");
	CHECK(parse("--source kernel") == -1 && strstr(err, "bad source 'kernel'"),
	      "top opts: a bad source");
	CHECK(parse("--json --prometheus") == -1 && strstr(err, "exclude"),
	      "top opts: --json with --prometheus");
	CHECK(parse("--once 1 4") == -1 && strstr(err, "exclude"), "top opts: --once with count 4");
	CHECK(parse("-x") == -1 && strstr(err, "unknown option '-x'"), "top opts: unknown short");
	CHECK(parse("--frobnicate") == -1 && strstr(err, "unknown option '--frobnicate'"),
	      "top opts: unknown long");
	CHECK(parse("--json=1") == -1 && strstr(err, "takes no value"),
	      "top opts: a value to a flag");
	CHECK(parse("-- 3") == 0 && o.interval == 3.0, "top opts: -- ends the options");
	CHECK(parse("-s \x1b[2Jx") == -1 && strstr(err, "bad sort key '\\x1b[2Jx'") &&
	      parse("--x\x07\x9b=1") == -1 &&
	      !strcmp(err, "option --x\\x07\\x9b takes no value") &&
	      parse("1 \x1b]0;t") == -1 && strstr(err, "bad count '\\x1b]0;t'"),
	      "top opts: control and high bytes of an argument escaped as \\xHH");
	{
		static char line[6000];

		snprintf(line, sizeof(line), "--rows ");
		memset(line + 7, '9', 5000);
		CHECK(parse(line) == -1 && strlen(err) < 400 &&
		      strstr(err, "999...': want 1 to 100000"),
		      "top opts: an overlong value: quoted cut, the message whole");
	}
}

/* Add the option words of one tag (help column or man .TP line) to set. */
static void add_words(const char *s, size_t n, char set[][32], int *count)
{
	size_t i = 0;

	while (i < n) {
		size_t st;

		while (i < n && s[i] != '-')
			i++;
		st = i;
		while (i < n && (s[i] == '-' || (s[i] >= 'a' && s[i] <= 'z') ||
				 (s[i] >= 'A' && s[i] <= 'Z')))
			i++;
		if (i - st >= 2 && i - st < 32 && *count < 64 &&
		    (st == 0 || s[st - 1] == ' ' || s[st - 1] == '"')) {
			memcpy(set[*count], s + st, i - st);
			set[*count][i - st] = '\0';
			(*count)++;
		}
		if (i == st)
			i++;
	}
}

static bool in(char set[][32], int n, const char *w)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(set[i], w))
			return true;
	return false;
}

static void append(char *buf, size_t size, const char *w)
{
	if (strlen(buf) + strlen(w) + 2 <= size) {
		strcat(buf, " ");
		strcat(buf, w);
	}
}

static void test_man(void)
{
	char help[64][32], man[64][32], missing[512] = "", extra[512] = "";
	char *text, *clean;
	int nh = 0, nm = 0;
	size_t len, k = 0;
	const char *p;
	bool in_opts = false, tag = false;
	struct top_lines l;
	const char *line;
	size_t n;
	bool nl;

	/* --help: the option column of the lines after "Options:" */
	p = strstr(top_usage, "Options:\n");
	for (p = p ? strchr(p, '\n') + 1 : ""; *p && *p != '\n'; p = strchr(p, '\n') + 1) {
		const char *e = strchr(p, '\n'), *s = p;

		while (*s == ' ')
			s++;
		if (*s == '-') {
			const char *gap = strstr(s, "  ");

			add_words(s, (size_t)((gap && gap < e ? gap : e) - s), help, &nh);
		}
	}
	if (top_read_file(MAN, 1 << 20, &text, &len)) {
		CHECK(0, "top man: " MAN " is readable");
		return;
	}
	/* the man page's \- is a plain - */
	clean = malloc(len + 1);
	for (size_t i = 0; i < len; i++)
		if (!(text[i] == '\\' && i + 1 < len && text[i + 1] == '-'))
			clean[k++] = text[i];
	top_lines_init(&l, clean, k);
	while (top_lines_next(&l, &line, &n, &nl)) {
		if (n >= 3 && !strncmp(line, ".SH", 3))
			in_opts = n == 11 && !strncmp(line, ".SH OPTIONS", 11);
		else if (in_opts && tag)
			add_words(line, n, man, &nm);
		tag = in_opts && n == 3 && !strncmp(line, ".TP", 3);
	}
	for (int i = 0; i < nh; i++)
		if (!in(man, nm, help[i]))
			append(missing, sizeof(missing), help[i]);
	for (int i = 0; i < nm; i++)
		if (!in(help, nh, man[i]))
			append(extra, sizeof(extra), man[i]);
	if (*missing)
		printf("# in --help, not in the man page:%s\n", missing);
	if (*extra)
		printf("# in the man page, not in --help:%s\n", extra);
	CHECK(nh == 17 && nm == nh, "top man: 17 option words in --help and in the man page");
	CHECK(!*missing, "top man: every option of --help is in the man page");
	CHECK(!*extra, "top man: every option of the man page is in --help");
	CHECK(in(help, nh, "--prometheus") && in(help, nh, "-C") && in(help, nh, "--noclear"),
	      "top man: the parser found the options it should");
	free(text);
	free(clean);
}

int main(void)
{
	test_init();
	test_parse();
	test_man();
	return test_exit();
}
