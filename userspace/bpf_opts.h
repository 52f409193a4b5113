/* SPDX-License-Identifier: GPL-2.0 */
/* anonlazy-bpf: its command line and exit codes. */
#ifndef AL_BPF_OPTS_H
#define AL_BPF_OPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define AL_BPF_NAME	"anonlazy-bpf"

/* Exit codes, besides 0 and, with a COMMAND, the COMMAND's status. */
#define AL_BPF_EXIT_ERROR	1	/* anything not below */
#define AL_BPF_EXIT_USAGE	2	/* a bad argument */
#define AL_BPF_EXIT_PERM	3	/* no CAP_BPF + CAP_PERFMON, no CAP_SYS_ADMIN */
#define AL_BPF_EXIT_BTF		4	/* no kernel BTF, or --btf FILE unusable */
#define AL_BPF_EXIT_LOCKDOWN	5	/* kernel lockdown forbids it */
#define AL_BPF_EXIT_VERIFIER	6	/* the verifier rejected a program */
#define AL_BPF_EXIT_ATTACH	7	/* no function could be attached */

/* What a block of output holds, in this order. */
enum al_bpf_section {
	AL_BPF_SEC_STATS,
	AL_BPF_SEC_LATENCY,
	AL_BPF_SEC_PROBES,
	AL_BPF_SEC_PROCESSES,
	AL_BPF_SEC_CENSUS,
	AL_BPF_NR_SECTIONS
};

extern const char * const al_bpf_section_names[AL_BPF_NR_SECTIONS];

/*
 * A comma-separated list of section names or "all", as -s takes it, into
 * *mask. Returns 0, or -1 with the name it does not know in bad ("" when
 * the list or an item of it is empty).
 */
int al_bpf_parse_sections(const char *list, unsigned int *mask, char *bad,
			  size_t badlen);

enum al_bpf_mode {
	AL_BPF_MODE_AUTO,	/* fentry/fexit where possible, else kprobes */
	AL_BPF_MODE_FENTRY,	/* fentry/fexit only */
	AL_BPF_MODE_KPROBE,	/* kprobe/kretprobe only */
	AL_BPF_NR_MODES
};

extern const char * const al_bpf_mode_names[AL_BPF_NR_MODES];

#define AL_BPF_MAX_INTERVAL	86400
/* sizeof(sockaddr_un.sun_path): --stats-socket PATH is shorter */
#define AL_BPF_SOCK_PATH_MAX	108
#define AL_BPF_DEFAULT_VERIFIER_LOG	"/tmp/anonlazy-bpf.verifier.log"

struct al_bpf_opts {
	unsigned int interval;	/* seconds between blocks; 0: one block */
	unsigned long count;	/* blocks to print with interval; 0: no limit */
	unsigned int show;	/* bits of enum al_bpf_section */
	unsigned int hooks;	/* bits of enum anonlazy_hook_group */
	enum al_bpf_mode mode;
	const char *btf;	/* --btf FILE, or NULL */
	const char *verifier_log;
	const char *stats_socket;	/* --stats-socket PATH, or NULL */
	bool processes;		/* --processes: per-process rows */
	bool verbose;
	char **cmd;		/* COMMAND ARG..., NULL-terminated; or NULL */
};

/*
 * Parse argv into o. Returns 0, 1 for --help, or -1 with a one-line
 * message (no program name, no newline) in err; -s naming processes
 * without --processes is such an error (-s all is not: its processes
 * section says the rows are off). Nothing else is checked
 * here: files, privileges and the kernel are al_bpf_preflight()'s.
 */
int al_bpf_parse(int argc, char **argv, struct al_bpf_opts *o,
		 char *err, size_t errlen);

void al_bpf_usage(FILE *f);

#endif /* AL_BPF_OPTS_H */
