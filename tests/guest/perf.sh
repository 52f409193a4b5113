#!/bin/bash
# Guest tests of scripts/perf/: anonlazy-record and anonlazy-report (perf,
# linux-perf), the bpftrace scripts and one-liners (bpftrace), against the
# workloads' own counter deltas and perf script's text of the same events.
# The error paths; then one recording of three alwork runs (faultmap, fork,
# pageout), each in its own process, with the bpftrace programs attached
# meanwhile. Run by make check on every kernel.
. tests/guest/lib.sh

N=64
N_FORK=32
N_PAGEOUT=16
P=scripts/perf
T=/tmp/al-perf
mkdir -p $T
export HOME=$T
tracefs_on
BTS=(events upgrades walklat)
N_OLS=4		# one-liners in scripts/perf/bpftrace/one-liners.txt
# error paths (9); insmod, one-liner count (2); each bpftrace program
# attached (BTS + N_OLS); the recording (1); the reports (2); faultmap
# (4); fork: 1 + 1 + 4 causes + 2 (8); pageout: 4 kinds x 3 (12);
# latency: 3 kinds x 2 (6); bpftrace events (4), upgrades (1 + 4),
# walklat (4 x 2); one-liners (6); rmmod, record after it (2).
plan $((9 + 2 + ${#BTS[@]} + N_OLS + 1 + 2 + 4 + 8 + 12 + 6 + 4 + 5 + 8 + 6 + 2))

# The report's tables (anonlazy-report.py prints them):
# rrow FILE PID|total COLUMN: a cell of the per-process table (0 for a
# process without events, "none" without a table or column).
rrow() {
	awk -v p="$2" -v c="$3" '
		/^Per process$/ { s = 1; getline; for (i = 1; i <= NF; i++) col[$i] = i; next }
		s && /^$/ { exit }
		s && $1 == p { v = $(col[c]); exit }
		END { print (!(c in col)) ? "none" : (v == "") ? 0 : v }' "$1"
}
# rcause FILE CAUSE: upgrades of CAUSE (or total).
rcause() { awk -v k="$2" '/^Upgrades by cause$/ { s = 1 } s && /^$/ { exit } s && $1 == k { print $2; exit }' "$1"; }
# rlat FILE KIND COLUMN: a cell of the latency table (walks mean p50 p99 max).
rlat() {
	awk -v k="$2" -v c="$3" '
		/^rmap walk latency \(ns\)$/ { s = 1; getline; for (i = 1; i <= NF; i++) col[$i] = i; next }
		s && /^$/ { exit }
		s && $1 == k { print $(col[c]); exit }' "$1"
}
# rhist FILE KIND: the walks in KIND's histogram rows, summed.
rhist() {
	awk -v k="$2" '/^rmap walk latency histogram, kind / { h = 1 }
		h && $1 == k && $2 ~ /^[0-9]+$/ { n += $4 } END { print n + 0 }' "$1"
}
# bt_map FILE KEY: the value of a bpftrace count map entry, KEY as printed
# between the brackets (0 when absent: bpftrace prints no empty entry).
bt_map() {
	awk -v k="$2" 'index($0, k "]: ") { sub(/.*\]: /, ""); print; f = 1; exit }
		END { if (!f) print 0 }' "$1"
}
# bt_hist FILE KEY: the sum of the buckets of a bpftrace histogram.
bt_hist() {
	awk -v k="$2" 'index($0, k "]: ") == 1 { h = 1; next }
		h && /^\[/ { sub(/^\[[^])]*[])] */, ""); n += $1; next }
		h { exit } END { print n + 0 }' "$1"
}

# Error paths before the module is there: the recorder says so, with the fix.
rc=0
$P/anonlazy-record -o $T/none.data -d 1 > $T/none.err 2>&1 || rc=$?
expect "record without the module: exit status" "$rc" 1
expect "record without the module: says it is not loaded, and insmod" \
	"$(grep -c 'anon_vma_lazy events.*module is not loaded.*insmod ' $T/none.err)" 1
expect "record without the module: no file" "$(test -e $T/none.data && echo written || echo none)" none
rc=0
env PATH=/nonexistent /bin/bash $P/anonlazy-record -d 1 > $T/noperf.err 2>&1 || rc=$?
expect "record without perf: exit status" "$rc" 1
expect "record without perf: says perf is missing" "$(grep -c '^anonlazy-record: perf not found' $T/noperf.err)" 1
rc=0
$P/anonlazy-record -d 1 -- true > $T/usage.err 2>&1 || rc=$?
expect "record with -d and a command: usage error" "$rc" 2
rc=0
$P/anonlazy-report -i $T/missing.data > $T/missing.out 2> $T/missing.err || rc=$?
expect "report on a missing file: exit status" "$rc" 1
expect "report on a missing file: names it" \
	"$(grep -c "^anonlazy-report: $T/missing.data: no such file" $T/missing.err)" 1
expect "report on a missing file: no report" "$(wc -c < $T/missing.out)" 0

if ! insmod "$KO" 2> $T/insmod.err; then
	fail "insmod" "$(cat $T/insmod.err)"
	exit 1
fi
pass "insmod"
zram_swap_on 256M || fail "zram swap" "could not set up /dev/zram0 as swap"

# The bpftrace scripts and one-liners, all at once (each takes 15-60 s to
# start under TCG). bpftrace prints "Attaching N probes..." before it
# loads and attaches them (seconds more under TCG; a Ctrl-C meanwhile is
# lost and bpftrace runs on), so each is ready when bpftool lists all its
# tracepoints: N less its BEGIN and END probes. Outputs: $T/bt-NAME.out,
# NAME a script's or ol1, ol2... (the one-liners in their file's order).
mapfile -t OLS < <(grep "^bpftrace -e '" $P/bpftrace/one-liners.txt)
expect "one-liners.txt: $N_OLS one-liners" ${#OLS[@]} $N_OLS
t0=$SECONDS
bt_pids=()
bt_names=()
bt_special=()
for b in "${BTS[@]}"; do
	bpftrace $P/bpftrace/anonlazy-$b.bt > $T/bt-$b.out 2>&1 &
	bt_pids+=($!)
	bt_names+=($b)
	bt_special+=("$(grep -c -E '^(BEGIN|END)\b' $P/bpftrace/anonlazy-$b.bt)")
done
for i in "${!OLS[@]}"; do
	(eval "exec ${OLS[$i]}") > $T/bt-ol$((i + 1)).out 2>&1 &
	bt_pids+=($!)
	bt_names+=(ol$((i + 1)))
	bt_special+=("$(grep -o -w -E 'BEGIN|END' <<< "${OLS[$i]}" | wc -l)")
done
# bt_state I: "ready N" (N tracepoints attached), "error", or "starting".
bt_state() {
	local out=$T/bt-${bt_names[$1]}.out n
	grep -q '^ERROR' "$out" && { echo error; return; }
	n=$(sed -n 's/^Attaching \([0-9]*\) probes\{0,1\}\.\.\.$/\1/p' "$out")
	n=$((${n:-0} - ${bt_special[$1]}))
	if [ $n -gt 0 ] && [ "$(bpftool perf list 2> /dev/null |
		grep -c "^pid ${bt_pids[$1]} .* tracepoint ")" -eq $n ]; then
		echo "ready $n"
	else
		echo starting
	fi
}
command -v bpftool > /dev/null || fail "bpftool" "not found: cannot tell when bpftrace is attached"
for _ in $(seq 300); do
	n=0
	for i in "${!bt_pids[@]}"; do
		[ "$(bt_state $i)" != starting ] && n=$((n + 1))
	done
	[ $n -eq ${#bt_pids[@]} ] && break
	sleep 1
done
for i in "${!bt_pids[@]}"; do
	b=${bt_names[$i]}
	what=anonlazy-$b.bt
	[[ $b = ol* ]] && what="one-liner ${b#ol}"
	st=$(bt_state $i)
	if [[ $st = ready* ]]; then
		pass "bpftrace $what attached (${st#ready } tracepoints)"
	else
		fail "bpftrace $what attached" "$st: $(head -n 5 $T/bt-$b.out)"
	fi
done
echo "info: ${#bt_pids[@]} bpftrace programs attached in $((SECONDS - t0)) s"

# One recording, three workload processes; each prints its pid first (sh
# execs alwork in place, so the pid is alwork's).
cat > $T/work.sh << EOF
set -e
cd $PWD
run() { local name=\$1; shift; sh -c 'echo "pid \$\$"; exec "\$0" "\$@"' "$ALWORK" "\$@" > $T/\$name.out; }
run fault faultmap $N
run fork fork $N_FORK
run pageout pageout $N_PAGEOUT
EOF
t0=$SECONDS
if $P/anonlazy-record -o $T/all.data -- bash $T/work.sh > $T/record.out 2> $T/record.err; then
	pass "anonlazy-record around the three workloads"
else
	fail "anonlazy-record around the three workloads" "$(tail -n 3 $T/record.err)"
fi
echo "info: anonlazy-record: $((SECONDS - t0)) s"
# Ctrl-C makes bpftrace print its maps and exit; give it 60 s. In 2 of 8
# runs one of the seven bpftrace 0.17 processes (attached, in
# epoll_wait(), SIGINT caught) went on running after it: probably the
# SIGINT landed between two epoll_wait()s of its loop, where it only sets
# a flag the loop reads when an event arrives, and these programs send
# none. Like a user, press Ctrl-C again every 5 s.
alive() { [ -e /proc/$1/stat ] && [ "$(awk '{ print $3 }' /proc/$1/stat 2> /dev/null)" != Z ]; }
kill -INT "${bt_pids[@]}" 2> /dev/null
for t in $(seq 60); do
	left=()
	names=
	for i in "${!bt_pids[@]}"; do
		alive ${bt_pids[$i]} && { left+=(${bt_pids[$i]}); names+=" ${bt_names[$i]}"; }
	done
	[ ${#left[@]} -eq 0 ] && break
	if [ $((t % 5)) = 0 ]; then
		echo "info: bpftrace$names still running $t s after SIGINT: SIGINT again"
		kill -INT "${left[@]}" 2> /dev/null
	fi
	sleep 1
done
for i in "${!bt_pids[@]}"; do
	p=${bt_pids[$i]}
	if alive $p; then
		fail "bpftrace ${bt_names[$i]} ends on SIGINT" \
			"still running 60 s later, killed: $(tr '\0' ' ' < /proc/$p/cmdline) wchan $(cat /proc/$p/wchan) $(grep -E '^Sig(Ign|Cgt)' /proc/$p/status | tr '\n' ' ')"
		kill -KILL $p
	fi
done
wait "${bt_pids[@]}"

t0=$SECONDS
$P/anonlazy-report -i $T/all.data -c alwork > $T/report.txt 2> $T/report.err ||
	fail "anonlazy-report -c alwork" "exit $?: $(tail -n 3 $T/report.err)"
$P/anonlazy-report -i $T/all.data > $T/report-all.txt 2> $T/report-all.err ||
	fail "anonlazy-report" "exit $?: $(tail -n 3 $T/report-all.err)"
echo "info: anonlazy-report twice: $((SECONDS - t0)) s"
# perf's own rendering of the same events, for the counts the workloads
# cannot state (their start-up before the counters' windows).
perf script -f -i $T/all.data > $T/all.script 2> $T/script.err ||
	fail "perf script" "$(tail -n 3 $T/script.err)"
grep ' anon_vma_lazy:' $T/all.script > $T/all.ev
sed 's/^/info: report: /' $T/report.txt

expect "report: every event of the file" \
	"$(sed -n 's/^anon_vma_lazy events: \([0-9]*\) .*/\1/p' $T/report-all.txt)" "$(wc -l < $T/all.ev)"
expect "report -c alwork: only alwork" \
	"$(awk '/^Per process$/ { s = 1; getline; next } s && /^$/ { exit } s && $1 != "total" && $NF != "alwork"' $T/report.txt | wc -l)" 0
# ev PID EVENT: perf script's count of EVENT in process PID.
# alwork has one thread: pid (the thread's id) = tgid.
ev() { grep -c "anon_vma_lazy:$2: pid=$1 tgid=$1 comm=alwork " $T/all.ev; }

# faultmap N: N fresh VMAs, one first fault each: N lazy roots (lazy). The
# process's other lazy roots (its start-up, before the counters' window)
# are those perf script shows on other VMAs.
pf=$(val $T/fault.out pid)
awk '$1 == "faultmap.vma" { print $2 }' $T/fault.out > $T/fault.vmas
fm=$(val $T/fault.out faultmap.lazy_roots)
expect "faultmap: lazy_roots counted" "$fm" "$(on $N 0)"
others=$(grep "anon_vma_lazy:lazy_root: pid=$pf tgid=$pf comm=alwork " $T/all.ev |
	sed -n 's/.* vma=\([0-9a-f]*\)-.*/\1/p' | grep -c -v -x -F -f $T/fault.vmas)
expect "report: faultmap lazy_root = $fm counted + $others start-up" \
	"$(rrow $T/report.txt "$pf" lazy_root)" $((fm + others))
expect "report: faultmap lazy_root = perf script's" "$(rrow $T/report.txt "$pf" lazy_root)" "$(ev "$pf" lazy_root)"
expect "report: no parent_link (part 2 not in this kernel)" "$(rrow $T/report-all.txt total parent_link)" 0

# fork N: the upgrades of the three forks the counters measure are all
# cause fork, one per lazy root; start-up upgrades have other causes.
pk=$(val $T/fork.out pid)
up=0
for ph in warmup base more; do
	up=$((up + $(val $T/fork.out $ph.upgrades_fork)))
done
expect "fork: upgrades of the $N_FORK more VMAs counted" "$(val $T/fork.out more.upgrades_fork)" "$(on $N_FORK 0)"
expect "report: upgrades cause fork = upgrades_fork counted ($up)" "$(rcause $T/report.txt fork)" $up
for c in other clone mremap ksm; do
	expect "report: upgrades cause $c = perf script's" "$(rcause $T/report.txt $c)" \
		"$(grep 'anon_vma_lazy:upgrade: .* comm=alwork ' $T/all.ev | grep -c " cause=$c ")"
done
expect "report: fork process upgrades = perf script's" "$(rrow $T/report.txt "$pk" upgrade)" "$(ev "$pk" upgrade)"
expect "report: upgrades by cause add up to the processes'" \
	"$(rcause $T/report.txt total)" "$(rrow $T/report.txt total upgrade)"

# pageout N: one rmap walk per page, of the kind counted.
pp=$(val $T/pageout.out pid)
for k in anon ksm file lazy; do
	want=$(($(val $T/pageout.out pageout.walk_$k) + $(val $T/pageout.out pageout_file.walk_$k)))
	expect "report: pageout walk_$k = walk_$k counted ($want)" "$(rrow $T/report.txt "$pp" walk_$k)" $want
	expect "report: $k latency walks = the table's" "$(rlat $T/report.txt $k walks)" \
		"$(rrow $T/report.txt total walk_$k)"
	expect "report: $k histogram adds up" "$(rhist $T/report.txt $k)" "$(rrow $T/report.txt total walk_$k)"
done
# ns_of KIND: the durations of alwork's walks of KIND, from perf script.
ns_of() { grep "anon_vma_lazy:rmap_walk: .* comm=alwork kind=$1 " $T/all.ev | sed 's/.* ns=//'; }
for k in anon file lazy; do
	if [ "$(rlat $T/report.txt $k walks)" = 0 ]; then
		# no walk of this kind: none in perf script either, no histogram
		expect "report: no $k walks, nor in perf script" "$(ns_of $k | wc -l)" 0
		expect "report: no $k walks, no $k histogram rows" "$(rhist $T/report.txt $k)" 0
		continue
	fi
	# Walks of each kind are as many as of another: the durations tell
	# the kinds apart.
	expect "report: $k mean and max = perf script's" \
		"$(rlat $T/report.txt $k mean) $(rlat $T/report.txt $k max)" \
		"$(ns_of $k | awk '{ s += $1; if ($1 > m) m = $1 } END { printf "%d %d", int(s / NR), m }')"
	expect "report: $k p50 <= p99 <= max, mean > 0" \
		"$(awk -v k=$k '/^rmap walk latency \(ns\)$/ { s = 1 } s && $1 == k {
			print ($3 > 0 && $4 <= $5 && $5 <= $6) ? "yes" : "no: " $0; exit }' $T/report.txt)" yes
done

# bpftrace saw the same alwork events as perf, and the workloads' numbers.
E=$T/bt-events.out
for e in lazy_root upgrade rmap_walk parent_link; do
	if [ $e = rmap_walk ]; then
		want=0
		for k in anon ksm file lazy; do want=$((want + $(rrow $T/report.txt total walk_$k))); done
	else
		want=$(rrow $T/report.txt total $e)
	fi
	expect "bpftrace events: $e of alwork = the report's" \
		"$(bt_map $E "@events[tracepoint:anon_vma_lazy:$e, alwork")" "$want"
done
expect "bpftrace upgrades: alwork fork = upgrades_fork counted ($up)" \
	"$(bt_map $T/bt-upgrades.out "@upgrades[alwork, fork")" $up
for c in other clone mremap ksm; do
	expect "bpftrace upgrades: alwork $c = the report's" \
		"$(bt_map $T/bt-upgrades.out "@upgrades[alwork, $c")" "$(rcause $T/report.txt $c)"
done
for k in anon ksm file lazy; do
	want=$(($(val $T/pageout.out pageout.walk_$k) + $(val $T/pageout.out pageout_file.walk_$k)))
	expect "bpftrace walklat: alwork $k histogram = walk_$k counted ($want)" \
		"$(bt_hist $T/bt-walklat.out "@ns[alwork, $k")" $want
	expect "bpftrace walklat: alwork $k stats count, total ns = perf script's" \
		"$(bt_map $T/bt-walklat.out "@stats[alwork, $k" | sed 's/^0$/count 0, average 0, total 0/;s/^count \([0-9]*\),.* total \([0-9]*\)$/\1 \2/')" \
		"$(ns_of $k | awk '{ s += $1 } END { printf "%d %d", NR, s }')"
done

# The one-liners (numbers, not names: cause 1 fork, kind 3 lazy, 0 anon).
expect "one-liner 1: lazy_root of alwork = the report's" \
	"$(bt_map $T/bt-ol1.out "@[tracepoint:anon_vma_lazy:lazy_root, alwork")" "$(rrow $T/report.txt total lazy_root)"
expect "one-liner 1: upgrade of alwork = the report's" \
	"$(bt_map $T/bt-ol1.out "@[tracepoint:anon_vma_lazy:upgrade, alwork")" "$(rrow $T/report.txt total upgrade)"
expect "one-liner 2: alwork cause 1 = upgrades_fork counted ($up)" "$(bt_map $T/bt-ol2.out "@[alwork, 1")" $up
k=$(on 3 0)
want=$(val $T/pageout.out pageout.walk_$(on lazy anon))
expect "one-liner 3: alwork kind $k histogram = walk_$(on lazy anon) counted ($want)" \
	"$(bt_hist $T/bt-ol3.out "@ns[alwork, $k")" "$want"
expect "one-liner 4: alwork lazy roots printed = the report's" \
	"$(grep -c '^[0-9]* [0-9]* alwork [0-9a-f]*-[0-9a-f]*$' $T/bt-ol4.out)" "$(rrow $T/report.txt total lazy_root)"
expect "one-liner 4: the faultmap VMAs printed" \
	"$(sed -n "s/^$pf $pf alwork \([0-9a-f]*\)-.*/\1/p" $T/bt-ol4.out | grep -c -x -F -f $T/fault.vmas)" "$fm"

if rmmod anonlazy 2> $T/rmmod.err; then
	pass "rmmod"
else
	fail "rmmod" "$(cat $T/rmmod.err)"
fi
rc=0
$P/anonlazy-record -o $T/gone.data -- true > $T/gone.err 2>&1 || rc=$?
expect "record after rmmod: exit status, message" \
	"$rc $(grep -c 'module is not loaded' $T/gone.err)" "1 1"
exit $al_failed
