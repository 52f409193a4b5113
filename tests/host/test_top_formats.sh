#!/bin/bash
# anonlazy-top --json parsed back by python's json, --prometheus by
# promtool check metrics (Debian's prometheus package), on the recorded
# trees of tests/host/data/top/. Prints PASS/FAIL/SKIP lines; run by
# tests/host/test_top_cli.c so that make check counts them.
set -u
top=${1:-out/bin/anonlazy-top}
data=tests/host/data/top
rc=0
pass() { echo "PASS: host: top formats: $1"; }
fail() { echo "FAIL: host: top formats: $1"; rc=1; }

# json TREE PYTHON-ASSERTIONS NAME: one --once object, o is the object
json() {
	local out
	out=$("$top" --debugfs "$data/$1" --once --json 2>&1) || { fail "$3: exit $?: $out"; return; }
	if echo "$out" | python3 -c "import json, sys
o = json.loads(sys.stdin.read())
$2" 2> /tmp/al-top-json.err; then
		pass "$3"
	else
		fail "$3: $(tail -n1 /tmp/al-top-json.err)"
	fi
}

json normal 'assert o["schema"] == "anonlazy-top/1"
c = o["counters"]
assert c["prepare_calls"]["total"] == 1523 and c["prepare_calls"]["group"] == "prepare"
assert c["upgrades_fork"]["total"] == 80 and c["upgrades_fork"]["delta"] is None
assert len(c) == 22 and o["absent"] == []
assert o["slab"]["caches"]["vm_area_struct"] == {"objects": 2024, "objsize": 176, "kb": 347, "delta": None}
assert o["census"]["est_saved_bytes"] == 3328
assert sum(b["count"] for b in o["latency"]["lazy"]) == 16
assert [r["pid"] for r in o["processes"]["rows"]] == [97, 345, 1, 346]
assert o["probes"][8] == {"symbol": "anon_vma_lazy_upgrade", "kind": "kretprobe", "state": "attached", "missed": 0}' \
	"--json normal: python json parses it, exact numbers"
json huge 'c = o["counters"]
assert c["prepare_calls"]["total"] == 18446744073709551615
assert c["prepare_attached"]["total"] == 18446744073709551614
assert o["latency"]["anon"][1] == {"lo_ns": 9223372036854775808, "hi_ns": 18446744073709551615, "count": 18446744073709551615}
assert o["processes"]["rows"][0]["est_saved_bytes"] == 18446744073709551615' \
	"--json huge: 2^64-1 exact"
json unknown 'c = o["counters"]
assert c["future_counter"] == {"group": "other", "known": False, "disabled": False, "total": 42, "delta": None, "rate": None, "reset": False}
assert c["walk_hugetlb"]["group"] == "other" and c["walk_hugetlb"]["total"] == 7' \
	"--json unknown: a newer module's counters shown"
json missing 'assert o["absent"] == ["walk_lazy", "upgrades_ksm"]
assert o["census"] is None and o["processes"] is None and o["latency"] is None
assert "walk_lazy" not in o["counters"]' \
	"--json missing: absent counters and files"

# three frames 0.2 s apart: three objects, rates from the second on
out=$("$top" --debugfs "$data/normal" --json 0.2 3 2>&1)
if echo "$out" | python3 -c "import json, sys
objs = [json.loads(l) for l in sys.stdin.read().splitlines()]
assert [o['seq'] for o in objs] == [1, 2, 3]
assert objs[0]['interval_s'] is None and objs[1]['interval_s'] > 0.1
assert objs[2]['counters']['prepare_calls']['delta'] == 0
assert objs[2]['counters']['prepare_calls']['rate'] == 0
assert objs[1]['latency']['scope'] == 'interval' and objs[1]['latency']['anon'] == []" 2> /tmp/al-top-json.err; then
	pass "--json 0.2 3: three objects, one a line, deltas from the second"
else
	fail "--json 0.2 3: $(tail -n1 /tmp/al-top-json.err)"
fi

if ! command -v promtool > /dev/null; then
	echo "SKIP: host: top formats: --prometheus: no promtool (apt-get install prometheus)"
	exit $rc
fi
for t in normal huge unknown missing; do
	out=$("$top" --debugfs "$data/$t" --prometheus 2>&1)
	if msg=$(echo "$out" | promtool check metrics 2>&1); then
		pass "--prometheus $t: promtool check metrics is clean"
	else
		fail "--prometheus $t: promtool: $(echo "$msg" | head -n2 | tr '\n' ' ')"
	fi
done
out=$("$top" --debugfs "$data/unknown" --prometheus 2>&1)
if echo "$out" | grep -qx 'anonlazy_prepare_calls_total 1523' &&
   echo "$out" | grep -qx 'anonlazy_unknown_total{name="future_counter"} 42' &&
   echo "$out" | grep -qx '# TYPE anonlazy_census_vmas gauge'; then
	pass "--prometheus unknown: the exact samples"
else
	fail "--prometheus unknown: samples missing"
fi
exit $rc
