#!/usr/bin/env bash
# A child with a managed dataspace under cr (tests/scenarios/rm_managed_cr.xml:
# rm_managed with window_only): cr does not checkpoint managed dataspaces
# yet, so a checkpoint is refused with the reason, no image is written, and
# the child and cr run on; a second try is refused the same way. Output
# compared exactly; every wait bounded.
set -u
cd "$(dirname "$0")/../.."
B=${B:-build}
RECAP=${RECAP:-$B/recap}
export RECAP_RUNTIME_DIR=$(mktemp -d)
dir=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill -KILL $pid 2> /dev/null;
      rm -rf "$RECAP_RUNTIME_DIR" "$dir"' EXIT

r() {
	timeout -s KILL 30 "$RECAP" "$@"
}

timeout -s KILL 60 "$RECAP" run --name rmcr tests/scenarios/rm_managed_cr.xml \
	> "$dir/run" 2> "$dir/err" &
pid=$!
for i in $(seq 400); do
	grep -qxF "[cr -> rm_managed] idling with a window" "$dir/run" && break
	sleep 0.025
done
{
	for try in 1 2; do
		r checkpoint --name rmcr rm_managed -o "$dir/x.img" 2>&1
		echo "exit $?"
	done
	[ -e "$dir/x.img" ] && echo "an image was written"
	r ps --name rmcr | tail -n +2 | sed -E 's/( +[0-9]+){4}$//'
	r stop --name rmcr
	echo "stop exit $?"
	wait $pid
	echo "run exit $?"
	pid=
	grep -c "^\[cr -> rm_managed\]" "$dir/run"
} > "$dir/got"
if diff -u - "$dir/got" <<'END'
recap: cr 'cr': memory at 0x60000000 is a managed dataspace, which cr cannot checkpoint yet
exit 1
recap: cr 'cr': memory at 0x60000000 is a managed dataspace, which cr cannot checkpoint yet
exit 1
cr -> rm_managed
cr
stop exit 0
run exit 0
19
END
then
	echo "ok   rm_managed_cr_test"
else
	echo "FAIL rm_managed_cr_test"; cat "$dir/err"; exit 1
fi
