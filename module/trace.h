/* SPDX-License-Identifier: GPL-2.0 */
/*
 * anonlazy trace events, system anon_vma_lazy (include/anonlazy.h lists
 * them). Fired from the probe handlers; a disabled event costs one static
 * branch.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM anon_vma_lazy

#if !defined(_ANONLAZY_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _ANONLAZY_TRACE_H

#include <linux/mm_types.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <linux/tracepoint.h>

#include "anonlazy.h"

TRACE_DEFINE_ENUM(ANONLAZY_ST_NONE);
TRACE_DEFINE_ENUM(ANONLAZY_ST_REGULAR);
TRACE_DEFINE_ENUM(ANONLAZY_ST_LAZY);
TRACE_DEFINE_ENUM(ANONLAZY_ST_PARENT);
TRACE_DEFINE_ENUM(ANONLAZY_UPGRADE_OTHER);
TRACE_DEFINE_ENUM(ANONLAZY_UPGRADE_FORK);
TRACE_DEFINE_ENUM(ANONLAZY_UPGRADE_CLONE);
TRACE_DEFINE_ENUM(ANONLAZY_UPGRADE_MREMAP);
TRACE_DEFINE_ENUM(ANONLAZY_UPGRADE_KSM);
TRACE_DEFINE_ENUM(ANONLAZY_KIND_ANON);
TRACE_DEFINE_ENUM(ANONLAZY_KIND_KSM);
TRACE_DEFINE_ENUM(ANONLAZY_KIND_FILE);
TRACE_DEFINE_ENUM(ANONLAZY_KIND_LAZY);

#define show_anonlazy_state(s)					\
	__print_symbolic(s,					\
		{ ANONLAZY_ST_NONE, "none" },			\
		{ ANONLAZY_ST_REGULAR, "regular" },		\
		{ ANONLAZY_ST_LAZY, "lazy" },			\
		{ ANONLAZY_ST_PARENT, "parent" })

#define show_anonlazy_cause(c)					\
	__print_symbolic(c,					\
		{ ANONLAZY_UPGRADE_OTHER, "other" },		\
		{ ANONLAZY_UPGRADE_FORK, "fork" },		\
		{ ANONLAZY_UPGRADE_CLONE, "clone" },		\
		{ ANONLAZY_UPGRADE_MREMAP, "mremap" },		\
		{ ANONLAZY_UPGRADE_KSM, "ksm" })

#define show_anonlazy_kind(k)					\
	__print_symbolic(k,					\
		{ ANONLAZY_KIND_ANON, "anon" },			\
		{ ANONLAZY_KIND_KSM, "ksm" },			\
		{ ANONLAZY_KIND_FILE, "file" },			\
		{ ANONLAZY_KIND_LAZY, "lazy" })

DECLARE_EVENT_CLASS(anonlazy_vma_state,
		    TP_PROTO(struct vm_area_struct *vma, int before, int after),
		    TP_ARGS(vma, before, after),
		    TP_STRUCT__entry(__field(pid_t, pid)
				     __field(pid_t, tgid)
				     __array(char, comm, TASK_COMM_LEN)
				     __field(unsigned long, start)
				     __field(unsigned long, end)
				     __field(int, before)
				     __field(int, after)
		    ),
		    TP_fast_assign(__entry->pid = current->pid;
				   __entry->tgid = current->tgid;
				   memcpy(__entry->comm, current->comm, TASK_COMM_LEN);
				   __entry->start = vma->vm_start;
				   __entry->end = vma->vm_end;
				   __entry->before = before;
				   __entry->after = after;
		    ),
		    TP_printk("pid=%d tgid=%d comm=%s vma=%lx-%lx state=%s->%s",
			      __entry->pid, __entry->tgid, __entry->comm,
			      __entry->start, __entry->end,
			      show_anonlazy_state(__entry->before),
			      show_anonlazy_state(__entry->after))
		    );

DEFINE_EVENT(anonlazy_vma_state, lazy_root,
	     TP_PROTO(struct vm_area_struct *vma, int before, int after),
	     TP_ARGS(vma, before, after));

DEFINE_EVENT(anonlazy_vma_state, parent_link,
	     TP_PROTO(struct vm_area_struct *vma, int before, int after),
	     TP_ARGS(vma, before, after));

TRACE_EVENT(upgrade,
	    TP_PROTO(struct vm_area_struct *vma, int cause, int before, int after),
	    TP_ARGS(vma, cause, before, after),
	    TP_STRUCT__entry(__field(pid_t, pid)
			     __field(pid_t, tgid)
			     __array(char, comm, TASK_COMM_LEN)
			     __field(unsigned long, start)
			     __field(unsigned long, end)
			     __field(int, cause)
			     __field(int, before)
			     __field(int, after)
	    ),
	    TP_fast_assign(__entry->pid = current->pid;
			   __entry->tgid = current->tgid;
			   memcpy(__entry->comm, current->comm, TASK_COMM_LEN);
			   __entry->start = vma->vm_start;
			   __entry->end = vma->vm_end;
			   __entry->cause = cause;
			   __entry->before = before;
			   __entry->after = after;
	    ),
	    TP_printk("pid=%d tgid=%d comm=%s vma=%lx-%lx cause=%s state=%s->%s",
		      __entry->pid, __entry->tgid, __entry->comm,
		      __entry->start, __entry->end,
		      show_anonlazy_cause(__entry->cause),
		      show_anonlazy_state(__entry->before),
		      show_anonlazy_state(__entry->after))
	    );

TRACE_EVENT(rmap_walk,
	    TP_PROTO(int kind, u64 ns),
	    TP_ARGS(kind, ns),
	    TP_STRUCT__entry(__field(pid_t, pid)
			     __field(pid_t, tgid)
			     __array(char, comm, TASK_COMM_LEN)
			     __field(int, kind)
			     __field(u64, ns)
	    ),
	    TP_fast_assign(__entry->pid = current->pid;
			   __entry->tgid = current->tgid;
			   memcpy(__entry->comm, current->comm, TASK_COMM_LEN);
			   __entry->kind = kind;
			   __entry->ns = ns;
	    ),
	    TP_printk("pid=%d tgid=%d comm=%s kind=%s ns=%llu",
		      __entry->pid, __entry->tgid, __entry->comm,
		      show_anonlazy_kind(__entry->kind),
		      (unsigned long long)__entry->ns)
	    );

#endif /* _ANONLAZY_TRACE_H */

/* This part must be outside the include guard. */
#undef TRACE_INCLUDE_PATH
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_PATH .
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
