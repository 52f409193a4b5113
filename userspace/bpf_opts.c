// SPDX-License-Identifier: GPL-2.0
/* anonlazy-bpf: its command line. */
#include "bpf_opts.h"

#include <stdarg.h>
#include <stdint.h>
#include <string.h>

#include "anonlazy.h"
#include "esc.h"

const char * const al_bpf_section_names[AL_BPF_NR_SECTIONS] = {
	[AL_BPF_SEC_STATS] = ANONLAZY_STATS_FILE,
	[AL_BPF_SEC_LATENCY] = ANONLAZY_LATENCY_FILE,
	[AL_BPF_SEC_PROBES] = ANONLAZY_PROBES_FILE,
	[AL_BPF_SEC_PROCESSES] = ANONLAZY_PROCESSES_FILE,
	[AL_BPF_SEC_CENSUS] = ANONLAZY_CENSUS_FILE,
};

const char * const al_bpf_mode_names[AL_BPF_NR_MODES] = {
	[AL_BPF_MODE_AUTO] = "auto",
	[AL_BPF_MODE_FENTRY] = "fentry",
	[AL_BPF_MODE_KPROBE] = "kprobe",
};

void al_bpf_usage(FILE *f)
{
	fputs(
"usage: " AL_BPF_NAME " [OPTION...] [--] [COMMAND [ARG...]]\n"
"Count what the anonlazy module counts (include/anonlazy.h) with BPF\n"
"programs instead, and per process with --processes. Needs root and the\n"
"kernel's BTF.\n"
"\n"
"With COMMAND: attach, run it, print when it exits, exit with its status.\n"
"Without: print every --interval, or once at SIGINT or SIGTERM.\n"
"\n"
"  -i, --interval SEC    print every SEC seconds (1-86400)\n"
"  -n, --count N         stop after N prints (with --interval)\n"
"  -s, --show LIST       what to print, comma-separated, in this order:\n"
"                        stats (the default), latency, probes, processes\n"
"                        (needs --processes), census, or all; the formats\n"
"                        of the module's files\n"
"                        census: a walk of every mm at each print, the\n"
"                        module's census keys and its estimate of what\n"
"                        ANON_VMA_LAZY would save (exact for the VMAs born\n"
"                        since the start), less its lock and bound keys\n"
"      --processes       count each process's events too (a hash lookup\n"
"                        per hit; off by default): the processes section;\n"
"                        without it, that section (-s all, the socket) is\n"
"                        one line \"off: ...\"\n"
"      --hooks LIST      hook groups to attach (prepare, fork, clone,\n"
"                        unlink, walk, upgrade, or all: the default)\n"
"  -m, --mode MODE       auto (the kernel's anon_vma tracepoints where it\n"
"                        has them, fentry/fexit where it can, else\n"
"                        kprobes; the default), fentry or kprobe\n"
"      --btf FILE        BTF for CO-RE relocations (a kernel without\n"
"                        /sys/kernel/btf/vmlinux; kprobes only)\n"
"      --verifier-log FILE  where a rejected load's log goes\n"
"                        (default " AL_BPF_DEFAULT_VERIFIER_LOG ")\n"
"      --stats-socket PATH  serve the counters on a unix socket at PATH:\n"
"                        each connection gets those of its moment, then\n"
"                        the end: the stats, as from the module's stats\n"
"                        file (alwork: AL_STATS=PATH), or the sections of\n"
"                        the one line it sends first, named as for -s\n"
"                        (\"stats,latency,probes,processes,census\\n\", in the\n"
"                        \"== <section>\" format; anonlazy-top --source bpf)\n"
"  -v, --verbose         libbpf's messages on stderr\n"
"  -h, --help            this text\n"
"\n"
"When more than one section is shown, each starts with a line\n"
"\"== <section>\"; blocks are separated by an empty line.\n"
"Exit: 0; 1 error; 2 usage; 3 no privilege; 4 no BTF; 5 lockdown;\n"
"6 verifier rejection; 7 nothing attached; with COMMAND, its status.\n",
	      f);
}

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* A decimal number in [min, max], nothing else. */
static int parse_num(const char *s, unsigned long min, unsigned long max,
		     unsigned long *out)
{
	unsigned long v = 0;

	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		if (v > (max - (unsigned long)(*s - '0')) / 10)
			return -1;
		v = v * 10 + (unsigned long)(*s - '0');
	}
	if (v < min)
		return -1;
	*out = v;
	return 0;
}

/*
 * A comma-separated list of names[0..n) or "all" into a mask, and those
 * named one by one (not by "all") into *named (NULL: not wanted); the name
 * it does not know into bad (empty when the list or an item is empty).
 */
static int parse_list(const char *list, const char * const *names, int n,
		      unsigned int *mask, unsigned int *named, char *bad,
		      size_t badlen)
{
	const char *p = list;

	*mask = 0;
	if (named)
		*named = 0;
	bad[0] = '\0';
	for (;;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		int i;

		if (!len)
			return -1;
		if (len == strlen(ANONLAZY_HOOKS_ALL) &&
		    !strncmp(p, ANONLAZY_HOOKS_ALL, len)) {
			*mask |= (1U << n) - 1;
		} else {
			for (i = 0; i < n; i++)
				if (strlen(names[i]) == len && !strncmp(p, names[i], len))
					break;
			if (i == n) {
				snprintf(bad, badlen, "%.*s", (int)len, p);
				return -1;
			}
			*mask |= 1U << i;
			if (named)
				*named |= 1U << i;
		}
		if (!end)
			return 0;
		p = end + 1;
	}
}

int al_bpf_parse_sections(const char *list, unsigned int *mask, char *bad,
			  size_t badlen)
{
	return parse_list(list, al_bpf_section_names, AL_BPF_NR_SECTIONS, mask,
			  NULL, bad, badlen);
}

static const char *names_text(const char * const *names, int n, char *buf,
			      size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int i = 0; i < n && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s, ", names[i]);
	if (used < len)
		snprintf(buf + used, len - used, "%s", ANONLAZY_HOOKS_ALL);
	return buf;
}

enum opt_id {
	OPT_INTERVAL,
	OPT_COUNT,
	OPT_SHOW,
	OPT_HOOKS,
	OPT_MODE,
	OPT_BTF,
	OPT_VERIFIER_LOG,
	OPT_STATS_SOCKET,
	OPT_PROCESSES,
	OPT_VERBOSE,
	OPT_HELP,
};

struct opt {
	enum opt_id id;
	const char *lng;
	char shrt;	/* 0: none */
	bool arg;
};

static const struct opt opts[] = {
	{ OPT_INTERVAL, "interval", 'i', true },
	{ OPT_COUNT, "count", 'n', true },
	{ OPT_SHOW, "show", 's', true },
	{ OPT_HOOKS, "hooks", 0, true },
	{ OPT_MODE, "mode", 'm', true },
	{ OPT_BTF, "btf", 0, true },
	{ OPT_VERIFIER_LOG, "verifier-log", 0, true },
	{ OPT_STATS_SOCKET, "stats-socket", 0, true },
	{ OPT_PROCESSES, "processes", 0, false },
	{ OPT_VERBOSE, "verbose", 'v', false },
	{ OPT_HELP, "help", 'h', false },
};

#define NR_OPTS (sizeof(opts) / sizeof(opts[0]))

/* The option argv[*i] names, and its value; -1 with err set. */
static int next_opt(int argc, char **argv, int *i, const struct opt **found,
		    const char **val, char *err, size_t errlen)
{
	const char *a = argv[*i];
	const char *eq = NULL;
	char q[AL_QUOTE_MAX];
	size_t len;
	unsigned int k;

	*val = NULL;
	if (a[1] == '-') {
		eq = strchr(a + 2, '=');
		len = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
		for (k = 0; k < NR_OPTS; k++)
			if (strlen(opts[k].lng) == len && !strncmp(a + 2, opts[k].lng, len))
				break;
		if (k == NR_OPTS)
			return fail(err, errlen, "unknown option '%s'",
				    al_esc(a, len + 2, q, sizeof(q)));
		if (eq && !opts[k].arg)
			return fail(err, errlen, "option '--%s' takes no value", opts[k].lng);
		if (eq)
			*val = eq + 1;
	} else {
		for (k = 0; k < NR_OPTS; k++)
			if (opts[k].shrt && a[1] == opts[k].shrt && !a[2])
				break;
		if (k == NR_OPTS)
			return fail(err, errlen, "unknown option '%s'",
				    al_escs(a, q, sizeof(q)));
	}
	*found = &opts[k];
	if (opts[k].arg && !*val) {
		if (*i + 1 >= argc)
			return fail(err, errlen, "option '--%s' needs a value", opts[k].lng);
		*val = argv[++*i];
	}
	return 0;
}

int al_bpf_parse(int argc, char **argv, struct al_bpf_opts *o,
		 char *err, size_t errlen)
{
	unsigned int named_show = 0;
	bool have_count = false;
	char bad[128], known[128], q[AL_QUOTE_MAX];
	unsigned long v;
	int i;

	memset(o, 0, sizeof(*o));
	o->show = 1U << AL_BPF_SEC_STATS;
	o->hooks = (1U << ANONLAZY_NR_HOOK_GROUPS) - 1;
	o->mode = AL_BPF_MODE_AUTO;
	o->verifier_log = AL_BPF_DEFAULT_VERIFIER_LOG;
	for (i = 1; i < argc; i++) {
		const struct opt *op = NULL;
		const char *val = NULL;

		if (!strcmp(argv[i], "--")) {
			i++;
			break;
		}
		if (argv[i][0] != '-' || !argv[i][1])
			break;	/* COMMAND */
		if (next_opt(argc, argv, &i, &op, &val, err, errlen))
			return -1;
		switch (op->id) {
		case OPT_INTERVAL:
			if (parse_num(val, 1, AL_BPF_MAX_INTERVAL, &v))
				return fail(err, errlen,
					    "--interval: '%s' is not a whole number of seconds from 1 to %d",
					    al_escs(val, q, sizeof(q)), AL_BPF_MAX_INTERVAL);
			o->interval = (unsigned int)v;
			break;
		case OPT_COUNT:
			if (parse_num(val, 1, UINT32_MAX, &v))
				return fail(err, errlen,
					    "--count: '%s' is not a number from 1 to %lu",
					    al_escs(val, q, sizeof(q)), (unsigned long)UINT32_MAX);
			o->count = v;
			have_count = true;
			break;
		case OPT_SHOW:
			if (!parse_list(val, al_bpf_section_names, AL_BPF_NR_SECTIONS,
					&o->show, &named_show, bad, sizeof(bad)))
				break;
			if (!bad[0])
				return fail(err, errlen, "--show: an empty name in '%s'",
					    al_escs(val, q, sizeof(q)));
			return fail(err, errlen, "--show: no section '%s' (%s)",
				    al_escs(bad, q, sizeof(q)),
				    names_text(al_bpf_section_names, AL_BPF_NR_SECTIONS,
					       known, sizeof(known)));
		case OPT_HELP:
			return 1;
		case OPT_HOOKS:
			if (!parse_list(val, anonlazy_hook_names, ANONLAZY_NR_HOOK_GROUPS,
					&o->hooks, NULL, bad, sizeof(bad)))
				break;
			if (!bad[0])
				return fail(err, errlen, "--hooks: an empty name in '%s'",
					    al_escs(val, q, sizeof(q)));
			return fail(err, errlen, "--hooks: no hook group '%s' (%s)",
				    al_escs(bad, q, sizeof(q)),
				    names_text(anonlazy_hook_names, ANONLAZY_NR_HOOK_GROUPS,
					       known, sizeof(known)));
		case OPT_MODE:
			for (o->mode = 0; o->mode < AL_BPF_NR_MODES; o->mode++)
				if (!strcmp(val, al_bpf_mode_names[o->mode]))
					break;
			if (o->mode == AL_BPF_NR_MODES)
				return fail(err, errlen,
					    "--mode: no mode '%s' (auto, fentry, kprobe)",
					    al_escs(val, q, sizeof(q)));
			break;
		case OPT_BTF:
			if (!*val)
				return fail(err, errlen, "--btf: empty file name");
			o->btf = val;
			break;
		case OPT_VERIFIER_LOG:
			if (!*val)
				return fail(err, errlen, "--verifier-log: empty file name");
			o->verifier_log = val;
			break;
		case OPT_STATS_SOCKET:
			if (!*val)
				return fail(err, errlen, "--stats-socket: empty file name");
			/* said now, not after the programs are loaded */
			if (strlen(val) >= AL_BPF_SOCK_PATH_MAX)
				return fail(err, errlen,
					    "--stats-socket: '%s' is longer than a unix socket's path may be (%d bytes)",
					    al_escs(val, q, sizeof(q)), AL_BPF_SOCK_PATH_MAX - 1);
			o->stats_socket = val;
			break;
		case OPT_PROCESSES:
			o->processes = true;
			break;
		case OPT_VERBOSE:
			o->verbose = true;
			break;
		}
	}
	if ((named_show & 1U << AL_BPF_SEC_PROCESSES) && !o->processes)
		return fail(err, errlen,
			    "--show processes: the per-process rows are off: add --processes");
	if (have_count && !o->interval)
		return fail(err, errlen, "--count needs --interval");
	if (i < argc)
		o->cmd = argv + i;
	if (have_count && o->cmd)
		return fail(err, errlen,
			    "--count is for runs without a COMMAND (with one, it prints when COMMAND exits)");
	return 0;
}
