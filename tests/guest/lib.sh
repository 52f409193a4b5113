# Helpers of the guest tests (sourced). Results are lines on stdout:
#   PASS: <name>    FAIL: <name>: <why>    SKIP: <name>: <why>
# which make check counts. $AL_KERNEL prefixes every name.
#
# Each suite also declares, once, how many of those lines a run in which
# every check passes prints: "plan N" (TAP's 1..N). scripts/check.sh
# records a FAIL for a suite that printed no plan, more than one, or a
# number of PASS/FAIL/SKIP lines other than N, even if it exited 0: a
# check that silently stopped running (a loop over an empty list, a branch
# not taken, a crash) cannot go unnoticed. N may depend on the kernel
# (stock or ours, vm.anon_vma_lazy): derive it from the same facts the
# suite branches on, never from what the checks found. A FAIL printed only
# on an error path (an alwork that did not run, a wait that failed) is
# not part of N: the run fails either way.

ALWORK=${ALWORK:-out/bin/alwork}
DBG=/sys/kernel/debug/anon_vma_lazy
# the module to test (AL_KO: another build, e.g. one kept apart from a tree
# others rebuild meanwhile)
KO=${AL_KO:-out/kmod/$(uname -r)/anonlazy.ko}
al_failed=0

pass() { echo "PASS: $AL_KERNEL: $1"; }
fail() { echo "FAIL: $AL_KERNEL: $1: $2"; al_failed=1; }

# plan N: this suite prints N PASS/FAIL/SKIP lines when it passes.
plan() { echo "PLAN: $AL_KERNEL: $1"; }

# our_kernel: true on the kernels this project builds (labels ours*,
# debug*, dev*), false on the stock one. Ours are configured with every
# feature the suites use (NUMA, zram, THP, KSM, userfaultfd, debugfs).
our_kernel() {
	case ${AL_KERNEL:-} in
	ours* | debug* | dev*) return 0 ;;
	esac
	return 1
}

# skip NAME WHY: the one place that decides whether a missing feature may
# be skipped. On our own kernels, in our own guest (2 NUMA nodes, zram
# swap, debugfs, THP), nothing a suite checks can be missing: a skip there
# hides a broken set-up or a broken kernel, so it is a FAIL. On the stock
# kernel it stays a SKIP (the feature may be newer than 6.1, e.g.
# UFFDIO_MOVE, or absent, e.g. ANON_VMA_LAZY).
skip() {
	if our_kernel; then
		fail "$1" "cannot be skipped on our kernel: $2"
	else
		echo "SKIP: $AL_KERNEL: $1: $2"
	fi
}

# skips_checked: result lines a program printed itself (alinteg), from
# stdin to stdout, with skip()'s rule applied to its SKIP lines (and
# al_failed set for the FAILs that makes). Run it with a redirection, not
# in a pipeline, so al_failed reaches the suite.
skips_checked() {
	local line
	while IFS= read -r line; do
		case $line in
		"SKIP: "*)
			if our_kernel; then
				echo "FAIL: ${line#SKIP: }: cannot be skipped on our kernel"
				al_failed=1
			else
				echo "$line"
			fi
			;;
		"FAIL: "*) echo "$line"; al_failed=1 ;;
		*) echo "$line" ;;
		esac
	done
}

# expect NAME ACTUAL EXPECTED: ACTUAL = EXPECTED, neither of them empty:
# a value a renamed or missing key made empty fails instead of matching
# another empty one.
expect() {
	if [ -z "$2" ] || [ -z "$3" ]; then
		fail "$1" "got '$2', want '$3': empty value (a key missing or renamed?)"
	elif [ "$2" = "$3" ]; then
		pass "$1"
	else
		fail "$1" "got '$2', want '$3'"
	fi
}

# expect_empty NAME ACTUAL: ACTUAL is empty (a list of offenders, say).
expect_empty() {
	if [ -z "$2" ]; then pass "$1"; else fail "$1" "got '$2', want nothing"; fi
}

# The boot's ANON_VMA_LAZY mode. Our kernel has the feature; with
# vm.anon_vma_lazy=1 a fresh VMA's first fault makes a lazy root instead
# of attaching an anon_vma, and a second VMA sharing its folios (fork,
# split, mremap) upgrades it first. HAVE_LAZY: the kernel has it; LAZY:
# the sysctl's value (0 where there is none).
HAVE_LAZY=0
LAZY=0
if [ -e /proc/sys/vm/anon_vma_lazy ]; then
	HAVE_LAZY=1
	LAZY=$(cat /proc/sys/vm/anon_vma_lazy)
fi

# on LAZY_VALUE REGULAR_VALUE: the one that applies to this boot
on() { if [ "$LAZY" = 1 ]; then echo "$1"; else echo "$2"; fi; }

# tracefs_on: mount tracefs at $TRACEFS unless it is there (trace events)
TRACEFS=/sys/kernel/tracing
tracefs_on() { [ -d $TRACEFS/events ] || mount -t tracefs tracefs $TRACEFS 2>/dev/null; }

# run_work OUTFILE ARGS...: run alwork, keep its output; fail loudly if it
# could not run its scenario.
run_work() {
	local out=$1
	shift
	if ! "$ALWORK" "$@" > "$out" 2> "$out.err"; then
		fail "alwork $*" "exit $?: $(cat "$out.err")"
		return 1
	fi
}

# val OUTFILE KEY: the value of KEY in an alwork output ("" if absent).
val() { awk -v k="$2" '$1 == k { print $2; exit }' "$1"; }

# debugfs_reader OUT [STOP]: read every file under $DBG in a loop with
# builtins (mapfile: no process started per read, so a reader is nearly
# always inside an open file), errors expected while the module is away;
# after each read that got lines, the count so far into OUT. Until the
# file STOP exists, or until killed. Run it in the background.
debugfs_reader() {
	local n=0 f lines
	while [ -z "${2:-}" ] || [ ! -e "$2" ]; do
		for f in "$DBG"/*; do
			if mapfile -t lines 2> /dev/null < "$f" && [ ${#lines[@]} -gt 0 ]; then
				n=$((n + 1))
				echo $n > "$1"
			fi
		done
	done
}

# rmmod_retry ERRFILE: rmmod anonlazy; an open file holds the module (its
# fops' owner), so a refusal is retried, 10 ms apart, up to 1000 times.
# Prints how many times it was refused; the caller checks it is gone.
rmmod_retry() {
	local tries=0
	until rmmod anonlazy 2> "$1"; do
		tries=$((tries + 1))
		[ $tries -ge 1000 ] && break
		sleep 0.01
	done
	echo $tries
}

# fault_exact WHEN N OUT: alwork fault N with the module loaded counts
# exactly: N prepare calls, and N attached anon_vmas or N lazy roots by
# the sysctl (3 results; none if alwork fails, which run_work reports).
fault_exact() {
	run_work "$3" fault "$2" || return
	expect "$1, fault $2: prepare_calls" "$(val "$3" fault.prepare_calls)" "$2"
	expect "$1, fault $2: prepare_attached" "$(val "$3" fault.prepare_attached)" "$(on 0 "$2")"
	expect "$1, fault $2: lazy_roots" "$(val "$3" fault.lazy_roots)" "$(on "$2" 0)"
}

# zram_swap_on SIZE: a zram swap device, set up once per boot.
zram_swap_on() {
	grep -q '^/dev/zram0' /proc/swaps && return 0
	[ -e /sys/block/zram0 ] || modprobe zram num_devices=1 || return 1
	echo "$1" > /sys/block/zram0/disksize || return 1
	mkswap /dev/zram0 > /dev/null && swapon /dev/zram0
}
