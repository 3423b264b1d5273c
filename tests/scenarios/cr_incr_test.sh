#!/usr/bin/env bash
# Incremental checkpoints (docs/cr.md, "Incremental checkpoints") of a
# memhog under cr (cr_memhog_incr.xml: 4 MiB, six rounds 700 ms apart,
# each writing one word into each of exactly 7 pages and printing the
# checksum of all 4 MiB):
#
#  - a full checkpoint after the fill, then one increment after each of
#    rounds 1 to 3, each against the one before: each holds exactly the 7
#    written pages of memhog's 4 MiB dataspace (recap inspect);
#  - recap inspect of the newest shows its parent and the whole chain;
#  - the newest restored in a fresh system (cr, no children; the chain
#    is composed by recap restore) goes on with rounds 4 to 6 and prints
#    exactly the original's checksums: byte-identical memory;
#  - refusals, one line each, exit 1: an increment against an image that
#    is not the child's previous checkpoint (after the fact: nothing
#    written), one of a restored child that has no checkpoint yet, a
#    restore of a chain with a missing parent and with a parent replaced
#    by another image (both before the scenario is asked: the scenario
#    named does not exist); recap inspect shows a broken chain as such.
#    A restore from another directory finds the chain beside the newest.
#
# Everything printed is compared with cr_incr_test.expected; image ids
# differ from run to run and are shown as ID. KEEP=DIR keeps the images.
set -u
cd "$(dirname "$0")/../.."
B=${B:-build}
RECAP=$(realpath "${RECAP:-$B/recap}")
export RECAP_BOOT_DIR=$(realpath "${RECAP_BOOT_DIR:-$B/apps}")
. tests/scenarios/cr_lib.sh
cr_setup
S=$(pwd)/tests/scenarios
label="cr -> memhog"

{
	grep -v '<!-- child -->' "$S/cr_memhog_incr.xml" > "$dir/empty.xml"
	echo "== a chain: full, then three increments"
	start a "$S/cr_memhog_incr.xml"
	wait_log a "[$label] memhog: 4 MiB, checksum"
	cmd_in_dir "checkpoint base" checkpoint --name a memhog -o base.img
	prev=base
	for r in 1 2 3; do
		wait_log a "[$label] memhog: round $r/6,"
		cmd_in_dir "checkpoint i$r" checkpoint --name a memhog -o i$r.img \
			--incremental $prev.img
		prev=i$r
	done
	for img in base i1 i2 i3; do
		echo "$img: memhog's 4 MiB: $(data_pages $img.img)"
	done
	cmd_in_dir "an increment against i1 after i3" checkpoint --name a memhog \
		-o bad.img --incremental i1.img
	[ -e "$dir/bad.img" ] && echo "bad.img written"
	wait_log a "[$label] memhog: round 6/6,"
	stop a

	echo "== the chain"
	(cd "$dir" && "$RECAP" inspect i3.img) |
		sed -n '/^parent/,/^$/p' | sed 's/0x[0-9a-f]\{16\}/ID/g'

	echo "== restored from base + 3 increments in a fresh system"
	start b "$dir/empty.xml"
	cmd_in_dir "restore i3" restore --name b i3.img
	cmd_in_dir "an increment of the restored child" checkpoint --name b memhog \
		-o x.img --incremental i3.img
	wait_log b "[$label] memhog: round 6/6,"
	stop b
	lines a "$label" > "$dir/orig"
	lines b "$label" > "$dir/new"
	cat "$dir/new"
	if [ -s "$dir/new" ] && grep -A3 -F "round 3/6," "$dir/orig" | tail -n +2 |
	   cmp -s - "$dir/new"; then
		echo "rounds 4 to 6: the original's checksums"
	else
		echo "rounds 4 to 6 differ from the original's:"; cat "$dir/orig"
	fi

	echo "== broken chains"
	mv "$dir/i2.img" "$dir/i2.away"
	cmd_in_dir "restore, i2 missing" restore --name nosuch i3.img
	cp "$dir/i1.img" "$dir/i2.img"
	cmd_in_dir "restore, i2 another image" restore --name nosuch i3.img
	mv "$dir/i2.away" "$dir/i2.img"
	echo "restore from another directory: the chain is found next to i3"
	"$RECAP" restore --name nosuch "$dir/i3.img" 2>&1 | sed "s|$dir/||g"
	cp "$dir/base.img" "$dir/i1.img"
	echo "inspect, i1 replaced by base:"
	(cd "$dir" && "$RECAP" inspect i3.img) | grep chain | sed 's/0x[0-9a-f]\{16\}/ID/g'
} > "$out" 2>&1
[ -n "${KEEP:-}" ] && cp "$dir"/*.img "$KEEP"/
cr_verdict cr_incr_test
