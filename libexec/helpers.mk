# The C helpers a container needs (lxcri-start, lxcri-init, lxcri-hook, lxcri-attach), built from
# libexec/. Included by the Makefile; run on its own (`make -f libexec/helpers.mk`, in the
# package's directory) by the npm package's install script, scripts/install.mjs.

CC ?= cc
CFLAGS_COMMON = -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -O2
LXC_CFLAGS = $(shell pkg-config --cflags lxc 2>/dev/null)
LXC_LIBS = $(shell pkg-config --libs lxc 2>/dev/null)
CONTAINER_HELPERS = libexec/lxcri-start libexec/lxcri-init libexec/lxcri-hook libexec/lxcri-attach

container-helpers: $(CONTAINER_HELPERS)

START_SRCS = libexec/lxcri-start.c libexec/lxclog.c libexec/rootfs.c
libexec/lxcri-start: $(START_SRCS) libexec/util.h libexec/rootfs.h libexec/lxclog.h libexec/rundir.h
	$(CC) $(CFLAGS_COMMON) $(LXC_CFLAGS) -o $@ $(START_SRCS) $(LXC_LIBS)

# libseccomp (libseccomp-dev's libseccomp.a) compiles the container's seccomp filter.
INIT_SRCS = libexec/lxcri-init.c libexec/seccompfilter.c libexec/ocihook.c libexec/boundedread.c \
	libexec/initfail.c libexec/identity.c libexec/rlimitspec.c libexec/procspec.c libexec/initfiles.c \
	libexec/execpath.c libexec/notify.c libexec/startsync.c libexec/starthooks.c libexec/console.c \
	libexec/initseccomp.c libexec/fds.c
libexec/lxcri-init: $(INIT_SRCS) $(filter-out libexec/lxcri-init.h,$(INIT_SRCS:.c=.h)) libexec/util.h libexec/rundir.h
	$(CC) $(CFLAGS_COMMON) -static -o $@ $(INIT_SRCS) -lseccomp

# `lxcri exec`'s join of a container (no liblxc), re-executed from a sealed memfd copy of itself.
libexec/lxcri-attach: libexec/lxcri-attach.c
	$(CC) $(CFLAGS_COMMON) -o $@ $<

# lxcri-hook's modules, one concern each (see the comment at the top of lxcri-hook.c).
HOOK_SRCS = libexec/lxcri-hook.c libexec/hookerr.c libexec/hookconf.c libexec/hookops.c libexec/safepath.c \
	libexec/createhooks.c libexec/hookrpc.c libexec/premount.c libexec/ocihook.c libexec/boundedread.c
HOOK_HDRS = $(HOOK_SRCS:.c=.h) libexec/util.h libexec/rundir.h
libexec/lxcri-hook: $(HOOK_SRCS) $(filter-out libexec/lxcri-hook.h,$(HOOK_HDRS))
	$(CC) $(CFLAGS_COMMON) -o $@ $(HOOK_SRCS)

.PHONY: container-helpers
