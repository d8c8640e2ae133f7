# lxcri: OCI runtime on liblxc. `make deps` (root, Debian 12) installs what building and
# running need; `make` builds; `make test` installs what only the tests need
# (scripts/test-deps.sh) and runs the whole suite.

PREFIX ?= /usr/local
DESTDIR ?=
BINDIR = $(DESTDIR)$(PREFIX)/bin
LIBDIR = $(DESTDIR)$(PREFIX)/lib/lxcri
LIBEXECDIR = $(DESTDIR)$(PREFIX)/libexec/lxcri
# lxcri reads /etc/default/lxcri whatever the PREFIX; SYSCONFDIR moves it for staging.
SYSCONFDIR ?= /etc
ETCDIR = $(DESTDIR)$(SYSCONFDIR)
MANDIR = $(DESTDIR)$(PREFIX)/share/man/man8
COMPLETIONDIR = $(DESTDIR)$(PREFIX)/share/bash-completion/completions
# systemd's unit path for the prefix (/usr/local/lib/systemd/system is one of systemd's own).
UNITDIR = $(DESTDIR)$(PREFIX)/lib/systemd/system
EXAMPLEDIR = $(DESTDIR)$(PREFIX)/share/lxcri/examples
# The launcher installed as bin/lxcri (the .deb's pins /usr/bin/node); WARMUP=0 leaves
# the V8 code cache to whoever runs the installed tree (the .deb's postinst).
LAUNCHER ?= libexec/lxcri-launch
WARMUP ?= 1
OCI_SCHEMA_DIR = schema/oci-runtime-spec-v1.2.1
NODE ?= $(shell command -v node)

# Node's start-up must not pay for these (see libexec/lxcri-launch.c).
export NODE_EXTRA_CA_CERTS :=
unexport NODE_EXTRA_CA_CERTS NODE_OPTIONS

NODE_GYP_FLAGS = $(if $(wildcard /usr/include/node/node_api.h),--nodedir=/usr,)

HELPERS = libexec/lxcri-start libexec/lxcri-init libexec/lxcri-hook libexec/lxcri-attach libexec/lxcri-launch
TS_SOURCES := $(shell find src -name '*.ts' 2>/dev/null)
NATIVE_SOURCES := $(wildcard native/*.cc native/*.h)
VALIDATORS = src/spec/generated/validators.cjs

# What building and running need is installed by scripts/deps.sh; the tests' own packages
# (podman, qemu, a kernel for the VM, groff for the man-page tests, ...) by
# scripts/test-deps.sh, so a node that installs lxcri never gets them.

.PHONY: all deps test-deps install uninstall deb demo test test-unit test-integration typecheck clean launcher-pins

all: $(HELPERS) dist/lxcri.cjs dist/lxcri-main.cjs dist/lxcri_native.node dist/lxcri-main.cjs.cache dist/doc/.stamp

# lxcri-start, lxcri-init, lxcri-hook, lxcri-attach: one definition for this Makefile and the npm package.
include libexec/helpers.mk
# Their unit tests: `make check-helpers`.
include libexec/tests/tests.mk

deps:
	scripts/deps.sh

test-deps:
	scripts/test-deps.sh

$(VALIDATORS): scripts/gen-validators.mjs $(wildcard $(OCI_SCHEMA_DIR)/*.json)
	$(NODE) scripts/gen-validators.mjs $(OCI_SCHEMA_DIR) src/spec/generated

# The launcher finds the bundle relative to itself; node is pinned at build time, and so
# is the flag that keeps node's own warnings off stderr (--disable-warning needs Node >= 20.11).
NODE_WARNING_FLAG = $(shell $(NODE) --disable-warning=ExperimentalWarning -e 0 2>/dev/null && echo --disable-warning=ExperimentalWarning || echo --no-warnings)
# Its modules (see the comment at the top of lxcri-launch.c).
LAUNCH_SRCS = libexec/lxcri-launch.c libexec/launch.c libexec/clientconf.c libexec/svcwire.c libexec/svcconnect.c \
	libexec/clientcall.c libexec/closefrom.c
LAUNCH_HDRS = $(filter-out libexec/lxcri-launch.h,$(LAUNCH_SRCS:.c=.h)) libexec/svcproto.h libexec/util.h
libexec/lxcri-launch: $(LAUNCH_SRCS) $(LAUNCH_HDRS)
	$(CC) $(CFLAGS_COMMON) -DLXCRI_NODE='"$(NODE)"' -DLXCRI_NODE_WARNING_FLAG='"$(NODE_WARNING_FLAG)"' -o $@ $(LAUNCH_SRCS)

# What libexec/lxcri-launch pins, for libexec/test-helpers.sh: "<node> <warning flag>".
launcher-pins:
	@echo '$(NODE) $(NODE_WARNING_FLAG)'

build/Release/lxcri_native.node: binding.gyp $(NATIVE_SOURCES)
	$(NODE) node_modules/node-gyp/bin/node-gyp.js rebuild $(NODE_GYP_FLAGS)

dist/lxcri_native.node: build/Release/lxcri_native.node
	@mkdir -p dist
	cp $< $@

# tsc type-checks and emits the library (dist/lib); esbuild bundles the CLI.
dist/lxcri-main.cjs: $(TS_SOURCES) $(VALIDATORS) scripts/bundle.mjs scripts/callers.mjs package.json
	$(NODE) node_modules/typescript/bin/tsc -p tsconfig.json
	mkdir -p dist/lib/spec/generated && cp $(VALIDATORS) $(VALIDATORS:.cjs=.d.cts) dist/lib/spec/generated/
	cp src/native.d.ts dist/lib/  # hand-written declarations: tsc does not emit them
	$(NODE) scripts/bundle.mjs

dist/lxcri.cjs: scripts/loader.cjs
	@mkdir -p dist
	cp $< $@

# A warm-up run writes the V8 code cache next to the bundle (src/cli/warmup.ts).
dist/lxcri-main.cjs.cache: dist/lxcri-main.cjs dist/lxcri.cjs dist/lxcri_native.node
	rm -f $@
	LXCRI_WARMUP=1 $(NODE) dist/lxcri.cjs

# Man pages and bash completion, from the same definitions as --help (src/cli/doc/).
dist/doc/.stamp: dist/lxcri-main.cjs scripts/gen-docs.mjs package.json
	node scripts/gen-docs.mjs dist/doc
	touch $@

install: all $(LAUNCHER)
	install -d $(BINDIR) $(LIBDIR) $(LIBEXECDIR) $(MANDIR) $(COMPLETIONDIR) $(EXAMPLEDIR)/crio $(ETCDIR)/logrotate.d
	install -m 0755 $(LAUNCHER) $(BINDIR)/lxcri
	install -m 0644 dist/lxcri.cjs dist/lxcri-main.cjs dist/lxcri-main.cjs.callers $(LIBDIR)/
	install -m 0755 dist/lxcri_native.node $(LIBDIR)/
	install -m 0755 libexec/lxcri-start libexec/lxcri-init libexec/lxcri-hook libexec/lxcri-attach env/lxcri-backup.sh $(LIBEXECDIR)/
	install -m 0644 dist/doc/man/*.8 $(MANDIR)/
	install -m 0644 dist/doc/completion/lxcri $(COMPLETIONDIR)/lxcri
	sed 's|"/usr/local/bin/lxcri"|"$(PREFIX)/bin/lxcri"|' examples/crio/10-lxcri.conf >$(EXAMPLEDIR)/crio/10-lxcri.conf
	install -m 0644 env/lxcri.logrotate $(ETCDIR)/logrotate.d/lxcri
	install -d $(UNITDIR)
	install -m 0644 env/systemd/lxcri.socket $(UNITDIR)/lxcri.socket
	sed 's|@PREFIX@|$(PREFIX)|' env/systemd/lxcri.service >$(UNITDIR)/lxcri.service && chmod 0644 $(UNITDIR)/lxcri.service
	@# An operator's settings are never overwritten.
	@if [ -e $(ETCDIR)/default/lxcri ]; then \
		echo "make install: kept the existing $(ETCDIR)/default/lxcri (env/lxcri lists every setting)"; \
	else \
		install -d $(ETCDIR)/default && \
		sed 's|/usr/local/libexec/lxcri/|$(PREFIX)/libexec/lxcri/|' env/lxcri >$(ETCDIR)/default/lxcri.new && \
		chmod 0644 $(ETCDIR)/default/lxcri.new && mv $(ETCDIR)/default/lxcri.new $(ETCDIR)/default/lxcri && \
		echo "make install: installed $(ETCDIR)/default/lxcri"; \
	fi
	rm -f $(LIBDIR)/lxcri-main.cjs.cache
	if [ "$(WARMUP)" = 1 ]; then LXCRI_WARMUP=1 $(BINDIR)/lxcri; fi

# $(ETCDIR)/default/lxcri stays: it holds the operator's settings.
uninstall:
	rm -f $(UNITDIR)/lxcri.socket $(UNITDIR)/lxcri.service
	rm -f $(BINDIR)/lxcri $(MANDIR)/lxcri.8 $(MANDIR)/lxcri-*.8 $(COMPLETIONDIR)/lxcri $(ETCDIR)/logrotate.d/lxcri
	rm -rf $(LIBDIR) $(LIBEXECDIR) $(DESTDIR)$(PREFIX)/share/lxcri

# The Debian package: `make install` into a staging tree with PREFIX=/usr, node pinned
# to /usr/bin/node, packed by scripts/mkdeb.sh with pkg/deb/'s maintainer scripts.
DEB_NODE = /usr/bin/node
DEB_STAGE = build/deb/root

build/deb/lxcri-launch: $(LAUNCH_SRCS) $(LAUNCH_HDRS)
	@mkdir -p build/deb
	$(CC) $(CFLAGS_COMMON) -DLXCRI_NODE='"$(DEB_NODE)"' -o $@ $(LAUNCH_SRCS)

deb: all build/deb/lxcri-launch
	rm -rf $(DEB_STAGE)
	$(MAKE) -s install DESTDIR=$(CURDIR)/$(DEB_STAGE) PREFIX=/usr SYSCONFDIR=/etc LAUNCHER=build/deb/lxcri-launch WARMUP=0
	scripts/mkdeb.sh $(DEB_STAGE) .

demo: all
	scripts/demo.sh

# The sources and the tests (tsconfig.test.json): tsc does not see the tests when it builds.
typecheck: $(VALIDATORS)
	$(NODE) node_modules/typescript/bin/tsc -p tsconfig.json --noEmit
	$(NODE) node_modules/typescript/bin/tsc -p tsconfig.test.json

test: all test-deps typecheck
	scripts/test.sh

clean:
	rm -rf build dist src/spec/generated $(HELPERS)
