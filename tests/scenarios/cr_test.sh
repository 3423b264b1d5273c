#!/usr/bin/env bash
# recap checkpoint / restore through core's CR service, against apps/cr_echo
# (a stand-in for cr that answers from the request, with a real child of its
# own that core knows as "cr_echo -> counter"): a checkpoint written to
# an image and restored (the bytes cr_echo built come back to it), --stop and
# --as passed on, progress drawn on a terminal only, and every error path —
# bad usage, no such scenario, unknown label, a component under no cr, an
# unwritable output, corrupt / truncated / foreign images (refused before
# the scenario hears of them: cr_echo logs nothing), a busy cr, a cr that
# does not answer (RECAP_CR_TIMEOUT_MS shortens the minute), a cr that ends
# instead of answering, no cr left, and two crs, each with a child
# "counter", to choose from. Everything
# printed is compared exactly with cr_test.expected.
set -u
cd "$(dirname "$0")/../.."
B=${B:-build}
RECAP=${RECAP:-$B/recap}
export RECAP_RUNTIME_DIR=$(mktemp -d)
export RECAP_CR_TIMEOUT_MS=1500
dir=$(mktemp -d)
trap 'rm -rf "$RECAP_RUNTIME_DIR" "$dir"' EXIT
out=$dir/out

# start NAME CONFIG LINES: recap run in the background until LINES lines
# of the log say "ready" or "waiting".
start() {
	: > "$dir/$1.run"
	"$RECAP" run --name "$1" "$2" > "$dir/$1.run" 2> "$dir/$1.runerr" &
	run=$!
	for i in $(seq 200); do
		[ -S "$RECAP_RUNTIME_DIR/$1.sock" ] &&
			[ "$(grep -c -E 'ready|waiting' "$dir/$1.run")" -ge "$3" ] && break
		sleep 0.05
	done
}

# wait_log NAME TEXT: until the log of NAME has a line with TEXT.
wait_log() {
	for i in $(seq 200); do
		grep -q "$2" "$dir/$1.run" && break
		sleep 0.05
	done
}

stop() {
	"$RECAP" stop --name "$1"; echo "stop exit $?"
	timeout 10 tail --pid=$run -f /dev/null || { kill -9 $run; echo "stop did not end it"; }
	wait $run; echo "run exit $?"
}

# cmd ARGS: a recap command, its stdout and stderr (2>&1) and exit status.
cmd() {
	"$RECAP" "$@" 2>&1; echo "exit $?"
}

{
	echo "== usage"
	"$RECAP" checkpoint --help | head -1
	"$RECAP" restore --help | head -1
	cmd checkpoint --name t counter
	cmd checkpoint --name t -o "$dir/x.img"
	cmd checkpoint --name t counter -o "$dir/x.img" --bogus
	cmd restore --name t
	cmd restore --name t a.img b.img

	start t apps/cr_echo/cr_echo.xml 3
	echo "== checkpoint, by the name cr knows"
	cmd checkpoint --name t counter -o "$dir/ck.img"
	[ -s "$dir/ck.img" ] && echo "ck.img written"
	echo "== checkpoint --stop, by the full name"
	cmd checkpoint --name t "cr_echo -> counter" -o "$dir/ck2.img" --stop
	echo "== restore, restore --as"
	cmd restore --name t "$dir/ck.img"
	cmd restore --name t "$dir/ck2.img" --as copy
	echo "== unknown label, not under a cr, no such scenario, unwritable output"
	cmd checkpoint --name t nosuch -o "$dir/x.img"
	cmd checkpoint --name t idle -o "$dir/x.img"
	cmd checkpoint --name nosuch counter -o "$dir/x.img"
	cmd restore --name nosuch "$dir/ck.img"
	cmd checkpoint --name t counter -o "$dir/none/x.img" | sed "s|$dir|DIR|"
	[ -e "$dir/x.img" ] && echo "x.img left behind"
	echo "== corrupt, truncated, foreign images"
	cp "$dir/ck.img" "$dir/bad.img"
	printf 'X' | dd of="$dir/bad.img" bs=1 seek=100 conv=notrunc status=none
	cmd restore --name t "$dir/bad.img" | sed "s|$dir|DIR|"
	head -c 60 "$dir/ck.img" > "$dir/short.img"
	cmd restore --name t "$dir/short.img" | sed "s|$dir|DIR|"
	cmd restore --name t apps/cr_echo/cr_echo.xml
	cmd restore --name t "$dir/nofile.img" | sed "s|$dir|DIR|"
	echo "== progress on a terminal"
	script -qec "$RECAP checkpoint --name t counter -o $dir/ck3.img" /dev/null | cat -v
	echo; echo "exit ${PIPESTATUS[0]}"
	echo "== busy, then no answer"
	"$RECAP" checkpoint --name t silent -o "$dir/s.img" > "$dir/silent.out" 2>&1 &
	bg=$!
	wait_log t "not answering"
	cmd checkpoint --name t counter -o "$dir/x.img"
	wait $bg; echo "silent exit $?"
	cat "$dir/silent.out"
	[ -e "$dir/s.img" ] && echo "s.img written"
	echo "== free again"
	cmd checkpoint --name t counter -o "$dir/ck4.img"
	echo "== a command that gives up frees the cr"
	"$RECAP" checkpoint --name t silent -o "$dir/s.img" > /dev/null 2>&1 &
	bg=$!
	# Until cr_echo has taken it (the first one's line is there already).
	for i in $(seq 200); do
		[ "$(grep -c 'not answering' "$dir/t.run")" -ge 2 ] && break
		sleep 0.05
	done
	kill -KILL $bg; wait $bg 2> /dev/null
	cmd checkpoint --name t counter -o "$dir/ck5.img"
	echo "== the cr ends instead of answering"
	cmd checkpoint --name t exit -o "$dir/x.img"
	cmd checkpoint --name t counter -o "$dir/x.img"
	cmd restore --name t "$dir/ck.img"
	stop t
	echo "== log of t"
	grep '^\[cr_echo\]' "$dir/t.run"
	grep '^\[cr_echo -> counter\]' "$dir/t.run"
	grep '^\[idle\]' "$dir/t.run"

	start two apps/cr_echo/cr_echo_two.xml 4
	echo "== two crs"
	cmd checkpoint --name two nosuch -o "$dir/x.img"
	cmd checkpoint --name two counter -o "$dir/x.img"
	cmd checkpoint --name two "cr_b -> counter" -o "$dir/ck5.img"
	cmd restore --name two "$dir/ck5.img"
	cmd restore --name two "$dir/ck5.img" --as "cr_a -> copy"
	stop two
	echo "== log of two"
	grep '^\[cr_a\]' "$dir/two.run"
	grep '^\[cr_b\]' "$dir/two.run"
	grep -c '^\[cr_[ab] -> counter\] idle: waiting' "$dir/two.run"
} > "$out" 2>&1
if diff -u tests/scenarios/cr_test.expected "$out"; then
	echo "ok   cr_test"; rc=0
else
	echo "FAIL cr_test"; cat "$dir"/*.runerr; rc=1
fi
exit $rc
