# The checkpoint image layer (cr/image/, docs/image-format.md): the host
# library $(B)/libimage.a, for the recap CLI, and its cmocka tests
# (tests/image/test_*.c), built plain and under ASan+UBSan.
#
# Users of libimage.a link $(IMAGE_LIBS) after it.
IMAGE_LIBS := -lzstd -lxxhash

IMAGE_SRC := $(wildcard cr/image/*.c)
IMAGE_TEST_SRC := $(wildcard tests/image/test_*.c)
IMAGE_TEST_BIN := $(patsubst %.c,$(B)/%,$(IMAGE_TEST_SRC))
IMAGE_TEST_SAN_BIN := $(patsubst %.c,$(B)/san/%,$(IMAGE_TEST_SRC))

# rm first: an archive must not keep members of deleted sources.
$(B)/libimage.a: $(patsubst %.c,$(B)/%.o,$(IMAGE_SRC))
	@rm -f $@
	ar rcs $@ $^

$(B)/san/libimage.a: $(patsubst %.c,$(B)/san/%.o,$(IMAGE_SRC))
	@rm -f $@
	ar rcs $@ $^

$(patsubst %,%.o,$(IMAGE_TEST_BIN)): $(B)/%.o: %.c $(B)/.deps
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -Icr/image -MMD -MP -c $< -o $@

$(patsubst %,%.o,$(IMAGE_TEST_SAN_BIN)): $(B)/san/%.o: %.c $(B)/.deps
	@mkdir -p $(dir $@)
	$(CC) $(SAN_CFLAGS) -Icr/image -MMD -MP -c $< -o $@

$(IMAGE_TEST_BIN): $(B)/%: $(B)/%.o $(B)/libimage.a
	$(CC) $^ $(IMAGE_TEST_LDFLAGS) $(IMAGE_LIBS) -lcmocka -o $@

$(IMAGE_TEST_SAN_BIN): $(B)/san/%: $(B)/san/%.o $(B)/san/libimage.a
	$(CC) -fsanitize=address,undefined $^ $(IMAGE_TEST_LDFLAGS) \
		$(IMAGE_LIBS) -lcmocka -o $@

# The crash test stops a writer between its last sync and its rename.
$(B)/tests/image/test_image_atomic $(B)/san/tests/image/test_image_atomic: \
	IMAGE_TEST_LDFLAGS := -Wl,--wrap=renameat,--wrap=openat

image-check: $(IMAGE_TEST_BIN) $(IMAGE_TEST_SAN_BIN)
	@set -e; for t in $^; do echo "== $$t"; $$t; done

.PHONY: image-check

ALL += $(B)/libimage.a $(IMAGE_TEST_BIN)
