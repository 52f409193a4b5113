# Helpers of the guest tests (sourced). Results are lines on stdout:
#   PASS: <name>    FAIL: <name>: <why>    SKIP: <name>: <why>
# which make check counts. $AL_KERNEL prefixes every name.

ALWORK=${ALWORK:-out/bin/alwork}
DBG=/sys/kernel/debug/anon_vma_lazy
KO=out/kmod/$(uname -r)/anonlazy.ko
al_failed=0

pass() { echo "PASS: $AL_KERNEL: $1"; }
fail() { echo "FAIL: $AL_KERNEL: $1: $2"; al_failed=1; }
skip() { echo "SKIP: $AL_KERNEL: $1: $2"; }

# expect NAME ACTUAL EXPECTED
expect() {
	if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "got '$2', want '$3'"; fi
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

# zram_swap_on SIZE: a zram swap device, set up once per boot.
zram_swap_on() {
	grep -q '^/dev/zram0' /proc/swaps && return 0
	[ -e /sys/block/zram0 ] || modprobe zram num_devices=1 || return 1
	echo "$1" > /sys/block/zram0/disksize || return 1
	mkswap /dev/zram0 > /dev/null && swapon /dev/zram0
}
