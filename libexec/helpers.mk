# The C helpers a container needs (lxcri-start, lxcri-init, lxcri-hook, lxcri-attach), built from
# libexec/. Included by the Makefile; run on its own (`make -f libexec/helpers.mk`, in the
# package's directory) by the npm package's install script, scripts/install.mjs.

CC ?= cc
CFLAGS_COMMON = -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -O2
LXC_CFLAGS = $(shell pkg-config --cflags lxc 2>/dev/null)
LXC_LIBS = $(shell pkg-config --libs lxc 2>/dev/null)
CONTAINER_HELPERS = libexec/lxcri-start libexec/lxcri-init libexec/lxcri-hook libexec/lxcri-attach

container-helpers: $(CONTAINER_HELPERS)

libexec/lxcri-start: libexec/lxcri-start.c libexec/util.h libexec/rootfs.h libexec/lxclog.h libexec/rundir.h
	$(CC) $(CFLAGS_COMMON) $(LXC_CFLAGS) -o $@ $< $(LXC_LIBS)

# libseccomp (libseccomp-dev's libseccomp.a) compiles the container's seccomp filter.
libexec/lxcri-init: libexec/lxcri-init.c libexec/seccompfilter.c libexec/seccompfilter.h libexec/util.h libexec/ocihook.h libexec/boundedread.h
	$(CC) $(CFLAGS_COMMON) -static -o $@ libexec/lxcri-init.c libexec/seccompfilter.c -lseccomp

# `lxcri exec`'s join of a container (no liblxc), re-executed from a sealed memfd copy of itself.
libexec/lxcri-attach: libexec/lxcri-attach.c
	$(CC) $(CFLAGS_COMMON) -o $@ $<

libexec/lxcri-hook: libexec/lxcri-hook.c libexec/util.h libexec/ocihook.h libexec/rundir.h
	$(CC) $(CFLAGS_COMMON) -o $@ $<

.PHONY: container-helpers
