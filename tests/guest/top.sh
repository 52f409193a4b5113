#!/bin/bash
# Guest tests of anonlazy-top against the real module: its numbers are the
# module's for the same moment. Not in make check yet; run it with
#   scripts/vm-run.sh --kernel ours --name top -- env AL_KERNEL=ours bash tests/guest/top.sh
# (and --kernel stock ... AL_KERNEL=stock, or --append
# sysctl.vm.anon_vma_lazy=1 with AL_KERNEL=ours-lazy).
#
# Every process that starts or exits moves the counters (exec, its first
# faults, fork, unmap at exit), so a number anonlazy-top printed is
# compared only with a read of the stats file across which no process
# starts or exits: the file read by shell builtins (mapfile: no fork)
# while anonlazy-top sleeps between two frames, or right after it exits
# for the counters an exit does not move (lazy_roots); and alwork's
# deltas are compared through the difference of two brackets that differ
# only in alwork's count (each bracket's own process overhead cancels).
. tests/guest/lib.sh

TOP=${AL_TOP:-out/bin/anonlazy-top}
BPF=${AL_BPF:-out/bin/anonlazy-bpf}
T=/tmp/al-top
mkdir -p $T
PREPARE="prepare_calls prepare_attached lazy_roots"
# insmod; the header (1); frames around a builtin read (3); --prometheus
# (1); fault 64 against fault 1, alwork's and anonlazy-top's (3 + 3);
# rmmod; not loaded: status and message (2).
# The BPF source: the header (1), its per-process rows off (1), alwork's
# prepare_calls and the three brackets (1 + 3), the source gone (1).
plan $((1 + 1 + 3 + 1 + 6 + 1 + 2 + 1 + 1 + 4 + 1))

for f in "$TOP" "$ALWORK" "$KO" "$BPF"; do
	if [ ! -e "$f" ]; then
		fail "top.sh needs $f" "missing (make userspace; scripts/build-module.sh)"
		exit 1
	fi
done
if ! insmod "$KO" 2> $T/insmod.err; then
	fail "insmod" "$(cat $T/insmod.err)"
	exit 1
fi
pass "insmod"

# stats_now FILE: the stats file's "name value" lines into FILE, by shell
# builtins only (no process starts: nothing moves a counter)
stats_now() {
	local l lines out=
	mapfile -t lines < $DBG/stats
	for l in "${lines[@]}"; do
		[[ $l =~ ^[a-z_]+\ [0-9]+$ ]] && out+="$l"$'\n'
	done
	printf '%s' "$out" > "$1"
}
# py SCRIPT ARGS...: python3 -c SCRIPT ARGS (sys.argv[1:] = ARGS)
py() { python3 -c "import json, sys
$1" "${@:2}"; }

lazy_hdr="ANON_VMA_LAZY no"
[ $HAVE_LAZY = 1 ] && lazy_hdr="ANON_VMA_LAZY yes (vm.anon_vma_lazy=$LAZY)"
"$TOP" --once > $T/text 2>&1
expect "--once: the header" "$(head -n1 $T/text)" \
	"anonlazy-top - kernel $(uname -r), $lazy_hdr, source module ($DBG), up 0:00:00"

# Two frames 3 s apart; between them, once the first is written, the
# stats file read by builtins. Nothing starts or exits in between (the
# busy wait is builtins too), so both frames' totals equal that read, and
# the second frame's deltas are all 0.
"$TOP" --json 3 2 > $T/q.json 2> $T/q.err &
qpid=$!
while [ ! -s $T/q.json ] && kill -0 $qpid 2> /dev/null; do :; done
stats_now $T/q.stats
wait $qpid
echo "info: anonlazy-top --json 3 2: exit $?, $(wc -l < $T/q.json) lines $(head -c 200 $T/q.err)"
cmp_frame='import json, sys
objs = [json.loads(l) for l in open(sys.argv[1])]
o = objs[int(sys.argv[3])]
file = dict(l.split() for l in open(sys.argv[2]) if l.strip())
top = {k: str(v["total"]) for k, v in o["counters"].items()}
bad = sorted(set(file) ^ set(top)) + [k for k in file if k in top and file[k] != top[k]]
print(" ".join("%s:file=%s,top=%s" % (k, file.get(k), top.get(k)) for k in bad))'
expect_empty "frame 2's totals = the stats file read between the frames, every counter" \
	"$(py "$cmp_frame" $T/q.json $T/q.stats 1 2>&1)"
expect_empty "frame 1's totals = the same read (anonlazy-top moved no counter after its read)" \
	"$(py "$cmp_frame" $T/q.json $T/q.stats 0 2>&1)"
expect_empty "frame 2's deltas all 0, its interval about 3 s" "$(py 'import json, sys
objs = [json.loads(l) for l in open(sys.argv[1])]
o = objs[1]
bad = ["%s:%s" % (k, v["delta"]) for k, v in o["counters"].items() if v["delta"] != 0]
if not 2.5 < o["interval_s"] < 3.5: bad.append("interval_s:%s" % o["interval_s"])
print(" ".join(bad))' $T/q.json 2>&1)"

# --prometheus, then the file: anonlazy-top's exit unmaps (unlink) but
# makes no VMA's first fault, so lazy_roots is the same in both.
"$TOP" --prometheus > $T/p.prom 2> $T/p.err
stats_now $T/p.stats
expect "--prometheus: anonlazy_lazy_roots_total = the stats file's lazy_roots" \
	"$(awk '$1 == "anonlazy_lazy_roots_total" { print $2 }' $T/p.prom)" \
	"$(awk '$1 == "lazy_roots" { print $2 }' $T/p.stats)"

# Three --once --json snapshots A, B, C with alwork fault 1 between A and
# B and fault 64 between B and C. Each bracket holds the same processes'
# overhead (anonlazy-top's exit and start, alwork's start and exit, the
# forks), which differs only inside alwork's window: (C - B) - (B - A) of
# each prepare counter is alwork's fault 64 minus its fault 1. A round
# first brings this shell's own allocations to where they stay.
snap() {
	"$TOP" --once --json > "$1" 2> "$1.err" ||
		{ fail "anonlazy-top --once --json" "exit $?: $(cat "$1.err")"; return 1; }
}
snap $T/w.json
run_work $T/f0 fault 1
snap $T/a.json
if run_work $T/f1 fault 1 && snap $T/b.json && run_work $T/f64 fault 64 && snap $T/c.json; then
	# fault N: N fresh VMAs' first faults, one __anon_vma_prepare() each,
	# attaching an anon_vma (regular) or making a lazy root (lazy)
	expect "alwork fault 64 - fault 1: prepare_calls" \
		"$(($(val $T/f64 fault.prepare_calls) - $(val $T/f1 fault.prepare_calls)))" 63
	expect "alwork fault 64 - fault 1: prepare_attached" \
		"$(($(val $T/f64 fault.prepare_attached) - $(val $T/f1 fault.prepare_attached)))" "$(on 0 63)"
	expect "alwork fault 64 - fault 1: lazy_roots" \
		"$(($(val $T/f64 fault.lazy_roots) - $(val $T/f1 fault.lazy_roots)))" "$(on 63 0)"
	for c in $PREPARE; do
		d=$(py 'import json, sys
t = [json.loads(open(f).read())["counters"][sys.argv[4]]["total"] for f in sys.argv[1:4]]
print((t[2] - t[1]) - (t[1] - t[0]), "brackets", t[1] - t[0], t[2] - t[1])' \
			$T/a.json $T/b.json $T/c.json $c 2>&1)
		echo "info: anonlazy-top $c: (C - B) - (B - A), B - A, C - B: $d"
		expect "anonlazy-top: $c of the fault 64 bracket - the fault 1 bracket = alwork's" \
			"${d%% *}" "$(($(val $T/f64 fault.$c) - $(val $T/f1 fault.$c)))"
	done
fi

if rmmod anonlazy 2> $T/rmmod.err; then
	pass "rmmod"
else
	fail "rmmod" "$(cat $T/rmmod.err)"
fi
"$TOP" --once > $T/gone.out 2> $T/gone.err
expect "not loaded: exit status" "$?" 1
expect "not loaded: one line saying so" \
	"$(wc -l < $T/gone.err)/$(grep -c 'the anonlazy module is not loaded; insmod anonlazy.ko' $T/gone.err)" 1/1

# The BPF source: no module, anonlazy-bpf serving its counters on a
# socket (its per-process rows off: the default); --source auto takes it. The same three brackets, alwork reading
# the BPF counters through the same socket (AL_STATS), so both sides count
# with the same programs.
SOCK=$T/bpf.sock
rm -f $SOCK
"$BPF" --stats-socket $SOCK > $T/bpf.out 2> $T/bpf.err &
bpid=$!
for i in $(seq 600); do
	[ -S $SOCK ] && break
	kill -0 $bpid 2> /dev/null || break
	sleep 0.1
done
if [ ! -S $SOCK ]; then
	fail "anonlazy-bpf --stats-socket" "no socket: $(tail -n 3 $T/bpf.err)"
else
	"$TOP" --bpf-socket $SOCK --once > $T/btext 2>&1
	expect "bpf source: --source auto takes it, the header says so" "$(head -n1 $T/btext)" \
		"anonlazy-top - kernel $(uname -r), $lazy_hdr, source bpf ($SOCK), up 0:00:00"
	bsnap() {
		"$TOP" --bpf-socket $SOCK --once --json > "$1" 2> "$1.err" ||
			{ fail "anonlazy-top --source bpf --once --json" "exit $?: $(cat "$1.err")"; return 1; }
	}
	bwork() { AL_STATS=$SOCK run_work "$@"; }
	bsnap $T/bw.json
	# anonlazy-bpf runs without --processes: no table, said so
	expect "bpf source: rows off: PROCESS EVENTS says so; --json process_events_off" \
		"$(grep '^PROCESS EVENTS' $T/btext);$(py 'o = json.loads(open(sys.argv[1]).read())
print(o["process_events_off"], o["process_events"])' $T/bw.json 2>&1)" \
		"PROCESS EVENTS (bpf): off in anonlazy-bpf (its per-process rows: start it with --processes);True None"
	bwork $T/bf0 fault 1
	bsnap $T/ba.json
	if bwork $T/bf1 fault 1 && bsnap $T/bb.json && bwork $T/bf64 fault 64 && bsnap $T/bc.json; then
		expect "bpf source: alwork fault 64 - fault 1 through the socket: prepare_calls" \
			"$(($(val $T/bf64 fault.prepare_calls) - $(val $T/bf1 fault.prepare_calls)))" 63
		for c in $PREPARE; do
			d=$(py 'import json, sys
t = [json.loads(open(f).read())["counters"][sys.argv[4]]["total"] for f in sys.argv[1:4]]
print((t[2] - t[1]) - (t[1] - t[0]), "brackets", t[1] - t[0], t[2] - t[1])' \
				$T/ba.json $T/bb.json $T/bc.json $c 2>&1)
			echo "info: bpf source $c: (C - B) - (B - A), B - A, C - B: $d"
			expect "bpf source: $c of the fault 64 bracket - the fault 1 bracket = alwork's" \
				"${d%% *}" "$(($(val $T/bf64 fault.$c) - $(val $T/bf1 fault.$c)))"
		done
	fi
fi
kill $bpid 2> /dev/null
wait $bpid 2> /dev/null
"$TOP" --source bpf --bpf-socket $SOCK --once > $T/bgone.out 2> $T/bgone.err
expect "bpf source gone: exit 1, one line naming the socket" \
	"$?:$(wc -l < $T/bgone.err):$(grep -c "$SOCK" $T/bgone.err)" 1:1:1
[ $al_failed -eq 0 ]
