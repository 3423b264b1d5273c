#!/usr/bin/env bash
# A component that serves checkpoint requests itself, under cr: cr_echo
# (tests/scenarios/cr_nested.xml, pretending to have a child "a") holds a
# CR session of its own, which core routes "cr -> cr_echo -> ..." to.
#
#  1. A request for "cr -> cr_echo -> a" reaches cr_echo through core and
#     is answered (a stream of its own making).
#  2. A request for "cr -> cr_echo -> silent", which cr_echo fetches and
#     never answers: the command gives up at the CR timeout (2 s here),
#     and a checkpoint of cr_echo meanwhile is refused as busy (a restore
#     would not have the request); once cr_echo has fetched and answered
#     another request, it is checkpointed (--stop).
#  3. The image holds the CR session and the context it signals (recap
#     inspect); restored in a fresh system (cr_empty.xml), cr_echo has its
#     CR session again, signalled: a request for "cr -> cr_echo -> a"
#     reaches it and is answered.
#
# Everything printed is compared with cr_nested_test.expected. Lines are
# polled for, every wait is bounded.
set -u
cd "$(dirname "$0")/../.."
B=${B:-build}
RECAP=${RECAP:-$B/recap}
export RECAP_BOOT_DIR=${RECAP_BOOT_DIR:-$B/apps}
export RECAP_CR_TIMEOUT_MS=2000
. tests/scenarios/cr_lib.sh
cr_setup
S=tests/scenarios

start n1 $S/cr_nested.xml
wait_log n1 "cr_echo: ready" >> "$out"
cmd "1. request for a" checkpoint --name n1 "cr -> cr_echo -> a" -o "$dir/a.img" >> "$out"

cmd "2. request for silent" checkpoint --name n1 "cr -> cr_echo -> silent" -o "$dir/s.img" >> "$out"
cmd "2. checkpoint of cr_echo while it serves it" checkpoint --name n1 cr_echo -o "$dir/c.img" >> "$out"
cmd "2. request for a again" checkpoint --name n1 "cr -> cr_echo -> a" -o "$dir/a.img" >> "$out"
cmd "2. checkpoint of cr_echo" checkpoint --name n1 cr_echo -o "$dir/c.img" --stop >> "$out"
stop n1
echo "-- cr_echo in the first system" >> "$out"
lines n1 "cr -> cr_echo" >> "$out"

echo "-- its CR session in the image" >> "$out"
"$RECAP" inspect "$dir/c.img" | grep -A1 " CR (client)" | sed 's/0x[0-9a-f]*/X/g' >> "$out"

start n2 $S/cr_empty.xml
cmd "3. restore" restore --name n2 "$dir/c.img" >> "$out"
cmd "3. request for a" checkpoint --name n2 "cr -> cr_echo -> a" -o "$dir/a.img" >> "$out"
stop n2
echo "-- cr_echo restored" >> "$out"
lines n2 "cr -> cr_echo" >> "$out"
cr_verdict cr_nested_test
