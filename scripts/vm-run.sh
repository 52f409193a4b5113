#!/bin/bash
# Boot a test kernel under QEMU (TCG) and run one command in the guest.
#
#   scripts/vm-run.sh [--kernel stock|ours|debug|dev] [--name NAME]
#                     [--append "KERNEL ARGS"] [--timeout SECONDS]
#                     [--cpus N] [--mem-gb N] [--single-thread]
#                     -- COMMAND [ARG...]
#
# The guest sees the host's root read-only (its whole userland) and this
# repository read-write at /run/anonlazy/repo, its working directory, so
# COMMAND is a path relative to the repository or a host program.
# The guest has N GiB (--mem-gb, default 2, even) on two NUMA nodes and N
# CPUs (--cpus, default 2, even), half of each on each node.
# Everything lands in out/vm/NAME/: cmdline (to rerun by hand), serial.log,
# guest.log (COMMAND's output), dmesg.txt, tainted, rc and verdict.
#
# Exit status: 0 when the guest reported back, COMMAND exited 0 and no
# kernel report (oops, BUG, WARNING, KASAN, lockdep, RCU, hung task, a
# warning or die taint) appeared; 1 otherwise, with the reason printed.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)

kernel=ours
name=
append=
tmo=1200
cpus=2
mem=2
accel=tcg
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) kernel=$2; shift 2 ;;
	--name) name=$2; shift 2 ;;
	--append) append=$2; shift 2 ;;
	--timeout) tmo=$2; shift 2 ;;
	--cpus) cpus=$2; shift 2 ;;
	--mem-gb) mem=$2; shift 2 ;;
	# One host thread for all vCPUs. Multi-threaded TCG let a vCPU run a
	# kprobe's int3 after the kernel had patched it out (Oops: int3 at
	# __anon_vma_prepare+0x5, 3 of 8 runs of 8 load/unload cycles under
	# load); with thread=single, 6 of 6 runs passed.
	--single-thread) accel=tcg,thread=single; shift ;;
	--) shift; break ;;
	*) echo "vm-run: unknown option '$1'" >&2; exit 2 ;;
	esac
done
[ $# -gt 0 ] || { echo "vm-run: no command given (after --)" >&2; exit 2; }
name=${name:-$kernel}

eval "$("$top/scripts/kernel-env.sh" "$kernel")"

# The stock kernel's module tree is unpacked in the cache, not installed
# under the host's /lib/modules: the initramfs takes its 9p modules from
# there, and the guest's init binds it over /lib/modules/RELEASE.
modules=${KERNEL_MODULES:-}
case $modules in
*[[:space:]]*) echo "vm-run: module tree path has a space: $modules" >&2; exit 1 ;;
esac
initrd=$top/out/initramfs/$KERNEL_RELEASE.cpio.gz
if [ ! -f "$initrd" ] || [ "$top/scripts/mkinitramfs.sh" -nt "$initrd" ] ||
	[ "$top/scripts/guest/initramfs-init" -nt "$initrd" ] ||
	{ [ -n "$modules" ] && [ "$modules/modules.dep" -nt "$initrd" ]; }; then
	"$top/scripts/mkinitramfs.sh" "$KERNEL_RELEASE" "$initrd" ${modules:+"$modules"}
fi

rel=out/vm/$name
run=$top/$rel
rm -rf "$run"
mkdir -p "$run"
printf '%s\n' "$@" > "$run/command"

cmdline="console=ttyS0 panic=-1 oops=panic loglevel=5 al_run=$rel${modules:+ al_modules=$modules} $append"
case $cpus in
2 | 4 | 6 | 8) ;;
*) echo "vm-run: --cpus wants 2, 4, 6 or 8" >&2; exit 2 ;;
esac
case $mem in
2 | 4 | 6 | 8) ;;
*) echo "vm-run: --mem-gb wants 2, 4, 6 or 8" >&2; exit 2 ;;
esac
half=$((cpus / 2))
# One socket per NUMA node: two nodes sharing an LLC make the guest WARN.
# la57=off: a KASAN kernel on 5-level paging took a wild-memory-access in
# an early-boot interrupt, now and then, before any of our code ran.
qemu=(qemu-system-x86_64 -accel "$accel" -cpu max,la57=off
	-smp "$cpus,sockets=2,cores=$half,threads=1" -m "${mem}G"
	-nographic -no-reboot
	-object "memory-backend-ram,id=m0,size=$((mem / 2))G"
	-object "memory-backend-ram,id=m1,size=$((mem / 2))G"
	-numa "node,nodeid=0,cpus=0-$((half - 1)),memdev=m0"
	-numa "node,nodeid=1,cpus=$half-$((cpus - 1)),memdev=m1"
	-kernel "$KERNEL_IMAGE" -initrd "$initrd"
	-append "$cmdline"
	-virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap,id=hostroot
	-virtfs "local,path=$top,mount_tag=repo,security_model=none,multidevs=remap,id=repo")
printf '%q ' "${qemu[@]}" > "$run/cmdline"
echo >> "$run/cmdline"
echo "vm-run: $name: $KERNEL_RELEASE: $*"
echo "vm-run: rerun by hand: $(cat "$run/cmdline")"

start=$(date +%s)
set +e
timeout -k 10 "$tmo" "${qemu[@]}" < /dev/null > "$run/serial.log" 2>&1
qrc=$?
set -e
secs=$(( $(date +%s) - start ))

problems=()
[ $qrc -eq 124 ] && problems+=("timed out after $tmo s")
if [ ! -f "$run/rc" ]; then
	problems+=("the guest never reported back")
fi
pat='BUG:|WARNING:|Oops|kernel BUG|Kernel panic|general protection fault|KASAN|UBSAN|possible circular locking|possible recursive locking|inconsistent lock state|suspicious RCU usage|list_(add|del) corruption|blocked for more than|Call Trace:'
report=$(cat "$run/serial.log" "$run/dmesg.txt" 2>/dev/null | grep -E -m1 "$pat" || true)
[ -n "$report" ] && problems+=("kernel report: $report")
if [ -f "$run/tainted" ]; then
	# B (bad page) 32, D (died) 128, W (warning) 512, L (soft lockup) 16384
	t=$(cat "$run/tainted")
	if [ $(( t & (32 | 128 | 512 | 16384) )) -ne 0 ]; then
		problems+=("kernel tainted $t (warning, oops, bad page or lockup)")
	fi
fi
grc=$(cat "$run/rc" 2>/dev/null || echo none)

{
	echo "kernel $KERNEL_RELEASE"
	echo "seconds $secs"
	echo "guest_rc $grc"
	if [ ${#problems[@]} -eq 0 ]; then
		echo "kernel_clean yes"
	else
		printf 'problem %s\n' "${problems[@]}"
	fi
} > "$run/verdict"

if [ ${#problems[@]} -ne 0 ]; then
	for p in "${problems[@]}"; do echo "vm-run: $name: $p" >&2; done
	echo "vm-run: serial log: $run/serial.log" >&2
	exit 1
fi
echo "vm-run: $name: done in $secs s, guest exit $grc"
[ "$grc" = 0 ]
