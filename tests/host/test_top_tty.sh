#!/bin/bash
# anonlazy-top on a terminal: run in a tmux pane on a copy of the recorded
# tree tests/host/data/top/normal, its screen read with capture-pane and
# compared with what that tree says (the header, the prepare_calls line,
# the process order of each sort key); the keys (a sort key, p pausing
# while the tree changes, q); the terminal's mode restored on every way
# out (q, Ctrl-C, SIGTERM, a read error); a stdin that is not a terminal
# takes no keys. Prints PASS/FAIL lines; run by tests/host/test_top_tty.c
# so that make check counts them. Needs tmux (make setup installs it).
set -u
top=$(realpath "${1:-out/bin/anonlazy-top}")
data=tests/host/data/top/normal
rc=0
pass() { echo "PASS: host: top tty: $1"; }
fail() { echo "FAIL: host: top tty: $1"; rc=1; }
check() { if [ "$2" = "$3" ]; then pass "$1"; else fail "$1: got '$2', want '$3'"; fi; }

if ! command -v tmux > /dev/null; then
	fail "no tmux: make setup installs it (scripts/setup.sh)"
	exit 1
fi
W=$(mktemp -d /tmp/al-top-tty.XXXXXX)
unset TMUX
n=0
# one tmux server per run (a new session on a server that is still
# exiting fails)
tm() { tmux -S "$W/tmux$n.sock" "$@"; }
kill_all() {
	for s in "$W"/tmux*.sock; do
		[ -S "$s" ] && tmux -S "$s" kill-server 2> /dev/null
	done
	rm -rf "$W"
}
trap kill_all EXIT
cp -r "$data" "$W/tree"
keys_line=$(sed -n 's/^\t"\(keys: .*\)";$/\1/p' userspace/top_keys.c)

# The pane runs run.sh DIR HOW TOP ARGS...: the terminal's mode before and
# after, TOP's pid (HOW tty: TOP's stdin is the terminal) or "q" piped
# into its stdin (HOW pipe), its exit status last (DIR/rc).
cat > "$W/run.sh" << 'EOF2'
d=$1 how=$2
shift 2
# Ctrl-C goes to the whole foreground group: this shell waits it out (a
# caught signal is default again in the child, which catches its own)
trap : INT
stty -g > "$d/before"
if [ "$how" = tty ]; then
	sh -c 'echo $$ > "$0/pid"; exec "$@"' "$d" "$@"
else
	printf q | "$@"
fi
echo $? > "$d/rc.tmp"
stty -g > "$d/after"
stty -a > "$d/after.a"
mv "$d/rc.tmp" "$d/rc"
exec sleep 600
EOF2

# start HOW ARGS...: a new server and session running TOP ARGS
start() {
	local how=$1
	shift
	tm kill-server 2> /dev/null
	n=$((n + 1))
	D=$W/run$n
	mkdir "$D"
	tm -f /dev/null new-session -d -x 160 -y 100 -s top \
		sh "$W/run.sh" "$D" "$how" "$top" "$@"
}
screen() { tm capture-pane -p -t top 2> /dev/null; }
# until SECONDS CMD...: poll CMD every 0.05 s; false when SECONDS pass
until_() {
	local end=$(($(date +%s%N) + ${1%.*} * 1000000000))
	shift
	while ! "$@"; do
		[ "$(date +%s%N)" -lt $end ] || return 1
		sleep 0.05
	done
}
on_screen() { screen | grep -qF -- "$1"; }
exited() { [ -f "$D/rc" ]; }
# restored NAME RC: TOP exited RC and left the terminal's mode as it was
restored() {
	if ! until_ 5 exited; then
		fail "$1: anonlazy-top did not exit within 5 s"
		return
	fi
	check "$1: exit status" "$(cat "$D/rc")" "$2"
	if cmp -s "$D/before" "$D/after" && grep -qw -- icanon "$D/after.a" &&
	   grep -qw -- echo "$D/after.a"; then
		pass "$1: the terminal's mode restored (stty -g as before; icanon, echo)"
	else
		fail "$1: terminal not restored: $(grep -o -- '-\?icanon\|-\?echo\b' "$D/after.a" | tr '\n' ' ')"
	fi
}

# What the tree says. The processes file: a generation line, the column
# names, then one row per process (fields: pid, then the columns).
col() { awk -v c="$1" 'NR == 2 { for (i = 1; i <= NF; i++) if ($i == c) print i }' "$data/processes"; }
# order COLUMN asc|desc: the pids as anonlazy-top sorts them (ties by pid)
order() {
	local c
	c=$(col "$1")
	if [ "$2" = asc ]; then
		awk 'NR > 2' "$data/processes" | sort -t' ' -k"$c,$c"n -k1,1n
	else
		awk 'NR > 2' "$data/processes" | sort -t' ' -k"$c,$c"nr -k1,1n
	fi | awk '{ printf "%s ", $1 }'
}
# the pids of the screen's process table, in its order
shown() { screen | awk '/^  +PID COMM/ { t = 1; next } t && NF { printf "%s ", $1 } t && !NF { t = 0 }'; }
gen=$(awk 'NR == 1 { print $2 }' "$data/processes")
rows=$(($(wc -l < "$data/processes") - 2))
calls=$(awk '$1 == "prepare_calls" { print $2 }' "$data/stats")
lazy_hdr="ANON_VMA_LAZY no"
[ -e /proc/sys/vm/anon_vma_lazy ] && lazy_hdr="ANON_VMA_LAZY yes (vm.anon_vma_lazy=$(cat /proc/sys/vm/anon_vma_lazy))"
# the prepare_calls line with TOTAL and RATE
calls_line() { printf '  %-22s %20s %12s  ' prepare_calls "$1" "$2"; }

start tty --debugfs "$W/tree" 0.2
# the second frame has rates: 0.0, the recorded tree does not change
if until_ 5 on_screen "$(calls_line "$calls" 0.0)"; then
	pass "screen: prepare_calls $calls as in the tree's stats, rate 0.0 on the second frame"
else
	fail "screen: no prepare_calls line of total $calls, rate 0.0: $(screen | grep prepare_calls)"
fi
check "screen: the header" \
	"$(screen | sed -n 1p | sed 's/, up [0-9:]*$//')" \
	"anonlazy-top - kernel $(uname -r), $lazy_hdr, source module recorded ($W/tree)"
check "screen: the key line under the header" "$(screen | sed -n 2p)" "$keys_line"
check "screen: the processes' title, by vmas" \
	"$(screen | grep '^PROCESSES')" "PROCESSES (generation $gen: $rows rows, by vmas, first 20)"
check "screen: process order by vmas" "$(shown)" "$(order vmas desc)"

# sort keys: l (lazy, descending), i (pid, ascending)
want_lazy=$(order lazy desc)
want_pid=$(order pid asc)
if [ "$want_lazy" = "$(order vmas desc)" ] || [ "$want_pid" = "$want_lazy" ]; then
	fail "the tree's orders by vmas, lazy and pid are not all different: the key checks below prove nothing"
fi
tm send-keys -t top l
until_ 3 on_screen "rows, by lazy," || fail "key l: no 'by lazy' title"
check "key l: the order by lazy, at once" "$(shown)" "$want_lazy"
tm send-keys -t top i
until_ 3 on_screen "rows, by pid," || fail "key i: no 'by pid' title"
check "key i: the order by pid" "$(shown)" "$want_pid"

# p: the screen stays as it was while the tree changes (6 intervals, over
# a second: the header's clock would move too), then p resumes with the
# new numbers
tm send-keys -t top p
if until_ 3 on_screen "PAUSED (p resumes): $keys_line"; then
	a=$(screen)
	sed -i "s/^prepare_calls $calls\$/prepare_calls $((calls + 100))/" "$W/tree/stats"
	sleep 1.2
	if [ "$a" = "$(screen)" ]; then
		pass "key p: paused, the screen did not change over 6 intervals while the tree did"
	else
		fail "key p: the screen changed while paused: $(diff <(echo "$a") <(screen) | head -n4 | tr '\n' ' ')"
	fi
else
	fail "key p: no PAUSED line"
fi
tm send-keys -t top p
# (the first frame after the pause has a rate over the pause, the next
# ones 0.0: 0.2 s apart, a capture may see either)
if until_ 3 on_screen "$(printf '  %-22s %20s ' prepare_calls $((calls + 100)))"; then
	s=$(screen)
	if ! grep -q PAUSED <<< "$s" && grep -qxF "$keys_line" <<< "$s"; then
		pass "key p again: resumed with a new frame, prepare_calls $((calls + 100)) (the tree's +100)"
	else
		fail "key p again: resumed, but $(grep -c PAUSED <<< "$s") PAUSED lines"
	fi
else
	fail "key p again: did not resume: $(screen | grep prepare_calls)"
fi
tm send-keys -t top q
restored "key q" 0

# the other ways out
start tty --debugfs "$W/tree" 0.2
until_ 5 on_screen "PROCESSES (" || fail "Ctrl-C: no screen"
tm send-keys -t top C-c
restored "Ctrl-C" 0
start tty --debugfs "$W/tree" 0.2
until_ 5 on_screen "PROCESSES (" || fail "SIGTERM: no screen"
kill -TERM "$(cat "$D/pid")"
restored "SIGTERM" 0
start tty --debugfs "$W/tree" 0.2
until_ 5 on_screen "PROCESSES (" || fail "read error: no screen"
mv "$W/tree/stats" "$W/stats.away"
restored "a read error (stats removed)" 1
check "a read error: its message on the screen" \
	"$(screen | grep -c "^anonlazy-top: $W/tree/stats: ")" 1
mv "$W/stats.away" "$W/tree/stats"

# stdin not a terminal: "q" piped in is not a key; -C keeps every frame
start pipe --debugfs "$W/tree" -C 0.1 3
restored "stdin a pipe" 0
check "stdin a pipe: q is no key, all 3 frames, no key line" \
	"$(tm capture-pane -p -S - -t top | grep -c '^anonlazy-top - kernel ')/$(tm capture-pane -p -S - -t top | grep -c '^keys: ')" \
	"3/0"
exit $rc
