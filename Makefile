# lxcri: OCI runtime on liblxc. `make deps` (root, Debian 12) installs what building and
# running need; `make` builds; `make test` installs what only the tests need
# (scripts/test-deps.sh) and runs the whole suite.

PREFIX ?= /usr/local
DESTDIR ?=
BINDIR = $(DESTDIR)$(PREFIX)/bin
LIBDIR = $(DESTDIR)$(PREFIX)/lib/lxcri
LIBEXECDIR = $(DESTDIR)$(PREFIX)/libexec/lxcri
OCI_SCHEMA_DIR = schema/oci-runtime-spec-v1.2.1
NODE ?= $(shell command -v node)

# Node's start-up must not pay for these (see libexec/lxcri-launch.c).
export NODE_EXTRA_CA_CERTS :=
unexport NODE_EXTRA_CA_CERTS NODE_OPTIONS

CC ?= cc
CFLAGS_COMMON = -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -O2
LXC_CFLAGS = $(shell pkg-config --cflags lxc 2>/dev/null)
LXC_LIBS = $(shell pkg-config --libs lxc 2>/dev/null)
NODE_GYP_FLAGS = $(if $(wildcard /usr/include/node/node_api.h),--nodedir=/usr,)

HELPERS = libexec/lxcri-start libexec/lxcri-init libexec/lxcri-hook libexec/lxcri-launch
TS_SOURCES := $(shell find src -name '*.ts' 2>/dev/null)
NATIVE_SOURCES := $(wildcard native/*.cc native/*.h)
VALIDATORS = src/spec/generated/validators.cjs

# What building and running need is installed by scripts/deps.sh; the tests' own packages
# (podman, qemu, a kernel for the VM, ...) by scripts/test-deps.sh, so a node that installs
# lxcri never gets them.

.PHONY: all deps test-deps install uninstall demo test test-unit test-integration typecheck clean

all: $(HELPERS) dist/lxcri.cjs dist/lxcri-main.cjs dist/lxcri_native.node dist/lxcri-main.cjs.cache

deps:
	scripts/deps.sh

test-deps:
	scripts/test-deps.sh

$(VALIDATORS): scripts/gen-validators.mjs $(wildcard $(OCI_SCHEMA_DIR)/*.json)
	$(NODE) scripts/gen-validators.mjs $(OCI_SCHEMA_DIR) src/spec/generated

libexec/lxcri-start: libexec/lxcri-start.c libexec/util.h
	$(CC) $(CFLAGS_COMMON) $(LXC_CFLAGS) -o $@ $< $(LXC_LIBS)

libexec/lxcri-init: libexec/lxcri-init.c libexec/util.h libexec/ocihook.h
	$(CC) $(CFLAGS_COMMON) -static -o $@ $<

libexec/lxcri-hook: libexec/lxcri-hook.c libexec/util.h libexec/ocihook.h
	$(CC) $(CFLAGS_COMMON) -o $@ $<

# The launcher finds the bundle relative to itself; node is pinned at build time, and so
# is the flag that keeps node's own warnings off stderr (--disable-warning needs Node >= 20.11).
NODE_WARNING_FLAG = $(shell $(NODE) --disable-warning=ExperimentalWarning -e 0 2>/dev/null && echo --disable-warning=ExperimentalWarning || echo --no-warnings)
libexec/lxcri-launch: libexec/lxcri-launch.c
	$(CC) $(CFLAGS_COMMON) -DLXCRI_NODE='"$(NODE)"' -DLXCRI_NODE_WARNING_FLAG='"$(NODE_WARNING_FLAG)"' -o $@ $<

build/Release/lxcri_native.node: binding.gyp $(NATIVE_SOURCES)
	$(NODE) node_modules/node-gyp/bin/node-gyp.js rebuild $(NODE_GYP_FLAGS)

dist/lxcri_native.node: build/Release/lxcri_native.node
	@mkdir -p dist
	cp $< $@

# tsc type-checks and emits the library (dist/lib); esbuild bundles the CLI.
dist/lxcri-main.cjs: $(TS_SOURCES) $(VALIDATORS) scripts/bundle.mjs scripts/callers.mjs package.json
	$(NODE) node_modules/typescript/bin/tsc -p tsconfig.json
	mkdir -p dist/lib/spec/generated && cp $(VALIDATORS) dist/lib/spec/generated/
	$(NODE) scripts/bundle.mjs

dist/lxcri.cjs: scripts/loader.cjs
	@mkdir -p dist
	cp $< $@

# A warm-up run writes the V8 code cache next to the bundle (src/cli/warmup.ts).
dist/lxcri-main.cjs.cache: dist/lxcri-main.cjs dist/lxcri.cjs dist/lxcri_native.node
	rm -f $@
	LXCRI_WARMUP=1 $(NODE) dist/lxcri.cjs

install: all
	install -d $(BINDIR) $(LIBDIR) $(LIBEXECDIR)
	install -m 0755 libexec/lxcri-launch $(BINDIR)/lxcri
	install -m 0644 dist/lxcri.cjs dist/lxcri-main.cjs dist/lxcri-main.cjs.callers $(LIBDIR)/
	install -m 0755 dist/lxcri_native.node $(LIBDIR)/
	install -m 0755 libexec/lxcri-start libexec/lxcri-init libexec/lxcri-hook $(LIBEXECDIR)/
	rm -f $(LIBDIR)/lxcri-main.cjs.cache
	LXCRI_WARMUP=1 $(BINDIR)/lxcri

uninstall:
	rm -f $(BINDIR)/lxcri
	rm -rf $(LIBDIR) $(LIBEXECDIR)

demo: all
	scripts/demo.sh

typecheck: $(VALIDATORS)
	$(NODE) node_modules/typescript/bin/tsc -p tsconfig.json --noEmit

test: all test-deps
	scripts/test.sh

clean:
	rm -rf build dist src/spec/generated $(HELPERS)
