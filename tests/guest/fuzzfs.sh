#!/bin/bash
# The module's inputs fuzzed (issue 15): the writable debugfs file (reset)
# and the runtime-writable parameters (census_max_chains, sim_max_vmas)
# get random bytes of random lengths, huge writes, byte-by-byte writes and
# concurrent writers; the load-time parameters (hooks, maxactive,
# sim_max_vmas, census_max_chains) get garbage at insmod. A write the
# module does not understand must fail with EINVAL (the parameters' own
# parser: EINVAL or ERANGE) and change nothing; a bad load parameter must
# refuse the load; what it does understand must work. vm-run's verdict
# checks the kernel log: no warning, oops or KASAN report.
. tests/guest/lib.sh

T=/tmp/al-fuzzfs
mkdir -p $T
N_RANDOM=${FUZZ_RANDOM:-300}	# random writes to each writable file
SEED=${FUZZ_SEED:-1}
PARAMS=/sys/module/anonlazy/parameters
# reset: random, the accepted forms, huge, byte by byte, concurrent (5);
# each runtime parameter: random, huge, good value kept (2 x 3); hooks and
# maxactive read-only (2); insmod with bad parameters, with good ones (2);
# still working after it all (2)
plan $((5 + 2 * 3 + 2 + 2 + 2))

RANDOM=$SEED
# rand_file FILE LEN: LEN pseudo-random bytes (seeded: the run repeats)
rand_file() {
	local i b s=
	for ((i = 0; i < $2; i++)); do
		printf -v b '\\x%02x' $((RANDOM % 256))
		s+=$b
	done
	printf -- "$s" > "$1"
}

# first_record FILE: its bytes up to the first NUL (what the kernel parses:
# the string it copies in ends there)
first_record() { head -z -n1 "$1" | tr -d '\0'; }

# parses FILE RE: whether FILE's first record matches the extended regular
# expression RE whole (newlines kept: read -d '' does not strip them)
parses() {
	local v=
	IFS= read -r -d '' v < <(first_record "$1")
	[[ $v =~ $2 ]]
}
# what the module's reset takes (kstrtouint base 10, then == 1) and what a
# ulong parameter takes (kstrtoul base 0), each with one optional newline
RESET_RE=$'^\\+?0*1\n?$'
ULONG_RE=$'^\\+?(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)\n?$'

# write_status FILE TARGET: write FILE's bytes to TARGET in one write(2);
# prints OK or the errno name
write_status() {
	local e
	if e=$( { dd if="$1" of="$2" bs=1M count=1 iflag=fullblock status=none; } 2>&1 ); then
		echo OK
	else
		case $e in
		*"Invalid argument"*) echo EINVAL ;;
		*"Numerical result out of range"*) echo ERANGE ;;
		*) echo "other: $e" ;;
		esac
	fi
}

# reset_wants FILE: what reset must answer to FILE's bytes. The module reads
# at most the first 63 bytes (kstrtouint_from_user) and takes exactly the
# number 1: an optional '+', zeros, 1, an optional newline, up to a NUL.
reset_wants() {
	head -c 63 "$1" > "$1.63"
	if LC_ALL=C parses "$1.63" "$RESET_RE"; then
		echo OK
	else
		echo EINVAL
	fi
}

if ! insmod "$KO" 2> $T/insmod.err; then
	fail "insmod" "$(cat $T/insmod.err)"
	exit 1
fi

# 1. reset: random bytes of random lengths (0..200); each answer as derived
bad=0
for i in $(seq "$N_RANDOM"); do
	rand_file $T/in $((RANDOM % 201))
	got=$(write_status $T/in $DBG/reset)
	want=$(reset_wants $T/in)
	# an empty write is not a write: dd does not call write(2)
	[ -s $T/in ] || want=OK
	if [ "$got" != "$want" ]; then
		bad=$((bad + 1))
		echo "info: reset, write $i ($(od -An -tx1 $T/in | tr -d ' \n' | head -c 80)): got $got, want $want"
	fi
done
expect "reset: $N_RANDOM random writes, each answered as derived from its bytes" $bad 0

# 2. the accepted forms and near misses
bad=0
for s in 1 '1\n' '+1' '01' '0001\n' 0 2 '1 ' ' 1' '1\n\n' '-1' '1x' '0x1' '11' '\n' '1\0'; do
	printf -- "$s" > $T/in
	got=$(write_status $T/in $DBG/reset)
	want=$(reset_wants $T/in)
	[ "$got" = "$want" ] || { bad=$((bad + 1)); echo "info: reset '$s': got $got, want $want"; }
done
expect "reset: the accepted forms (1, +1, 01, with a newline) and their near misses" $bad 0

# 3. huge writes: 1 MiB of '1', of zeros then '1', of random bytes
head -c 1048576 /dev/zero | tr '\0' 1 > $T/big1
{ head -c 1048575 /dev/zero | tr '\0' 0; printf 1; } > $T/big2
head -c 1048576 /dev/urandom > $T/big3
expect "reset: 1 MiB writes (ones, zeros then 1, random) refused" \
	"$(write_status $T/big1 $DBG/reset) $(write_status $T/big2 $DBG/reset) $(write_status $T/big3 $DBG/reset)" \
	"EINVAL EINVAL EINVAL"

# 4. byte by byte: each write(2) stands alone ("1" then "0": OK, EINVAL)
printf 10 > $T/in
expect "reset: '10' a byte a write: the first taken, the second refused" \
	"$(dd if=$T/in of=$DBG/reset bs=1 count=1 status=none 2>&1 && echo OK) $(write_status <(printf 0) $DBG/reset)" \
	"OK EINVAL"

# 5. concurrent writers: four shells write good and bad values while the
# counters move and a reader reads stats; every answer must be OK or
# EINVAL, as its bytes say
for j in 1 2 3 4; do
	(
		n=0 odd=0
		for i in $(seq 200); do
			if [ $((i % 2)) -eq 0 ]; then v=1; else v=x$j; fi
			r=$(printf %s "$v" | dd of=$DBG/reset status=none 2>&1 && echo OK)
			case $v:$r in
			1:OK | x*:*"Invalid argument"*) ;;
			*) odd=$((odd + 1)) ;;
			esac
			n=$((n + 1))
		done
		echo "$n $odd" > $T/conc.$j
	) &
done
"$ALWORK" churn 5 > /dev/null 2>&1 &
for _ in $(seq 50); do cat $DBG/stats > /dev/null; done
wait
expect "reset: 4 concurrent writers, 200 writes each, every answer as its bytes say" \
	"$(cat $T/conc.* | awk '{ n += $1; o += $2 } END { print n, o }')" "800 0"

# 6. the runtime-writable parameters: random bytes, huge, and a good value
# that must be kept. Bad writes: EINVAL (or ERANGE from kstrtoul) and the
# value unchanged.
for p in census_max_chains sim_max_vmas; do
	if [ ! -w $PARAMS/$p ]; then
		fail "parameter $p" "no writable $PARAMS/$p"
		fail "parameter $p: huge" "no writable $PARAMS/$p"
		fail "parameter $p: a good value" "no writable $PARAMS/$p"
		continue
	fi
	before=$(cat $PARAMS/$p)
	bad=0
	for i in $(seq "$N_RANDOM"); do
		rand_file $T/in $((1 + RANDOM % 100))
		# what kstrtoul (base 0) would take: leave those out
		if LC_ALL=C parses $T/in "$ULONG_RE"; then
			continue
		fi
		got=$(write_status $T/in $PARAMS/$p)
		case $got in
		EINVAL | ERANGE) ;;
		*) bad=$((bad + 1)); echo "info: $p, write $i ($(od -An -tx1 $T/in | tr -d ' \n' | head -c 80)): got $got" ;;
		esac
	done
	expect "parameter $p: random bytes refused, the value unchanged" "$bad $(cat $PARAMS/$p)" "0 $before"
	expect "parameter $p: 1 MiB of digits refused (EINVAL or ERANGE)" \
		"$(write_status $T/big1 $PARAMS/$p | sed 's/^ERANGE$/EINVAL/') $(cat $PARAMS/$p)" "EINVAL $before"
	echo 12345 > $PARAMS/$p
	expect "parameter $p: a good value kept" "$(cat $PARAMS/$p)" 12345
	echo "$before" > $PARAMS/$p
done
# the third pair of checks: maxactive and hooks are read-only after load
expect "hooks and maxactive: not writable after load" \
	"$(stat -c %a $PARAMS/hooks $PARAMS/maxactive | tr '\n' ' ')" "400 400 "
expect "hooks and maxactive: a root write refused" \
	"$({ echo all > $PARAMS/hooks; } 2>&1 | grep -c 'Permission denied')" 1
rmmod anonlazy

# 7. load-time parameters: garbage refuses the load, cleanly
bad=0
n=0
long=$(head -c 4000 /dev/zero | tr '\0' a)
for a in "hooks=" "hooks=," "hooks=bogus" "hooks=all,bogus" "hooks=prepare,,fork" "hooks=PREPARE" \
	"hooks=$long" "hooks=prepare,$long" "maxactive=-1" "maxactive=4097" "maxactive=2147483647" \
	"maxactive=99999999999" "maxactive=abc" "maxactive=" "sim_max_vmas=-1" "sim_max_vmas=abc" \
	"census_max_chains=1x" "census_max_chains=99999999999999999999999"; do
	n=$((n + 1))
	if insmod "$KO" "$a" 2> $T/insmod.err; then
		bad=$((bad + 1))
		echo "info: insmod ${a:0:40}: loaded"
		rmmod anonlazy
	elif [ -e /sys/module/anonlazy ]; then
		bad=$((bad + 1))
		echo "info: insmod ${a:0:40}: failed but left the module"
	fi
done
expect "insmod: $n bad parameters, each load refused, nothing left" $bad 0
bad=0
for a in "hooks=prepare" "hooks=prepare,upgrade" "hooks=all" "maxactive=1" "maxactive=4096" \
	"sim_max_vmas=0" "census_max_chains=1"; do
	if insmod "$KO" "$a" 2> $T/insmod.err; then
		rmmod anonlazy || bad=$((bad + 1))
	else
		bad=$((bad + 1))
		echo "info: insmod $a: $(cat $T/insmod.err)"
	fi
done
expect "insmod: 7 good parameters, each loaded and unloaded" $bad 0

# 8. after it all, the module still loads and counts exactly
if insmod "$KO" 2> $T/insmod.err; then
	pass "insmod after the fuzzing"
	if run_work $T/fault fault 64; then
		expect "after the fuzzing, fault 64: prepare_calls" "$(val $T/fault fault.prepare_calls)" 64
	else
		fail "after the fuzzing, fault 64" "alwork failed"
	fi
	rmmod anonlazy
else
	fail "insmod after the fuzzing" "$(cat $T/insmod.err)"
	fail "after the fuzzing, fault 64: prepare_calls" "not loaded"
fi
exit $al_failed
