#!/bin/bash
# In the guest (our kernel, vm.anon_vma_lazy 0 or 1 from boot): the
# census's estimate against what ANON_VMA_LAZY really saves, on real
# programs (issue 16). scripts/bench.sh simreal boots twice, runs this in
# each, and compares: the estimate of the sysctl-0 boot against the
# difference between the two boots.
#
# The module is loaded first; then real programs (Debian 12's, over 9p)
# start, do some work and stay alive, forked workers and children
# included: python3 multiprocessing.Pool(4) after 10000 tasks, bash with
# four subshells, perl forking three children that touch memory, python3
# http.server after a request, awk holding an array while its system()
# child sleeps, and a shell whose pipeline of seq and two sorts has
# ended. Address space randomisation is off, so both boots lay out the
# same VMAs. After they settle, one census: the processes rows of every
# process started after the load (pid above a marker started right after
# insmod), summed, as "simreal.<column> <sum>", with the sizes of an
# anon_vma and a chain entry; per comm too ("simreal.comm <comm> <rows>
# <anon_vmas> <chains> <lazy> <est_lazy> <est_saved_bytes>").
# anonlazy-bpf -s census runs from right after the load too, and prints
# its census (system-wide) when stopped right after the module's is read:
# "simreal.bpf.<key> <value>".
KO=${AL_KO:-out/kmod/$(uname -r)/anonlazy.ko}
DBG=/sys/kernel/debug/anon_vma_lazy
T=/tmp/simreal
mkdir -p $T
die() { echo "bench-simreal: $*" >&2; exit 1; }
echo 0 > /proc/sys/kernel/randomize_va_space || die "cannot turn ASLR off"
ip link set lo up || die "cannot bring the loopback interface up (http.server)"
insmod "$KO" || die "insmod $KO failed"
grep -q '^sim_active 1$' $DBG/census || die "the simulation is not active"
BPF=${AL_BPF:-out/bin/anonlazy-bpf}
"$BPF" -s census > $T/bpf 2> $T/bpf.err &
bpfpid=$!
for i in $(seq 600); do
	grep -q 'attached' $T/bpf.err && break
	sleep 0.5
done
grep -q 'attached 9 of 9 functions' $T/bpf.err || die "anonlazy-bpf: $(cat $T/bpf.err)"
sleep 0 &
marker=$!
wait $marker

python3 -c 'import multiprocessing as m, sys, time
p = m.Pool(4)
print(sum(p.map(abs, range(10000))), flush=True)
time.sleep(3600)' > $T/pool 2>&1 &
bash -c 'for i in 1 2 3 4; do ( x=$(seq 20000 | sort -n | tail -n 1); echo $x; sleep 3600 ) & done; wait' > $T/sub 2>&1 &
perl -e 'my @a = (1) x 200000; $| = 1;
for my $i (1 .. 3) { if (!fork) { my @b = (2) x 100000; sleep 3600; exit } }
print "forked\n"; sleep 3600' > $T/perl 2>&1 &
python3 -m http.server 18080 --bind 127.0.0.1 > $T/http 2>&1 &
awk 'BEGIN { for (i = 0; i < 200000; i++) a[i] = i; print "filled"; fflush(); system("sleep 3600") }' > $T/awk 2>&1 &
sh -c 'seq 300000 | sort -R | sort -n > /dev/null; echo sorted; sleep 3600' > $T/sort 2>&1 &

# settle: each has printed what it prints once its work is done
ready() {
	[ -s $T/pool ] && [ "$(wc -l < $T/sub)" -ge 4 ] && grep -q forked $T/perl &&
		grep -q filled $T/awk && grep -q sorted $T/sort
}
for i in $(seq 600); do
	ready && break
	sleep 0.5
done
ready || die "the programs did not all get ready in 300 s"
python3 -c 'import urllib.request
urllib.request.urlopen("http://127.0.0.1:18080/", timeout=60).read()' ||
	die "http.server did not answer"
sleep 5

# One census (bash builtins: no reader process in the rows).
mapfile -t census < $DBG/census
mapfile -t procs < $DBG/processes
printf '%s\n' "${census[@]}" > $T/census
printf '%s\n' "${procs[@]}" > $T/processes
# anonlazy-bpf's census, taken as it stops: the same programs, alive
kill -TERM $bpfpid
wait $bpfpid || die "anonlazy-bpf: exit $?: $(cat $T/bpf.err)"
kill $(jobs -p) 2> /dev/null
pkill -f 'sleep 3600'
rmmod anonlazy
echo "simreal.lazy_sysctl $(cat /proc/sys/vm/anon_vma_lazy)"
awk 'NF == 2 { print "simreal.bpf." $1, $2 }' $T/bpf
awk '$1 == "anon_vma_size" || $1 == "anon_vma_chain_size" || $1 == "sim_dropped" ||
	$1 == "truncated" { print "simreal." $1, $2 }' $T/census
awk -v m="$marker" '
NR == 2 { for (i = 1; i <= NF; i++) col[$i] = i; next }
NR > 2 && $1 > m {
	rows++
	for (k in col) if (k != "comm" && k != "pid") sum[k] += $col[k]
	c = $NF
	n[c]++; av[c] += $col["anon_vmas"]; ch[c] += $col["chains"]
	lz[c] += $col["lazy"]; el[c] += $col["est_lazy"]; eb[c] += $col["est_saved_bytes"]
}
END {
	print "simreal.rows", rows + 0
	for (k in sum) print "simreal." k, sum[k]
	for (c in n) print "simreal.comm", c, n[c], av[c], ch[c], lz[c], el[c], eb[c]
}' $T/processes | sort
