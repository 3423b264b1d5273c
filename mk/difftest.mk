# Differential testing of checkpoint / restore (docs/cr.md "Differential
# testing"): tests/difftest/difftest.sh runs every app in apps/ under cr
# undisturbed, then as a chain of checkpoint --stop / restore hops at
# random moments, and compares the outputs.
#
#  - difftest-check (in make check): 3 moments per app, a new seed each
#    run (printed; DIFFTEST_SEED=N reproduces), the slow apps (rpc_bench)
#    left out (DIFFTEST_QUICK=1). About 30 s on an idle machine.
#  - torture: 200 moments per app; long. The script alone takes 20.
DIFFTEST_DEPS := $(B)/recap $(B)/recapd $(B)/stub $(B)/core $(APP_BIN) $(B)/apps/cr

difftest-check: $(DIFFTEST_DEPS)
	@B=$(B) DIFFTEST_QUICK=1 DIFFTEST_HOPS=3 tests/difftest/difftest.sh

torture: $(DIFFTEST_DEPS)
	@B=$(B) DIFFTEST_HOPS=200 tests/difftest/difftest.sh

.PHONY: difftest-check torture
