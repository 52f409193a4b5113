#!/bin/bash
# anonlazy-top and anonlazy-bpf abused as whole programs: bad, garbage,
# binary and overlong arguments; recorded debugfs trees (--debugfs DIR)
# missing, empty, truncated, malformed, binary, too large, unreadable (as
# nobody: setpriv), with a FIFO, a directory or a device where a file
# should be; --slabinfo and --btf FILE the same; anonlazy-top --source
# bpf against a socket that answers garbage. Each case, on each binary
# (out/bin/ and the ASan + UBSan build in out/fuzz/bin/, make fuzz-bins):
# the exit status it must have (non-zero for every error), one line on
# stderr naming the argument or file and the problem, every byte of it
# printable ASCII (input quoted escaped), no sanitizer report, and an end
# within 10 s (a FIFO used to hang both).
#
# anonlazy-bpf never gets to a bpf() call here: every run of it is as
# nobody without capabilities (setpriv), so it stops at its privilege
# check (exit 3) if nothing before stops it; the plain binary runs under
# strace, and no bpf() call may show.
#
# Prints PASS/FAIL lines; run by tests/host/test_argfuzz.c (make check).
# Run from the repository's root, as root (setpriv).
set -uo pipefail
# bytes, not characters: the printable check below is 0x20..0x7e
export LC_ALL=C
failed=0
pass() { echo "PASS: host: argfuzz: $1"; }
fail() { echo "FAIL: host: argfuzz: $1: ${2//$'\n'/|}"; failed=1; }
skip() { echo "SKIP: host: argfuzz: $1: $2"; }

export ASAN_OPTIONS=exitcode=99:detect_leaks=1
export UBSAN_OPTIONS=halt_on_error=1:exitcode=98:print_stacktrace=1
NOBODY=(setpriv --reuid 65534 --regid 65534 --clear-groups --inh-caps=-all --no-new-privs)

d=$(mktemp -d /tmp/al-argfuzz.XXXXXX)
trap 'chmod -R u+rwx "$d" 2>/dev/null; rm -rf "$d"' EXIT
chmod 755 "$d"

if [ "$(id -u)" -ne 0 ]; then
	fail "setup" "not root: setpriv cannot run anonlazy-bpf and the unreadable cases as nobody"
	exit 1
fi
if ! make -s out/bin/anonlazy-top fuzz-bins > "$d/build.log" 2>&1; then
	fail "make out/bin/anonlazy-top fuzz-bins" "$(grep -m1 error "$d/build.log")"
	exit 1
fi
TOPS=(out/bin/anonlazy-top out/fuzz/bin/anonlazy-top)
BPFS=()
for b in out/bin/anonlazy-bpf out/fuzz/bin/anonlazy-bpf; do
	[ -x "$b" ] && BPFS+=("$b")
done

# Deterministic bytes: rnd N SEED [min]: N bytes from min (0) to 255.
rnd() {
	LC_ALL=C awk -v n="$1" -v seed="$2" -v lo="${3:-0}" \
		'BEGIN { srand(seed); for (i = 0; i < n; i++) printf "%c", lo + int(rand() * (256 - lo)) }'
}

# expect NAME RC WANT [--as-nobody] -- CMD...: run CMD (10 s at most,
# stdin /dev/null); its status must be RC and its stderr one printable
# line holding WANT, with no sanitizer report. (Bash builtins only, but
# for timeout: ~190 runs.)
expect() {
	local name=$1 want_rc=$2 want=$3 as=() err='' out='' why=''
	shift 3
	[ "$1" = --as-nobody ] && { as=("${NOBODY[@]}"); shift; }
	[ "$1" = -- ] && shift
	timeout -k 2 10 "${as[@]}" "$@" < /dev/null > "$d/out" 2> "$d/err"
	local rc=$?
	IFS= read -r -d '' err < "$d/err"
	IFS= read -r -d '' out < "$d/out"
	local lines=${err//[!$'\n']/}
	if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
		why="hung: killed after 10 s"
	elif [[ $err == *Sanitizer* || $err == *"runtime error:"* ]]; then
		why="sanitizer: ${err:0:300}"
	elif [ $rc -ne "$want_rc" ]; then
		why="exit $rc, want $want_rc (${err:0:300})"
	elif [ "$want_rc" -ne 0 ] && [ ${#lines} -ne 1 ]; then
		why="${#lines} lines on stderr, want 1: ${err:0:300}"
	elif [[ ${err//$'\n'/} == *[^\ -~]* ]]; then
		why="a byte outside 0x20..0x7e on stderr: $(printf '%q' "${err:0:200}")"
	elif [ "$want_rc" -ne 0 ] && [[ $err != *"$want"* ]]; then
		why="no '$want' in: ${err:0:300}"
	elif [ "$want_rc" -eq 0 ] && [[ $out != *"$want"* ]]; then
		why="no '$want' on stdout"
	elif [ "$want_rc" -ne 0 ] && [ -n "$out" ]; then
		why="stdout not empty: ${out:0:100}"
	fi
	if [ -n "$why" ]; then
		fail "$name ($1)" "$why"
	else
		pass "$name ($1): exit $rc, '$want'"
	fi
}

# ---- anonlazy-top: arguments ----
long=$(printf 'A%.0s' $(seq 1 20000))
garbage=()
for i in 1 2 3 4 5 6 7 8; do
	garbage+=("$(printf '\xff'; rnd 40 "$i" 1 | tr -d '\0')")
done
for top in "${TOPS[@]}"; do
	expect "top: an escape sequence as interval" 2 "bad interval '\\x1b[2J'" -- "$top" $'\e[2J'
	expect "top: a bad count" 2 "bad count 'x'" -- "$top" 1 x
	expect "top: a third argument" 2 "unexpected argument '3'" -- "$top" 1 2 3
	expect "top: an unknown option with BEL" 2 "unknown option '--\\x07x'" -- "$top" $'--\ax'
	expect "top: a 20000-byte sort key" 2 "AAA...': want pid, comm," -- "$top" -s "$long"
	expect "top: a 20000-byte --debugfs" 1 "AAA...: File name too long" -- "$top" --debugfs "$long" --once
	expect "top: binary arguments" 2 "bad interval '\\xff" -- "$top" "${garbage[@]}"
	expect "top: rows 0" 2 "bad rows '0'" -- "$top" -r 0
	expect "top: rows beyond 64 bits" 2 "bad rows '99999999999999999999999'" -- "$top" -r 99999999999999999999999
	expect "top: a negative pid" 2 "bad pid '-1'" -- "$top" -p -1
	expect "top: interval nan" 2 "bad interval 'nan'" -- "$top" nan
	expect "top: interval 1e999" 2 "bad interval '1e999'" -- "$top" 1e999
	expect "top: a bad source" 2 "bad source 'kernel'" -- "$top" --source kernel
	expect "top: --json with --prometheus" 2 "exclude each other" -- "$top" --json --prometheus
	expect "top: an empty --debugfs" 2 "--debugfs needs a directory" -- "$top" --debugfs=
	expect "top: --debugfs without its value" 2 "option --debugfs needs a value" -- "$top" --debugfs
	expect "top: a value to a flag" 2 "option --once takes no value" -- "$top" --once=$'\e'
	expect "top: --debugfs with --source bpf" 2 "not with --source bpf" -- "$top" --source bpf --debugfs /x
done

# ---- anonlazy-top: recorded trees ----
T=tests/host/data/top
mk() {	# mk NAME: a copy of the normal tree in $d/NAME
	rm -rf "${d:?}/$1"
	cp -r "$T/normal" "$d/$1"
	chmod -R a+rX "$d/$1"
}
mkdir -p "$d/emptydir"
chmod 755 "$d/emptydir"
rnd 3000 11 > "$d/binary"
rnd 3000 12 1 | tr -d '\n' > "$d/binary-nonl"
ctl="$d/ctl-"$'\e]0;x\a'
mkdir -p "$ctl"
F=(stats latency probes census processes slabinfo)
for f in "${F[@]}"; do
	mk "bin-$f"
	cp "$d/binary" "$d/bin-$f/$f"
	mk "nonl-$f"
	cp "$d/binary-nonl" "$d/nonl-$f/$f"
	mk "fifo-$f"
	rm "$d/fifo-$f/$f"
	mkfifo -m 644 "$d/fifo-$f/$f"
	mk "dir-$f"
	rm "$d/dir-$f/$f"
	mkdir -m 755 "$d/dir-$f/$f"
	mk "dev-$f"
	ln -sf /dev/zero "$d/dev-$f/$f"
	mk "unr-$f"
	chmod 000 "$d/unr-$f/$f"
done
mk big
truncate -s 65M "$d/big/processes"
mk loop
rm "$d/loop/census"
ln -s census "$d/loop/census"
mk unrdir
chmod 000 "$d/unrdir"
mkfifo -m 644 "$d/slabfifo"
for top in "${TOPS[@]}"; do
	expect "tree: missing" 1 "$d/none: no such directory" -- "$top" --debugfs "$d/none" --once
	expect "tree: empty directory" 1 "$d/emptydir/stats: no such file" -- "$top" --debugfs "$d/emptydir" --once
	expect "tree: a file, not a directory" 1 "$T/normal/stats: not a directory" -- "$top" --debugfs "$T/normal/stats" --once
	expect "tree: control bytes in its name" 1 "ctl-\\x1b]0;x\\x07/stats: no such file" -- "$top" --debugfs "$ctl" --once
	expect "tree: empty stats" 1 "$T/empty/stats: empty file" -- "$top" --debugfs "$T/empty" --once
	expect "tree: truncated" 1 "$T/truncated/processes:5: no newline at end of file (truncated?)" -- "$top" --debugfs "$T/truncated" --once
	expect "tree: malformed" 1 "$T/garbage/stats:3: not '<name> <value>'" -- "$top" --debugfs "$T/garbage" --once
	for f in "${F[@]}"; do
		expect "tree: binary $f" 1 "$d/bin-$f/$f:" -- "$top" --debugfs "$d/bin-$f" --once
		expect "tree: binary $f, one line" 1 "$d/nonl-$f/$f:1:" -- "$top" --debugfs "$d/nonl-$f" --once
		expect "tree: a FIFO as $f" 1 "$d/fifo-$f/$f: not a regular file" -- "$top" --debugfs "$d/fifo-$f" --once
		expect "tree: a directory as $f" 1 "$d/dir-$f/$f: a directory, not a file" -- "$top" --debugfs "$d/dir-$f" --once
		expect "tree: /dev/zero as $f" 1 "$d/dev-$f/$f: not a regular file" -- "$top" --debugfs "$d/dev-$f" --once
		if [ "$f" = slabinfo ]; then
			# /proc/slabinfo is root's: unreadable is shown, not fatal
			expect "tree: $f unreadable, as nobody" 0 "Permission denied (slabinfo is root-only" --as-nobody -- "$top" --debugfs "$d/unr-$f" --once
		else
			expect "tree: $f unreadable, as nobody" 1 "$d/unr-$f/$f: permission denied" --as-nobody -- "$top" --debugfs "$d/unr-$f" --once
		fi
	done
	expect "tree: a 65 MiB processes" 1 "$d/big/processes: larger than 67108864 bytes" -- "$top" --debugfs "$d/big" --once
	expect "tree: a symlink loop as census" 1 "$d/loop/census: Too many levels of symbolic links" -- "$top" --debugfs "$d/loop" --once
	expect "tree: the directory unreadable, as nobody" 1 "$d/unrdir/stats: permission denied" --as-nobody -- "$top" --debugfs "$d/unrdir" --once
	expect "top: --slabinfo a FIFO" 1 "$d/slabfifo: not a regular file" -- "$top" --debugfs "$T/normal" --slabinfo "$d/slabfifo" --once
	expect "top: --slabinfo a directory" 1 "$d/emptydir: a directory, not a file" -- "$top" --debugfs "$T/normal" --slabinfo "$d/emptydir" --once
	expect "top: --slabinfo binary" 1 "$d/binary:1: not slabinfo" -- "$top" --debugfs "$T/normal" --slabinfo "$d/binary" --once
done

# ---- anonlazy-top --source bpf: a socket that answers garbage ----
serve() {	# serve SOCKET FILE: answer each connection with FILE, 20 s at most
	python3 - "$1" "$2" <<'PY' &
import os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(sys.argv[1])
s.listen(4)
s.settimeout(20)
data = open(sys.argv[2], "rb").read()
try:
    while True:
        c, _ = s.accept()
        try:
            c.settimeout(2)
            c.recv(4096)
            c.sendall(data)
        except OSError:
            pass
        c.close()
except OSError:
    pass
PY
	local i
	for i in $(seq 50); do [ -S "$1" ] && return 0; sleep 0.1; done
	return 1
}
printf 'error: \e]0;pwned\a\e[2J\n' > "$d/ans-error"
printf '== stats\nprepare_calls 1\n== processes\ndropped_events 0\npid prepare_calls comm\n7 3 x\e[2J\n' > "$d/ans-comm"
{ printf '== stats\n'; cat "$d/binary"; } > "$d/ans-binary"
servers=()
for a in ans-error ans-comm ans-binary; do
	serve "$d/$a.sock" "$d/$a" || fail "serve $a" "no socket"
	servers+=($!)
done
printf 'x' > "$d/plain"
for top in "${TOPS[@]}"; do
	expect "bpf socket: an error answer with control bytes" 1 "anonlazy-bpf answered 'error: \\x1b]0;pwned\\x07\\x1b[2J'" -- "$top" --source bpf --bpf-socket "$d/ans-error.sock" --once
	expect "bpf socket: a comm with ESC" 1 "(section processes):3: a comm byte outside 0x21..0x7e" -- "$top" --source bpf --bpf-socket "$d/ans-comm.sock" --once
	expect "bpf socket: binary stats" 1 "$d/ans-binary.sock (section stats):" -- "$top" --source bpf --bpf-socket "$d/ans-binary.sock" --once
	expect "bpf socket: a regular file" 1 "$d/plain: not a socket" -- "$top" --source bpf --bpf-socket "$d/plain" --once
	expect "bpf socket: a FIFO" 1 "$d/slabfifo: not a socket" -- "$top" --source bpf --bpf-socket "$d/slabfifo" --once
done
kill "${servers[@]}" 2> /dev/null
wait "${servers[@]}" 2> /dev/null

# ---- anonlazy-bpf: as nobody, so never past its privilege check ----
if [ ${#BPFS[@]} -eq 0 ]; then
	skip "anonlazy-bpf" "out/bin/anonlazy-bpf is not built (make bpf needs a kernel's BTF)"
	exit $failed
fi
: > "$d/empty"
head -c 200 /bin/true > "$d/elf-cut"
cp "$d/binary" "$d/btf-unreadable"
chmod 000 "$d/btf-unreadable"
chmod 644 "$d/binary" "$d/empty" "$d/elf-cut"
cp tests/fuzz/corpus/bpf_env/raw.btf "$d/raw.btf"
chmod 644 "$d/raw.btf"
bgarbage=()
for i in 21 22 23 24 25; do
	bgarbage+=("$(printf -- '-\xfe'; rnd 30 "$i" 1 | tr -d '\0')")
done
for bpf in "${BPFS[@]}"; do
	N=(--as-nobody --)
	expect "bpf: an unknown option with ESC" 2 "unknown option '--\\x1b[2J'; see anonlazy-bpf --help" "${N[@]}" "$bpf" $'--\e[2J'
	expect "bpf: binary arguments" 2 "unknown option '-\\xfe" "${N[@]}" "$bpf" "${bgarbage[@]}"
	expect "bpf: a 20000-byte interval" 2 "AAA...' is not a whole number of seconds from 1 to 86400" "${N[@]}" "$bpf" -i "$long"
	expect "bpf: interval 0" 2 "--interval: '0' is not" "${N[@]}" "$bpf" -i 0
	expect "bpf: count without interval" 2 "--count needs --interval" "${N[@]}" "$bpf" -n 3
	expect "bpf: -s processes without --processes" 2 "add --processes" "${N[@]}" "$bpf" -s processes
	expect "bpf: hooks garbage" 2 "--hooks: no hook group '\\x01\\x02'" "${N[@]}" "$bpf" --hooks $'\x01\x02'
	expect "bpf: an empty hook" 2 "--hooks: an empty name in 'fork,,walk'" "${N[@]}" "$bpf" --hooks fork,,walk
	expect "bpf: a mode with BEL" 2 "--mode: no mode 'x\\x07'" "${N[@]}" "$bpf" -m $'x\a'
	expect "bpf: --btf without its file" 2 "option '--btf' needs a value" "${N[@]}" "$bpf" --btf
	expect "bpf: --btf empty name" 2 "--btf: empty file name" "${N[@]}" "$bpf" --btf=
	expect "bpf: --btf missing" 4 "--btf $d/none: cannot read it: No such file or directory" "${N[@]}" "$bpf" --btf "$d/none"
	expect "bpf: --btf a FIFO" 4 "--btf $d/slabfifo: not a regular file" "${N[@]}" "$bpf" --btf "$d/slabfifo"
	expect "bpf: --btf a directory" 4 "--btf $d/emptydir: a directory, not a file" "${N[@]}" "$bpf" --btf "$d/emptydir"
	expect "bpf: --btf /dev/zero" 4 "--btf /dev/zero: not a regular file" "${N[@]}" "$bpf" --btf /dev/zero
	expect "bpf: --btf garbage" 4 "--btf $d/binary: no BTF in it" "${N[@]}" "$bpf" --btf "$d/binary"
	expect "bpf: --btf empty" 4 "--btf $d/empty: no BTF in it" "${N[@]}" "$bpf" --btf "$d/empty"
	expect "bpf: --btf a cut ELF file" 4 "--btf $d/elf-cut: no BTF in it" "${N[@]}" "$bpf" --btf "$d/elf-cut"
	expect "bpf: --btf unreadable" 4 "--btf $d/btf-unreadable: cannot read it: Permission denied" "${N[@]}" "$bpf" --btf "$d/btf-unreadable"
	expect "bpf: --btf with ESC in its name" 4 "--btf $d/\\x1b[2J: cannot read it" "${N[@]}" "$bpf" --btf "$d/"$'\e[2J'
	expect "bpf: --btf 20000 bytes" 4 "AAA...: cannot read it: File name too long" "${N[@]}" "$bpf" --btf "$long"
	expect "bpf: --btf raw BTF: on to the privilege check" 3 "needs CAP_BPF and CAP_PERFMON, or CAP_SYS_ADMIN" "${N[@]}" "$bpf" --btf "$d/raw.btf"
	expect "bpf: a 200-byte --stats-socket" 2 "AAA' is longer than a unix socket's path may be (107 bytes)" "${N[@]}" "$bpf" --stats-socket "${long:0:200}"
	expect "bpf: --stats-socket on a file" 1 "--stats-socket $d/binary: already exists" "${N[@]}" "$bpf" --stats-socket "$d/binary"
	expect "bpf: good arguments: the privilege check" 3 "needs CAP_BPF and CAP_PERFMON, or CAP_SYS_ADMIN" "${N[@]}" "$bpf" -i 1 -n 1 -s all --processes --stats-socket "$d/s.sock"
done

# Proof of the promise above, on the plain binary: no bpf() call at all
# in a run of every kind (strace follows setpriv's exec).
if command -v strace > /dev/null && [ -x out/bin/anonlazy-bpf ]; then
	: > "$d/strace.all"
	for args in "--bogus" "--btf $d/binary" "--btf $d/slabfifo" "--btf $d/raw.btf" "-i 1 -s all --processes"; do
		# shellcheck disable=SC2086
		timeout 10 strace -f -qq -e trace=bpf,perf_event_open -o "$d/strace" \
			"${NOBODY[@]}" out/bin/anonlazy-bpf $args < /dev/null > /dev/null 2>&1
		cat "$d/strace" >> "$d/strace.all"
	done
	if grep -q -E 'bpf\(|perf_event_open\(' "$d/strace.all"; then
		fail "bpf: no bpf() call in any case (strace)" "$(grep -m1 -E 'bpf\(|perf_event_open\(' "$d/strace.all")"
	else
		pass "bpf: no bpf() or perf_event_open() call in any case (strace, 5 runs)"
	fi
else
	skip "bpf: no bpf() call (strace)" "strace or out/bin/anonlazy-bpf missing"
fi
exit $failed
