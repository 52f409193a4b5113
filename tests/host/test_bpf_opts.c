// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of anonlazy-bpf's command line (userspace/bpf_opts.c): what
 * each option sets, and the exact message of each bad one.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <string.h>

#include "check.h"
#include "bpf_opts.h"
#include "anonlazy.h"

#define ALL_HOOKS ((1U << ANONLAZY_NR_HOOK_GROUPS) - 1)
#define SEC(s) (1U << AL_BPF_SEC_##s)

static struct al_bpf_opts o;
static char err[512];

static char *words[32];

/* Parse the NULL-terminated words after the program name. */
static int parse(const char *first, ...)
{
	va_list ap;
	int n = 0;

	words[n++] = "anonlazy-bpf";
	va_start(ap, first);
	for (const char *w = first; w && n < 31; w = va_arg(ap, const char *))
		words[n++] = (char *)w;
	va_end(ap);
	words[n] = NULL;
	err[0] = '\0';
	return al_bpf_parse(n, words, &o, err, sizeof(err));
}

/* parse() must fail with exactly this message. */
#define BAD(msg, ...) do {						\
	int rc_ = parse(__VA_ARGS__, NULL);				\
	CHECK(rc_ == -1 && !strcmp(err, msg), "opts: " msg);		\
	if (rc_ != -1 || strcmp(err, msg))				\
		printf("# got %d '%s'\n", rc_, err);			\
} while (0)

static void test_defaults(void)
{
	CHECK(parse(NULL) == 0 && o.interval == 0 && o.count == 0 &&
	      o.show == SEC(STATS) && o.hooks == ALL_HOOKS &&
	      o.mode == AL_BPF_MODE_AUTO && !o.btf && !o.verbose && !o.cmd &&
	      !o.processes && !strcmp(o.verifier_log, AL_BPF_DEFAULT_VERIFIER_LOG),
	      "opts: no argument: stats once, every hook, auto, default log, no per-process rows");
}

static void test_values(void)
{
	CHECK(parse("-i", "5", "-n", "3", NULL) == 0 && o.interval == 5 &&
	      o.count == 3, "opts: -i 5 -n 3");
	CHECK(parse("--interval=86400", "--count", "4294967295", NULL) == 0 &&
	      o.interval == 86400 && o.count == 4294967295UL,
	      "opts: --interval=86400 --count 4294967295 (the largest)");
	CHECK(parse("-s", "probes,stats", NULL) == 0 &&
	      o.show == (SEC(STATS) | SEC(PROBES)), "opts: -s probes,stats");
	CHECK(parse("--show=all", NULL) == 0 &&
	      o.show == (SEC(STATS) | SEC(LATENCY) | SEC(PROBES) | SEC(PROCESSES) | SEC(CENSUS)),
	      "opts: --show=all");
	CHECK(parse("-s", "processes", "-s", "latency", NULL) == 0 &&
	      o.show == SEC(LATENCY) && !o.processes,
	      "opts: the last -s wins (a processes it replaced needs no --processes)");
	CHECK(parse("--processes", NULL) == 0 && o.processes && o.show == SEC(STATS),
	      "opts: --processes turns the rows on, shows the stats alone");
	CHECK(parse("-s", "stats,processes", "--processes", NULL) == 0 && o.processes &&
	      o.show == (SEC(STATS) | SEC(PROCESSES)),
	      "opts: -s processes with --processes, in either order");
	CHECK(parse("--show=all", "--", "true", NULL) == 0 && !o.processes &&
	      o.show == (SEC(STATS) | SEC(LATENCY) | SEC(PROBES) | SEC(PROCESSES) | SEC(CENSUS)),
	      "opts: -s all without --processes: every section (processes says off)");
	CHECK(parse("--hooks", "walk,prepare", NULL) == 0 &&
	      o.hooks == (1U << ANONLAZY_HOOK_WALK | 1U << ANONLAZY_HOOK_PREPARE),
	      "opts: --hooks walk,prepare");
	CHECK(parse("--hooks=fork,all", NULL) == 0 && o.hooks == ALL_HOOKS,
	      "opts: --hooks fork,all");
	CHECK(parse("-m", "kprobe", NULL) == 0 && o.mode == AL_BPF_MODE_KPROBE,
	      "opts: -m kprobe");
	CHECK(parse("--mode=fentry", NULL) == 0 && o.mode == AL_BPF_MODE_FENTRY,
	      "opts: --mode=fentry");
	CHECK(parse("--btf", "/x/vmlinux", "--verifier-log=/tmp/v.log", "-v", NULL) == 0 &&
	      !strcmp(o.btf, "/x/vmlinux") && !strcmp(o.verifier_log, "/tmp/v.log") &&
	      o.verbose && !o.stats_socket, "opts: --btf, --verifier-log, -v");
	CHECK(parse("--stats-socket", "/tmp/al.sock", NULL) == 0 &&
	      !strcmp(o.stats_socket, "/tmp/al.sock"), "opts: --stats-socket");
	CHECK(parse("-h", NULL) == 1 && parse("--help", NULL) == 1 &&
	      parse("-i", "3", "--help", "--bogus", NULL) == 1,
	      "opts: -h and --help return 1, before what follows is looked at");
}

static void test_command(void)
{
	CHECK(parse("--", "echo", "-i", "5", NULL) == 0 && o.cmd == words + 2 &&
	      !strcmp(o.cmd[0], "echo") && !strcmp(o.cmd[1], "-i") &&
	      !strcmp(o.cmd[2], "5") && !o.cmd[3] && o.interval == 0,
	      "opts: after --, everything is the COMMAND");
	CHECK(parse("-i", "2", "out/bin/alwork", "fork", "32", NULL) == 0 &&
	      o.interval == 2 && o.cmd == words + 3 &&
	      !strcmp(o.cmd[2], "32") && !o.cmd[3],
	      "opts: the first word that is no option starts the COMMAND");
	CHECK(parse("-v", "ls", "-l", NULL) == 0 && o.verbose && o.cmd == words + 2 &&
	      !strcmp(o.cmd[1], "-l"), "opts: options after the COMMAND are its own");
	CHECK(parse("-", NULL) == 0 && o.cmd == words + 1,
	      "opts: '-' is a COMMAND, not an option");
	CHECK(parse("--", NULL) == 0 && !o.cmd, "opts: a lone -- is no COMMAND");
}

static void test_errors(void)
{
	BAD("unknown option '--bogus'", "--bogus");
	BAD("unknown option '--nope'", "--nope=1");
	BAD("unknown option '-x'", "-x");
	BAD("unknown option '-i5'", "-i5");
	BAD("option '--help' takes no value", "--help=1");
	BAD("option '--verbose' takes no value", "--verbose=yes");
	BAD("option '--interval' needs a value", "-i");
	BAD("option '--show' needs a value", "--show");
	BAD("option '--btf' needs a value", "--btf");
	BAD("--interval: '0' is not a whole number of seconds from 1 to 86400", "-i", "0");
	BAD("--interval: '86401' is not a whole number of seconds from 1 to 86400",
	    "-i", "86401");
	BAD("--interval: '1.5' is not a whole number of seconds from 1 to 86400",
	    "--interval", "1.5");
	BAD("--interval: '' is not a whole number of seconds from 1 to 86400",
	    "--interval=");
	BAD("--interval: '-3' is not a whole number of seconds from 1 to 86400",
	    "-i", "-3");
	BAD("--interval: '99999999999999999999999' is not a whole number of seconds from 1 to 86400",
	    "-i", "99999999999999999999999");
	BAD("--count: '0' is not a number from 1 to 4294967295", "-i", "1", "-n", "0");
	BAD("--count: '4294967296' is not a number from 1 to 4294967295",
	    "-i", "1", "-n", "4294967296");
	BAD("--count needs --interval", "-n", "3");
	BAD("--count is for runs without a COMMAND (with one, it prints when COMMAND exits)",
	    "-i", "1", "-n", "2", "true");
	BAD("--show: no section 'slabs' (stats, latency, probes, processes, census, all)",
	    "-s", "stats,slabs");
	BAD("--show: an empty name in 'stats,'", "-s", "stats,");
	BAD("--show: an empty name in ''", "--show=");
	BAD("--show processes: the per-process rows are off: add --processes",
	    "-s", "processes");
	BAD("--show processes: the per-process rows are off: add --processes",
	    "-s", "latency,processes", "-i", "2");
	BAD("--show processes: the per-process rows are off: add --processes",
	    "-s", "processes,all");
	BAD("option '--processes' takes no value", "--processes=1");
	BAD("--hooks: no hook group 'walks' (prepare, fork, clone, unlink, walk, upgrade, all)",
	    "--hooks", "walks");
	BAD("--hooks: an empty name in 'fork,,walk'", "--hooks", "fork,,walk");
	BAD("--mode: no mode 'fexit' (auto, fentry, kprobe)", "-m", "fexit");
	BAD("--btf: empty file name", "--btf=");
	BAD("--verifier-log: empty file name", "--verifier-log", "");
	BAD("--stats-socket: empty file name", "--stats-socket=");
	BAD("--stats-socket: '/tmp/0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789abc' is longer than a unix socket's path may be (107 bytes)",
	    "--stats-socket",
	    "/tmp/0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789abc");
	CHECK(parse("--stats-socket",
		    "/tmp/0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789ab",
		    NULL) == 0,
	      "opts: --stats-socket of 107 bytes, the longest a socket may have");
	BAD("--mode: no mode '\\x1b[2J\\x0a' (auto, fentry, kprobe)", "--mode", "\x1b[2J\n");
	BAD("unknown option '--\\x1b]0;x\\x07'", "--\x1b]0;x\x07=1");
	BAD("unknown option '-\\x9b'", "-\x9b");
	{
		char longv[5000];

		memset(longv, '7', sizeof(longv) - 1);
		longv[sizeof(longv) - 1] = '\0';
		CHECK(parse("--interval", longv, NULL) == -1 && strlen(err) < 400 &&
		      strstr(err, "7777...' is not a whole number of seconds from 1 to 86400"),
		      "opts: an overlong value: quoted cut, the message whole");
	}
}

static void test_usage(void)
{
	char buf[4096];
	FILE *f = fmemopen(buf, sizeof(buf), "w");
	size_t n;
	int ok;

	al_bpf_usage(f);
	n = (size_t)ftell(f);
	fclose(f);
	buf[n < sizeof(buf) ? n : sizeof(buf) - 1] = '\0';
	CHECK(n > 0 && n < sizeof(buf) - 1 &&
	      !strncmp(buf, "usage: anonlazy-bpf [OPTION...] [--] [COMMAND [ARG...]]\n", 56) &&
	      buf[n - 1] == '\n', "opts: usage starts with the synopsis");
	ok = 1;
	for (int s = 0; s < AL_BPF_NR_SECTIONS; s++)
		ok &= strstr(buf, al_bpf_section_names[s]) != NULL;
	CHECK(ok, "opts: usage names every section");
	ok = 1;
	for (int g = 0; g < ANONLAZY_NR_HOOK_GROUPS; g++)
		ok &= strstr(buf, anonlazy_hook_names[g]) != NULL;
	CHECK(ok, "opts: usage names every hook group");
	CHECK(strstr(buf, "\n      --processes ") != NULL, "opts: usage names --processes");
}

int main(void)
{
	test_init();
	test_defaults();
	test_values();
	test_command();
	test_errors();
	test_usage();
	return test_exit();
}
