#!/bin/bash
# make plots, and the end of make bench: the bench's figures, drawn by
# gnuplot from what scripts/bench.sh wrote in docs/, the one source of
# the numbers (nothing is copied by hand):
#
#  - bench-slab.{png,svg}: docs/bench-slab.md's table, anon_vma and
#    anon_vma_chain objects per workload, vm.anon_vma_lazy 0 beside 1;
#  - bench-overhead.{png,svg}: docs/bench-overhead.md's tables, one panel
#    per kernel (each "## " section): per workload, the time with each
#    tool attached over the time with nothing (the "ratio" columns; the
#    unloaded bar is 1);
#  - bench-latency.{png,svg}: the rmap walk latency histograms of the last
#    loaded pageout run on our kernel, regular anon (vm.anon_vma_lazy=0)
#    beside lazy (=1), from docs/bench-latency-ours-lazy0.txt and
#    -lazy1.txt, copies of the module's latency file (its format:
#    include/anonlazy.h) that make bench saves; skipped, and said so, while
#    neither exists (bench runs before these files were kept).
#
#   scripts/plots.sh [--docs DIR] [--out DIR]   (default docs, DIR/img)
#
# A table or file it cannot parse fails the run, naming it: "plots:
# FILE:LINE: what", exit 1, and the images in the output directory stay as
# they were (all are drawn in a temporary directory first). Needs gnuplot
# (make setup installs gnuplot-nox).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
docs=
out=
while [ $# -gt 0 ]; do
	case $1 in
	--docs) docs=$(realpath -m "${2:?--docs DIR}"); shift 2 ;;
	--out) out=$(realpath -m "${2:?--out DIR}"); shift 2 ;;
	*) echo "usage: plots.sh [--docs DIR] [--out DIR]" >&2; exit 2 ;;
	esac
done
cd "$top"
docs=${docs:-docs}
out=${out:-$docs/img}
command -v gnuplot > /dev/null || {
	echo "plots: no gnuplot (make setup installs gnuplot-nox)" >&2
	exit 1
}
T=$(mktemp -d /tmp/al-plots.XXXXXX)
trap 'rm -rf "$T"' EXIT

# The awk functions every table parser shares: a row's cells, trimmed;
# the error that names the file and the line; the |---| line under a
# header.
AWK_LIB='
function cells(line, c,   n, i) {
	sub(/^[ \t]*\|/, "", line)
	sub(/\|[ \t]*$/, "", line)
	n = split(line, c, "|")
	for (i = 1; i <= n; i++)
		gsub(/^[ \t]+|[ \t]+$/, "", c[i])
	return n
}
function die(msg) {
	printf "plots: %s:%d: %s\n", FILENAME, FNR, msg > "/dev/stderr"
	failed = 1
	exit 1
}
function separator(n,   c, i) {
	if (cells($0, c) != n)
		die("the header is not followed by a |---| line of its " n " cells")
	for (i = 1; i <= n; i++)
		if (c[i] !~ /^:?-+:?$/)
			die("the header is not followed by a |---| line: cell " i " is \"" c[i] "\"")
}
function count(v, what) {
	if (v !~ /^[0-9]+$/)
		die(what ": \"" v "\" is not a number")
	return v + 0
}
'

# need FILE: it exists, or the run fails naming it
need() {
	[ -r "$1" ] || { echo "plots: $1: no such file (make bench writes it)" >&2; exit 1; }
}

# bench-slab.md -> $T/slab.dat: workload, anon_vma lazy 0, 1, chains 0, 1
slab_data() {
	local f=$docs/bench-slab.md
	need "$f"
	awk "$AWK_LIB"'
		# "1014 -> 0 (-100%)": lazy 0 and lazy 1
		function pair(v, what, p) {
			if (v !~ /^[0-9]+ -> [0-9]+( \([-+]?[0-9.]+%\))?$/)
				die(what ": \"" v "\" is not \"N -> M\" or \"N -> M (P%)\"")
			split(v, p, " ")
			return p[1] "\t" p[3]
		}
		state == 2 && !/^\|/ { state = 3 }
		state == 2 {
			if (cells($0, c) != n)
				die("a row of " cells($0, c) " cells, the header has " n)
			if (c[1] == "")
				die("a row without a workload")
			printf "%s\t%s\t%s\n", c[1], pair(c[av], h[av]), pair(c[ch], h[ch])
			rows++
			next
		}
		state == 1 { separator(n); state = 2; next }
		state == 0 && /^\|/ {
			n = cells($0, h)
			av = ch = 0
			for (i = 1; i <= n; i++) {
				if (h[i] == "anon_vma objs (lazy 0 -> 1)")
					av = i
				if (h[i] == "anon_vma_chain objs")
					ch = i
			}
			if (h[1] != "workload" || !av)
				next
			if (!ch)
				die("a slab table without an \"anon_vma_chain objs\" column")
			state = 1
			at = FNR
		}
		END {
			if (failed)
				exit 1
			if (state == 0) {
				printf "plots: %s: no table with the columns \"workload\" and \"anon_vma objs (lazy 0 -> 1)\"\n", FILENAME > "/dev/stderr"
				exit 1
			}
			if (!rows) {
				printf "plots: %s:%d: the slab table has no rows\n", FILENAME, at > "/dev/stderr"
				exit 1
			}
		}' "$f" > "$T/slab.dat"
}

# bench-overhead.md -> $T/overhead.dat: section, workload, lazy, then
# 1 (unloaded) and each tool's ratio; $T/tools: the tools, one a line
overhead_data() {
	local f=$docs/bench-overhead.md
	need "$f"
	awk "$AWK_LIB"'
		/^## / { sect = substr($0, 4); next }
		state == 2 && !/^\|/ { state = 0 }
		state == 2 {
			if (cells($0, c) != n)
				die("a row of " cells($0, c) " cells, the header has " n)
			if (c[1] == "")
				die("a row without a workload")
			if (c[2] !~ /^(0|1|n\/a)$/)
				die("vm.anon_vma_lazy: \"" c[2] "\" is not 0, 1 or n/a")
			u = count(c[3], h[3])
			if (!u)
				die(h[3] ": 0")
			line = sect "\t" c[1] "\t" c[2] "\t1.000"
			for (i = 4; i < n; i += 2) {
				v = count(c[i], h[i])
				if (c[i + 1] !~ /^[0-9]+\.[0-9]+$/)
					die(h[i] " ratio: \"" c[i + 1] "\" is not a number like 1.234")
				d = c[i + 1] - v / u
				if (d > 0.0015 || d < -0.0015)
					die(h[i] " ratio: " c[i + 1] " is not " v " / " u)
				line = line "\t" c[i + 1]
			}
			print line
			rows++
			next
		}
		state == 1 { separator(n); state = 2; next }
		/^\|/ {
			if (cells($0, h) < 2 || h[1] != "workload" || h[2] != "vm.anon_vma_lazy")
				next
			n = cells($0, h)
			if (sect == "")
				die("an overhead table before any \"## \" section (the kernel)")
			if (h[3] != "unloaded ns/op" || n < 5 || (n - 3) % 2)
				die("the header: want \"workload | vm.anon_vma_lazy | unloaded ns/op\", then \"TOOL | ratio\" pairs")
			t = ""
			for (i = 4; i < n; i += 2) {
				if (h[i + 1] != "ratio")
					die("the header: cell " i + 1 " is \"" h[i + 1] "\", not \"ratio\" after \"" h[i] "\"")
				t = t h[i] "\n"
			}
			if (tools != "" && t != tools)
				die("the tools differ from those of the first table")
			tools = t
			tables++
			state = 1
		}
		END {
			if (failed)
				exit 1
			if (!tables) {
				printf "plots: %s: no table with the columns \"workload | vm.anon_vma_lazy | unloaded ns/op\"\n", FILENAME > "/dev/stderr"
				exit 1
			}
			printf "%s", tools > "'"$T/tools"'"
		}' "$f" > "$T/overhead.dat"
}

# latency_data FILE LABEL: FILE in the format of the module's latency
# file -> lines "KIND LABEL b count" (b: the log2 bucket)
latency_data() {
	need "$1"
	[ -s "$1" ] || { echo "plots: $1: empty (the module's latency file has a header line)" >&2; exit 1; }
	awk -v label="$2" '
		function die(msg) {
			printf "plots: %s:%d: %s\n", FILENAME, FNR, msg > "/dev/stderr"
			failed = 1
			exit 1
		}
		FNR == 1 {
			if ($0 != "kind lo_ns hi_ns count")
				die("not the latency header \"kind lo_ns hi_ns count\": \"" $0 "\"")
			next
		}
		{
			if (NF != 4 || $1 !~ /^(anon|ksm|file|lazy)$/ || $2 !~ /^[0-9]+$/ ||
			    $3 !~ /^[0-9]+$/ || $4 !~ /^[0-9]+$/)
				die("not \"anon|ksm|file|lazy LO HI COUNT\": \"" $0 "\"")
			# bucket 0 is 0..1 ns, bucket b is 2^b..2^(b+1)-1
			b = 0
			lo = 1
			while (lo < $2 + 0) {
				lo *= 2
				b++
			}
			if ($2 + 0 == 0)
				bad = $3 + 0 != 1
			else
				bad = lo != $2 + 0 || $3 + 1 != 2 * lo || b == 0
			if (bad)
				die("\"" $2 " " $3 "\" is not a log2 bucket (0 1, or 2^b 2^(b+1)-1)")
			print $1, label, b, $4
		}
		END { if (failed) exit 1 }' "$1"
}

# bench-latency-ours-lazy{0,1}.txt -> $T/latency.dat: one row per bucket
# from the first with walks to the last, its label, then the walks of each
# series (regular anon and lazy, of each file, those with walks);
# $T/series: their titles; latency=1. Nothing when neither file exists.
# (Not called as a condition: set -e must stop the run on a bad file.)
latency=0
latency_table() {
	local l0=$docs/bench-latency-ours-lazy0.txt l1=$docs/bench-latency-ours-lazy1.txt
	if [ ! -e "$l0" ] && [ ! -e "$l1" ]; then
		echo "plots: no $l0 nor $l1 (make bench keeps them from its next run): no latency plot"
		return 0
	fi
	{
		latency_data "$l0" 0
		latency_data "$l1" 1
	} > "$T/latency.raw"
	awk '
		$1 == "anon" || $1 == "lazy" {
			s = $1 " " $2
			n[s, $3] += $4
			tot[s] += $4
			if (lo == "" || $3 < lo) lo = $3
			if (hi == "" || $3 > hi) hi = $3
		}
		function unit(ns) {
			if (ns < 1000) return sprintf("%d ns", ns)
			if (ns < 1e6) return sprintf(ns < 1e4 ? "%.1f us" : "%.0f us", ns / 1e3)
			if (ns < 1e9) return sprintf(ns < 1e7 ? "%.1f ms" : "%.0f ms", ns / 1e6)
			return sprintf("%.1f s", ns / 1e9)
		}
		END {
			split("anon 0,lazy 1,anon 1,lazy 0", order, ",")
			for (i = 1; i <= 4; i++)
				if (tot[order[i]]) {
					k = split(order[i], p, " ")
					title = (p[1] == "anon" ? "regular anon" : "lazy") \
						", vm.anon_vma_lazy=" p[2] " (" tot[order[i]] " walks)"
					print title > "'"$T/series"'"
					use[++ns] = order[i]
				}
			if (!ns)
				exit
			for (b = lo; b <= hi; b++) {
				line = unit(b ? 2 ^ b : 0)
				for (i = 1; i <= ns; i++)
					line = line "\t" (n[use[i], b] + 0)
				print line
			}
		}' "$T/latency.raw" > "$T/latency.dat"
	if [ ! -s "$T/latency.dat" ]; then
		echo "plots: $l0, $l1: no regular anon nor lazy walks" >&2
		exit 1
	fi
	latency=1
}

# draw NAME WIDTH HEIGHT: $T/NAME.gp (the plot, its data in $T) to
# $T/NAME.png and $T/NAME.svg
draw() {
	local name=$1 w=$2 h=$3
	if ! gnuplot > "$T/$name.log" 2>&1 <<-EOF; then
		set datafile separator "\t"
		set terminal pngcairo size $w,$h font "DejaVu Sans,10" noenhanced
		set output "$T/$name.png"
		load "$T/$name.gp"
		unset output
		set terminal svg size $w,$h font "DejaVu Sans,10" noenhanced background rgb "white"
		set output "$T/$name.svg"
		load "$T/$name.gp"
		unset output
	EOF
		cat "$T/$name.log" >&2
		echo "plots: gnuplot failed on $name" >&2
		exit 1
	fi
}

# the style of every figure: clustered bars from 0, a bar per series
bars() {
	cat <<-EOF
		set style data histograms
		set style histogram clustered gap 1
		set style fill solid 0.85 border -1
		set boxwidth 0.9
		set grid ytics
		set key top left
		set yrange [0:*]
	EOF
}

slab_data
overhead_data
{
	bars
	cat <<-EOF
		set title "anon_vma and anon_vma_chain objects a workload holds, vm.anon_vma_lazy 0 and 1 ($docs/bench-slab.md)"
		set ylabel "objects (active, workload minus before)"
		set offsets 0, 0, graph 0.12, 0
		# bar i of 4 in the cluster at x: x + (i - 1.5) / 5
		plot "$T/slab.dat" using 2:xtic(1) title "anon_vma, lazy 0" lc rgb "#4477aa", \\
			'' using 3 title "anon_vma, lazy 1" lc rgb "#88ccee", \\
			'' using 4 title "anon_vma_chain, lazy 0" lc rgb "#aa3377", \\
			'' using 5 title "anon_vma_chain, lazy 1" lc rgb "#ee99aa", \\
			'' using (\$0 - 0.3):2:(strcol(2)) with labels offset 0,0.7 notitle, \\
			'' using (\$0 - 0.1):3:(strcol(3)) with labels offset 0,0.7 notitle, \\
			'' using (\$0 + 0.1):4:(strcol(4)) with labels offset 0,0.7 notitle, \\
			'' using (\$0 + 0.3):5:(strcol(5)) with labels offset 0,0.7 notitle
	EOF
} > "$T/bench-slab.gp"
draw bench-slab 1000 520

# one cluster per kernel, workload and vm.anon_vma_lazy, its label on
# lines (the kernel's section, then the workload split at its commas); a
# bar per tool
mapfile -t tools < "$T/tools"
colors=("#bbbbbb" "#4477aa" "#88ccee" "#228833" "#cc6677" "#ddcc77" "#aa3377")
{
	bars
	cat <<-'EOF'
		lines(s) = (i = strstrt(s, ", "), i ? s[1:i - 1]."\n".lines(s[i + 2:]) : s)
		set key inside top left horizontal maxrows 2 opaque
		set offsets 0, 0, graph 0.25, 0
		set bmargin 6
		set ylabel "time / time with nothing attached (medians)"
		set arrow from graph 0, first 1.02 to graph 1, first 1.02 nohead dt 2 lc rgb "#555555"
	EOF
	echo "set xrange [-0.6:$(($(wc -l < "$T/overhead.dat") - 1)).6]"
	echo "set title \"The cost of counting: each tool's time over the time with nothing attached ($docs/bench-overhead.md)\""
	line="plot \"$T/overhead.dat\" using 4:xtic(strcol(1).\"\\n\".lines(strcol(2)).\"\\nlazy \".strcol(3)) title \"unloaded\" lc rgb \"${colors[0]}\""
	for i in "${!tools[@]}"; do
		line="$line, '' using $((i + 5)) title \"${tools[$i]}\" lc rgb \"${colors[$((i + 1))]}\""
	done
	echo "$line, NaN with lines dt 2 lc rgb \"#555555\" title \"1.02: the module's target\""
} > "$T/bench-overhead.gp"
draw bench-overhead 1200 560

made=(bench-slab bench-overhead)
latency_table
if [ $latency -eq 1 ]; then
	mapfile -t series < "$T/series"
	{
		bars
		echo "set title \"rmap walk latency, our kernel, the last loaded pageout run: regular anon beside lazy\\n($docs/bench-latency-ours-lazy{0,1}.txt)\""
		echo 'set offsets 0, 0, graph 0.1, 0'
		echo 'set xlabel "walk duration: log2 bucket, its lower bound"'
		echo 'set ylabel "walks"'
		echo 'set key top right'
		echo 'set xtics rotate by -45 font ",9"'
		line="plot \"$T/latency.dat\" using 2:xtic(1) title \"${series[0]}\" lc rgb \"#4477aa\""
		c=("#4477aa" "#ee6677" "#88ccee" "#ccbb44")
		for ((i = 1; i < ${#series[@]}; i++)); do
			line="$line, '' using $((i + 2)) title \"${series[$i]}\" lc rgb \"${c[$i]}\""
		done
		echo "$line"
	} > "$T/bench-latency.gp"
	draw bench-latency 1000 520
	made+=(bench-latency)
fi

mkdir -p "$out"
for n in "${made[@]}"; do
	for e in png svg; do
		[ -s "$T/$n.$e" ] || { echo "plots: gnuplot wrote no $n.$e" >&2; exit 1; }
		mv "$T/$n.$e" "$out/$n.$e"
	done
	echo "plots: $out/$n.png, $out/$n.svg"
done
