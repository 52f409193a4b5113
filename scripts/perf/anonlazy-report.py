# SPDX-License-Identifier: GPL-2.0
# anonlazy-report.py: a perf script report of the anonlazy module's trace
# events (system anon_vma_lazy) in a perf.data file:
#
#   perf script -i FILE -s anonlazy-report.py [COMM]
#   (scripts/perf/anonlazy-report -i FILE [-c COMM] runs that)
#
# Prints the events per process (tgid, the process id, and comm from the
# events' own fields: a thread's events count with its process's),
# the upgrades by cause and the rmap walk durations per folio kind (count,
# mean rounded down, p50, p99, max and a log2 histogram). Every number is
# an exact count of the events in the file; with COMM, of the events whose
# comm is COMM.
#
# perf calls anon_vma_lazy__<event>() once per event, with the common
# fields (cpu, time, common_pid, common_comm, callchain) and then the
# event's fields in the order of its format (module/trace.h); comm is a
# str, or a bytearray when it holds unprintable bytes.
import sys
from array import array

# include/anonlazy.h: enum anonlazy_upgrade_cause, enum anonlazy_walk_kind.
CAUSES = ["other", "fork", "clone", "mremap", "ksm"]
KINDS = ["anon", "ksm", "file", "lazy"]
EVENTS = ["lazy_root", "parent_link", "upgrade", "rmap_walk"]

only_comm = sys.argv[1] if len(sys.argv) > 1 else None
procs = {}		# (tgid, comm) -> {column: count}
events = dict.fromkeys(EVENTS, 0)
causes = {}		# cause name -> upgrades
walk_ns = {k: array("Q") for k in KINDS}
unhandled = {}


def name_of(names, value):
	return names[value] if 0 <= value < len(names) else "#%d" % value


def comm_str(comm):
	if isinstance(comm, (bytes, bytearray)):
		comm = bytes(comm).split(b"\0", 1)[0].decode("ascii", "replace")
	return comm


def count(event, tgid, comm, column):
	comm = comm_str(comm)
	if only_comm is not None and comm != only_comm:
		return False
	events[event] += 1
	row = procs.setdefault((tgid, comm), {})
	row[column] = row.get(column, 0) + 1
	return True


def anon_vma_lazy__lazy_root(event_name, context, common_cpu, common_secs,
			     common_nsecs, common_pid, common_comm,
			     common_callchain, pid, tgid, comm, start, end, before,
			     after):
	count("lazy_root", tgid, comm, "lazy_root")


def anon_vma_lazy__parent_link(event_name, context, common_cpu, common_secs,
			       common_nsecs, common_pid, common_comm,
			       common_callchain, pid, tgid, comm, start, end, before,
			       after):
	count("parent_link", tgid, comm, "parent_link")


def anon_vma_lazy__upgrade(event_name, context, common_cpu, common_secs,
			   common_nsecs, common_pid, common_comm,
			   common_callchain, pid, tgid, comm, start, end, cause,
			   before, after):
	if count("upgrade", tgid, comm, "upgrade"):
		c = name_of(CAUSES, cause)
		causes[c] = causes.get(c, 0) + 1


def anon_vma_lazy__rmap_walk(event_name, context, common_cpu, common_secs,
			     common_nsecs, common_pid, common_comm,
			     common_callchain, pid, tgid, comm, kind, ns):
	k = name_of(KINDS, kind)
	if count("rmap_walk", tgid, comm, "walk_" + k):
		walk_ns.setdefault(k, array("Q")).append(ns)


def trace_unhandled(event_name, context, event_fields_dict):
	unhandled[event_name] = unhandled.get(event_name, 0) + 1


def percentile(values, p):
	"""Nearest rank: the smallest value with p% of the values <= it."""
	rank = max(1, -(-len(values) * p // 100))
	return values[rank - 1]


def print_processes():
	cols = ["lazy_root", "parent_link", "upgrade"] + ["walk_" + k for k in KINDS]
	print("Per process")
	print("%7s " % "tgid" + " ".join("%11s" % c for c in cols) + " comm")
	rows = sorted(procs.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))
	for (tgid, comm), row in rows:
		print("%7d " % tgid + " ".join("%11d" % row.get(c, 0) for c in cols) + " " + comm)
	print("%7s " % "total" + " ".join(
		"%11d" % sum(r.get(c, 0) for r in procs.values()) for c in cols) + " -")


def print_causes():
	print("Upgrades by cause")
	print("%-8s %11s" % ("cause", "upgrades"))
	for c in CAUSES + sorted(set(causes) - set(CAUSES)):
		print("%-8s %11d" % (c, causes.get(c, 0)))
	print("%-8s %11d" % ("total", sum(causes.values())))


def print_latency():
	print("rmap walk latency (ns)")
	print("%-5s %9s %11s %11s %11s %11s" % ("kind", "walks", "mean", "p50", "p99", "max"))
	hists = []
	for k in sorted(walk_ns, key=lambda k: (k not in KINDS, KINDS.index(k) if k in KINDS else k)):
		v = sorted(walk_ns[k])
		if not v:
			print("%-5s %9d %11s %11s %11s %11s" % (k, 0, "-", "-", "-", "-"))
			continue
		print("%-5s %9d %11d %11d %11d %11d" % (k, len(v), sum(v) // len(v),
			percentile(v, 50), percentile(v, 99), v[-1]))
		hists.append((k, v))
	for k, v in hists:
		# log2 buckets as the module's latency file: bucket 0 is 0..1 ns,
		# bucket b is 2^b .. 2^(b+1)-1 ns.
		buckets = {}
		for ns in v:
			b = max(ns.bit_length() - 1, 0)
			buckets[b] = buckets.get(b, 0) + 1
		top = max(buckets.values())
		print()
		print("rmap walk latency histogram, kind %s (ns)" % k)
		print("%-5s %11s %11s %9s" % ("kind", "lo_ns", "hi_ns", "walks"))
		for b in sorted(buckets):
			lo = 0 if b == 0 else 1 << b
			print("%-5s %11d %11d %9d %s" % (k, lo, (1 << (b + 1)) - 1, buckets[b],
				"@" * max(1, buckets[b] * 40 // top)))


def trace_end():
	head = "anon_vma_lazy events: %d (%s)" % (sum(events.values()),
		", ".join("%s %d" % (e, events[e]) for e in EVENTS))
	if only_comm is not None:
		head += ", comm %s only" % only_comm
	print(head)
	if unhandled:
		print("other events: " + ", ".join("%s %d" % kv for kv in sorted(unhandled.items())))
	print()
	print_processes()
	print()
	print_causes()
	print()
	print_latency()
