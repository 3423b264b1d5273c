#!/usr/bin/env bash
# The checkpoint/restore demo of `make demo`: a counter under cr is
# checkpointed and stopped, its whole system ended, and the image restored
# into a new system, where the counter goes on at the next number. Each
# step is printed with the command that does it. A few seconds.
set -u
cd "$(dirname "$0")/.."
B=${B:-build}
RECAP=$B/recap
export RECAP_RUNTIME_DIR=$(mktemp -d)
dir=$(mktemp -d)
img=$dir/counter.img
pids=()
trap 'for p in "${pids[@]}"; do kill -KILL $p 2> /dev/null; done;
      rm -rf "$RECAP_RUNTIME_DIR" "$dir"' EXIT

step() {
	echo "-- $*"
}

# run NAME CONFIG: the scenario in the background, its log shown as it
# comes and kept in $dir/NAME.log.
run() {
	timeout -s KILL 30 "$RECAP" run --name "$1" "$2" 2>&1 | tee "$dir/$1.log" &
	pids+=($!)
	for i in $(seq 400); do
		[ -S "$RECAP_RUNTIME_DIR/$1.sock" ] && return
		sleep 0.025
	done
	echo "the scenario did not start" >&2
	exit 1
}

# wait_line NAME TEXT: until NAME's log has a line with TEXT.
wait_line() {
	for i in $(seq 400); do
		grep -qF "$2" "$dir/$1.log" && return
		sleep 0.025
	done
	echo "no '$2' in the log" >&2
	exit 1
}

# stop NAME: end the scenario and wait for recap run to return.
stop() {
	timeout -s KILL 10 "$RECAP" stop --name "$1"
	wait
}

step "recap run --name one tests/scenarios/cr_counter.xml &"
step "   (cr, the checkpoint/restore component, starts a counter as its child;"
step "    the counter counts every 100 ms up to 15)"
run one tests/scenarios/cr_counter.xml
wait_line one "count: 4"
step "recap checkpoint --name one counter -o counter.img --stop"
"$RECAP" checkpoint --name one counter -o "$img" --stop || exit 1
step "   (the counter is saved and stays stopped: it counts no more)"
step "recap stop --name one    (the whole system ends)"
stop one
step "recap inspect counter.img    (what the image holds, in part)"
"$RECAP" inspect "$img" | grep -E '^  (target|thread 0|session [0-9]+ (Timer|LOG))'
step "recap run --name two tests/scenarios/cr_empty.xml &"
step "   (a new system: a cr with no children)"
run two tests/scenarios/cr_empty.xml
step "recap restore --name two counter.img"
"$RECAP" restore --name two "$img" || exit 1
step "   (the counter goes on at the next number, in the new system)"
wait_line two "count: 15"
stop two
