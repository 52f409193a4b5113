// SPDX-License-Identifier: GPL-2.0
/* anonlazy-bpf: loading the BPF object, attaching, detaching. */
#define _GNU_SOURCE
#include "bpf_load.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "bpf_obj.h"

/* libbpf's messages: kept for the log file, on stderr with --verbose. */
static FILE *captured;
static char *captured_buf;
static size_t captured_len;
static bool verbose;

static int capture(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	va_list copy;

	if (verbose) {
		va_copy(copy, ap);
		vfprintf(stderr, fmt, copy);
		va_end(copy);
	}
	if (captured && level != LIBBPF_DEBUG)
		vfprintf(captured, fmt, ap);
	return 0;
}

static void set_autoload(struct al_fn *f)
{
	struct bpf_program *all[] = { f->fentry, f->fexit, f->kprobe, f->kretprobe, f->tp };

	for (unsigned int k = 0; k < sizeof(all) / sizeof(all[0]); k++)
		if (all[k])
			bpf_program__set_autoload(all[k], false);
	if (f->mech == MECH_FENTRY) {
		if (f->fentry)
			bpf_program__set_autoload(f->fentry, true);
		if (f->fexit)
			bpf_program__set_autoload(f->fexit, true);
	} else if (f->mech == MECH_KPROBE) {
		if (f->kprobe)
			bpf_program__set_autoload(f->kprobe, true);
		if (f->kretprobe)
			bpf_program__set_autoload(f->kretprobe, true);
	} else if (f->mech == MECH_TP) {
		bpf_program__set_autoload(f->tp, true);
	}
}

/* The program libbpf says the kernel refused, from its messages. */
static void refused_prog(char *name, size_t len)
{
	const char *end, *start;

	snprintf(name, len, "?");
	if (!captured_buf)
		return;
	end = strstr(captured_buf, "': BPF program load failed");
	if (!end)
		return;
	for (start = end; start > captured_buf && start[-1] != '\''; start--)
		;
	snprintf(name, len, "%.*s", (int)(end - start), start);
}

static int save_log(const char *path, char *why, size_t len)
{
	FILE *f = fopen(path, "we");

	if (!f || fwrite(captured_buf ? captured_buf : "", 1, captured_len, f) != captured_len) {
		snprintf(why, len, "%s", strerror(errno));
		if (f)
			fclose(f);
		return -1;
	}
	if (fclose(f)) {
		snprintf(why, len, "%s", strerror(errno));
		return -1;
	}
	return 0;
}

static int load(struct al_bpf *b, const struct al_bpf_opts *o, char *err,
		size_t errlen)
{
	char prog[64], why[128], where[PATH_MAX + 160];
	bool verifier;
	int e;

	fflush(captured);
	e = anonlazy_bpf__load(b->skel);
	if (!e)
		return 0;
	fflush(captured);
	verifier = captured_buf && strstr(captured_buf, "BPF program load failed");
	if (save_log(o->verifier_log, why, sizeof(why)))
		snprintf(where, sizeof(where), "its log could not be saved to %s: %s",
			 o->verifier_log, why);
	else
		snprintf(where, sizeof(where), "log: %s", o->verifier_log);
	if (verifier) {
		refused_prog(prog, sizeof(prog));
		return al_bpf_fail(err, errlen, AL_BPF_EXIT_VERIFIER,
			    "the verifier rejected program '%s' (error %d); %s",
			    prog, e, where);
	}
	return al_bpf_fail(err, errlen, AL_BPF_EXIT_ERROR,
		    "loading the BPF object failed: %s (error %d); %s",
		    strerror(-e), e, where);
}

/* The return program first: every call whose entry is seen is seen to return. */
static void attach_fn(struct al_bpf *b, struct al_fn *f)
{
	struct bpf_program *ret, *entry;

	ret = f->mech == MECH_FENTRY ? f->fexit : f->kretprobe;
	entry = f->mech == MECH_FENTRY ? f->fentry : f->kprobe;
	if (f->mech == MECH_TP) {
		ret = NULL;
		entry = f->tp;
	}
	f->state = AL_PROBE_ATTACHED;
	if (ret) {
		f->ret_link = bpf_program__attach(ret);
		if (!f->ret_link)
			goto failed;
	}
	if (entry) {
		f->entry_link = bpf_program__attach(entry);
		if (!f->entry_link)
			goto failed;
	}
	for (int i = 0; i < ANONLAZY_NR_COUNTERS; i++)
		if (f->feeds & 1ULL << i)
			b->counted[i] = true;
	return;
failed:
	f->err = -errno;
	f->hint = al_attach_hint(f->err);
	f->state = AL_PROBE_FAILED;
	bpf_link__destroy(f->ret_link);
	f->ret_link = NULL;
}

static void report_start(struct al_bpf *b, FILE *report, int *attached)
{
	int wanted = 0, off = 0;
	bool any = false;

	*attached = 0;
	for (int i = 0; i < AL_NR_FNS; i++) {
		struct al_fn *f = &b->fn[i];

		if (f->state == AL_PROBE_OFF) {
			off++;
			continue;
		}
		wanted++;
		if (f->state == AL_PROBE_ATTACHED) {
			++*attached;
			continue;
		}
		fprintf(report, AL_BPF_NAME ": %s: not attached (%s error=%d %s)\n",
			f->symbol, al_fn_mech_name(f, f->tried_fentry), f->err, f->hint);
	}
	fprintf(report, AL_BPF_NAME ": attached %d of %d functions", *attached, wanted);
	if (off)
		fprintf(report, " (%d off by --hooks)", off);
	for (int i = 0; i < ANONLAZY_NR_COUNTERS; i++) {
		if (b->counted[i])
			continue;
		fprintf(report, "%s %s", any ? "" : "; not counted:",
			anonlazy_counter_names[i]);
		any = true;
	}
	fputc('\n', report);
	fflush(report);
}

int al_bpf_start(const struct al_bpf_opts *o, const struct al_bpf_env *env,
		 struct al_bpf **out, FILE *report, char *err, size_t errlen)
{
	LIBBPF_OPTS(bpf_object_open_opts, oo, .btf_custom_path = o->btf);
	struct al_bpf *b;
	int e, attached;

	verbose = o->verbose;
	if (!captured)
		captured = open_memstream(&captured_buf, &captured_len);
	libbpf_set_print(capture);
	b = calloc(1, sizeof(*b));
	if (!b)
		return al_bpf_fail(err, errlen, AL_BPF_EXIT_ERROR, "out of memory");
	b->ncpus = libbpf_num_possible_cpus();
	if (b->ncpus <= 0) {
		e = b->ncpus;
		free(b);
		return al_bpf_fail(err, errlen, AL_BPF_EXIT_ERROR,
			    "cannot count the possible CPUs: %s", strerror(-e));
	}
	b->skel = anonlazy_bpf__open_opts(&oo);
	if (!b->skel) {
		e = -errno;
		free(b);
		return al_bpf_fail(err, errlen, AL_BPF_EXIT_ERROR,
			    "opening the BPF object failed: %s", strerror(-e));
	}
	al_fn_table(b->skel, b->fn);
	al_bpf_pick(b, o, env);
	for (int i = 0; i < AL_NR_FNS; i++)
		set_autoload(&b->fn[i]);
	/* Off: no program touches procs (the verifier drops that code). */
	b->processes = o->processes;
	b->skel->rodata->per_process = o->processes;
	if (!o->processes) {
		bpf_program__set_autoload(b->skel->progs.on_exec, false);
		bpf_map__set_max_entries(b->skel->maps.procs, 1);
	}
	e = load(b, o, err, errlen);
	if (e) {
		al_bpf_stop(b);
		return e;
	}
	b->counted[ANONLAZY_MISSED] = true;
	for (int i = 0; i < AL_NR_FNS; i++) {
		if (b->fn[i].mech == MECH_NONE)
			continue;
		attach_fn(b, &b->fn[i]);
		/* Before __anon_vma_prepare's programs, which come next. */
		if (i == AL_FN_MAKE_ROOT && b->fn[i].state == AL_PROBE_ATTACHED)
			b->skel->bss->lazy_from_make_root = true;
	}
	if (o->processes) {
		b->exec_link = bpf_program__attach(b->skel->progs.on_exec);
		if (!b->exec_link)
			fprintf(report, AL_BPF_NAME
				": sched_process_exec: not attached (%s): a process's row keeps the comm of its first event\n",
				strerror(errno));
	}
	/* The simulation runs once its three functions are all hooked. */
	b->skel->bss->sim_on = b->fn[AL_FN_PREPARE].state == AL_PROBE_ATTACHED &&
		b->fn[AL_FN_CLONE].state == AL_PROBE_ATTACHED &&
		b->fn[AL_FN_UNLINK].state == AL_PROBE_ATTACHED;
	al_census_attach(b, report);
	report_start(b, report, &attached);
	if (!attached) {
		al_bpf_stop(b);
		return al_bpf_fail(err, errlen, AL_BPF_EXIT_ATTACH,
			    "no function could be attached (see above)");
	}
	*out = b;
	return 0;
}

void al_bpf_stop(struct al_bpf *b)
{
	if (!b)
		return;
	for (int i = 0; i < AL_NR_FNS; i++) {
		bpf_link__destroy(b->fn[i].entry_link);
		bpf_link__destroy(b->fn[i].ret_link);
	}
	bpf_link__destroy(b->exec_link);
	bpf_link__destroy(b->census_link);
	anonlazy_bpf__destroy(b->skel);
	free(b);
}

