# Host-side library for host tasks (the root task, test drivers, core).
$(B)/libl4host.a: $(patsubst %.c,$(B)/%.o,$(HOSTLIB_SRC))
	ar rcs $@ $^

ALL += $(B)/libl4host.a
