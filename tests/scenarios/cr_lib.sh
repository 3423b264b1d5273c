# Helpers shared by the scenario scripts that run recap systems in the
# background and checkpoint / restore in them (cr_apps_test.sh,
# cr_server_test.sh, cr_incr_test.sh); sourced, not run.
#
# The sourcing script sets RECAP (the recap binary) and then calls
# cr_setup, which makes the runtime directory, the scratch directory $dir
# (removed on exit) and $out, the file everything compared is printed to.
# Each system NAME started has its log in $dir/NAME.run, its stderr in
# $dir/NAME.runerr and its recap run's pid in $run_NAME. Lines are polled
# for, every wait is bounded.

# cr_setup: runtime directory, $dir and $out, both directories removed on exit.
cr_setup() {
	export RECAP_RUNTIME_DIR=$(mktemp -d)
	dir=$(mktemp -d)
	trap 'rm -rf "$RECAP_RUNTIME_DIR" "$dir"' EXIT
	out=$dir/out
}

# start NAME CONFIG: recap run in the background, until its socket is up.
start() {
	: > "$dir/$1.run"
	timeout -s KILL 120 "$RECAP" run --name "$1" "$2" > "$dir/$1.run" \
		2> "$dir/$1.runerr" &
	eval "run_$1=$!"
	for i in $(seq 200); do
		[ -S "$RECAP_RUNTIME_DIR/$1.sock" ] && break
		sleep 0.05
	done
}

# wait_log NAME TEXT: until the log of NAME has a line with TEXT (30 s).
wait_log() {
	for i in $(seq 600); do
		grep -q -F -- "$2" "$dir/$1.run" && return 0
		sleep 0.05
	done
	echo "$1: no line \"$2\""
	return 1
}

# stop NAME: recap stop, until its recap run has ended (20 s).
stop() {
	local pid
	eval "pid=\$run_$1"
	"$RECAP" stop --name "$1" > /dev/null 2>&1
	timeout 20 tail --pid="$pid" -f /dev/null || echo "$1: stop did not end it"
	wait "$pid" 2> /dev/null
}

# cmd WHAT ARGS: a recap command; its output and exit status, prefixed.
cmd() {
	local what=$1
	shift
	"$RECAP" "$@" > "$dir/cmd.out" 2>&1
	echo "$what exit $?"
	cat "$dir/cmd.out"
}

# cmd_in_dir WHAT ARGS: a recap command run in $dir (image names
# relative to it); its output and exit status, prefixed, image ids as ID.
cmd_in_dir() {
	local what=$1
	shift
	(cd "$dir" && "$RECAP" "$@") > "$dir/cmd.out" 2>&1
	echo "$what exit $?"
	sed 's/0x[0-9a-f]\{16\}/ID/g' "$dir/cmd.out"
}

# data_pages IMAGE: the pages line of the image's largest dataspace
# (recap inspect), e.g. "4198400 bytes, 1 run, 7 pages".
data_pages() {
	(cd "$dir" && "$RECAP" inspect "$1") |
		awk '/^pages/ { on = 1; next } on && /^$/ { on = 0 }
		     on && $3 + 0 > max { max = $3 + 0; line = $0 }
		     END { sub(/^ *dataspace [0-9]+: /, "", line); print line }'
}

# lines NAME LABEL: the lines of component LABEL in the log of NAME.
lines() {
	grep -F -- "[$2] " "$dir/$1.run" | sed "s|^\[$2\] ||"
}

# cr_verdict TEST: $out against tests/scenarios/TEST.expected; ok or FAIL
# (with the systems' stderr), and the script's exit status.
cr_verdict() {
	local rc
	if diff -u "tests/scenarios/$1.expected" "$out"; then
		echo "ok   $1"; rc=0
	else
		echo "FAIL $1"; cat "$dir"/*.runerr; rc=1
	fi
	exit $rc
}
