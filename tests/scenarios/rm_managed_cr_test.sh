#!/usr/bin/env bash
# A child with a managed region map under cr (tests/scenarios/rm_managed_cr.xml:
# rm_managed with window_only, counting in the map through its window every
# 50 ms and logging what its two windows and the inner dataspace's own
# attachment show):
#  1. checkpoint --stop; the image shows the map (recap inspect: its
#     dataspace with both windows, the two dataspaces inside, its RM
#     session, no fault handler); the system ended.
#  2. restored in a fresh system (cr_empty.xml): the child goes on counting
#     at exactly the next number, reading the same memory through the same
#     windows; checkpointed again (without --stop), its capability space
#     equivalent to the original's (recap inspect --check-against) and its
#     map the same.
# Output compared exactly; every wait bounded.
set -u
cd "$(dirname "$0")/../.."
B=${B:-build}
RECAP=${RECAP:-$B/recap}
export RECAP_RUNTIME_DIR=$(mktemp -d)
dir=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill -KILL $p 2> /dev/null; done;
      rm -rf "$RECAP_RUNTIME_DIR" "$dir"' EXIT

r() {
	timeout -s KILL 30 "$RECAP" "$@"
}

# start NAME CONFIG: recap run in the background until cr answers.
start() {
	timeout -s KILL 60 "$RECAP" run --name "$1" "$2" > "$dir/$1.run" \
		2> "$dir/$1.err" &
	pids+=($!)
	for i in $(seq 400); do
		[ -S "$RECAP_RUNTIME_DIR/$1.sock" ] && r ps --name "$1" > /dev/null 2>&1 &&
			return
		sleep 0.025
	done
	echo "$1 did not start"
}

# wait_count NAME N: until NAME's child logged count N or more.
wait_count() {
	for i in $(seq 400); do
		[ "$(last "$1")" -ge "$2" ] 2> /dev/null && return
		sleep 0.025
	done
	echo "$1: no count $2"
}

# last NAME: the last count NAME's child logged (empty: none).
last() {
	sed -nE 's/^\[cr -> rm_managed\] windows: .*, count ([0-9]+) .*/\1/p' \
		"$dir/$1.run" | tail -n 1
}

# stop NAME: end the system, wait for it.
stop() {
	r stop --name "$1"
	echo "stop exit $?"
	wait "${pids[-1]}"
	echo "run exit $?"
}

# lines NAME FROM: NAME's count lines, the numbers from FROM on replaced by
# their distance from FROM (so that an exact next number shows as +0), and
# whether the count in A's own attachment is the same.
lines() {
	sed -nE 's/^\[cr -> rm_managed\] (windows: .*)$/\1/p' "$dir/$1.run" |
		awk -v from="$2" '{
			match($0, /count [0-9]+ \(A: [0-9]+\)/)
			split(substr($0, RSTART, RLENGTH), f, /[ ()]+/)
			if (f[2] != f[4]) print "A differs: " $0
			sub(/count [0-9]+ \(A: [0-9]+\)/, "count +" f[2] - from)
			print
		}' | head -n 3
}

{
	echo "== 1. checkpoint --stop"
	start a tests/scenarios/rm_managed_cr.xml
	wait_count a 3
	r checkpoint --stop --name a rm_managed -o "$dir/a.img"
	echo "exit $?"
	n=$(last a)
	r inspect "$dir/a.img" | sed -n '/^regions/,/^  dataspace 3/p' | head -n -1
	stop a
	lines a 1
	echo "== 2. restored in a fresh system"
	start b tests/scenarios/cr_empty.xml
	r restore --name b "$dir/a.img"
	echo "exit $?"
	wait_count b $((n + 3))
	r checkpoint --name b rm_managed -o "$dir/b.img"
	echo "exit $?"
	r inspect --check-against "$dir/a.img" "$dir/b.img" > /dev/null
	echo "equivalent: exit $?"
	diff <(r inspect "$dir/a.img" | sed -n '/^regions/,/^pages/p') \
	     <(r inspect "$dir/b.img" | sed -n '/^regions/,/^pages/p') &&
		echo "the same regions"
	stop b
	lines b $((n + 1))
} > "$dir/got" 2>&1
if diff -u - "$dir/got" <<'END'
== 1. checkpoint --stop
exit 0
regions
  dataspace 1: managed, 65536 bytes, writable
    0x60000000-0x60010000 rw- offset 0x0
    0x60100000-0x60108000 rw- offset 0x8000
    region map of RM session 1, fault handler none
    inside +0x0-0x2000 rw-: dataspace 2 offset 0x0
    inside +0x8000-0x9000 rw-: dataspace 3 offset 0x0
  dataspace 2: ram, 8192 bytes, writable
    0x48100000-0x48102000 rw- offset 0x0
stop exit 0
run exit 0
windows: 0x1111 0x2222 0x2222, count +0
windows: 0x1111 0x2222 0x2222, count +1
windows: 0x1111 0x2222 0x2222, count +2
== 2. restored in a fresh system
exit 0
exit 0
equivalent: exit 0
the same regions
stop exit 0
run exit 0
windows: 0x1111 0x2222 0x2222, count +0
windows: 0x1111 0x2222 0x2222, count +1
windows: 0x1111 0x2222 0x2222, count +2
END
then
	echo "ok   rm_managed_cr_test"
else
	echo "FAIL rm_managed_cr_test"; cat "$dir"/*.err; exit 1
fi
