#!/bin/bash
# Runs in the guest, inside the host's userland. $1: the run directory,
# relative to the repository, holding "command" (what to run, one line
# per argument). Writes guest.log, dmesg.txt, tainted and, last, rc there.
repo=/run/anonlazy/repo
run=$repo/$1
cd "$repo" || exit 1
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/tmp LANG=C LC_ALL=C
export AL_REPO=$repo AL_RUN=$run

# Counting tests need a quiet machine: nothing may move pages behind them.
[ -w /proc/sys/kernel/numa_balancing ] && echo 0 > /proc/sys/kernel/numa_balancing
[ -w /proc/sys/vm/compaction_proactiveness ] && echo 0 > /proc/sys/vm/compaction_proactiveness

mapfile -t cmd < "$run/command"
echo "guest: $(uname -r): ${cmd[*]}" > /dev/console
"${cmd[@]}" > "$run/guest.log" 2>&1 < /dev/null
rc=$?
dmesg > "$run/dmesg.txt"
cat /proc/sys/kernel/tainted > "$run/tainted"
echo $rc > "$run/rc"
sync
