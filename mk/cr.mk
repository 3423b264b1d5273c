# cr, the checkpoint/restore component (docs/cr.md): freestanding like
# every component, built from cr/ (not apps/, its home in DESIGN.md's
# layout) into $(B)/apps/cr, where the boot directory finds it. It links
# the section formats (libcrfmt.a, mk/crfmt.mk) before lib/base.
CR_COMP_SRC := cr/main.c cr/policy.c cr/model.c cr/real.c \
	$(wildcard cr/intercept/*.c cr/checkpoint/*.c cr/restore/*.c)

$(B)/apps/cr: $(CRT0_OBJ) $(patsubst %.c,$(B)/comp/%.o,$(CR_COMP_SRC)) \
		$(B)/libcrfmt.a $(B)/libbase.a
	@mkdir -p $(dir $@)
	$(CC) $(COMP_LDFLAGS) $^ -o $@

scenario-check: $(B)/apps/cr
ALL += $(B)/apps/cr
