# The section records of checkpoint images (cr/crfmt_*.c: meta, threads,
# sessions, regions, pages; and the capspace encoder cr/capspace_encode.c,
# whose hosted build is in libcaps.a) and the record/stream code they stand on
# (cr/image/tlv.c, tlv_write.c, stream_fmt.c), built twice:
#
#  - $(B)/libcrfmt.a, freestanding (COMP_CFLAGS), for the checkpointing
#    component cr: it must need nothing but lib/base ($(B)/libcrfmt.check);
#  - $(B)/libcrfmt-host.a, hosted, for recap inspect and the tests; link
#    $(B)/libimage.a (which has the tlv and stream code) after it.
#
# Tests: tests/crfmt/test_*.c (cmocka), plain and under ASan+UBSan, and
# test_crfmt_comp once more against the freestanding archive.
# Needs mk/image.mk, mk/caps.mk and mk/base.mk.

CRFMT_SRC := $(wildcard cr/crfmt_*.c)
CRFMT_COMP_SRC := cr/image/tlv.c cr/image/tlv_write.c cr/image/stream_fmt.c \
	cr/capspace_encode.c $(CRFMT_SRC)
CRFMT_TEST_SRC := $(wildcard tests/crfmt/test_*.c)
CRFMT_TEST_BIN := $(patsubst %.c,$(B)/%,$(CRFMT_TEST_SRC))
CRFMT_TEST_SAN_BIN := $(patsubst %.c,$(B)/san/%,$(CRFMT_TEST_SRC))
# The round trips once more, with the encoders and decoders cr links.
CRFMT_COMP_TEST := $(B)/tests/crfmt/comp_roundtrip

# rm first: an archive must not keep members of deleted sources.
$(B)/libcrfmt.a: $(patsubst %.c,$(B)/comp/%.o,$(CRFMT_COMP_SRC))
	@rm -f $@
	ar rcs $@ $^

$(B)/libcrfmt-host.a: $(patsubst %.c,$(B)/%.o,$(CRFMT_SRC))
	@rm -f $@
	ar rcs $@ $^

$(B)/san/libcrfmt-host.a: $(patsubst %.c,$(B)/san/%.o,$(CRFMT_SRC))
	@rm -f $@
	ar rcs $@ $^

# Every symbol libcrfmt.a references must be defined in it or libbase.a.
$(B)/libcrfmt.check: $(B)/libcrfmt.a $(B)/libbase.a
	@nm -u $< | awk 'NF == 2 && $$1 == "U" { print $$2 }' | sort -u >$@.undef
	@nm --defined-only $^ | awk 'NF == 3 { print $$3 }' | sort -u >$@.def
	@missing=$$(comm -23 $@.undef $@.def); rm -f $@.undef $@.def; \
	if [ -n "$$missing" ]; then \
		echo "libcrfmt.a needs more than lib/base:" $$missing >&2; \
		exit 1; \
	fi
	@touch $@

# recap inspect and recap diff (tools/inspect.c, tools/diff.c, linked into
# $(B)/recap by mk/core.mk).
$(B)/tools/inspect.o $(B)/san/tools/inspect.o $(B)/tools/diff.o \
		$(B)/san/tools/diff.o $(B)/tools/cr_chain.o \
		$(B)/san/tools/cr_chain.o: HOST_CFLAGS += -Icr -Icr/image
$(B)/san/tools/inspect.o $(B)/san/tools/diff.o \
		$(B)/san/tools/cr_chain.o: SAN_CFLAGS += -Icr -Icr/image

CRFMT_TEST_CFLAGS := -Icr -Icr/image -Itests/crfmt -Itests/image -Itools

$(patsubst %,%.o,$(CRFMT_TEST_BIN)) $(B)/tests/crfmt/sample.o \
		$(B)/tests/crfmt/tool_run.o: $(B)/%.o: %.c $(B)/.deps
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) $(CRFMT_TEST_CFLAGS) -MMD -MP -c $< -o $@

$(patsubst %,%.o,$(CRFMT_TEST_SAN_BIN)) $(B)/san/tests/crfmt/sample.o \
		$(B)/san/tests/crfmt/tool_run.o: $(B)/san/%.o: %.c $(B)/.deps
	@mkdir -p $(dir $@)
	$(CC) $(SAN_CFLAGS) $(CRFMT_TEST_CFLAGS) -MMD -MP -c $< -o $@

# Every test links recap inspect's and recap diff's objects (test_inspect
# and test_diff call them, through tool_run.o).
$(CRFMT_TEST_BIN): $(B)/%: $(B)/%.o $(B)/tests/crfmt/sample.o \
		$(B)/tests/crfmt/tool_run.o \
		$(B)/tools/inspect.o $(B)/tools/diff.o $(B)/tools/cr_chain.o \
		$(B)/libcrfmt-host.a $(B)/libcaps.a $(B)/libimage.a
	$(CC) $^ $(IMAGE_LIBS) -lcmocka -o $@

$(CRFMT_TEST_SAN_BIN): $(B)/san/%: $(B)/san/%.o $(B)/san/tests/crfmt/sample.o \
		$(B)/san/tests/crfmt/tool_run.o \
		$(B)/san/tools/inspect.o $(B)/san/tools/diff.o $(B)/san/tools/cr_chain.o $(B)/san/libcrfmt-host.a $(B)/san/libcaps.a $(B)/san/libimage.a
	$(CC) -fsanitize=address,undefined $^ $(IMAGE_LIBS) -lcmocka -o $@

# test_roundtrip.c's object, linked with the freestanding archive instead
# of the hosted code (non-PIC objects: -no-pie). lib/base's hosted build
# gives recap_vsnprintf; memcpy and friends are libc's.
$(CRFMT_COMP_TEST): $(B)/tests/crfmt/test_roundtrip.o \
		$(B)/tests/crfmt/sample.o $(B)/libcrfmt.a $(B)/libbase-host.a
	$(CC) -no-pie $^ -lcmocka -o $@

crfmt-check: $(B)/libcrfmt.check $(CRFMT_TEST_BIN) $(CRFMT_TEST_SAN_BIN) \
		$(CRFMT_COMP_TEST)
	@set -e; for t in $(filter-out %.check,$^); do echo "== $$t"; $$t; done

.PHONY: crfmt-check

ALL += $(B)/libcrfmt.a $(B)/libcrfmt.check $(B)/libcrfmt-host.a \
	$(CRFMT_TEST_BIN)
