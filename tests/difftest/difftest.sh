#!/usr/bin/env bash
# Differential testing of checkpoint / restore (docs/cr.md "Differential
# testing"): every app in apps/ that can be judged by its output runs under
# cr twice.
#
#  1. Undisturbed: the app runs to its end; its output is recorded, and how
#     long it lived.
#  2. A chain of HOPS checkpoint/restore hops: the app runs; after a random
#     delay it is checkpointed with --stop (the original stops exactly at
#     the checkpoint, so the split of its output is exact), its system is
#     ended, and the image is restored in a fresh system (the same scenario
#     without the child); after the next random delay that one is
#     checkpointed --stop and restored in a fresh system again, and so on;
#     the last one runs to its end. The output of every system in the chain,
#     concatenated, must be exactly the undisturbed output: each restore
#     produced exactly the undisturbed output from its moment on.
#
# Apps whose restore needs a third party that a fresh system cannot have
# (rpc_client and rpc_bench hold rpc_server's objects, docs/cr.md "Third
# parties") hop inside one system instead: checkpoint --stop, restored
# beside the stopped one under a new name (--as), with rpc_server running
# on. Excluded apps are listed, with the reason, in the output.
#
# A server (rpc_server) runs under cr with its client beside cr (an
# rpc_client, CLIENTS); each hop replaces it by its restore under its
# live client (checkpoint --stop, restore --replace: docs/cr.md
# "Restoring a server under its clients"), all in one system; the
# server's lines and its client's must be those of an undisturbed run.
#
# What is compared, per system: stdout lines of the child ("[cr -> NAME]
# ...", the prefix dropped), cr's lines about it ("[cr] NAME crashed",
# "exited with exit value N"), and core's stderr lines naming it, with
# NAME and the system's name normalised. An app whose lines carry numbers
# that differ run by run (benchmarks' cycle counts) is compared with every
# number masked.
#
# A chain that meets the app's end early is followed by another from the
# start, until HOPS checkpoints are taken (see "the chains" below). Apps
# whose chains meet a known, reported cr bug (KNOWN) are printed as
# "xfail" and not counted; apps that live long (SLOW) are left out with
# DIFFTEST_QUICK=1 (make check).
#
# The delays come from bash's PRNG seeded per app with DIFFTEST_SEED + a
# hash of the app's name, so one app's moments do not depend on which apps
# run before it. The seed is printed; DIFFTEST_SEED=N reproduces the
# delays (what the app is doing at a delay is the host scheduler's
# business, so a moment is reproduced closely, not to the instruction).
# The HOPS moments are spread over the undisturbed run's lifetime (sorted
# uniform draws). A checkpoint that finds the app already ended makes that
# system's run to the end one more sample (it must end as the undisturbed
# run does) and boots the same source again with the delay halved, up to
# RETRIES times; then the chain ends early ("late"). One that finds the
# app busy in a call to another component is retried at once.
#
# Usage: tests/difftest/difftest.sh [APP...]   (default: every app)
#   B=DIR              the build directory (default build)
#   DIFFTEST_HOPS=N    checkpoints per app (default 20; make check: 3,
#                      make torture: 200)
#   DIFFTEST_SEED=N    the seed (default: from the clock)
#   DIFFTEST_KEEP=DIR  where a failing app's images and logs are kept
#                      (default $B/difftest-fail)
#   DIFFTEST_QUICK=1   leave out the SLOW apps
# Exit 0 if every covered app's chain equals its undisturbed run.
set -u
cd "$(dirname "$0")/../.."
B=${B:-build}
RECAP=${RECAP:-$B/recap}
HOPS=${DIFFTEST_HOPS:-20}
SEED=${DIFFTEST_SEED:-$(( $(date +%s%N) / 1000 % 1000000007 ))}
KEEP=${DIFFTEST_KEEP:-$B/difftest-fail}
export RECAP_BOOT_DIR=${RECAP_BOOT_DIR:-$B/apps}
export RECAP_RUNTIME_DIR=$(mktemp -d)
dir=$(mktemp -d)
run_pid=
trap '[ -n "$run_pid" ] && kill -KILL $run_pid 2> /dev/null
      rm -rf "$RECAP_RUNTIME_DIR" "$dir"' EXIT

# ---- the apps ---------------------------------------------------------------
# APP MODE RAM END MASK AFTER CONFIG
#  MODE   fresh: restore in a fresh system; same: --as beside the stopped one
#         (the system has rpc_server beside cr); server: --replace under
#         its clients (CLIENTS beside cr, routed to it)
#  RAM    the child's RAM quota (cr's child_ram)
#  END    gone: the run ends when the child is gone (exit, crash);
#         MS: the app runs for ever, its run ends MS ms after its start
#  MASK   yes: numbers masked before comparing (cycle counts, TSC values)
#  AFTER  -, or text of a line after which the moments fall
#  CONFIG the child's <config> attributes
APPS=(
	"hello          fresh 2M  gone no  -"
	"deny           fresh 2M  gone no  -"
	"log_format     fresh 2M  gone no  -"
	"rom_test       fresh 2M  gone no  -  period_ms=\"20\" n_mib=\"3\" mask=\"0xff\" name=\"a &amp; b\" verbose=\"yes\" bad=\"x1\""
	"crasher        fresh 2M  gone no  -"
	"ud2            fresh 2M  gone no  -"
	"thread_crash   fresh 2M  gone no  -"
	"caplayout      fresh 2M  gone no  -"
	"rm_test        fresh 4M  gone no  -"
	"rm_managed     fresh 2M  gone no  -"
	"cap_hog        fresh 2M  gone no  -"
	"timer_test     fresh 2M  gone no  -"
	"rpc_abuse      fresh 2M  gone no  -"
	"rpc_forgery    fresh 2M  gone no  -"
	"thread_restore fresh 2M  gone no  -"
	"cpu_state      fresh 2M  gone no  -"
	"idle           fresh 2M  300  no  -"
	"cr_echo        fresh 2M  300  no  -  children=\"a\""
	"launcher       fresh 2M  gone no  -"
	"start_bench    fresh 2M  gone yes -"
	"counter        fresh 2M  gone no  -  period_ms=\"20\" limit=\"15\""
	"local_service  fresh 2M  gone no  -  cycles=\"10\" period_ms=\"20\""
	"threads        fresh 2M  gone no  -  rounds=\"6\" linger_ms=\"20\""
	"memhog         fresh 12M gone no  -  n_mib=\"8\" repeat=\"3\" period_ms=\"50\""
	"rpc_client     same  2M  gone no  through_the_stored_callback loops=\"10\" period_ms=\"20\""
	"rpc_bench      same  2M  gone yes -"
	"root_hang      fresh 2M  gone no  -  mode=\"silent\" exit_ms=\"200\""
	"dirtier        fresh 8M  gone no  -  n_mib=\"4\" permille=\"100\" rounds=\"5\" period_ms=\"30\""
	"ram_bench      fresh 24M gone yes -  mib=\"16\" rounds=\"7\""
	"rpc_server     server 2M gone no  -  sessions=\"1\""
)
# A server's clients (MODE server): name and config, each a component
# beside cr running rpc_client; the server exits after their sessions.
# One: with two, the order of the server's lines about them is the host
# scheduler's.
CLIENTS=(
	"rpc_client  loops=\"20\" period_ms=\"25\""
)
# APP CHILD: apps that serve checkpoint requests themselves (a CR session
# of their own, apps/cr_echo): at the end of every system's run (END ms),
# `recap checkpoint "cr -> LABEL -> CHILD"` must reach the app, restored
# or not, and what it says about it is compared like the rest.
POKES=(
	"cr_echo a"
)
# APP REASON
EXCLUDED=(
)

# APP BUG: apps whose chains meet a known, reported bug of cr (docs/cr.md
# "Differential testing"): a failure is reported as "xfail" with the bug,
# its images kept, and not counted; drop the line when the bug is fixed.
KNOWN=(
)
# APP: apps that live long (rpc_bench: 10 s and more under cr); with
# DIFFTEST_QUICK=1 (make check) they are skipped, and listed.
SLOW=(rpc_bench)

# ---- one system -------------------------------------------------------------
# scenario APP MODE RAM CONFIG CHILD: a scenario with cr, its child APP
# when CHILD is yes, rpc_server beside cr for MODE same, the CLIENTS
# beside cr for MODE server.
scenario() {
	local server="" route="<any-service> <parent/> </any-service>" child=""
	# cr's own RAM: 64M, more for a child that needs much (ram_bench),
	# which cr's quantum must hold besides cr's own needs
	local cr_ram=$(( ${3%M} + 32 > 64 ? ${3%M} + 32 : 64 ))
	if [ "$2" = same ]; then
		server='<start name="rpc_server"> <resource name="RAM" quantum="1M"/> <provides> <service name="Hello"/> </provides> </start>'
		route="<service name=\"Hello\"> <child name=\"rpc_server\"/> </service> $route"
	fi
	local provides="" clients="" c cconfig
	if [ "$2" = server ]; then
		provides='<provides> <service name="Hello"/> </provides>'
		for c in "${CLIENTS[@]}"; do
			read -r c cconfig <<< "$c"
			clients+="<start name=\"$c\"> <binary name=\"rpc_client\"/>
				<resource name=\"RAM\" quantum=\"1M\"/>
				<route> <service name=\"Hello\"> <child name=\"cr\"/> </service>
					<any-service> <parent/> </any-service> </route>
				<config $cconfig/> </start>"
		done
	fi
	[ "$5" = yes ] && child="<start name=\"$1\"> <binary name=\"$1\"/> <config $4/> </start>"
	cat <<-EOF
	<?xml version="1.0"?>
	<config>
		<parent-provides>
			<service name="LOG"/> <service name="PD"/> <service name="CPU"/>
			<service name="RAM"/> <service name="RM"/> <service name="ROM"/>
			<service name="SIGNAL"/> <service name="Timer"/> <service name="CR"/>
		</parent-provides>
		<default-route> <any-service> <parent/> </any-service> </default-route>
		$server
		<start name="cr" caps="1000">
			<resource name="RAM" quantum="${cr_ram}M"/>
			$provides
			<route> $route </route>
			<config child_ram="$3" child_caps="200"> $child </config>
		</start>
		$clients
	</config>
	EOF
}

now_us() { echo $(( $(date +%s%N) / 1000 )); }

# start SYS CONFIG: recap run in the background until its socket is up.
start() {
	timeout -s KILL 120 "$RECAP" run --name "$1" "$2" > "$dir/$1.out" \
		2> "$dir/$1.err" &
	run_pid=$!
	for i in $(seq 1000); do
		[ -S "$RECAP_RUNTIME_DIR/$1.sock" ] && return 0
		sleep 0.005
	done
	echo "difftest: system $1 did not start"
	return 1
}

stop() {
	"$RECAP" stop --name "$1" > /dev/null 2>&1
	for i in $(seq 4000); do
		kill -0 "$run_pid" 2> /dev/null || break
		sleep 0.005
	done
	kill -KILL "$run_pid" 2> /dev/null && echo "difftest: system $1 did not stop"
	wait "$run_pid" 2> /dev/null
	run_pid=
}

# alive SYS LABEL: is "cr -> LABEL" a component of SYS?
alive() {
	"$RECAP" ps --name "$1" 2> /dev/null | grep -q "^cr -> $2 "
}

# gone SYS LABEL: the child is not there, or not within 1 s (a checkpoint
# that failed because the child was ending, e.g. crashing: "cannot pause").
gone() {
	for i in $(seq 100); do
		alive "$1" "$2" || return 0
		sleep 0.01
	done
	return 1
}

# started SYS LABEL: has the child printed anything in SYS (every app
# prints; a child that ends at once may be gone before ps ever lists it).
started() {
	grep -q -e "^\[cr -> $2\] " -e "^\[cr\] $2 " "$dir/$1.out"
}

# until_end SYS LABEL END ORIG: until the child is gone (END gone; for the
# original, ORIG yes, once it has printed; at most LIMIT_MS), or END ms
# after START_US.
until_end() {
	if [ "$3" != gone ]; then
		sleep_us $(( start_us + $3 * 1000 - $(now_us) ))
		return 0
	fi
	local until=$(( $(now_us) + limit_ms * 1000 ))
	while [ $(now_us) -lt $until ]; do
		alive "$1" "$2" || { [ "$4" = yes ] && ! started "$1" "$2"; } ||
			return 0
		sleep 0.005
	done
	echo "difftest: $2 did not end in $1"
	return 1
}

# after SYS TEXT: until the log of SYS has a line with TEXT (30 s).
after() {
	[ "$2" = - ] && return 0
	for i in $(seq 6000); do
		grep -qF -- "${2//_/ }" "$dir/$1.out" && return 0
		sleep 0.005
	done
	echo "difftest: no line \"${2//_/ }\" in $1"
	return 1
}

# lines SYS LABEL APP MASK STREAM: what is compared of SYS's run, LABEL
# named APP: its stdout lines (STREAM out) or core's stderr lines about it
# (err). The two are compared each on its own: how a system's stdout and
# stderr interleave is not the app's.
lines() {
	local c
	if [ "$5" = out ]; then
		sed -n -e "s|^\[cr -> $2\] ||p" \
		       -e "s|^\[cr\] $2 \(.*\)$|[cr] $3 \1|p" "$dir/$1.out"
		# a server's clients: each one's lines after the server's
		[ "$mode" = server ] && for c in "${CLIENTS[@]}"; do
			c=${c%% *}
			sed -n -e "s|^\[$c\] |$c: |p" "$dir/$1.out"
		done
	else
		grep -F -- "cr -> $2" "$dir/$1.err" | sed -e "s|^core\[$1\]: |core: |" \
			-e "s|cr -> $2|cr -> $3|g"
	fi | if [ "$4" = yes ]; then sed 's/[0-9][0-9]*/N/g'; else cat; fi
}

# take SYS LABEL: SYS's lines appended to the chain's (A, APP, MASK).
take() {
	lines "$1" "$2" "$app" "$mask" out >> "$a.chain.out"
	lines "$1" "$2" "$app" "$mask" err >> "$a.chain.err"
	cp "$dir/$1.out" "$a.$1.out"
	cp "$dir/$1.err" "$a.$1.err"
}

# same_as_undisturbed: is the chain so far the undisturbed run?
same_as_undisturbed() {
	cmp -s "$a.undisturbed.out" "$a.chain.out" &&
		cmp -s "$a.undisturbed.err" "$a.chain.err"
}

# restore SYS IMAGE [--as LABEL]: the image restored into SYS, once its
# cr is up (until then: "no cr in this scenario").
restore() {
	local sys=$1
	shift
	for i in $(seq 400); do
		"$RECAP" restore --name $sys "$@" > "$dir/rs.err" 2>&1 && return 0
		grep -q "no cr in this scenario" "$dir/rs.err" || return 1
		sleep 0.005
	done
	return 1
}

# poke SYS LABEL: the app's request (POKES), if it takes one, served.
poke() {
	local child=$(printf '%s\n' "${POKES[@]}" | sed -n "s/^$app  *//p")
	[ -z "$child" ] && return 0
	"$RECAP" checkpoint --name "$1" "cr -> $2 -> $child" -o "$dir/poke.img" \
		> "$dir/poke.err" 2>&1 && return 0
	echo "difftest: the request to cr -> $2 -> $child failed: $(cat "$dir/poke.err")"
	return 1
}

# sleep_us N
sleep_us() {
	[ "$1" -gt 0 ] && sleep "$(printf '%d.%06d' $(($1 / 1000000)) $(($1 % 1000000)))"
	return 0
}

# ---- one app ------------------------------------------------------------------
fails=0
covered=0
xfails=0
RETRIES=6

# boot SYS SRC: SYS running the app, from the start (SRC "") or restored
# from the image SRC into a fresh system; START_US its start.
boot() {
	if [ -z "$2" ]; then
		start "$1" "$a.xml" && after "$1" "$marker" || return 1
	else
		start "$1" "$a.empty.xml" || return 1
		restore "$1" "$2" || { err="restore of $2 failed: $(cat "$dir/rs.err")"; return 1; }
	fi
	start_us=$(now_us)
}

# checkpoint SYS LABEL IMAGE: checkpoint --stop, retried while cr says the
# child is busy in a call to another component (it runs on meanwhile).
checkpoint() {
	rm -f "$3"
	for try in $(seq 200); do
		"$RECAP" checkpoint --name "$1" "$2" -o "$3" --stop > "$dir/ck.err" 2>&1 &&
			return 0
		grep -q busy "$dir/ck.err" || return 1
		busy=$((busy + 1))
	done
	return 1
}

# difftest APP MODE RAM END MASK AFTER CONFIG
difftest() {
	app=$1 mode=$2 ram=$3 end=$4 mask=$5 marker=$6 a=$dir/$1
	local config=$7 k
	local cksum=$(printf '%s' "$app" | cksum | cut -d' ' -f1)
	RANDOM=$(( (SEED + cksum) % 32768 ))
	scenario "$app" "$mode" "$ram" "$config" yes > "$a.xml"
	scenario "$app" "$mode" "$ram" "$config" no > "$a.empty.xml"

	# 1. undisturbed
	start u "$a.xml" || return 1
	after u "$marker" || { stop u; return 1; }
	start_us=$(now_us)
	limit_ms=60000
	until_end u "$app" "$end" yes && poke u "$app"
	local life=$(( $(now_us) - start_us ))
	# a chain's system that runs 5 times as long as the whole undisturbed
	# run (and 3 s more) hangs
	limit_ms=$(( life / 200 + 3000 ))
	stop u
	lines u "$app" "$app" "$mask" out > "$a.undisturbed.out"
	lines u "$app" "$app" "$mask" err > "$a.undisturbed.err"

	# 2. The chains: until HOPS checkpoints are taken: a chain that meets the
	# app's end early ("late"), or a same-system chain after 3 hops, is
	# followed by another from the start with the moments left (at most
	# 1 + HOPS/3 chains; 3 in a row without a checkpoint end it). Every
	# chain must equal the undisturbed run.
	local total=0 chains=0 dry=0 redos=0 lates=0 want moments n sys src label
	local orig hop done late redo prev delay tries waited
	busy=0
	while :; do
		chains=$((chains + 1))
		want=$((HOPS - total))
		# each stopped copy keeps its quota until the system ends: cr's
		# caps="1000" hold 5 children of child_caps="200"
		[ "$mode" = same ] && [ $want -gt 3 ] && want=3
		# the moments: WANT sorted draws in [0, life)
		moments=()
		for ((k = 0; k < want; k++)); do
			moments+=($(( (RANDOM * 32768 + RANDOM) % (life > 0 ? life : 1) )))
		done
		mapfile -t moments < <(printf '%s\n' "${moments[@]}" | sort -n)

		# 2. the chain. SRC: what the running system SYS started from.
		n=0 sys=h0 src="" label=$app orig=yes done=0 late=0 redo=0
		prev=0 waited=0 err=""
		: > "$a.chain.out"
		: > "$a.chain.err"
		boot $sys "" || { stop $sys; echo "FAIL $app: ${err:-no start}"; return 1; }
		for ((hop = 1; hop <= want && !late; hop++)); do
			delay=$(( moments[hop - 1] - prev ))
			prev=${moments[hop - 1]}
			tries=0
			while [ -z "$err" ]; do
				sleep_us $delay
				checkpoint $sys "$label" "$a.$hop.img" && break
				if ! gone $sys "$label"; then
					err="hop $hop: checkpoint failed: $(cat "$dir/ck.err")"
				elif [ $orig = yes ] && ! started $sys "$label"; then
					delay=0		# cr has not started it yet
					waited=$((waited + 1))
					[ $waited -gt 2000 ] &&
						err="hop $hop: no checkpoint: $(cat "$dir/ck.err")"
					sleep 0.005
				elif [ "$mode" = fresh ] && [ $tries -lt $RETRIES ]; then
					# The moment fell after the end: this run from SRC
					# is one more sample (it must end as the undisturbed
					# run does), then SRC again, the delay halved.
					stop $sys
					cp "$a.chain.out" "$a.keep.out"
					cp "$a.chain.err" "$a.keep.err"
					take $sys "$label"
					same_as_undisturbed ||
						err="hop $hop: the run to the end from $([ -n "$src" ] && echo "image ${src##*/}" || echo "the start") (system $sys) differs"
					mv "$a.keep.out" "$a.chain.out"
					mv "$a.keep.err" "$a.chain.err"
					[ -n "$err" ] && break
					tries=$((tries + 1))
					redo=$((redo + 1))
					delay=$(( tries == RETRIES ? 0 : delay / 2 ))
					n=$((n + 1))
					sys=h$n
					boot $sys "$src" || break
				else
					late=1
					break
				fi
			done
			[ -n "$err" ] || [ $late = 1 ] && break
			done=$((done + 1))
			orig=no
			src=$a.$hop.img
			if [ "$mode" = fresh ]; then
				stop $sys
				take $sys "$label"
				n=$((n + 1))
				sys=h$n
				boot $sys "$src" || break
			elif [ "$mode" = server ]; then
				# in its own place, under its live clients
				restore $sys "$src" --replace ||
					{ err="hop $hop: restore failed: $(cat "$dir/rs.err")"; break; }
			else
				label=$app.$hop
				restore $sys "$src" --as "$label" ||
					{ err="hop $hop: restore failed: $(cat "$dir/rs.err")"; break; }
			fi
		done
		[ -z "$err" ] && until_end $sys "$label" "$end" $orig &&
			{ poke $sys "$label" || err="the request at the end failed"; }
		stop $sys
		if [ "$mode" = fresh ] || [ "$mode" = server ]; then
			take $sys "$label"
		else
			# one system: every hop's lines are in its log, label by label
			for ((k = 0; k <= done; k++)); do
				[ $k = 0 ] && take $sys "$app" || take $sys "$app.$k"
			done
		fi

		total=$((total + done))
		redos=$((redos + redo))
		lates=$((lates + late))
		{ [ -n "$err" ] || ! same_as_undisturbed; } && break
		[ $total -ge $HOPS ] && break
		[ $done = 0 ] && dry=$((dry + 1)) || dry=0
		{ [ $dry -ge 3 ] || [ $chains -gt $((HOPS / 3)) ]; } && break
	done

	local what="$total checkpoints in $chains chain(s), $redos runs to the end from a checkpoint, $lates late"
	what+=", $busy busy retries; $(cat "$a.undisturbed".{out,err} | wc -l) lines, lived $((life / 1000)) ms"
	if [ -z "$err" ] && same_as_undisturbed; then
		echo "ok   $app: $what"
		covered=$((covered + 1))
		return 0
	fi
	local known=$(printf '%s\n' "${KNOWN[@]}" | sed -n "s/^$app  *//p")
	if [ -n "$known" ]; then
		echo "xfail $app (seed $SEED): $what"
		echo "  known bug: $known"
	else
		echo "FAIL $app (seed $SEED, DIFFTEST_SEED=$SEED $0 $app): $what"
	fi
	[ -n "$err" ] && echo "  $err"
	diff -u --label undisturbed --label chain "$a.undisturbed.out" "$a.chain.out" | sed 's/^/  /'
	diff -u --label undisturbed-stderr --label chain-stderr "$a.undisturbed.err" "$a.chain.err" |
		sed 's/^/  /'
	rm -rf "$KEEP/$app"
	mkdir -p "$KEEP/$app"
	cp "$a".* "$KEEP/$app/"
	echo "  images and logs kept in $KEEP/$app"
	[ -n "$known" ] && xfails=$((xfails + 1)) && return 0
	return 1
}

# ---- all apps -----------------------------------------------------------------
echo "difftest: seed $SEED, $HOPS checkpoints per app (DIFFTEST_SEED=$SEED reproduces)"
only=" $* "
for e in "${EXCLUDED[@]}"; do
	read -r app reason <<< "$e"
	[ "$only" != "  " ] && [ "${only/ $app /}" = "$only" ] && continue
	echo "skip $app: $reason"
done
for entry in "${APPS[@]}"; do
	read -r app mode ram end mask marker config <<< "$entry"
	[ "$only" != "  " ] && [ "${only/ $app /}" = "$only" ] && continue
	if [ "${DIFFTEST_QUICK:-0}" = 1 ] && [ "$only" = "  " ] &&
	   printf '%s\n' "${SLOW[@]}" | grep -qx "$app"; then
		echo "skip $app: slow, not in the quick run (make torture runs it)"
		continue
	fi
	difftest "$app" "$mode" "$ram" "$end" "$mask" "$marker" "$config" ||
		fails=$((fails + 1))
done
# Every app in apps/ is either covered or excluded with its reason.
if [ "$only" = "  " ]; then
	for d in apps/*/; do
		app=$(basename "$d")
		printf '%s\n' "${APPS[@]}" "${EXCLUDED[@]}" | grep -q "^$app " && continue
		echo "FAIL $app: in apps/, neither covered nor excluded (tests/difftest/difftest.sh)"
		fails=$((fails + 1))
	done
fi
echo "difftest: $covered apps equal to their undisturbed runs, $xfails known bugs met, $fails failed (seed $SEED)"
[ $fails -eq 0 ]
