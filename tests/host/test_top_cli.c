// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of the anonlazy-top command (out/bin/anonlazy-top) on the
 * recorded trees of tests/host/data/top/: exit status and the one-line
 * messages of every error, the screen of the normal tree, and (through
 * tests/host/test_top_formats.sh, whose PASS/FAIL lines pass through) its
 * --json and --prometheus read back by python's json and promtool.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "check.h"

#define TOP "out/bin/anonlazy-top"
#define DATA "tests/host/data/top/"

static char out[1 << 16];

/* Run TOP args, stdout and stderr into out; its exit status, or -1. */
static int run(const char *args)
{
	char cmd[1024];
	size_t n = 0, r;
	FILE *p;
	int st;

	snprintf(cmd, sizeof(cmd), TOP " %s 2>&1", args);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	while (n < sizeof(out) - 1 && (r = fread(out + n, 1, sizeof(out) - 1 - n, p)) > 0)
		n += r;
	out[n] = '\0';
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

int main(void)
{
	test_init();
	CHECK(run("--debugfs " DATA "normal --once") == 0 &&
	      strstr(out, "source module recorded (" DATA "normal)") &&
	      strstr(out, "  prepare_calls                          1523            -  ") &&
	      strstr(out, "  vm_area_struct                         2024          347            -\n") &&
	      strstr(out, "       97 sh       61   30      21   10      0        22     31        7          4            1408\n"),
	      "top cli: the normal tree's screen: counters, slab, processes");
	CHECK(run("--debugfs " DATA "empty --once") == 1 &&
	      !strcmp(out, "anonlazy-top: " DATA "empty/stats: empty file (the module printed no counter: reload it)\n"),
	      "top cli: empty: one line, exit 1");
	CHECK(run("--debugfs " DATA "truncated --once") == 1 && lines(out) == 1 &&
	      strstr(out, DATA "truncated/processes:5: no newline at end of file (truncated?): '345 45 24'"),
	      "top cli: truncated: file, line and content, exit 1");
	CHECK(run("--debugfs " DATA "garbage --once") == 1 && lines(out) == 1 &&
	      strstr(out, DATA "garbage/stats:3: not '<name> <value>': '?ELF"),
	      "top cli: garbage: file, line and content, exit 1");
	CHECK(run("--debugfs " DATA "huge --once") == 0 &&
	      strstr(out, "  prepare_calls          18446744073709551615            -  ") &&
	      strstr(out, "   9223372036854775808 -> 18446744073709551615 : 18446744073709551615 |"),
	      "top cli: huge: 2^64-1 printed whole, bucket 63");
	CHECK(run("--debugfs " DATA "unknown --once") == 0 &&
	      strstr(out, "  future_counter                           42            -  (not in this anonlazy-top's header: a newer module?)") &&
	      strstr(out, "\nother\n") &&
	      strstr(strstr(out, "\nother\n"), "  walk_hugetlb                              7 "),
	      "top cli: unknown counters shown, under other");
	CHECK(run("--debugfs " DATA "missing --once") == 0 &&
	      strstr(out, "absent from stats (an older module?): walk_lazy upgrades_ksm\n") &&
	      strstr(out, "CENSUS: no census file"),
	      "top cli: missing counters and files named");
	CHECK(run("--debugfs " DATA "normal -C -p 345 0.1 2") == 0 &&
	      strstr(out, "this interval") && strstr(out, "  prepare_calls                          1523          0.0  ") &&
	      strstr(out, "      345 alwork") && !strstr(out, " sh "),
	      "top cli: two frames: rates of 0.0 on the second, -p 345");
	CHECK(run("--debugfs /nonexistent-al") == 1 &&
	      !strcmp(out, "anonlazy-top: /nonexistent-al: no such directory (--debugfs wants a directory of recorded debugfs files)\n"),
	      "top cli: a missing --debugfs directory");
	CHECK(run("--debugfs \"$(printf '/nonexistent-al-\\033]0;x\\007')\"") == 1 &&
	      !strcmp(out, "anonlazy-top: /nonexistent-al-\\x1b]0;x\\x07: no such directory (--debugfs wants a directory of recorded debugfs files)\n"),
	      "top cli: the control bytes of a --debugfs path escaped in its message");
	CHECK(run("-s \"$(printf 'a\\nb')\"") == 2 && lines(out) == 1 &&
	      strstr(out, "bad sort key 'a\\x0ab'"),
	      "top cli: a newline in an argument: still one line");
	CHECK(run("--source bpf --bpf-socket /nonexistent-al.sock") == 1 &&
	      !strcmp(out, "anonlazy-top: /nonexistent-al.sock: no such socket: start anonlazy-bpf --stats-socket /nonexistent-al.sock\n"),
	      "top cli: --source bpf without anonlazy-bpf: how to start it, exit 1");
	CHECK(run("0") == 2 && strstr(out, "bad interval '0'") && lines(out) == 1,
	      "top cli: bad interval: exit 2");
	CHECK(run("1 x") == 2 && strstr(out, "bad count 'x'"), "top cli: bad count: exit 2");
	CHECK(run("--bogus") == 2 && strstr(out, "unknown option '--bogus' (see --help)"),
	      "top cli: unknown option: exit 2");
	CHECK(run("--help") == 0 && strstr(out, "Usage: anonlazy-top [options] [interval [count]]"),
	      "top cli: --help");
	CHECK(run("--debugfs " DATA "normal --once --slabinfo /nonexistent-al") == 0 &&
	      strstr(out, "  /nonexistent-al: No such file or directory\n"),
	      "top cli: a missing slabinfo is shown, not fatal");

	check_script("top cli: test_top_formats.sh", "bash tests/host/test_top_formats.sh " TOP);
	return test_exit();
}
