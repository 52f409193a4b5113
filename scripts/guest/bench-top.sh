#!/bin/bash
# In the guest: what anonlazy-top costs to run. Loads anonlazy.ko, starts
# GROUPS x (KIDS + 1) processes (GROUPS `alwork hold VMAS KIDS`: each
# parent faults VMAS one-page anonymous VMAs and forks KIDS children that
# keep a copy; all of them sleep), waits until every group is ready and
# the processes exist, then runs anonlazy-top FRAMES frames INTERVAL s
# apart, once as text (-C) and once with --json, and for each run gives:
#   - its wall time and CPU time (user + system, bash's `time` keyword:
#     the child's rusage), and CPU % of one core = CPU / wall x 100; the
#     system time includes the census walks, which run in the reader's
#     open() of census;
#   - the census snapshots it took: the census file's `generation`, read
#     (one snapshot of its own each) before and after the run, minus that
#     read's own: (after - before - 1), and per frame.
# Target (issue 13): under 1% of a core at a 1 s interval with 1,000
# processes, the census read at most once per frame.
# Prints a markdown table on stdout.
#
#   bench-top.sh [FRAMES [INTERVAL]]     (default 30 frames, 1 s)
. tests/guest/lib.sh

FRAMES=${1:-30}
INTERVAL=${2:-1}
GROUPS_N=20
KIDS=49
VMAS=10
PROCS=$((GROUPS_N * (KIDS + 1)))
TOP=${AL_TOP:-out/bin/anonlazy-top}
T=/tmp/al-bench-top
rm -rf $T
mkdir -p $T

die() { echo "bench-top: $*" >&2; exit 1; }
[ -f "$KO" ] || die "no module at $KO"
[ -x "$TOP" ] || die "no $TOP (make userspace)"
[ -x "$ALWORK" ] || die "no $ALWORK (make userspace)"
lsmod | grep -q '^anonlazy ' && die "anonlazy is loaded already"
insmod "$KO" || die "insmod $KO failed"
[ -r "$DBG/census" ] || die "no "$DBG/census" after insmod"

holds=()
stop_holds() {
	local p
	for p in "${holds[@]}"; do
		kill -TERM -- -"$p" 2> /dev/null
	done
	for p in "${holds[@]}"; do
		wait "$p" 2> /dev/null
	done
	holds=()
}
trap stop_holds EXIT

# Each group in its own session and process group (setsid does not fork:
# a job of a non-interactive shell leads no group), so that one kill
# stops its children too.
for ((g = 0; g < GROUPS_N; g++)); do
	setsid "$ALWORK" hold $VMAS $KIDS > $T/hold.$g 2> $T/hold.$g.err &
	holds+=($!)
done
# ready: a group's parent prints it after its last fork
for ((g = 0; g < GROUPS_N; g++)); do
	for _ in $(seq 1200); do
		grep -q '^ready' $T/hold.$g && break
		kill -0 "${holds[g]}" 2> /dev/null || break
		sleep 0.1
	done
	grep -q '^ready' $T/hold.$g || die "alwork hold $VMAS $KIDS (group $g) never got ready: $(cat $T/hold.$g.err)"
done
# shellcheck disable=SC2002
n=$(cat /proc/[0-9]*/comm 2> /dev/null | grep -cx alwork)
[ "$n" -eq $PROCS ] || die "$n alwork processes, want $PROCS"

# census KEY FILE: a key of a saved census read
census() { awk -v k="$1" '$1 == k { print $2; exit }' "$2"; }

# run NAME ARGS...: anonlazy-top ARGS, timed; one table row
run() {
	local name=$1 g0 g1 wall user sys cpu pct snaps per frames met
	shift
	cat "$DBG/census" > "$T/$name.c0" || die "cannot read $DBG/census"
	TIMEFORMAT='%3R %3U %3S'
	{ time "$TOP" "$@" > "$T/$name.out" 2> "$T/$name.err"; } 2> "$T/$name.time" ||
		die "anonlazy-top $*: exit $?: $(tail -n 3 "$T/$name.err")"
	cat "$DBG/census" > "$T/$name.c1" || die "cannot read $DBG/census"
	g0=$(census generation "$T/$name.c0")
	g1=$(census generation "$T/$name.c1")
	{ [ -n "$g0" ] && [ -n "$g1" ]; } || die "no generation in $DBG/census"
	read -r wall user sys < "$T/$name.time"
	case $name in
	json) frames=$(grep -c '^{' "$T/$name.out") ;;
	*) frames=$(grep -c '^anonlazy-top - ' "$T/$name.out") ;;
	esac
	[ "$frames" -eq "$FRAMES" ] || die "anonlazy-top $*: $frames frames, want $FRAMES"
	cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.3f", u + s }')
	pct=$(awk -v c="$cpu" -v w="$wall" 'BEGIN { printf "%.2f", c / w * 100 }')
	snaps=$((g1 - g0 - 1))
	per=$(awk -v s="$snaps" -v f="$frames" 'BEGIN { printf "%.2f", s / f }')
	met=no
	awk -v p="$pct" -v s="$snaps" -v f="$frames" 'BEGIN { exit !(p < 1 && s <= f) }' && met=yes
	echo "| anonlazy-top $* | $PROCS | $frames | $INTERVAL | $wall | $cpu ($user + $sys) | $pct | $snaps | $per | $met |"
}

# the census these runs read: what one frame walks (a read of its own)
cat "$DBG/census" > $T/census || die "cannot read $DBG/census"
echo "Processes: $PROCS alwork (\`alwork hold $VMAS $KIDS\` x $GROUPS_N), $(census processes $T/census) in the census"
echo "(every mm of the guest); the census walks $(census vmas $T/census) VMAs, $(census anon_vmas $T/census) anon_vmas,"
echo "in $(awk -v n="$(census walk_ns $T/census)" 'BEGIN { printf "%.1f", n / 1e6 }') ms (\`walk_ns\` of a census read just before the runs)."
echo
echo "| run | processes | frames | interval s | wall s | CPU s (user + sys) | CPU % of one core | census snapshots | per frame | < 1% and <= 1 a frame |"
echo "|---|---|---|---|---|---|---|---|---|---|"
run text -C "$INTERVAL" "$FRAMES"
run json --json "$INTERVAL" "$FRAMES"

stop_holds
rmmod anonlazy || die "rmmod anonlazy failed"
