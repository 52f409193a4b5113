#!/bin/bash
# In the guest: the cost of one hit of each probe mechanism, on one cheap
# kernel function. `alwork syscallbench CALLS` (tests/workloads/w_bench.c)
# calls getppid() through syscall(2) CALLS times and prints the time; each
# call runs the function once, so a probe on it is hit once a call, and
#   per hit = (ns per call, probe attached - ns per call, bare)
# The mechanisms, each attached alone to the same function:
#   fentry, fexit, kprobe, kretprobe   a bpftrace program counting the hits
#                                      (kfunc:, kretfunc:, kprobe:,
#                                      kretprobe: FN { @hits = count(); })
#   module kprobe, module kretprobe    almech.ko (tests/kmod/almech.c), a
#                                      handler that does this_cpu_inc()
# so the BPF rows include a BPF program's own run (its per-CPU map
# update) and the module rows a handler's: the difference between the
# rows of one family is the mechanism's.
#
# The function: __x64_sys_getppid, else __do_sys_getppid, the first that
# the kernel's BTF (fentry), kallsyms (kprobes) and ftrace's
# available_filter_functions (bpftrace 0.17 refuses a kfunc: not listed
# there) all name; or AL_MECH_FN. A zero-argument syscall's __x64_sys_
# symbol is an alias of its __do_sys_ one: the same address, under the
# name each table happens to keep.
#
# Each mechanism's block: bpftrace -c runs REPS timed runs of
# syscallbench as its command, which bpftrace starts only once every
# probe is attached (0.17 fires BEGIN before it attaches the probes, so a
# BEGIN printf is no proof; the attach takes ~15 s under TCG, before the
# command starts: not in any run's time); the module's block between
# insmod and rmmod. REPS bare runs come before the first block and after
# each one; a block's "bare" is the median of the bare runs on both sides
# of it, so that drift over the session cancels. Every block checks its
# probe's hit count: at least CALLS x REPS.
#
# Prints a markdown table on stdout, each run's ns per call ("runs"
# lines) on stderr.
#
#   bench-mech.sh [CALLS [REPS]]     (default 200000 calls, 9 runs each)
. tests/guest/lib.sh

CALLS=${1:-200000}
REPS=${2:-9}
T=/tmp/al-bench-mech
MOD=${AL_ALMECH:-out/kmod-almech/$(uname -r)/almech.ko}
rm -rf $T
mkdir -p $T

die() { echo "bench-mech: $*" >&2; exit 1; }
command -v bpftrace > /dev/null || die "no bpftrace (scripts/setup.sh installs it)"
lsmod | grep -q '^almech ' && die "almech is loaded already"
[ -r /sys/kernel/btf/vmlinux ] || die "no /sys/kernel/btf/vmlinux: fentry needs the kernel's BTF"

has() { grep -qE " [tT] $1\$" /proc/kallsyms; }
tracefs_on || die "cannot mount tracefs at $TRACEFS"
FN=${AL_MECH_FN:-}
if [ -z "$FN" ]; then
	bpftool btf dump file /sys/kernel/btf/vmlinux > $T/btf.txt ||
		die "bpftool btf dump of /sys/kernel/btf/vmlinux failed"
	for f in __x64_sys_getppid __do_sys_getppid; do
		if grep -q "] FUNC '$f' " $T/btf.txt && has $f &&
			grep -qx "$f" $TRACEFS/available_filter_functions; then
			FN=$f
			break
		fi
	done
	rm -f $T/btf.txt
fi
[ -n "$FN" ] || die "neither __x64_sys_getppid nor __do_sys_getppid is in BTF, kallsyms and available_filter_functions"
has "$FN" || die "$FN: not in /proc/kallsyms"

MECHS="fentry fexit kprobe kretprobe"
if [ -f "$MOD" ]; then
	MECHS="$MECHS module-kprobe module-kretprobe"
else
	echo "bench-mech: no $MOD (scripts/build-module.sh KERNEL almech): the module's rows left out" >&2
fi

# runs OUT: REPS runs of syscallbench, ns per call (one decimal) into OUT
runs() {
	local i
	for ((i = 0; i < REPS; i++)); do
		"$ALWORK" syscallbench "$CALLS" > $T/one 2> $T/one.err ||
			die "alwork syscallbench $CALLS: $(cat $T/one.err)"
		awk '$1 == "syscallbench.ns" { ns = $2 } $1 == "syscallbench.ops" { n = $2 }
			END { if (!n) exit 1; printf "%.1f\n", ns / n }' $T/one >> "$1" ||
			die "no syscallbench.ns in: $(cat $T/one)"
	done
}
# the bpftrace command (-c): the runs, as a script file (-c takes no quoting)
cat > $T/runs.sh << EOF
. tests/guest/lib.sh
REPS=$REPS CALLS=$CALLS T=$T
die() { echo "bench-mech: \$*" >&2; exit 1; }
$(declare -f runs)
runs $T/att
EOF

# attach MECH: REPS runs with MECH attached, into $T/att.MECH; its hits
# into $T/hits.MECH
attach() {
	local m=$1 probe
	: > $T/att
	case $m in
	module-*)
		insmod "$MOD" sym="$FN" kind="${m#module-}" ||
			die "insmod $MOD sym=$FN kind=${m#module-} failed: $(dmesg | tail -n 2)"
		trap 'rmmod almech' EXIT
		runs $T/att
		cat /sys/module/almech/parameters/hits > $T/hits.$m
		trap - EXIT
		rmmod almech || die "rmmod almech failed"
		;;
	*)
		case $m in
		fentry) probe=kfunc ;;
		fexit) probe=kretfunc ;;
		*) probe=$m ;;
		esac
		bpftrace -e "$probe:$FN { @hits = count(); }" -c "$(command -v bash) $T/runs.sh" \
			> $T/bt.out 2> $T/bt.err ||
			die "bpftrace $probe:$FN: $(tail -n 3 $T/bt.err)"
		awk '$1 == "@hits:" { print $2 }' $T/bt.out > $T/hits.$m
		;;
	esac
	[ "$(wc -l < $T/att)" = "$REPS" ] ||
		die "$m: $(wc -l < $T/att) runs of $REPS (bpftrace: $(tail -n 3 $T/bt.err 2> /dev/null))"
	[ "$(cat $T/hits.$m)" -ge $((CALLS * REPS)) ] 2> /dev/null ||
		die "$m on $FN: $(cat $T/hits.$m) hits, want $CALLS x $REPS or more: not attached?"
	mv $T/att $T/att.$m
}

median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

"$ALWORK" syscallbench "$CALLS" > /dev/null || die "alwork syscallbench does not run"	# warm-up
runs $T/bare.0
i=0
for m in $MECHS; do
	attach $m
	i=$((i + 1))
	runs $T/bare.$i
	bare[i]=$(cat $T/bare.$((i - 1)) $T/bare.$i | median)
done

echo "Function \`$FN\`, $CALLS calls a run, $REPS runs with each mechanism"
echo "attached; ns per call are medians (bare: the runs before and after the block)."
echo
echo "| mechanism | attached as | bare ns/call | attached ns/call | per hit, ns | hits counted |"
echo "|---|---|---|---|---|---|"
i=0
for m in $MECHS; do
	i=$((i + 1))
	case $m in
	fentry) how="bpftrace \`kfunc:\`" ;;
	fexit) how="bpftrace \`kretfunc:\`" ;;
	kprobe | kretprobe) how="bpftrace \`$m:\`" ;;
	module-*) how="almech.ko \`kind=${m#module-}\`" ;;
	esac
	a=$(median < $T/att.$m)
	echo "| ${m/-/ } | $how | ${bare[$i]} | $a | $(awk -v a="$a" -v b="${bare[$i]}" 'BEGIN { printf "%.1f", a - b }') | $(cat $T/hits.$m) |"
done
{
	i=0
	printf 'runs %-18s %s\n' "bare:" "$(tr '\n' ' ' < $T/bare.0)"
	for m in $MECHS; do
		i=$((i + 1))
		printf 'runs %-18s %s\n' "$m:" "$(tr '\n' ' ' < $T/att.$m)"
		printf 'runs %-18s %s\n' "bare:" "$(tr '\n' ' ' < $T/bare.$i)"
	done
} >&2
