#!/usr/bin/env bash
# Checkpoint / restore of real components under the real cr, mid-way
# through their work, each judged by its output: the original run's lines
# up to the checkpoint and the restored run's lines together must be
# exactly an undisturbed run's, and the restored child's capability space
# (a second checkpoint of it) must be equivalent to the original's
# (`recap inspect --check-against`), its entrypoint gates at the same
# slots with the same labels.
#
#  local_service  (cr_local_service.xml) objects on its own entrypoints,
#                 called round after round (cycles="30"): checkpoint
#                 --stop, restored in a fresh system (cr, no children).
#  threads        (cr_threads.xml) workers on a lock, a reaper joining
#                 them and signalling the main thread, RPC to it
#                 (rounds="24"): the same.
#  memhog         (cr_memhog.xml) 64 MiB written, its checksum printed,
#                 then read back again three times: the same; the
#                 restored instance reads the memory the image brought.
#  rpc_client     (cr_rpc.xml) its Hello session from rpc_server, a
#                 sibling of cr, counters of the server's, used in a loop:
#                 checkpoint --stop, restored --as copy beside it in the
#                 same system while rpc_server runs on: its capabilities
#                 name the server's very objects (the counters go on, the
#                 server recognises them), and it closes the session.
#
# Everything printed is compared with cr_apps_test.expected. Lines are
# polled for, every wait is bounded. KEEP=DIR keeps the images in DIR.
set -u
cd "$(dirname "$0")/../.."
B=${B:-build}
RECAP=${RECAP:-$B/recap}
export RECAP_BOOT_DIR=${RECAP_BOOT_DIR:-$B/apps}
. tests/scenarios/cr_lib.sh
cr_setup
S=tests/scenarios

# epgates IMAGE: slot and label of each entrypoint gate of the image.
epgates() {
	"$RECAP" inspect "$1" | awk '/^capspace/ { on = 1 } on && / entrypoint / { print $1, $5 }'
}

# judge APP ORIG_RUN ORIG_LABEL RESTORED_RUN RESTORED_LABEL: together
# they must be the undisturbed run (full.run), each part non-empty.
judge() {
	lines "$2" "$3" > "$dir/a"
	lines "$4" "$5" > "$dir/b"
	cat "$dir/a" "$dir/b" > "$dir/ab"
	lines full "$3" > "$dir/full"
	if [ -s "$dir/a" ] && [ -s "$dir/b" ]; then
		echo "$1: checkpointed mid-way"
	else
		echo "$1: NOT mid-way: $(wc -l < "$dir/a") + $(wc -l < "$dir/b") lines"
	fi
	if cmp -s "$dir/ab" "$dir/full"; then
		echo "$1: before + after the checkpoint = the undisturbed run" \
		     "($(wc -l < "$dir/full") lines)"
	else
		echo "$1: before + after the checkpoint differ from the undisturbed run:"
		diff "$dir/full" "$dir/ab"
	fi
}

# equivalent APP: c1.img against c2.img (the restored child's).
equivalent() {
	cmd "$1: check-against" inspect --check-against "$dir/$1.c1.img" "$dir/$1.c2.img"
	epgates "$dir/$1.c1.img" > "$dir/g1"
	epgates "$dir/$1.c2.img" > "$dir/g2"
	if [ ! -s "$dir/g1" ] && [ ! -s "$dir/g2" ]; then
		echo "$1: no entrypoint gates"
	elif cmp -s "$dir/g1" "$dir/g2"; then
		echo "$1: $(wc -l < "$dir/g1") entrypoint gate(s), same slots and labels"
	else
		echo "$1: entrypoint gates differ:"; diff "$dir/g1" "$dir/g2"
	fi
}

# fresh APP CONFIG CKPT_AT CKPT2_AT LAST: undisturbed run to LAST; a run
# checkpointed with --stop once a line has CKPT_AT; a fresh system (cr
# without children) restoring it, checkpointed again (no --stop) once a
# line has CKPT2_AT, then run to LAST.
fresh() {
	local app=$1 config=$2 label="cr -> $1"
	grep -v '<!-- child -->' "$config" > "$dir/empty.xml"
	echo "== $app"
	start full "$config"
	wait_log full "[$label] $5"
	stop full
	start orig "$config"
	wait_log orig "[$label] $3"
	cmd "checkpoint --stop" checkpoint --name orig "$app" -o "$dir/$app.c1.img" --stop
	stop orig
	start new "$dir/empty.xml"
	cmd "restore" restore --name new "$dir/$app.c1.img"
	wait_log new "[$label] $4"
	cmd "checkpoint" checkpoint --name new "$app" -o "$dir/$app.c2.img"
	wait_log new "[$label] $5"
	stop new
	judge "$app" orig "$label" new "$label"
	equivalent "$app"
}

# wait_count NAME TEXT N: until the log of NAME has N lines with TEXT.
wait_count() {
	for i in $(seq 600); do
		[ "$(grep -c -F -- "$2" "$dir/$1.run")" -ge "$3" ] && return 0
		sleep 0.05
	done
	echo "$1: not $3 lines \"$2\""
	return 1
}

# threads: a checkpoint (no --stop) in the middle of round 3, workers
# computing and blocked on the lock, the reaper in a join, the main thread
# waiting for RPC and signals: restored in a fresh system, it prints
# exactly the rest of an undisturbed run. Then a checkpoint --stop while
# the main thread sleeps between rounds 6 and 7 (linger_ms), restored in a
# fresh system and checkpointed again at once, still in that pause: the
# two capability spaces are equivalent, and the two runs' lines together
# are the undisturbed run's.
threads() {
	local label="cr -> threads" config=$S/cr_threads.xml
	grep -v '<!-- child -->' "$config" > "$dir/empty.xml"
	echo "== threads"
	start full "$config"
	wait_log full "[$label] all rounds correct"
	stop full
	lines full "$label" > "$dir/full"
	start orig "$config"
	wait_log orig "[$label] round 3:"
	cmd "checkpoint" checkpoint --name orig threads -o "$dir/threads.c0.img"
	wait_count orig "[$label] total " 6
	cmd "checkpoint --stop" checkpoint --name orig threads -o "$dir/threads.c1.img" --stop
	stop orig
	start new "$dir/empty.xml"
	cmd "restore (round 3)" restore --name new "$dir/threads.c0.img"
	wait_log new "[$label] all rounds correct"
	stop new
	lines new "$label" > "$dir/b"
	if [ -s "$dir/b" ] && [ "$(wc -l < "$dir/b")" -lt "$(wc -l < "$dir/full")" ] &&
	   tail -n "$(wc -l < "$dir/b")" "$dir/full" | cmp -s - "$dir/b"; then
		echo "threads: restored in round 3, it prints the rest of the undisturbed run"
	else
		echo "threads: restored in round 3, its lines are no rest of the undisturbed run:"
		cat "$dir/b"
	fi
	start new "$dir/empty.xml"
	cmd "restore (pause)" restore --name new "$dir/threads.c1.img"
	cmd "checkpoint" checkpoint --name new threads -o "$dir/threads.c2.img"
	wait_log new "[$label] all rounds correct"
	stop new
	judge threads orig "$label" new "$label"
	equivalent threads
}

{
	fresh local_service $S/cr_local_service.xml "client: cycle 6/" \
		"client: cycle 10/" "all answers as expected"
	threads
	fresh memhog $S/cr_memhog.xml "memhog: 64 MiB" "memhog: again 1/3" \
		"memhog: again 3/3"
	echo "== memhog, both runs"
	cat "$dir/orig.run" "$dir/new.run" | grep -F '[cr -> memhog]'

	echo "== rpc_client, restored beside rpc_server"
	start full $S/cr_rpc.xml
	wait_log full "[cr -> rpc_client] rpc_client: done"
	stop full
	start orig $S/cr_rpc.xml
	wait_log orig "[cr -> rpc_client] rpc_client: loop 5/"
	cmd "checkpoint --stop" checkpoint --name orig rpc_client \
		-o "$dir/rpc_client.c1.img" --stop
	cmd "restore --as copy" restore --name orig "$dir/rpc_client.c1.img" --as copy
	wait_log orig "[cr -> copy] rpc_client: loop 10/"
	cmd "checkpoint" checkpoint --name orig copy -o "$dir/rpc_client.c2.img"
	wait_log orig "[cr -> copy] rpc_client: done"
	wait_log orig 'session "cr -> rpc_client -> hello" closed'
	stop orig
	judge rpc_client orig "cr -> rpc_client" orig "cr -> copy"
	equivalent rpc_client
	echo "== rpc_server"
	lines orig rpc_server
} > "$out" 2>&1
if [ -n "${KEEP:-}" ]; then
	mkdir -p "$KEEP" && cp "$dir"/*.img "$dir"/*.run "$KEEP"/
fi
cr_verdict cr_apps_test
