#!/usr/bin/env bash
# cr's stream buffer and views (docs/cr.md, "Speed"): what makes a
# checkpoint one memcpy must never make an image wrong.
#
#  renewer  apps/dirtier renew="yes" (cr_stream.xml): every round it
#           checks its 4 MiB, frees the dataspace and writes a new one.
#           Checkpoints after the fill, after round 1 (an increment: the
#           new dataspace is saved whole, cr's view of the freed one is
#           not read), after round 2 (full) and after round 3 (an
#           increment, --stop), all into cr's one stream buffer; the last
#           restored in a fresh system prints rounds 4 to 6 exactly as
#           the original printed rounds 1 to 3: its memory intact.
#  big      apps/dirtier with 96 MiB, in a system whose CR timeout is
#           1.5 s: a checkpoint whose command is stopped while it writes
#           the image holds the stream, so the next checkpoint is refused
#           as busy; past the timeout core takes the stream back for the
#           next checkpoint, and the stopped command, let go on, writes
#           no image (the stream may have changed under it).
#
# Everything printed is compared with cr_stream_test.expected.
set -u
cd "$(dirname "$0")/../.."
B=${B:-build}
RECAP=$(realpath "${RECAP:-$B/recap}")
export RECAP_BOOT_DIR=$(realpath "${RECAP_BOOT_DIR:-$B/apps}")
. tests/scenarios/cr_lib.sh
cr_setup
S=$(pwd)/tests/scenarios
label="cr -> renewer"

# memfd_held PID: the command PID holds a memfd (core's stream) open.
memfd_held() {
	ls -l "/proc/$1/fd" 2> /dev/null | grep -q 'memfd:'
}

{
	grep -v '<!-- child -->' "$S/cr_stream.xml" > "$dir/empty.xml"
	echo "== renewer: a new dataspace every round"
	RECAP_CR_TIMEOUT_MS=1500 start a "$S/cr_stream.xml"
	wait_log a "[$label] dirtier: 4 MiB written"
	cmd_in_dir "checkpoint c0" checkpoint --name a renewer -o c0.img
	wait_log a "[$label] dirtier: round 1/6,"
	cmd_in_dir "checkpoint c1" checkpoint --name a renewer -o c1.img \
		--incremental c0.img
	wait_log a "[$label] dirtier: round 2/6,"
	cmd_in_dir "checkpoint c2" checkpoint --name a renewer -o c2.img
	wait_log a "[$label] dirtier: round 3/6,"
	cmd_in_dir "checkpoint c3 --stop" checkpoint --name a renewer -o c3.img \
		--incremental c2.img --stop
	for img in c0 c1 c2 c3; do
		echo "$img: the 4 MiB: $(data_pages $img.img)"
	done

	echo "== big: a command holding the stream"
	wait_log a "[cr -> big] dirtier: 96 MiB written"
	(cd "$dir" && exec "$RECAP" checkpoint --name a big -o h1.img) \
		> "$dir/h1.out" 2>&1 &
	h1=$!
	for i in $(seq 2000); do
		memfd_held $h1 && break
		sleep 0.005
	done
	kill -STOP $h1
	memfd_held $h1 && echo "h1 stopped holding the stream"
	cmd_in_dir "checkpoint h2 while h1 holds it" checkpoint --name a big -o h2.img
	sleep 1.6
	cmd_in_dir "checkpoint h3 past the timeout" checkpoint --name a big -o h3.img
	kill -CONT $h1
	wait $h1
	echo "h1 exit $?"
	cat "$dir/h1.out"
	for img in h1 h2; do
		[ -e "$dir/$img.img" ] && echo "$img.img written"
	done
	echo "h3: the 96 MiB: $(data_pages h3.img)"
	stop a

	echo "== renewer restored from c2 + c3 in a fresh system"
	start b "$dir/empty.xml"
	cmd_in_dir "restore c3" restore --name b c3.img
	wait_log b "[$label] dirtier: round 6/6,"
	stop b
	lines a "$label" | grep round | sed 's/round [0-9]/round N/'
	echo "-- restored:"
	lines b "$label"
} > "$out" 2>&1
cr_verdict cr_stream_test
