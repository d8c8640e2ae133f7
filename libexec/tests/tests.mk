# The C helpers' unit tests (libexec/tests/<module>_test.c, plain C with check.h): each
# links the module it tests and what that module calls, nothing of the helpers' main().
# `make check-helpers` builds and runs them; scripts/test.sh runs it with the rest.
# Included by the Makefile; not part of the npm package.

HELPER_TEST_DIR = build/helper-tests
HELPER_TEST_CFLAGS = $(CFLAGS_COMMON) -Ilibexec

# <name> <the module sources it links>
define helper_test
HELPER_TEST_BINS += $(HELPER_TEST_DIR)/$(1)_test
$(HELPER_TEST_DIR)/$(1)_test: libexec/tests/$(1)_test.c $(2) $(wildcard libexec/*.h libexec/tests/*.h)
	@mkdir -p $(HELPER_TEST_DIR)
	$$(CC) $(HELPER_TEST_CFLAGS) -o $$@ libexec/tests/$(1)_test.c $(2)
endef

$(eval $(call helper_test,hookconf,libexec/hookconf.c))
$(eval $(call helper_test,safepath,libexec/safepath.c libexec/hookerr.c))
$(eval $(call helper_test,hookrpc,libexec/hookrpc.c libexec/hookerr.c libexec/boundedread.c))
$(eval $(call helper_test,createhooks,libexec/createhooks.c libexec/hookrpc.c libexec/hookerr.c libexec/boundedread.c libexec/ocihook.c))
$(eval $(call helper_test,ocihook,libexec/ocihook.c))
$(eval $(call helper_test,boundedread,libexec/boundedread.c))
$(eval $(call helper_test,lxclog,libexec/lxclog.c))
$(eval $(call helper_test,procspec,libexec/procspec.c libexec/identity.c libexec/rlimitspec.c libexec/initfail.c))
$(eval $(call helper_test,initsteps,libexec/notify.c libexec/console.c libexec/initfiles.c libexec/execpath.c libexec/initfail.c libexec/boundedread.c))
$(eval $(call helper_test,clientconf,libexec/clientconf.c))
$(eval $(call helper_test,svcwire,libexec/svcwire.c))
$(eval $(call helper_test,clientcall,libexec/clientcall.c libexec/svcwire.c libexec/closefrom.c))

# One line per test program, then "N passed, N failed" (the programs, as scripts/test.sh counts).
check-helpers: $(HELPER_TEST_BINS)
	@pass=0; fail=0; \
	for t in $(HELPER_TEST_BINS); do \
		if $$t; then pass=$$((pass + 1)); else echo "not ok - $$t"; fail=$$((fail + 1)); fi; \
	done; \
	echo "$$pass passed, $$fail failed"; \
	[ $$fail = 0 ]

.PHONY: check-helpers
