#!/usr/bin/env bash
# recap ps / caps / stop against a running scenario: an idle component is
# started under a name, listed, its capability space printed, the scenario
# stopped, and recap run returns; then once more, ended by SIGTERM. Everything printed is compared
# exactly with control_test.expected (kernel object ids are deterministic: the
# same objects are created in the same order on every run).
set -u
cd "$(dirname "$0")/../.."
B=${B:-build}
RECAP=${RECAP:-$B/recap}
export RECAP_RUNTIME_DIR=$(mktemp -d)
# Badges are printed: the same in every run (core/rpc_server.c).
export RECAP_BADGE_EPOCH=0
trap 'rm -rf "$RECAP_RUNTIME_DIR"' EXIT
out=$(mktemp)
{
	"$RECAP" run --name ctl apps/idle/idle.xml > "$out.run" 2> "$out.runerr" &
	run=$!
	for i in $(seq 100); do
		[ -S "$RECAP_RUNTIME_DIR/ctl.sock" ] && break
		sleep 0.05
	done
	# Let the component print (and so open its LOG session) before we look.
	for i in $(seq 100); do
		grep -q waiting "$out.run" && break
		sleep 0.05
	done
	echo "== ps"
	"$RECAP" ps --name ctl
	echo "== caps idle"
	"$RECAP" caps --name ctl idle
	echo "== caps nobody"
	"$RECAP" caps --name ctl nobody 2>&1; echo "exit $?"
	echo "== ps, wrong name"
	"$RECAP" ps --name nosuch 2>&1; echo "exit $?"
	echo "== stop"
	"$RECAP" stop --name ctl; echo "exit $?"
	timeout 10 tail --pid=$run -f /dev/null || { kill -9 $run; echo "stop did not end it"; }
	wait $run; echo "run exit $?"
	echo "== run output"
	sort "$out.run"
	echo "== SIGTERM"
	: > "$out.run"	# before the start: no old line may pass for a new one
	"$RECAP" run --name ctl apps/idle/idle.xml > "$out.run" 2> "$out.runerr" &
	run=$!
	for i in $(seq 100); do
		[ -S "$RECAP_RUNTIME_DIR/ctl.sock" ] && grep -q waiting "$out.run" && break
		sleep 0.05
	done
	kill -TERM $run
	timeout 10 tail --pid=$run -f /dev/null || { kill -9 $run; echo "SIGTERM did not end it"; }
	wait $run; echo "run exit $?"
	[ -e "$RECAP_RUNTIME_DIR/ctl.sock" ] && echo "socket left behind"
} > "$out" 2>&1
if diff -u tests/scenarios/control_test.expected "$out"; then
	echo "ok   control_test"; rc=0
else
	echo "FAIL control_test"; cat "$out.runerr"; rc=1
fi
rm -f "$out" "$out.run" "$out.runerr"
exit $rc
