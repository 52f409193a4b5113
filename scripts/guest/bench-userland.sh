#!/bin/bash
# In the guest (our kernel, booted with sysctl.vm.anon_vma_lazy=1): how
# often real programs upgrade their lazy roots. Each workload runs with
# the module's counters reset before it; prints a markdown table of the
# lazy roots made, the upgrades by cause and the lazy roots torn down
# without one. The guest's userland is the host's (Debian 12 over 9p).
KO=${AL_KO:-out/kmod/$(uname -r)/anonlazy.ko}
DBG=/sys/kernel/debug/anon_vma_lazy
T=/tmp/userland
mkdir -p $T
die() { echo "bench-userland: $*" >&2; exit 1; }
[ "$(cat /proc/sys/vm/anon_vma_lazy 2>/dev/null)" = 1 ] ||
	die "vm.anon_vma_lazy is not 1: boot with sysctl.vm.anon_vma_lazy=1"
insmod "$KO" || die "insmod $KO failed"

# c NAME: a counter of the stats file; dies on a missing or disabled one
c() {
	local v
	v=$(awk -v k="$1" '$1 == k { print $2 }' $DBG/stats)
	case $v in
	'' | *[!0-9]*) die "counter $1: '$v'" ;;
	esac
	echo "$v"
}

cat > $T/hello.c << 'EOF'
#include <stdio.h>
int main(void) { puts("hello"); return 0; }
EOF

echo "| workload | lazy roots made | upgrades: fork | clone | mremap | KSM | other | lazy roots torn down lazy | upgraded / made |"
echo "|---|---|---|---|---|---|---|---|---|"
# run NAME CMD: one workload, its row
run() {
	local name=$1 made up
	shift
	echo 1 > $DBG/reset
	"$@" > $T/out 2>&1 || die "$name: exit $?: $(tail -n 3 $T/out)"
	made=$(c lazy_roots)
	up=$(c upgrades)
	echo "| $name | $made | $(c upgrades_fork) | $(c upgrades_clone) | $(c upgrades_mremap) | $(c upgrades_ksm) | $(c upgrades_other) | $(c unlink_lazy) | $(awk -v u="$up" -v m="$made" 'BEGIN { if (m) printf "%.2f", u / m; else print "-" }') |"
}
run "bash: 200 x fork + exec /bin/true" bash -c 'for i in $(seq 200); do /bin/true; done'
run "bash: 50 x \$(date) (fork, no exec)" bash -c 'for i in $(seq 50); do x=$(echo $i); done'
run "gcc -O2 hello.c, 10 times (driver forks cc1, as, ld)" bash -c "for i in \$(seq 10); do gcc -O2 -o $T/hello $T/hello.c || exit 1; done"
run "python3 multiprocessing.Pool(4), 10000 tasks" python3 -c 'import multiprocessing as m
with m.Pool(4) as p: print(sum(p.map(abs, range(10000))))'
run "python3 subprocess.run x 50" python3 -c 'import subprocess
for i in range(50): subprocess.run(["/bin/true"], check=True)'
run "sort of 200000 lines (no fork)" bash -c "seq 200000 | sort -R | sort -n > /dev/null"
rmmod anonlazy
