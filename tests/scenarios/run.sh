#!/usr/bin/env bash
# Scenario tests: whole systems booted with `recap run`, judged by their
# output (as Genode's run scripts judge a scenario by its log).
#
# For each tests/scenarios/NAME.out or NAME.err, the scenario is
# tests/scenarios/NAME.xml if there is one, else apps/NAME/NAME.xml.
#
#  NAME.out  recap run must exit 0 (or the status in NAME.status, e.g. 3
#            for a scenario in which a component crashes or exits with a
#            non-zero value) and its stdout must be exactly this.
#            If the config contains the comment "check: by-label", both
#            sides are compared grouped by label instead: a stable sort on
#            the "[label]" prefix, which keeps each component's lines in
#            their order but not how concurrent components interleave
#            (that is the host scheduler's business).
#            "@APP:SYMBOL@" stands for the address of SYMBOL in
#            $B/apps/APP, as 0x..., e.g. the ip of a faulting instruction.
#  NAME.err  recap run must exit non-zero and every line of this file must
#            occur in its stderr.
#
# Each run is bounded by $TIMEOUT seconds (default 60). A sanitizer report
# (recapd or core built with ASan+UBSan, see mk/core.mk) makes the run exit
# non-zero, which fails a .out test.
set -u
cd "$(dirname "$0")/../.."
B=${B:-build}
RECAP=${RECAP:-$B/recap}
TIMEOUT=${TIMEOUT:-60}
fail=0
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:exitcode=99}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}

config_of() {
	if [ -f "tests/scenarios/$1.xml" ]; then
		echo "tests/scenarios/$1.xml"
	elif [ -f "apps/$1/$1.xml" ]; then
		echo "apps/$1/$1.xml"
	fi
}

# Replace each @APP:SYMBOL@ with SYMBOL's address in $B/apps/APP.
expand_symbols() {
	local script="" ref app sym addr
	for ref in $(grep -o '@[A-Za-z0-9_-]*:[A-Za-z0-9_]*@' "$1" | sort -u); do
		app=${ref#@}; app=${app%%:*}
		sym=${ref#*:}; sym=${sym%@}
		addr=$(nm "$B/apps/$app" 2>/dev/null | awk -v s="$sym" '$3 == s { print $1 }')
		if [ -z "$addr" ]; then
			echo "no symbol $sym in $B/apps/$app" >&2
			return 1
		fi
		script+="s|$ref|$(printf '0x%x' "0x$addr")|g;"
	done
	sed -e "$script" "$1"
}

by_label() {
	sort -s -t']' -k1,1
}

for expected in tests/scenarios/*.out tests/scenarios/*.err; do
	[ -e "$expected" ] || continue
	name=$(basename "${expected%.*}")
	kind=${expected##*.}
	config=$(config_of "$name")
	if [ -z "$config" ]; then
		echo "FAIL $name: no tests/scenarios/$name.xml or apps/$name/$name.xml"
		fail=1
		continue
	fi
	out=$(mktemp) err=$(mktemp) want=$(mktemp)
	echo "== $name ($config)"
	timeout "$TIMEOUT" "$RECAP" run "$config" >"$out" 2>"$err"
	rc=$?
	status=0
	[ -f "tests/scenarios/$name.status" ] && status=$(cat "tests/scenarios/$name.status")
	if [ "$kind" = out ]; then
		if ! expand_symbols "$expected" >"$want"; then
			echo "FAIL $name: cannot expand $expected"; fail=1
		elif [ $rc -ne "$status" ]; then
			echo "FAIL $name: exit status $rc, expected $status"; tail -n 20 "$out" "$err"; fail=1
		elif grep -q 'check: by-label' "$config"; then
			if ! diff -u <(by_label <"$want") <(by_label <"$out"); then
				echo "FAIL $name: output differs (grouped by label)"; tail -n 20 "$err"; fail=1
			else
				echo "ok   $name"
			fi
		elif ! diff -u "$want" "$out"; then
			echo "FAIL $name: output differs"; tail -n 20 "$err"; fail=1
		else
			echo "ok   $name"
		fi
	else
		missing=0
		while IFS= read -r line; do
			grep -qF -- "$line" "$err" || { echo "stderr lacks: $line"; missing=1; }
		done <"$expected"
		if [ $rc -eq 0 ] || [ $rc -eq 124 ]; then
			echo "FAIL $name: exit status $rc, expected a failure"; cat "$err"; fail=1
		elif [ $missing -ne 0 ]; then
			echo "FAIL $name: stderr was:"; cat "$err"; fail=1
		else
			echo "ok   $name"
		fi
	fi
	rm -f "$out" "$err" "$want"
done
exit $fail
