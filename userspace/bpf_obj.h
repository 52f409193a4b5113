/* SPDX-License-Identifier: GPL-2.0 */
/*
 * anonlazy-bpf: the BPF object as bpf_pick.c, bpf_load.c and bpf_read.c
 * share it (internal to the loader).
 */
#ifndef AL_BPF_OBJ_H
#define AL_BPF_OBJ_H

#include <linux/types.h>
#include <stdbool.h>
#include <stdint.h>

#include <bpf/libbpf.h>

#include "anonlazy.h"
#include "anonlazy_bpf.h"
#include "anonlazy.skel.h"
#include "bpf_env.h"
#include "bpf_opts.h"
#include "bpf_print.h"

enum mech {
	MECH_NONE,
	MECH_FENTRY,	/* fentry and/or fexit */
	MECH_KPROBE,	/* kprobe and/or kretprobe */
	MECH_TP,	/* the kernel's tracepoint of the same job (tp_btf) */
};

/*
 * One probed function: its hook group, the counters its programs feed (as
 * module/probes.c's table) and its programs, of which those it does not
 * need are NULL. Its symbol is its programs' section name after the '/'.
 */
struct al_fn {
	enum anonlazy_hook_group group;
	uint64_t feeds;
	struct bpf_program *fentry, *fexit, *kprobe, *kretprobe;
	/*
	 * A tracepoint of the kernel's that does this job, tried first in
	 * auto mode where set: its program, and its name, which the probes
	 * lines then show instead of the function's.
	 */
	struct bpf_program *tp;
	const char *tp_name;
	const char *symbol;
	enum mech mech;
	enum al_probe_state state;
	bool tried_fentry;	/* failed or off: name the fentry twin */
	int err;
	const char *hint;
	struct bpf_link *entry_link, *ret_link;
};

struct al_bpf {
	struct anonlazy_bpf *skel;
	struct al_fn fn[AL_NR_FNS];
	bool counted[ANONLAZY_NR_COUNTERS];
	int ncpus;
	bool processes;			/* per-process rows (--processes) */
	struct bpf_link *exec_link;	/* rows take the comm of an exec */
	struct bpf_link *census_link;	/* census_iter; NULL: no census */
	int census_err;			/* -errno of its attach */
};

/* bpf_pick.c: the table of functions, and the mechanism of each. */
void al_fn_table(struct anonlazy_bpf *s, struct al_fn *fn);
void al_bpf_pick(struct al_bpf *b, const struct al_bpf_opts *o,
		 const struct al_bpf_env *env);
/* Its mechanism's name in probes: tp_btf, fentry's or kprobe's family. */
const char *al_fn_mech_name(const struct al_fn *f, bool fentry);
/* Why attaching failed with err, as module/probes.c's probe_hint(). */
const char *al_attach_hint(int err);

/* bpf_census.c: attach census_iter (a line on report if not); print. */
void al_census_attach(struct al_bpf *b, FILE *report);
int al_census_print(struct al_bpf *b, FILE *f, char *err, size_t errlen);

/* bpf_read.c: the hits the kernel saw its programs miss. */
uint64_t al_fn_missed(const struct al_fn *f);

#endif /* AL_BPF_OBJ_H */
