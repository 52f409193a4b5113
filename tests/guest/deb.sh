#!/bin/bash
# Guest test of the installed anonlazy (issue 15, "installs like a distro
# tool"), on the stock kernel first:
#
#   scripts/vm-run.sh --kernel stock --name deb -- env AL_KERNEL=stock bash tests/guest/deb.sh
#
# The guest's root is the host's, read-only over 9p (scripts/guest/
# initramfs-init): dpkg -i cannot write /var/lib/dpkg or /usr there. So
# this installs with make install into a DESTDIR under /tmp (a tmpfs), and
# loads the module that scripts/dkms-build.sh built on the host with DKMS
# (trees of its own under out/dkms/: dkms add, build, install from make
# install's source tree and dkms.conf, against this kernel's headers, as
# after apt install anonlazy-dkms). It is read by the installed
# anonlazy-top and unloaded, and the installed anonlazy.bt runs under
# bpftrace. When make deb has run on the host (out/deb/), the two
# packages' files are compared with make install's (dpkg-deb -x).
#
# Before, on the host: make userspace (make bpf too, to cover
# anonlazy-bpf), scripts/dkms-build.sh, and make deb for the package
# checks (make check does all three).
. tests/guest/lib.sh

T=/tmp/al-deb
R=$T/root
VER=$(cat VERSION)
REL=$(uname -r)
rm -rf $T
mkdir -p $T

have_bpf=0
[ -x out/bin/anonlazy-bpf ] && have_bpf=1
have_deb=0
ls out/deb/anonlazy-tools_"$VER"_*.deb out/deb/anonlazy-dkms_"$VER"_all.deb > /dev/null 2>&1 && have_deb=1
# install, top --help, [bpf --help], [2 deb contents], the DKMS module,
# its vermagic, its source, insmod, stats, anonlazy-top --once, rmmod,
# bpftrace exit + 2 counters + no warning
plan $((13 + have_bpf + 2 * have_deb))

# make install: the Makefile's own rule, PREFIX=/usr as the package has it
if make -s install DESTDIR=$R PREFIX=/usr > $T/install.log 2>&1; then
	pass "make install DESTDIR=$R PREFIX=/usr"
else
	fail "make install" "$(tail -3 $T/install.log)"
	exit 1
fi
$R/usr/bin/anonlazy-top --help > $T/top-help 2>&1
expect "installed anonlazy-top --help: exit 0" "$?" 0
if [ $have_bpf -eq 1 ]; then
	$R/usr/bin/anonlazy-bpf --help > $T/bpf-help 2>&1
	expect "installed anonlazy-bpf --help: exit 0" "$?" 0
fi

# The packages hold what make install installs (plus /usr/share/doc and
# lintian's overrides; man pages gzipped).
if [ $have_deb -eq 1 ]; then
	(cd $R && find . ! -type d | sed 's|^\./||' | sort) > $T/installed
	for p in anonlazy-tools anonlazy-dkms; do
		mkdir -p $T/deb-$p
		dpkg-deb -x out/deb/${p}_"$VER"_*.deb $T/deb-$p
		(cd $T/deb-$p && find . ! -type d | sed 's|^\./||; s|\.gz$||' |
			grep -v -E '^usr/share/(doc|lintian)/' | sort) > $T/deb-$p.files
	done
	expect "anonlazy-tools.deb: make install's files outside /usr/src" \
		"$(cat $T/deb-anonlazy-tools.files)" "$(grep -v '^usr/src/' $T/installed)"
	expect "anonlazy-dkms.deb: make install's /usr/src/anonlazy-$VER" \
		"$(cat $T/deb-anonlazy-dkms.files)" "$(grep '^usr/src/' $T/installed)"
fi

# DKMS: scripts/dkms-build.sh built the module on the host, from make
# install's source tree, against this kernel's headers, into out/dkms/
# (under TCG here a DKMS build takes ~8 minutes). Check that it is for
# this kernel and came from this tree's sources, then load it.
ko=out/dkms/modules/$REL/updates/dkms/anonlazy.ko
expect "dkms-build.sh: $ko" "$([ -f $ko ] && echo present)" present
expect "the DKMS module's vermagic is this kernel's" \
	"$(modinfo -F vermagic $ko 2> /dev/null | awk '{ print $1 }')" "$REL"
expect "the DKMS source tree = make install's" \
	"$(diff -r out/dkms/root/usr/src/anonlazy-$VER $R/usr/src/anonlazy-$VER > /dev/null 2>&1 && echo same)" same

if insmod $ko 2> $T/insmod.err; then
	pass "insmod the DKMS-built anonlazy.ko"
	expect "its stats list prepare_calls" \
		"$(awk '$1 == "prepare_calls" { print "listed" }' $DBG/stats 2> /dev/null)" listed
	$R/usr/bin/anonlazy-top --once -C > $T/top-once 2>&1
	expect "installed anonlazy-top --once on the module: exit 0" "$?" 0
	rmmod anonlazy 2> $T/rmmod.err
	expect "rmmod anonlazy" "$?$(cat $T/rmmod.err)" 0
else
	fail "insmod the DKMS-built anonlazy.ko" "$(cat $T/insmod.err)"
	fail "its stats list prepare_calls" "not loaded"
	fail "installed anonlazy-top --once on the module" "not loaded"
	fail "rmmod anonlazy" "not loaded"
fi
# The installed anonlazy.bt, no module: bpftrace -c runs the command once
# the probes are attached and prints the maps when it exits. A shell loop
# of fork + exec makes __anon_vma_prepare and anon_vma_fork calls.
# (bpftrace -c splits its command at spaces, no shell quoting: a file.)
echo 'for i in $(seq 20); do /bin/true; done' > $T/loop.sh
timeout 600 bpftrace -c "/bin/bash $T/loop.sh" \
	$R/usr/share/anonlazy/bpftrace/anonlazy.bt > $T/bt.out 2>&1
expect "bpftrace anonlazy.bt: exit 0" "$?" 0
n() { sed -n "s/^@counters\[$1\]: \([0-9]*\)$/\1/p" $T/bt.out; }
expect "anonlazy.bt: prepare_calls counted" "$([ "$(n prepare_calls)" -gt 0 ] 2> /dev/null && echo yes)" yes
expect "anonlazy.bt: fork_calls counted" "$([ "$(n fork_calls)" -ge 20 ] 2> /dev/null && echo yes)" yes
# It probes only functions every kernel has: no probe skipped, no warning.
expect "anonlazy.bt: every probe attached, no warning" \
	"$(grep -c -E "WARNING|could not attach|skipping" $T/bt.out)" 0
[ $al_failed -eq 0 ] || { echo "# bpftrace output:"; sed 's/^/# /' $T/bt.out; }
rm -rf $T
exit $al_failed
