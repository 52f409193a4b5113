// SPDX-License-Identifier: GPL-2.0
/*
 * anonlazy-bpf: which functions it probes, and with which mechanism on
 * this kernel, decided one function at a time as bcc's libbpf-tools do.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/bpf.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>

#include "bpf_ksyms.h"
#include "bpf_obj.h"

#define CTR(name) (1ULL << ANONLAZY_##name)

#define FN(grp, counters, fe, fx, kp, krp) ((struct al_fn){		\
	.group = ANONLAZY_HOOK_##grp, .feeds = (counters),		\
	.fentry = (fe), .fexit = (fx), .kprobe = (kp), .kretprobe = (krp) })

void al_fn_table(struct anonlazy_bpf *s, struct al_fn *fn)
{
	const struct bpf_program *p;

	fn[AL_FN_MAKE_ROOT] = FN(PREPARE, CTR(LAZY_ROOTS), NULL,
				 s->progs.fexit_make_root, NULL,
				 s->progs.kretprobe_make_root);
	fn[AL_FN_PREPARE] = FN(PREPARE,
			       CTR(PREPARE_CALLS) | CTR(PREPARE_ATTACHED) | CTR(LAZY_ROOTS),
			       NULL, s->progs.fexit_prepare,
			       s->progs.kprobe_prepare, s->progs.kretprobe_prepare);
	fn[AL_FN_FORK] = FN(FORK,
			    CTR(FORK_CALLS) | CTR(FORK_ATTACHED) | CTR(PARENT_LINKS),
			    NULL, s->progs.fexit_fork,
			    s->progs.kprobe_fork, s->progs.kretprobe_fork);
	fn[AL_FN_CLONE] = FN(CLONE, CTR(CLONE_CALLS), s->progs.fentry_clone, NULL,
			     s->progs.kprobe_clone, NULL);
	fn[AL_FN_UNLINK] = FN(UNLINK,
			      CTR(UNLINK_CALLS) | CTR(UNLINK_LAZY) | CTR(UNLINK_REGULAR),
			      s->progs.fentry_unlink, NULL, s->progs.kprobe_unlink, NULL);
	fn[AL_FN_WALK_ANON] = FN(WALK,
				 CTR(WALK_ANON) | CTR(WALK_LAZY) | CTR(WALK_ANON_LOCKED),
				 s->progs.fentry_walk_anon, s->progs.fexit_walk_anon,
				 s->progs.kprobe_walk_anon, s->progs.kretprobe_walk_anon);
	fn[AL_FN_WALK_FILE] = FN(WALK, CTR(WALK_FILE),
				 s->progs.fentry_walk_file, s->progs.fexit_walk_file,
				 s->progs.kprobe_walk_file, s->progs.kretprobe_walk_file);
	fn[AL_FN_WALK_KSM] = FN(WALK, CTR(WALK_KSM),
				s->progs.fentry_walk_ksm, s->progs.fexit_walk_ksm,
				s->progs.kprobe_walk_ksm, s->progs.kretprobe_walk_ksm);
	fn[AL_FN_UPGRADE] = FN(UPGRADE,
			       CTR(UPGRADES) | CTR(UPGRADES_FORK) | CTR(UPGRADES_CLONE) |
			       CTR(UPGRADES_MREMAP) | CTR(UPGRADES_KSM) |
			       CTR(UPGRADES_OTHER),
			       NULL, s->progs.fexit_upgrade,
			       s->progs.kprobe_upgrade, s->progs.kretprobe_upgrade);
	/* The kernel's anon_vma tracepoints (ANON_VMA_LAZY, patch 0009). */
	fn[AL_FN_MAKE_ROOT].tp = s->progs.tp_lazy_root;
	fn[AL_FN_UPGRADE].tp = s->progs.tp_lazy_upgrade;
	for (int i = 0; i < AL_NR_FNS; i++) {
		const char *sec;

		p = fn[i].fexit ? fn[i].fexit : fn[i].fentry;
		sec = bpf_program__section_name(p);
		fn[i].symbol = strchr(sec, '/') + 1;
		if (fn[i].tp) {
			sec = bpf_program__section_name(fn[i].tp);
			fn[i].tp_name = strchr(sec, '/') + 1;
		}
	}
}

const char *al_fn_mech_name(const struct al_fn *f, bool fentry)
{
	if (f->mech == MECH_TP)
		return "tp_btf";
	if (fentry)
		return f->fexit ? "fexit" : "fentry";
	return f->kretprobe ? "kretprobe" : "kprobe";
}

/*
 * bcc's fentry_can_attach(): can fentry (and fexit) programs go on sym?
 * Load an empty fentry program on it and attach it for a moment. Returns
 * 0 or -errno.
 */
static int fentry_try(const struct btf *vmlinux, const char *sym)
{
	struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	int id, prog, link, err = 0;
	LIBBPF_OPTS(bpf_prog_load_opts, opts,
		    .expected_attach_type = BPF_TRACE_FENTRY);

	id = btf__find_by_name_kind(vmlinux, sym, BTF_KIND_FUNC);
	if (id <= 0)
		return -ENOENT;
	opts.attach_btf_id = (__u32)id;
	prog = bpf_prog_load(BPF_PROG_TYPE_TRACING, "al_fentry_try", "GPL",
			     insns, sizeof(insns) / sizeof(insns[0]), &opts);
	if (prog < 0)
		return -errno;
	link = bpf_raw_tracepoint_open(NULL, prog);
	if (link < 0)
		err = -errno;
	else
		close(link);
	close(prog);
	return err;
}

/*
 * Does the kernel have the tracepoint? Its BTF then holds the typedef a
 * tp_btf program attaches by, btf_trace_<name>.
 */
static bool tp_exists(const struct btf *vmlinux, const char *name)
{
	char type[128];

	if (snprintf(type, sizeof(type), "btf_trace_%s", name) >= (int)sizeof(type))
		return false;
	return btf__find_by_name_kind(vmlinux, type, BTF_KIND_TYPEDEF) > 0;
}

static const char *fentry_hint(int err)
{
	if (err == -ENOENT)
		return "not in this kernel's BTF: inlined, renamed or absent on this kernel";
	return "the kernel refused a BPF trampoline on it";
}

/* As module/probes.c's probe_hint(), for attach failures. */
const char *al_attach_hint(int err)
{
	switch (err) {
	case -ENOENT:
		return ANONLAZY_HINT_ENOENT;
	case -EINVAL:
		return ANONLAZY_HINT_EINVAL;
	case -EBUSY:
		return ANONLAZY_HINT_EBUSY;
	default:
		return "attaching failed";
	}
}

void al_bpf_pick(struct al_bpf *b, const struct al_bpf_opts *o,
		 const struct al_bpf_env *env)
{
	const char *names[AL_NR_FNS];
	bool in_ksyms[AL_NR_FNS] = { false }, black[AL_NR_FNS] = { false };
	bool ksyms_read;
	struct btf *vmlinux = NULL;

	for (int i = 0; i < AL_NR_FNS; i++)
		names[i] = b->fn[i].symbol;
	if (o->mode != AL_BPF_MODE_FENTRY) {
		ksyms_read = !al_ksyms_find(AL_KALLSYMS, names, AL_NR_FNS, in_ksyms);
		al_kprobe_blacklist_find(AL_KPROBE_BLACKLIST, names, AL_NR_FNS, black);
		/* Unreadable kallsyms: let the attach decide. */
		if (!ksyms_read)
			memset(in_ksyms, true, sizeof(in_ksyms));
	}
	if (o->mode != AL_BPF_MODE_KPROBE && !access(env->kernel_btf, R_OK))
		vmlinux = btf__parse(env->kernel_btf, NULL);
	for (int i = 0; i < AL_NR_FNS; i++) {
		struct al_fn *f = &b->fn[i];
		int err = -ENOENT;

		f->mech = MECH_NONE;
		f->state = AL_PROBE_FAILED;
		if (!(o->hooks & 1U << f->group)) {
			f->state = AL_PROBE_OFF;
			f->tried_fentry = o->mode != AL_BPF_MODE_KPROBE;
			continue;
		}
		if (vmlinux && o->mode == AL_BPF_MODE_AUTO && f->tp &&
		    tp_exists(vmlinux, f->tp_name)) {
			f->mech = MECH_TP;
			f->symbol = f->tp_name;
			continue;
		}
		if (vmlinux) {
			err = fentry_try(vmlinux, f->symbol);
			if (!err) {
				f->mech = MECH_FENTRY;
				continue;
			}
		}
		if (o->mode == AL_BPF_MODE_FENTRY) {
			f->tried_fentry = true;
			f->err = err;
			f->hint = fentry_hint(err);
		} else if (black[i]) {
			f->err = -EINVAL;
			f->hint = "not probeable: on the kprobe blacklist";
		} else if (!in_ksyms[i]) {
			f->err = -ENOENT;
			f->hint = "not in this kernel's BTF or kallsyms: inlined, renamed or absent on this kernel";
		} else {
			f->mech = MECH_KPROBE;
		}
	}
	btf__free(vmlinux);
}

