#!/bin/bash
# scripts/plots.sh (make plots, the end of make bench) on a copy of docs/
# in a temporary directory: the figures exist and are PNG (magic, and
# file(1)'s size) and SVG (an <svg> element, closed); the numbers and
# names of the tables are in the SVGs (each slab count a bar label, each
# kernel and tool of the overhead tables, each latency series with its
# walks summed from the files); the latency figure from two files in the
# module's latency format (the recorded tree's), and none, said so,
# without them; every broken table or file fails the run with a message
# naming the file and the line, and leaves the images already there as
# they were. Prints PASS/FAIL lines; run by tests/host/test_plots.c so
# that make check counts them. Needs gnuplot (make setup installs
# gnuplot-nox).
set -u
rc=0
pass() { echo "PASS: host: plots: $1"; }
fail() { echo "FAIL: host: plots: $1"; rc=1; }
check() { if [ "$2" = "$3" ]; then pass "$1"; else fail "$1: got '$2', want '$3'"; fi; }

if ! command -v gnuplot > /dev/null; then
	fail "no gnuplot: make setup installs gnuplot-nox (scripts/setup.sh)"
	exit 1
fi
W=$(mktemp -d /tmp/al-plots-test.XXXXXX)
trap 'rm -rf "$W"' EXIT
D=$W/docs
mkdir "$D"
cp docs/bench-slab.md docs/bench-overhead.md "$D/"
lat=tests/host/data/top/normal/latency
# regular anon walks from the lazy-0 run, lazy ones from the lazy-1 run
grep -v '^lazy ' "$lat" > "$D/bench-latency-ours-lazy0.txt"
grep -v '^anon ' "$lat" > "$D/bench-latency-ours-lazy1.txt"

# plots: scripts/plots.sh --docs $D --out $W/img; stdout in
# $W/out, stderr in $W/err, the exit status in $prc
plots() {
	prc=0
	bash scripts/plots.sh --docs "$D" --out "$W/img" > "$W/out" 2> "$W/err" || prc=$?
}
png() { [ "$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ]; }
svg() { grep -q '^<svg' "$1" && [ "$(grep -v '^$' "$1" | tail -n1)" = '</svg>' ]; }
# images NAME...: each NAME's .png and .svg are what they say they are
images() {
	local n
	for n in "$@"; do
		if png "$W/img/$n.png" && file "$W/img/$n.png" | grep -q ': PNG image data, [0-9]* x [0-9]*'; then
			pass "$n.png: a PNG image ($(file -b "$W/img/$n.png" | cut -d, -f1-2))"
		else
			fail "$n.png: not a PNG image: $(file -b "$W/img/$n.png" 2>&1)"
		fi
		if svg "$W/img/$n.svg"; then
			pass "$n.svg: an SVG image (<svg ... </svg>)"
		else
			fail "$n.svg: not an SVG image: $(head -c 80 "$W/img/$n.svg" 2>&1)"
		fi
	done
}
# texts NAME FILE STRING...: each STRING is a <text> of FILE
texts() {
	local name=$1 f=$2 s missing=
	shift 2
	for s in "$@"; do
		grep -qF "<text>$s</text>" "$f" || missing="$missing '$s'"
	done
	if [ -z "$missing" ] && [ $# -gt 0 ]; then
		pass "$name ($# texts)"
	else
		fail "$name: missing$missing (of $# texts)"
	fi
}

plots
check "the docs' tables and two latency files: exit status" "$prc" 0
check "stderr empty" "$(cat "$W/err")" ""
check "the images written" "$(cd "$W/img" && ls | tr '\n' ' ')" \
	"bench-latency.png bench-latency.svg bench-overhead.png bench-overhead.svg bench-slab.png bench-slab.svg "
images bench-slab bench-overhead bench-latency

# The slab table: every "N -> M" of the two object columns a bar's label,
# each workload a tick label
mapfile -t cells < <(awk -F'|' '
	$2 == " workload " { for (i = 3; i < NF; i++) if ($i ~ /^ anon_vma(_chain)? objs/) col[i] = 1; next }
	$2 ~ /VMAs/ { for (i in col) { split($i, p, " "); print p[1]; print p[3] } }' "$D/bench-slab.md")
mapfile -t counts < <(printf '%s\n' "${cells[@]}" | sort -u)
texts "slab: the objects of each workload, lazy 0 and 1, as bar labels" "$W/img/bench-slab.svg" "${counts[@]}"
mapfile -t loads < <(awk -F'|' '$2 ~ /VMAs/ { gsub(/^ +| +$/, "", $2); print $2 }' "$D/bench-slab.md")
texts "slab: each workload a tick label" "$W/img/bench-slab.svg" "${loads[@]}"
# Every cell parsed (two rows, two columns, lazy 0 and 1): a count, not
# the number of distinct values, which the measurement decides.
numeric=$(printf '%s\n' "${cells[@]}" | grep -c '^[0-9][0-9]*$')
check "slab: 2 rows, 8 object cells, each a number" \
	"${#loads[@]}/${#cells[@]}/$numeric" 2/8/8
# The overhead tables: each kernel's section (a "## " section holding an
# overhead table; the per-hit section at the end holds none) and each tool
mapfile -t kernels < <(awk -F'|' '/^## / { s = substr($0, 4); next }
	$2 == " workload " && $3 == " vm.anon_vma_lazy " && s != "" { print s; s = "" }' "$D/bench-overhead.md")
mapfile -t tools < <(awk -F'|' '$2 ~ /^ workload $/ && $4 ~ /unloaded/ { for (i = 5; i < NF; i += 2) { gsub(/^ +| +$/, "", $i); print $i }; exit }' "$D/bench-overhead.md")
texts "overhead: each kernel under its clusters" "$W/img/bench-overhead.svg" "${kernels[@]}"
texts "overhead: unloaded and each tool in the key" "$W/img/bench-overhead.svg" unloaded "${tools[@]}"
check "overhead: 2 kernels, 5 tools in docs/bench-overhead.md" "${#kernels[@]}/${#tools[@]}" 2/5
# The latency files: a series each for anon of lazy 0 and lazy of lazy 1,
# with the walks the file counts
anon=$(awk '$1 == "anon" { n += $4 } END { print n }' "$D/bench-latency-ours-lazy0.txt")
lazy=$(awk '$1 == "lazy" { n += $4 } END { print n }' "$D/bench-latency-ours-lazy1.txt")
texts "latency: regular anon (lazy 0) and lazy (lazy 1) with their walks in the key" \
	"$W/img/bench-latency.svg" "regular anon, vm.anon_vma_lazy=0 ($anon walks)" \
	"lazy, vm.anon_vma_lazy=1 ($lazy walks)"
check "latency: no other series (file walks are not plotted)" \
	"$(grep -c '<text>.*walks)</text>' "$W/img/bench-latency.svg")" 2

# Without the latency files: no latency figure, said so
rm "$W/img/bench-latency.png" "$W/img/bench-latency.svg"
mv "$D/bench-latency-ours-lazy0.txt" "$D/bench-latency-ours-lazy1.txt" "$W/"
plots
check "no latency files: exit status 0, 'no latency plot', no latency image" \
	"$prc/$(grep -c 'no latency plot' "$W/out")/$(ls "$W/img" | grep -c latency)" "0/1/0"
mv "$W/bench-latency-ours-lazy0.txt" "$W/bench-latency-ours-lazy1.txt" "$D/"

# broken NAME FILE WANT: with FILE as the caller broke it, plots.sh exits
# 1, its stderr is one line starting with WANT, and the images are as
# they were; then FILE is restored
sums() { md5sum "$W"/img/* 2> /dev/null; }
before=$(sums)
broken() {
	plots
	if [ "$prc" = 1 ] && [ "$(wc -l < "$W/err")" = 1 ] && [ "$(head -c ${#3} "$W/err")" = "$3" ] &&
	   [ "$(sums)" = "$before" ]; then
		pass "$1: exit 1, '$(cat "$W/err")', the images untouched"
	else
		fail "$1: exit $prc, stderr '$(head -n3 "$W/err" | tr '\n' '|')', want '$3...'$([ "$(sums)" = "$before" ] || echo ', the images changed')"
	fi
	cp "$W/$(basename "$2").orig" "$2"
}
for f in "$D"/*; do
	cp "$f" "$W/$(basename "$f").orig"
done
# the line number of the first line of FILE with STRING
at() { grep -nF -- "$2" "$1" | head -n1 | cut -d: -f1; }
# cell FILE LINE K VALUE: the K-th cell of a table row (from the end when
# K < 0) set to VALUE
cell() {
	awk -F'|' -v OFS='|' -v n="$2" -v k="$3" -v v="$4" \
		'NR == n { $(k < 0 ? NF + k : k + 1) = " " v " " } 1' "$1" > "$1.new" && mv "$1.new" "$1"
}

f=$D/bench-slab.md
n=$(at "$f" "1000 VMAs, no fork")
cell "$f" "$n" 2 "1014 => 0"
broken "slab: a cell not 'N -> M'" "$f" "plots: $f:$n: anon_vma objs (lazy 0 -> 1): "
n=$(at "$f" "1000 VMAs, 4 children")
sed -i "${n}s/ |\$/ | 9 |/" "$f"
broken "slab: a row with a cell more than its header" "$f" "plots: $f:$n: a row of 6 cells, the header has 5"
n=$(at "$f" "|---|")
sed -i "${n}d" "$f"
broken "slab: no |---| line under the header" "$f" "plots: $f:$n: the header is not followed by a |---| line"
sed -i 's/^| workload | anon_vma objs/| load | anon_vma objs/' "$f"
broken "slab: no slab table" "$f" "plots: $f: no table with the columns"
rm "$f"
broken "slab: no file" "$f" "plots: $f: no such file"

f=$D/bench-overhead.md
n=$(at "$f" "| fork + exit, 1000 VMAs | 0 |")
cell "$f" "$n" -1 9.999
broken "overhead: a ratio that is not its time over the unloaded one" "$f" "plots: $f:$n: bpftrace ratio: 9.999 is not "
n=$(at "$f" "| fault + MADV_PAGEOUT, per page | n/a |")
cell "$f" "$n" 2 x
broken "overhead: vm.anon_vma_lazy not 0, 1 or n/a" "$f" "plots: $f:$n: vm.anon_vma_lazy: \"x\" is not 0, 1 or n/a"
n=$(grep -n '| ratio | bpftrace | ratio |$' "$f" | tail -n1 | cut -d: -f1)
# the header's cells: the line's bars less one; bpftrace's ratio is the last
hc=$(sed -n "${n}p" "$f" | tr -cd '|' | wc -c); hc=$((hc - 1))
sed -i "${n}s/| ratio | bpftrace | ratio |\$/| ratio | bpftrace | ration |/" "$f"
broken "overhead: the second table's header not TOOL | ratio pairs" "$f" \
	"plots: $f:$n: the header: cell $hc is \"ration\", not \"ratio\" after \"bpftrace\""
n=$(at "$f" "| fault + MADV_PAGEOUT, per page | 1 |")
sed -i "${n}s/ | [0-9.]* |\$/ |/" "$f"
broken "overhead: a row without its last cell" "$f" "plots: $f:$n: a row of $((hc - 1)) cells, the header has $hc"
sed -i '/^## /d' "$f"
n=$(at "$f" "| workload | vm.anon_vma_lazy |")
broken "overhead: a table outside a kernel's section" "$f" "plots: $f:$n: an overhead table before any \"## \" section"

f=$D/bench-latency-ours-lazy0.txt
sed -i '3s/^anon [0-9]* /anon 3000 /' "$f"
broken "latency: a bucket that is not a log2 bucket" "$f" "plots: $f:3: \""
sed -i '1s/ count$//' "$f"
broken "latency: not the latency header" "$f" "plots: $f:1: not the latency header"
: > "$f"
broken "latency: an empty file" "$f" "plots: $f: empty"
rm "$f"
broken "latency: one file of the two" "$f" "plots: $f: no such file"
f=$D/bench-latency-ours-lazy1.txt
sed -i '2s/^[a-z]* /lazier /' "$f"
broken "latency: an unknown kind" "$f" "plots: $f:2: not \"anon|ksm|file|lazy LO HI COUNT\""

plots
check "every file restored: exit 0 again" "$prc" 0
exit $rc
