#!/usr/bin/env bash
# Checkpoint / restore of a real component with the real cr: a counter
# (100 ms, limit 15; tests/scenarios/cr_counter.xml) under cr.
#
#  1. checkpoint --stop (an image not compressed, --no-compress), the
#     system ended, the image restored into a fresh
#     system (cr_empty.xml): the counter goes on at exactly the next
#     number, and the two runs' output together is count: 1 .. 15; the
#     restored child's capability space is equivalent to the original's
#     (`recap inspect --check-against`), with no label translated.
#  2. checkpoint without --stop, restored beside the running original with
#     --as copy: the original counts 1 .. 15 undisturbed, the copy from
#     the checkpointed number + 1 to 15; equivalent, cr's objects under new
#     labels. A component that is no restore of the image is not
#     equivalent (its thread gate's label differs).
#  3. error paths that need the real cr, each one line and exit 1, the
#     scenario running on: unknown label, a stopped child, a restore whose
#     name exists, an image of the stand-in cr_echo (valid as a file, not
#     a checkpoint cr can restore), a child RAM quota too small for the
#     image (cr_small.xml: no half-made child left, a second try changes
#     nothing).
#  4. rpc_client under cr, its Hello session from rpc_server beside cr
#     (cr_rpc_client.xml), restored where there is no Hello service: one
#     line, exit 1, no child left.
#  5. progress on a terminal (script(1)) for checkpoint and restore: a
#     rising percentage up to 100 %, then the line cleared.
#
# Everything printed is compared exactly with cr_counter_test.expected;
# lines are polled for, never slept for; every wait is bounded.
# KEEP=DIR keeps the images in DIR.
set -u
cd "$(dirname "$0")/../.."
B=${B:-build}
RECAP=${RECAP:-$B/recap}
LIMIT=15
export RECAP_RUNTIME_DIR=$(mktemp -d)
dir=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill -KILL $p 2> /dev/null; done;
      [ -n "${KEEP:-}" ] && cp "$dir"/*.img "$KEEP"; rm -rf "$RECAP_RUNTIME_DIR" "$dir"' EXIT
out=$dir/out

# r ARGS: recap, never longer than 30 s.
r() {
	timeout -s KILL 30 "$RECAP" "$@"
}

# start NAME CONFIG: recap run in the background until its socket is there
# and cr says nothing is wrong (its first ps answers).
start() {
	timeout -s KILL 60 "$RECAP" run --name "$1" "$2" > "$dir/$1.run" \
		2> "$dir/$1.runerr" &
	pids+=($!)
	eval "run_$1=$!"
	for i in $(seq 400); do
		[ -S "$RECAP_RUNTIME_DIR/$1.sock" ] && r ps --name "$1" > /dev/null 2>&1 &&
			return
		sleep 0.025
	done
	echo "$1 did not start"
}

# poll CMD...: until CMD succeeds (10 s); fails if it never does.
poll() {
	for i in $(seq 400); do
		"$@" && return 0
		sleep 0.025
	done
	return 1
}

# wait_line NAME LINE: until the log of NAME has exactly that line.
wait_line() {
	poll grep -qxF "$2" "$dir/$1.run" || echo "no line '$2' in $1"
}

# wait_has NAME TEXT: until the log of NAME has a line with TEXT.
wait_has() {
	poll grep -qF "$2" "$dir/$1.run" || echo "no '$2' in $1"
}

# last NAME LABEL: the last count of LABEL in NAME's log.
last() {
	local n=$(grep "^\[cr -> $2\] count: " "$dir/$1.run" | tail -1)
	echo "${n##*: }"
}

# counts NAME LABEL: LABEL's counts in NAME's log, one per line.
counts() {
	grep "^\[cr -> $2\] " "$dir/$1.run" | sed 's/^\[[^]]*\] count: //'
}

# unlisted NAME LABEL: `recap ps` does not list the component.
unlisted() {
	! r ps --name "$1" | grep -q "^$2 "
}

# gone NAME LABEL: until `recap ps` no longer lists the component.
gone() {
	poll unlisted "$1" "$2" || echo "$2 still running"
}

stop() {
	local pid
	eval "pid=\$run_$1"
	r stop --name "$1"; echo "stop exit $?"
	wait $pid; echo "run exit $?"
}

# cmd ARGS: a recap command, its stdout and stderr (2>&1) and exit status.
cmd() {
	r "$@" 2>&1; echo "exit $?"
}

# labels NAME: the components of NAME, one per line.
labels() {
	r ps --name "$1" | tail -n +2 | sed -E 's/( +[0-9]+){4}$//'
}

# progress WHAT CMD...: CMD on a terminal; its progress line checked.
progress() {
	local what=$1
	shift
	script -qec "$*" /dev/null > "$dir/tty" 2>&1
	echo "exit $?"
	# ^Mcheckpoint:  42% ... ^M^[[K: the percentages rise to 100.
	tr '\r' '\n' < "$dir/tty" | awk -v what="$what" '
		$0 == "\033[K" { cleared = 1; next }
		$1 == what ":" { p = $2 + 0; if (p <= prev) bad = 1; prev = p; n++; next }
		NF { other = other $0 " " }
		END {
			if (other != "") print "unexpected: " other
			if (bad || n < 2 || prev != 100 || !cleared)
				print what ": bad progress line"
			else
				print what ": rising to 100%, then cleared"
		}'
}

{
	echo "== 1. checkpoint --stop, restore into a fresh system"
	start t tests/scenarios/cr_counter.xml
	wait_line t "[cr -> counter] count: 3"
	cmd checkpoint --name t counter -o "$dir/a.img" --stop --no-compress
	r inspect "$dir/a.img" | sed -n 2p | sed -E 's/id 0x[0-9a-f]+, [0-9]+ bytes, //'
	n=$(last t counter)
	echo "== a stopped child: no second checkpoint; unknown label"
	cmd checkpoint --name t counter -o "$dir/x.img"
	cmd checkpoint --name t nosuch -o "$dir/x.img"
	[ -e "$dir/x.img" ] && echo "x.img written"
	stop t
	[ "$(last t counter)" = "$n" ] || echo "the stopped counter went on"
	start u tests/scenarios/cr_empty.xml
	cmd restore --name u "$dir/a.img"
	wait_line u "[cr -> counter] count: $((n + 1))"
	cmd checkpoint --name u counter -o "$dir/ar.img"
	cmd inspect --check-against "$dir/a.img" "$dir/ar.img"
	wait_line u "[cr -> counter] count: $LIMIT"
	gone u "cr -> counter"
	labels u
	stop u
	echo "== counts of both runs"
	{ counts t counter; counts u counter; } > "$dir/both"
	seq $LIMIT | diff - "$dir/both" && echo "count: 1 .. $LIMIT, each once"

	echo "== 2. a copy beside the running original"
	start t tests/scenarios/cr_counter.xml
	wait_line t "[cr -> counter] count: 3"
	lo=$(last t counter)
	progress checkpoint "$RECAP checkpoint --name t counter -o $dir/b.img"
	hi=$(last t counter)
	progress restore "$RECAP restore --name t $dir/b.img --as copy"
	cmd checkpoint --name t copy -o "$dir/bc.img"
	cmd inspect --check-against "$dir/b.img" "$dir/bc.img"
	echo "== not a restore of it: the counter of the first system"
	r inspect --check-against "$dir/a.img" "$dir/b.img" |
		sed -E 's/0x[0-9a-f]{9,}/LABEL/g'
	echo "exit ${PIPESTATUS[0]}"
	echo "== names taken"
	cmd restore --name t "$dir/b.img"
	cmd restore --name t "$dir/b.img" --as copy
	echo "== an image cr cannot restore: cr_echo's"
	start e apps/cr_echo/cr_echo.xml
	wait_line e "[cr_echo] cr_echo: ready"
	cmd checkpoint --name e counter -o "$dir/echo.img"
	stop e > /dev/null
	cmd restore --name t "$dir/echo.img"
	wait_line t "[cr -> counter] count: $LIMIT"
	wait_line t "[cr -> copy] count: $LIMIT"
	gone t "cr -> counter"
	gone t "cr -> copy"
	labels t
	stop t
	echo "== counts of the original and the copy"
	counts t counter | diff <(seq $LIMIT) - && echo "counter: 1 .. $LIMIT"
	first=$(counts t copy | head -1)
	counts t copy | diff <(seq "$first" $LIMIT) - &&
		[ "$first" -gt "$lo" ] && [ "$first" -le $((hi + 1)) ] &&
		echo "copy: from the checkpointed count + 1 to $LIMIT"
	grep -v '^\[cr -> \(counter\|copy\)\] count: ' "$dir/t.run"

	echo "== 3. a child RAM quota too small for the image"
	start q tests/scenarios/cr_small.xml
	cmd restore --name q "$dir/a.img"
	labels q
	r ps --name q > "$dir/ps1"
	cmd restore --name q "$dir/a.img"
	r ps --name q | diff "$dir/ps1" - && echo "ps unchanged"
	cmd checkpoint --name q counter -o "$dir/x.img"
	stop q
	cat "$dir/q.run"

	echo "== 4. a service the new system does not provide"
	start h tests/scenarios/cr_rpc_client.xml
	wait_has h "[cr -> rpc_client] rpc_client: loop 1/"
	cmd checkpoint --name h rpc_client -o "$dir/h.img"
	stop h
	start u tests/scenarios/cr_empty.xml
	cmd restore --name u "$dir/h.img"
	labels u
	stop u
} > "$out" 2>&1
if diff -u tests/scenarios/cr_counter_test.expected "$out"; then
	echo "ok   cr_counter_test"; rc=0
else
	echo "FAIL cr_counter_test"; cat "$dir"/*.runerr; rc=1
fi
exit $rc
