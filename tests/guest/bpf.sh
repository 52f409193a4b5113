#!/bin/bash
# Guest tests of anonlazy-bpf (issue 12): the BPF programs count what the
# module counts. scripts/check.sh runs it on stock, ours and ours with
# sysctl.vm.anon_vma_lazy=1; by hand:
#   scripts/vm-run.sh --kernel ours --name bpf -- env AL_KERNEL=ours bash tests/guest/bpf.sh
#
# The exact comparison: alwork takes its two snapshots of stats inside its
# own process (AL_STATS names the file); anonlazy-bpf --stats-socket
# serves the BPF counters on a unix socket that gives each connection the
# counters of that moment. So each scenario is run twice, with the module attached both
# times: once reading the module's stats, once (under anonlazy-bpf, both
# attached at once) reading the BPF counters, and every delta must be the
# same.
. tests/guest/lib.sh

BPF=${AL_BPF:-out/bin/anonlazy-bpf}
T=/tmp/al-bpf
# A verifier rejection's log, kept with the run's results (out/vm/NAME/).
VLOG=${AL_RUN:-$T}/verifier.log
bpfl() { "$BPF" --verifier-log "$VLOG" "$@"; }
SOCK=$T/stats.sock
mkdir -p $T
rm -f $SOCK

# In probe order (userspace/bpf_pick.c's table).
FNS="anon_vma_lazy_make_root __anon_vma_prepare anon_vma_fork anon_vma_clone
unlink_anon_vmas rmap_walk_anon rmap_walk_file rmap_walk_ksm anon_vma_lazy_upgrade"
NF=9
# Functions probed only at their entry; the others need their return.
ENTRY_ONLY="anon_vma_clone unlink_anon_vmas"
LAZY_ONLY="anon_vma_lazy_make_root anon_vma_lazy_upgrade"
# auto takes the kernel's own tracepoint where it has one (ours, patch
# 0009), and the row then names the tracepoint: anon_vma_lazy_root for
# anon_vma_lazy_make_root; anon_vma_lazy_upgrade keeps its name.
TPS="anon_vma_lazy_root anon_vma_lazy_upgrade"
AUTO_FNS=$FNS
[ $HAVE_LAZY = 1 ] && AUTO_FNS=$(echo $FNS | sed 's/anon_vma_lazy_make_root/anon_vma_lazy_root/')
UPGRADE_COUNTERS="upgrades upgrades_fork upgrades_clone upgrades_mremap upgrades_ksm upgrades_other"
# alwork scenarios, compared module vs BPF (pageout needs swap).
SCENARIOS=("fault 64" "unmap 48" "fork 32" "forkreuse 16" "split" "mremap" "pageout 64")
NS=${#SCENARIOS[@]}
# ...and again with --mode kprobe.
KSCENARIOS=("fault 64" "pageout 64")
NK=${#KSCENARIOS[@]}

# insmod (1); not root, --btf (2); auto: exit, one line per function,
# stderr (1 + NF + 1); kprobe: exit, one per function (1 + NF); fentry on
# the lazy-only functions (1); the disabled line (1); the rows off by
# default: -s all, -s processes, a socket request (3); each scenario:
# deltas, missed, latency = walks (3 x NS); kprobe scenarios (NK); with
# --processes: fault 64's deltas, the per-process row of fault 64 less
# fault 1 (1 + 2); the census: its keys, the simulation's state (2),
# each phase's structure and estimate against the module's (2 x 8 - 1),
# the derived changes (5); census reads under a fork storm (2).
CPHASES="start fault exitchild split reuse reusefork peak churn"
plan $((1 + 2 + 1 + NF + 1 + 1 + NF + 1 + 1 + 3 + 3 * NS + NK + 1 + 2 + 2 + 15 + 5 + 2))

if ! insmod "$KO" 2> $T/insmod.err; then
	fail "insmod" "$(cat $T/insmod.err)"
	exit 1
fi
pass "insmod"

# mech FN MODE: the probes column of FN in MODE (auto, kprobe), as
# "<mechanism> <state>".
want_mech() {
	local fn=$1 mode=$2 entry=0
	case " $(echo $ENTRY_ONLY) " in *" $fn "*) entry=1 ;; esac
	if [ $HAVE_LAZY = 0 ] && case " $(echo $LAZY_ONLY) " in *" $fn "*) true ;; *) false ;; esac; then
		# not in BTF nor kallsyms: the kprobe twin was the last tried
		echo "kretprobe failed"
		return
	fi
	if [ "$mode" = auto ] && [ $HAVE_LAZY = 1 ] &&
		case " $TPS " in *" $fn "*) true ;; *) false ;; esac; then
		echo "tp_btf attached"
	elif [ "$mode" = auto ]; then
		[ $entry = 1 ] && echo "fentry attached" || echo "fexit attached"
	else
		[ $entry = 1 ] && echo "kprobe attached" || echo "kretprobe attached"
	fi
}

# section FILE NAME: the lines of section NAME of a multi-section block.
section() {
	awk -v s="== $2" '$0 == s { on = 1; next } /^== / { on = 0 } on' "$1"
}

# The errors before any bpf() call, as an unprivileged user and with a
# missing --btf.
setpriv --reuid=65534 --regid=65534 --clear-groups "$BPF" > /dev/null 2> $T/np.err
expect "not root: exit 3, one line" "$?:$(cat $T/np.err)" \
	"3:anonlazy-bpf: needs CAP_BPF and CAP_PERFMON, or CAP_SYS_ADMIN: run it as root"
bpfl --btf $T/nope > /dev/null 2> $T/btf.err
expect "--btf missing: exit 4, one line" "$?:$(cat $T/btf.err)" \
	"4:anonlazy-bpf: --btf $T/nope: cannot read it: No such file or directory"

# Mechanisms: auto takes a trampoline everywhere (both kernels have BTF
# and direct calls); the lazy-only functions are absent on stock.
bpfl -s probes -- true > $T/auto 2> $T/auto.err
expect "auto: exit 0" "$?" 0
for fn in $AUTO_FNS; do
	expect "auto: $fn" "$(awk -v s=$fn '$1 == s { print $2, $3 }' $T/auto)" \
		"$(want_mech $fn auto)"
done
if [ $HAVE_LAZY = 1 ]; then
	want_err="anonlazy-bpf: attached 9 of 9 functions"
else
	hint="not in this kernel's BTF or kallsyms: inlined, renamed or absent on this kernel"
	want_err="anonlazy-bpf: anon_vma_lazy_make_root: not attached (kretprobe error=-2 $hint)
anonlazy-bpf: anon_vma_lazy_upgrade: not attached (kretprobe error=-2 $hint)
anonlazy-bpf: attached 7 of 9 functions; not counted: $(echo $UPGRADE_COUNTERS)"
fi
expect "auto: stderr reports what is attached" "$(cat $T/auto.err)" "$want_err"

bpfl -m kprobe -s probes -- true > $T/kp 2> $T/kp.err
expect "kprobe: exit 0" "$?" 0
for fn in $FNS; do
	expect "kprobe: $fn" "$(awk -v s=$fn '$1 == s { print $2, $3 }' $T/kp)" \
		"$(want_mech $fn kprobe)"
done

bpfl -m fentry -s probes -- true > $T/fe 2> /dev/null
expect "fentry: the lazy-only functions" \
	"$(awk '$1 ~ /^anon_vma_lazy_/ { printf "%s %s %s;", $1, $2, $3 }' $T/fe)" \
	"$(if [ $HAVE_LAZY = 1 ]; then
		echo "anon_vma_lazy_make_root fexit attached;anon_vma_lazy_upgrade fexit attached;"
	else
		echo "anon_vma_lazy_make_root fexit failed;anon_vma_lazy_upgrade fexit failed;"
	fi)"

bpfl -- true > $T/st 2> /dev/null
expect "stats: the disabled line" "$(grep '^disabled' $T/st || echo none)" \
	"$([ $HAVE_LAZY = 1 ] && echo none || echo "disabled $(echo $UPGRADE_COUNTERS)")"

# Per-process rows are off by default (no --processes): a processes
# section asked for is the off line, never an empty table; naming it
# with -s is a usage error.
OFF="off: the per-process rows are off: start anonlazy-bpf with --processes"
bpfl -s all -- true > $T/all 2> /dev/null
expect "rows off: -s all: the processes section is the off line" \
	"$(section $T/all processes)" "$OFF"
bpfl -s stats,processes -- true > $T/sp 2> $T/sp.err
expect "rows off: -s processes: exit 2, one line" "$?:$(cat $T/sp.err)" \
	"2:anonlazy-bpf: --show processes: the per-process rows are off: add --processes; see anonlazy-bpf --help"
# $T/ask.py SOCK REQUEST OUT: send REQUEST and a newline, the answer into OUT
cat > $T/ask.py <<'EOF'
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.sendall(sys.argv[2].encode() + b"\n")
s.shutdown(socket.SHUT_WR)
d = b""
while True:
	b = s.recv(65536)
	if not b:
		break
	d += b
open(sys.argv[3], "wb").write(d)
EOF
rm -f $SOCK $T/req
bpfl --stats-socket $SOCK -- python3 $T/ask.py $SOCK stats,processes $T/req > /dev/null 2> $T/req.err
expect "rows off: a socket request for processes: the off line" \
	"$(section $T/req processes)" "$OFF"

zram_swap_on 256M || fail "zram swap" "cannot set it up"

# compare LABEL MODE SCENARIO...: the scenario's deltas from the module's
# stats, then from anonlazy-bpf's socket (module attached too); the walks
# timed per kind = the walks counted; missed 0.
compare() {
	local label=$1 mode=$2 name
	shift 2
	name=$(echo "$*" | tr ' ' _)
	rm -f $SOCK
	if ! run_work $T/$name.mod "$@"; then
		return
	fi
	if ! bpfl -m "$mode" --stats-socket $SOCK -s stats,latency -- \
		env AL_STATS=$SOCK "$ALWORK" "$@" > $T/$name.$mode 2> $T/$name.$mode.err; then
		fail "$label $*: anonlazy-bpf" "exit $?: $(tail -n 3 $T/$name.$mode.err)"
		return
	fi
	expect_empty "$label $*: every delta, module = BPF" \
		"$(diff <(grep -E '^[a-z_]+\.[a-z_]+ ' $T/$name.mod) \
			<(grep -E '^[a-z_]+\.[a-z_]+ ' $T/$name.$mode) | head -n 5)"
	[ "$label" = kprobe ] && return
	expect "$label $*: missed" "$(section $T/$name.$mode stats | awk '$1 == "missed" { print $2 }')" 0
	local k walks timed bad=
	for k in anon ksm file lazy; do
		walks=$(section $T/$name.$mode stats | awk -v c=walk_$k '$1 == c { print $2 }')
		timed=$(section $T/$name.$mode latency | awk -v k=$k '$1 == k { s += $4 } END { print s + 0 }')
		[ "$walks" = "$timed" ] || bad="$bad $k:$walks/$timed"
	done
	expect_empty "$label $*: walks timed = walks counted, by kind" "$bad"
}

for s in "${SCENARIOS[@]}"; do
	compare auto auto $s
done
for s in "${KSCENARIOS[@]}"; do
	compare kprobe kprobe $s
done

# With --processes (every program also looks up and counts the caller's
# row): fault 64's deltas still equal the module's. The per-process row
# of alwork (its comm, one process) in fault 64 less
# fault 1: 63 more VMAs, each mapped with two guard pages unmapped (two
# __split_vma() calls: 2 anon_vma_clone() and 2 unlink_anon_vmas() of the
# guards), faulted once (1 __anon_vma_prepare(): a lazy root, lazy, else
# an anon_vma) and torn down at exit (1 unlink_anon_vmas(), lazy or
# regular). Both runs the same way, under --stats-socket: its thread's
# stack (and guard) is in the mm that alwork's exec tears down, two more
# unlink_anon_vmas() in its row, which the subtraction cancels.
row() {
	section "$1" processes | awk '$NF == "alwork" { $1 = ""; $NF = ""; print }'
}
# bpfp OUT SCENARIO...: the scenario under anonlazy-bpf --processes
bpfp() {
	local out=$1
	shift
	rm -f $SOCK
	bpfl --processes --stats-socket $SOCK -s stats,processes -- \
		env AL_STATS=$SOCK "$ALWORK" "$@" > "$out" 2> "$out.err"
}
if [ -f $T/fault_64.mod ] && bpfp $T/f64 fault 64; then
	expect_empty "--processes: fault 64: every delta, module = BPF" \
		"$(diff <(grep -E '^[a-z_]+\.[a-z_]+ ' $T/fault_64.mod) \
			<(grep -E '^[a-z_]+\.[a-z_]+ ' $T/f64) | head -n 5)"
else
	fail "--processes: fault 64" "did not run: $(tail -n 3 $T/f64.err 2> /dev/null)"
fi
if run_work $T/f1.mod fault 1 && bpfp $T/f1 fault 1; then
	# counter names (the header less pid and comm), then the differences
	named=$(paste <(section $T/f1 processes | awk '$1 == "pid"' | tr ' ' '\n' | sed '1d;$d') \
		<(paste <(row $T/f64 | tr ' ' '\n' | sed '/^$/d') \
			<(row $T/f1 | tr ' ' '\n' | sed '/^$/d') | awk '{ print $1 - $2 }') |
		awk '$2 != 0 { printf "%s=%s ", $1, $2 }')
	expect "fault 64 - fault 1, alwork's row: one process each" \
		"$(row $T/f64 | wc -l)/$(row $T/f1 | wc -l)" 1/1
	expect "fault 64 - fault 1, alwork's row: what 63 VMAs add" "$named" \
		"$(on "prepare_calls=63 clone_calls=126 unlink_calls=189 lazy_roots=63 unlink_lazy=63 " \
			"prepare_calls=63 prepare_attached=63 clone_calls=126 unlink_calls=189 unlink_regular=63 ")"
else
	fail "fault 1 under anonlazy-bpf" "did not run"
fi

# The census section (issue 16): alwork censussim (tests/workloads/
# w_census.c) reads, at each phase, the module's census and then
# anonlazy-bpf's, both in its own process while the rest of the guest
# waits (anonlazy-bpf's socket thread, warmed up by the first reads, maps
# nothing more), so both see one system. The module was loaded before
# anonlazy-bpf started, anonlazy-bpf before alwork: the VMAs of
# anonlazy-bpf itself are exact for the module and bound for BPF, so the
# estimate is compared phase against phase (every change since start),
# the structure (VMAs, anon_vmas, chains, processes) as it is.
# A churn of $CCHURN VMAs shows the sim map flat (the module's census.sh
# churns 1,000,000 through its own table).
CN=64
CCHURN=100000
STRUCT="processes vmas vmas_none vmas_regular vmas_lazy vmas_parent vmas_invalid
anon_vmas anon_vma_chains anon_vma_size anon_vma_chain_size anon_vma_bytes
anon_vma_chain_bytes truncated sim_active"
EST="est_lazy_roots est_parent_links est_saved_anon_vmas est_saved_chains
est_saved_bytes est_exact_vmas est_exact_lazy_roots est_exact_saved_anon_vmas
est_exact_saved_chains est_exact_saved_bytes est_bound_vmas est_bound_lazy_roots
est_bound_parent_links est_bound_saved_anon_vmas est_bound_saved_chains
est_bound_saved_bytes sim_tracked sim_tracked_lazy sim_dropped"
declare -A C
rm -f $SOCK
if bpfl --stats-socket $SOCK -- env AL_BPF_CENSUS=$SOCK "$ALWORK" censussim $CN $CCHURN \
	> $T/cs 2> $T/cs.err; then
	cp $T/cs "${AL_RUN:-$T}/censussim.txt" 2> /dev/null
	while read -r k v; do C[$k]=$v; done < <(grep -E '^[a-z]+\.(bpf|census|proc)\.[a-z_]+ [0-9]+$' $T/cs)
	# cd FROM TO KEY: KEY's change between two phases, or "missing"
	cd() {
		local a=${C[$1.$3]} b=${C[$2.$3]}
		if [ -n "$a" ] && [ -n "$b" ]; then echo $((b - a)); else echo missing; fi
	}
	expect "census: its 38 keys, in each of the 8 phases" \
		"$(grep -cE '^[a-z]+\.bpf\.' $T/cs)" $((38 * 8))
	expect "census: the simulation on, sim_max_vmas 262144" \
		"${C[start.bpf.sim_active]}/${C[start.bpf.sim_max_vmas]}" 1/262144
	for ph in $CPHASES; do
		bad=
		for k in $STRUCT; do
			[ -n "${C[$ph.bpf.$k]}" ] && [ "${C[$ph.bpf.$k]}" = "${C[$ph.census.$k]}" ] ||
				bad="$bad $k=${C[$ph.bpf.$k]}/${C[$ph.census.$k]}"
		done
		expect_empty "census: $ph: the structure, BPF = module" "$bad"
		[ $ph = start ] && continue
		bad=
		for k in $EST; do
			[ "$(cd start $ph bpf.$k)" = "$(cd start $ph census.$k)" ] &&
				[ "$(cd start $ph bpf.$k)" != missing ] ||
				bad="$bad $k=$(cd start $ph bpf.$k)/$(cd start $ph census.$k)"
		done
		expect_empty "census: $ph: the estimate's change since start, BPF = module" "$bad"
	done
	# What the phases must add, derived (census.sh's sim_run): reg = N
	# when the faults make regular VMAs, 0 when they make lazy roots.
	reg=$(on 0 $CN)
	r2=$((2 * reg))
	avsz=${C[start.bpf.anon_vma_size]}
	chsz=${C[start.bpf.anon_vma_chain_size]}
	expect "census: fault $CN: exact lazy roots/saved anon_vmas/chains/bytes, tracked/lazy/dropped" \
		"$(cd start fault bpf.est_exact_lazy_roots)/$(cd start fault bpf.est_exact_saved_anon_vmas)/$(cd start fault bpf.est_exact_saved_chains)/$(cd start fault bpf.est_exact_saved_bytes) $(cd start fault bpf.sim_tracked)/$(cd start fault bpf.sim_tracked_lazy)/$(cd start fault bpf.sim_dropped)" \
		"$reg/$reg/$reg/$((reg * (avsz + chsz))) $CN/$CN/0"
	# alwork's own line in the module's processes file: every VMA of it
	# that was a would-be lazy root (exact_lazy), or a lazy root (lazy).
	expect "census: a child exited: alwork's would-be lazy roots regular (exact lazy, tracked lazy)" \
		"$(cd fault exitchild bpf.est_exact_lazy_roots)/$(cd fault exitchild bpf.sim_tracked_lazy)" \
		"$((-${C[fault.proc.exact_lazy]:-0}))/$((-(${C[fault.proc.exact_lazy]:-0} + ${C[fault.proc.lazy]:-0})))"
	expect "census: reuse $CN: exact lazy roots/saved anon_vmas/chains/bytes" \
		"$(cd split reuse bpf.est_exact_lazy_roots)/$(cd split reuse bpf.est_exact_saved_anon_vmas)/$(cd split reuse bpf.est_exact_saved_chains)/$(cd split reuse bpf.est_exact_saved_bytes)" \
		"$r2/$reg/$r2/$((reg * avsz + r2 * chsz))"
	expect "census: reuse, a child exited: no exact saving left (lazy roots/bytes since the first child)" \
		"$(cd exitchild reusefork bpf.est_exact_lazy_roots)/$(cd exitchild reusefork bpf.est_exact_saved_bytes)" \
		"0/0"
	expect "census: churn of $CCHURN VMAs: state flat (tracked/lazy/dropped/exact_vmas)" \
		"$(cd reusefork churn bpf.sim_tracked)/$(cd reusefork churn bpf.sim_tracked_lazy)/$(cd reusefork churn bpf.sim_dropped)/$(cd reusefork churn bpf.est_exact_vmas)" \
		0/0/0/0
	unset -f cd
else
	fail "census: censussim under anonlazy-bpf" "exit $?: $(tail -n 3 $T/cs.err)"
fi

# The census while processes fork and exit on every CPU (alwork
# forkstorm, again and again: a worker per CPU with 64 VMAs forks 50
# children that exit at once): 4 census reads, then the storm stops. Each
# answer has its 38 keys, its VMAs by state add up, nothing truncated;
# anonlazy-bpf exits 0; vm-run checks the kernel log (no report).
rm -f $SOCK $T/storm.stop
: > $T/storm.bad
bpfl --stats-socket $SOCK -- bash -c 'while [ ! -e "$1" ]; do "$0" forkstorm 64 50 > /dev/null || exit 1; done' \
	"$ALWORK" $T/storm.stop > $T/storm 2> $T/storm.err &
spid=$!
nreads=0
for i in $(seq 100); do
	[ -S $SOCK ] && break
	sleep 0.2
done
for i in 1 2 3 4; do
	python3 $T/ask.py $SOCK census $T/storm.c 2>> $T/storm.bad || break
	nreads=$((nreads + 1))
	awk '{ v[$1] = $2; n++ } END {
		s = v["vmas_none"] + v["vmas_regular"] + v["vmas_lazy"] + v["vmas_parent"] + v["vmas_invalid"]
		if (n != 38 || s != v["vmas"] || v["truncated"] != 0) print n, s, v["vmas"], v["truncated"] }' \
		$T/storm.c >> $T/storm.bad
done
touch $T/storm.stop
wait $spid
src=$?
expect "census under a fork storm: 4 reads answered, anonlazy-bpf and the storm exit 0" \
	"$nreads/$src" "4/0"
expect_empty "census under a fork storm: each answer whole and consistent" \
	"$(head -n 3 $T/storm.bad)"

rmmod anonlazy 2> /dev/null
exit $al_failed
