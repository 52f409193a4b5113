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
json sim 'c = o["census"]
assert c["est_lazy_roots"] == c["est_exact_lazy_roots"] + c["est_bound_lazy_roots"] == 20
assert c["est_saved_bytes"] == c["est_exact_saved_bytes"] + c["est_bound_saved_bytes"] == 3328
assert c["est_bound_parent_links"] == 6 and c["sim_active"] == 1 and c["sim_tracked"] == 40
assert c["sim_tracked_lazy"] == 28 and c["sim_dropped"] == 0 and c["sim_max_vmas"] == 1000000
r = {x["pid"]: x for x in o["processes"]["rows"]}
assert [r[97][k] for k in ("exact_vmas", "exact_lazy", "bound_vmas", "bound_lazy", "bound_parent")] == [5, 5, 16, 2, 4]
assert all(x["est_lazy"] == x["exact_lazy"] + x["bound_lazy"] and x["est_parent"] == x["bound_parent"] for x in r.values())' \
	"--json sim: the estimate's exact and bound parts, the simulation's keys, the new columns"
out=$("$top" --debugfs "$data/sim" --once 2>&1)
if echo "$out" | grep -qx '    exact (simulated, VMAs born since the load): vmas 22, lazy roots 10, anon_vmas 10, chains 10, 1280 bytes' &&
   echo "$out" | grep -qx '    bound (structural, older VMAs): vmas 28, lazy roots 10, parent links 6, anon_vmas 16, chains 16, 2048 bytes' &&
   echo "$out" | grep -qx '  simulation: on, tracking 40 VMAs (28 would-be lazy), 0 dropped (sim_max_vmas 1000000)'; then
	pass "text sim: the census section shows the exact and bound parts"
else
	fail "text sim: the exact, bound or simulation line missing"
fi
out=$("$top" --debugfs "$data/normal" --once 2>&1)
if echo "$out" | grep -q 'exact (simulated\|simulation:'; then
	fail "text normal: an older module's census shows no exact/bound lines"
else
	pass "text normal: an older module's census (no sim keys) shows no exact/bound lines"
fi
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
for t in normal huge unknown missing sim; do
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
out=$("$top" --debugfs "$data/sim" --prometheus 2>&1)
if echo "$out" | grep -qx 'anonlazy_census_est_exact_saved_bytes 1280' &&
   echo "$out" | grep -qx 'anonlazy_census_est_bound_saved_bytes 2048' &&
   echo "$out" | grep -qx 'anonlazy_census_est_saved_bytes 3328' &&
   echo "$out" | grep -qx 'anonlazy_census_sim_active 1' &&
   echo "$out" | grep -qx 'anonlazy_census_sim_tracked 40'; then
	pass "--prometheus sim: exact and bound parts, the simulation's gauges"
else
	fail "--prometheus sim: samples missing"
fi
exit $rc
