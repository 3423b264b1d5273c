#!/usr/bin/env bash
# Run every kernel system test: each driver is the root task of its own
# recapd; the test passes if recapd exits 0 and, where
# tests/sys/expected/<name>.out exists, its standard output is exactly that.
set -u
cd "$(dirname "$0")/../.."
B=${B:-build}
RECAPD=${RECAPD:-$B/recapd}
fail=0
# A sanitizer report makes recapd exit non-zero: such a run fails.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:exitcode=99}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
if [ -z "${SKIP_HOST_TEST:-}" ] && [ -x "$B/tests/sys/test_host" ]; then
	echo "== test_host (substrate)"
	RECAP_STUB=$B/stub timeout 120 "$B/tests/sys/test_host" || { echo "FAIL test_host"; fail=1; }
fi
for drv in "$B"/tests/sys/sys_*; do
	name=$(basename "$drv")
	out=$(mktemp) err=$(mktemp)
	echo "== $name"
	timeout 120 "$RECAPD" --stub "$B/stub" "$drv" >"$out" 2>"$err"
	rc=$?
	if [ $rc -ne 0 ]; then
		echo "FAIL $name: exit status $rc"; cat "$out" "$err" | tail -30; fail=1
	elif [ -f "tests/sys/expected/$name.out" ] && ! diff -u "tests/sys/expected/$name.out" "$out"; then
		echo "FAIL $name: output differs"; tail -20 "$err"; fail=1
	else
		echo "ok   $name"
	fi
	rm -f "$out" "$err"
done
exit $fail
