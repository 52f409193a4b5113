#!/bin/bash
# make install / make uninstall into a temporary DESTDIR: the exact tree
# (anonlazy-bpf's files only when out/bin/anonlazy-bpf is built), the DKMS
# dkms.conf's version, and nothing left after uninstall; anonlazy-bpf.1's
# OPTIONS against anonlazy-bpf --help; both bash completions' options
# against --help. Args: files holding anonlazy-top's and anonlazy-bpf's
# --help text (tests/host/test_install.c writes them from the sources).
# Prints PASS/FAIL lines; run by test_install.c so that make check counts
# them. Run from the repository's root.
set -uo pipefail
top_help=$1
bpf_help=$2
failed=0
pass() { echo "PASS: host: install: $1"; }
fail() { echo "FAIL: host: install: $1: $2"; failed=1; }
check() { if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "got '$2', want '$3'"; fi; }

# The option words (-x, --long-name) of a --help text's option lines.
help_opts() {
	sed -n 's/^ \{2,\}\(-[^ ].*\)/\1/p' "$1" | sed 's/   .*//' |
		grep -o -E '(^|[ ,])--?[a-zA-Z][a-zA-Z-]*' | tr -d ' ,' | sort -u
}
# The option words of a man page's OPTIONS: the lines after .TP.
man_opts() {
	sed 's/\\-/-/g' "$1" | awk '/^\.SH/ { o = ($0 == ".SH OPTIONS") } o && t { print } { t = o && $0 == ".TP" }' |
		grep -o -E '(^|[ "])--?[a-zA-Z][a-zA-Z-]*' | tr -d ' "' | sort -u
}
# The words a completion script offers for "-": its compgen -W '-...' list.
compl_opts() {
	perl -0ne "print \"\$1\n\" while /compgen -W '(-[^']*)'/g" "$1" | tr -s ' \t\n' '\n' | sort -u
}

man_bpf=$(man_opts userspace/anonlazy-bpf.1)
help_bpf=$(help_opts "$bpf_help")
check "anonlazy-bpf.1: the options of anonlazy-bpf --help" "$(echo $man_bpf)" "$(echo $help_bpf)"
[ "$(echo "$help_bpf" | wc -l)" -ge 15 ] && pass "anonlazy-bpf --help: 15 or more option words" ||
	fail "anonlazy-bpf --help: 15 or more option words" "$(echo $help_bpf)"
check "bash completion of anonlazy-bpf: the options of --help" \
	"$(echo $(compl_opts scripts/completion/anonlazy-bpf))" "$(echo $help_bpf)"
check "bash completion of anonlazy-top: the options of --help" \
	"$(echo $(compl_opts scripts/completion/anonlazy-top))" "$(echo $(help_opts "$top_help"))"
for t in anonlazy-top anonlazy-bpf; do
	bash -n scripts/completion/$t 2> /dev/null && pass "bash -n scripts/completion/$t" ||
		fail "bash -n scripts/completion/$t" "$(bash -n scripts/completion/$t 2>&1)"
done

d=$(mktemp -d /tmp/al-install.XXXXXX)
trap 'rm -rf "$d"' EXIT
ver=$(cat VERSION)
if ! make -s install DESTDIR="$d/root" PREFIX=/opt/al > "$d/install.log" 2>&1; then
	fail "make install" "$(tail -5 "$d/install.log")"
	exit 1
fi
pass "make install DESTDIR=... PREFIX=/opt/al"

want="opt/al/bin/anonlazy-top
opt/al/share/anonlazy/anonlazy-record
opt/al/share/anonlazy/anonlazy-report
opt/al/share/anonlazy/anonlazy-report.py
opt/al/share/anonlazy/bpftrace/anonlazy-events.bt
opt/al/share/anonlazy/bpftrace/anonlazy-upgrades.bt
opt/al/share/anonlazy/bpftrace/anonlazy-walklat.bt
opt/al/share/anonlazy/bpftrace/anonlazy.bt
opt/al/share/anonlazy/bpftrace/one-liners.txt
opt/al/share/bash-completion/completions/anonlazy-top
opt/al/share/man/man1/anonlazy-top.1
usr/src/anonlazy-$ver/Kbuild
usr/src/anonlazy-$ver/dkms.conf
usr/src/anonlazy-$ver/include/anonlazy.h
$(for f in module/*.c module/*.h; do echo "usr/src/anonlazy-$ver/$f"; done)"
if [ -x out/bin/anonlazy-bpf ]; then
	want+="
opt/al/bin/anonlazy-bpf
opt/al/share/bash-completion/completions/anonlazy-bpf
opt/al/share/man/man1/anonlazy-bpf.1"
	grep -q "anonlazy-bpf is not built" "$d/install.log" &&
		fail "install: anonlazy-bpf" "built, but install says it is not"
else
	grep -q "out/bin/anonlazy-bpf is not built: not installed" "$d/install.log" &&
		pass "install says anonlazy-bpf is not built" ||
		fail "install says anonlazy-bpf is not built" "$(cat "$d/install.log")"
fi
got=$(cd "$d/root" && find . ! -type d | sed 's|^\./||' | sort)
check "the installed files" "$got" "$(sort <<< "$want")"
modes=$(cd "$d/root" && find . ! -type d -perm /111 | sed 's|^\./||' | sort | tr '\n' ' ')
want_x="opt/al/bin/anonlazy-top opt/al/share/anonlazy/anonlazy-record opt/al/share/anonlazy/anonlazy-report opt/al/share/anonlazy/bpftrace/anonlazy-events.bt opt/al/share/anonlazy/bpftrace/anonlazy-upgrades.bt opt/al/share/anonlazy/bpftrace/anonlazy-walklat.bt opt/al/share/anonlazy/bpftrace/anonlazy.bt"
[ -x out/bin/anonlazy-bpf ] && want_x="opt/al/bin/anonlazy-bpf $want_x"
check "the executables" "$modes" "$want_x "
check "dkms.conf: PACKAGE_VERSION from VERSION" \
	"$(grep '^PACKAGE_VERSION=' "$d/root/usr/src/anonlazy-$ver/dkms.conf")" "PACKAGE_VERSION=\"$ver\""
"$d/root/opt/al/bin/anonlazy-top" --help > /dev/null 2>&1 && pass "installed anonlazy-top --help" ||
	fail "installed anonlazy-top --help" "exit $?"

if ! make -s uninstall DESTDIR="$d/root" PREFIX=/opt/al > "$d/uninstall.log" 2>&1; then
	fail "make uninstall" "$(tail -5 "$d/uninstall.log")"
	exit 1
fi
check "make uninstall: no file left" "$(cd "$d/root" && find . ! -type d)" ""
check "make uninstall: no anonlazy directory left" \
	"$(cd "$d/root" && find . -name '*anonlazy*')" ""
exit $failed
