#!/usr/bin/env bash
# Restoring a server under its clients (docs/cr.md, "Restoring a server
# under its clients"): rpc_server under cr, its Hello service announced at
# core by cr with the server's own root; rpc_client beside cr
# (cr_server.xml) calls the server's session and two counters of the
# server's in a loop (loops="20" period_ms="250"). Mid-way the server is
# checkpointed with --stop, left stopped a while (the client's next call
# waits: a stopped thread takes no message), and replaced by its restore
# (`recap restore --replace`): the original's PD ends, its entrypoint
# gates — the client's session, its counters, the announced root — are
# held by core, bound to the restored threads, and hand them the waiting
# call. The client is not restarted or told.
#
# Judged by output: the client's lines are exactly those of an undisturbed
# run (every call answered once, in order, from the server's restored
# state); the server's lines, the original's and the restored one's
# together, too; while stopped, the client printed nothing; the restored
# server is a new task under the same label; a checkpoint of it is
# equivalent to the image (`recap inspect --check-against`: its gates at
# the same slots with the same labels). Both checkpoints compared are
# taken while the client sleeps between two rounds of calls: a receive
# slot holds the capability the server received last (IDENTIFY passes
# counter 1, then counter 2), so one taken mid-round differs by that
# (the period is long enough for a checkpoint started after a round's
# line to stop the server before the next round). Errors: --replace of
# a running child, one line, exit 1, nothing changed.
#
# Everything printed is compared with cr_server_test.expected. Lines are
# polled for, every wait is bounded. KEEP=DIR keeps the images in DIR.
set -u
cd "$(dirname "$0")/../.."
B=${B:-build}
RECAP=${RECAP:-$B/recap}
export RECAP_BOOT_DIR=${RECAP_BOOT_DIR:-$B/apps}
. tests/scenarios/cr_lib.sh
cr_setup
S=tests/scenarios

# same WHAT LABEL: LABEL's lines in run "orig" against the undisturbed run.
same() {
	lines orig "$2" > "$dir/a"
	lines full "$2" > "$dir/b"
	if [ -s "$dir/b" ] && cmp -s "$dir/a" "$dir/b"; then
		echo "$1: the undisturbed run's lines ($(wc -l < "$dir/b"))"
	else
		echo "$1: differ from the undisturbed run:"
		diff "$dir/b" "$dir/a"
	fi
}

# task LABEL: the task of component LABEL in run "orig" (recap ps).
task() {
	"$RECAP" ps --name orig | awk -v l="$1" '
		{ t = $(NF - 3); $NF = $(NF - 1) = $(NF - 2) = $(NF - 3) = "";
		  sub(/ +$/, ""); if ($0 == l) print t }'
}

{
	echo "== undisturbed"
	start full $S/cr_server.xml
	wait_log full 'session "rpc_client -> hello" closed'
	stop full
	lines full rpc_client | tail -3

	echo "== the server replaced by its restore, under its client"
	start orig $S/cr_server.xml
	wait_log orig "[rpc_client] rpc_client: loop 5/"
	t0=$(task "cr -> rpc_server")
	cmd "checkpoint --stop" checkpoint --name orig rpc_server \
		-o "$dir/server.c1.img" --stop
	n0=$(lines orig rpc_client | wc -l)
	sleep 0.75	# three of the client's periods: its next call waits
	n1=$(lines orig rpc_client | wc -l)
	if [ "$n0" = "$n1" ]; then
		echo "while the server is stopped, the client waits"
	else
		echo "while the server is stopped, the client went on: $n0 -> $n1 lines"
	fi
	cmd "restore --replace" restore --name orig "$dir/server.c1.img" --replace
	t1=$(task "cr -> rpc_server")
	if [ -n "$t0" ] && [ -n "$t1" ] && [ "$t0" != "$t1" ]; then
		echo "cr -> rpc_server: one component, a new task"
	else
		echo "cr -> rpc_server: task $t0 before, '$t1' after"
	fi
	cmd "restore --replace, running" restore --name orig \
		"$dir/server.c1.img" --replace
	# the round the client was waiting in, answered by the restore
	for i in $(seq 600); do
		[ "$(lines orig rpc_client | wc -l)" -gt "$n1" ] && break
		sleep 0.01
	done
	cmd "checkpoint" checkpoint --name orig rpc_server -o "$dir/server.c2.img"
	cmd "check-against" inspect --check-against "$dir/server.c1.img" \
		"$dir/server.c2.img"
	wait_log orig "[rpc_client] rpc_client: done"
	wait_log orig 'session "rpc_client -> hello" closed'
	stop orig
	same "rpc_client" rpc_client
	same "rpc_server, original and restored" "cr -> rpc_server"
} > "$out" 2>&1
if [ -n "${KEEP:-}" ]; then
	mkdir -p "$KEEP" && cp "$dir"/*.img "$dir"/*.run "$KEEP"/
fi
cr_verdict cr_server_test
