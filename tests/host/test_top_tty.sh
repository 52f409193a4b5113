#!/bin/bash
# anonlazy-top on a terminal: run in a tmux pane on a copy of the recorded
# tree tests/host/data/top/normal, its screen read with capture-pane and
# compared with what that tree says (the header, the prepare_calls line,
# the process order of each sort key); the keys (a sort key, p pausing
# while the tree changes, q); the terminal's mode restored on every way
# out (q, Ctrl-C, SIGTERM, a read error); a stdin that is not a terminal
# takes no keys; the screen cut to the pane's size (20 x 80, then resized:
# SIGWINCH redraws at once), and --once printing everything on a 20-row
# pane. Prints PASS/FAIL lines; run by tests/host/test_top_tty.c
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

# start HOW ARGS...: a new server and session running TOP ARGS, in a pane
# of $X x $Y (default 160 x 100)
start() {
	local how=$1
	shift
	tm kill-server 2> /dev/null
	n=$((n + 1))
	D=$W/run$n
	mkdir "$D"
	tm -f /dev/null new-session -d -x "${X:-160}" -y "${Y:-100}" -s top \
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

# The screen cut to the pane (userspace/top_fit.c). An interval of 60 s:
# every screen below is the first frame, redrawn only for a new size
# (SIGWINCH). The whole first frame is what --once prints, with the key
# line under the header; its histogram lines (after the RMAP WALK LATENCY
# line, up to the blank line) and process rows (after the PID COMM line)
# give way first.
"$top" --debugfs "$W/tree" --once > "$W/once"
awk -v k="$keys_line" '{ print } NR == 1 { print k }' "$W/once" > "$W/whole"
T=$(wc -l < "$W/whole")
hist_at=$(awk '/^RMAP WALK LATENCY/ { print NR + 1; exit }' "$W/whole")
hist_n=$(awk -v a="${hist_at:-0}" 'NR >= a && !NF { print NR - a; exit }' "$W/whole")
rows_at=$(awk '/ PID COMM / { print NR + 1; exit }' "$W/whole")
rows_n=$((T - ${rows_at:-$T} + 1))
other=$((T - ${hist_n:-0} - rows_n))
hint="(a taller terminal, or -C, shows all)"
check "fit: the tree's first frame has 14 histogram lines and 4 process rows" "$hist_n/$rows_n" 14/4
# fitted COLS HS PS: the whole frame with its first HS histogram lines and
# PS process rows only, each line cut to COLS
fitted() {
	awk -v c="$1" -v hs="$2" -v ps="$3" -v ha="$hist_at" -v hn="$hist_n" -v ra="$rows_at" '
		NR >= ha + hs && NR < ha + hn { next }
		NR >= ra + ps { next }
		{ print substr($0, 1, c) }' "$W/whole"
}
# norm: no clock in the header, no trailing blanks, no empty last lines
norm() {
	sed -e '1s/, up [0-9:]*$//' -e 's/ *$//' |
		awk '{ l[NR] = $0 } NF { last = NR } END { for (i = 1; i <= last; i++) print l[i] }'
}
shows() { [ "$(screen | norm)" = "$1" ]; }
# fit_check NAME EXPECTED CURSOR: the pane shows EXPECTED (within 3 s),
# the cursor at CURSOR ("row col", from 0): no line past the last row
fit_check() {
	if until_ 3 shows "$2"; then
		pass "$1: the screen as expected, line by line"
	else
		fail "$1: $(diff <(echo "$2") <(screen | norm) | head -n 6 | tr '\n' '|')"
	fi
	check "$1: the cursor ends the last line" "$(tm display -p -t top '#{cursor_y} #{cursor_x}')" "$3"
}

# 20 x 80: not even the lines that never give way fit: the first 19, cut
# to 80 columns (the header and the key line are longer), then the line
# saying how many of the whole frame's lines are left out
X=80 Y=20 start tty --debugfs "$W/tree" 60
more="... $((T - 19)) more lines $hint"
fit_check "fit 20 x 80: the top 19 lines cut to 80 columns, then '$more'" \
	"$({ fitted 80 0 0 | head -n 19; echo "$more"; } | norm)" "19 ${#more}"
check "fit 20 x 80: the header on the first row (nothing scrolled away)" \
	"$(screen | head -n1)" "$(head -n1 "$W/whole" | cut -c1-80)"
# 4 rows more than the other lines and the last line need: 2 processes,
# a histogram's column line and its first row
tm resize-window -t top -x 160 -y $((other + 5))
more="... $((rows_n - 2)) more processes, $((hist_n - 2)) more histogram lines $hint"
fit_check "fit, resized to $((other + 5)) rows: 2 processes, 2 histogram lines, then '$more'" \
	"$({ fitted 160 2 2; echo "$more"; } | norm)" "$((other + 4)) ${#more}"
# exactly as many rows as the frame has lines: all of it, no "more" line
tm resize-window -t top -x 160 -y "$T"
last=$(tail -n1 "$W/whole")
fit_check "fit, resized to $T rows (the frame's lines): the whole frame" \
	"$(fitted 160 "$hist_n" "$rows_n" | norm)" "$((T - 1)) ${#last}"
tm send-keys -t top q
restored "fit: key q" 0

# --once on a 20-row pane: every line, scrolled, no "more" line
X=80 Y=20 start tty --debugfs "$W/tree" --once
restored "fit: --once" 0
check "fit: --once on a 20-row pane prints the whole frame, uncut" \
	"$(tm capture-pane -p -J -S - -t top | awk '/^anonlazy-top - kernel/ { p = 1 } p' | norm)" \
	"$(norm < "$W/once")"
exit $rc
