# lxcri: OCI runtime on liblxc. `make deps` (root, Debian 12) installs what the build,
# the demo and the tests need; `make` builds; `make test` runs the whole suite.

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

NODE_GYP_FLAGS = $(if $(wildcard /usr/include/node/node_api.h),--nodedir=/usr,)

HELPERS = libexec/lxcri-start libexec/lxcri-init libexec/lxcri-hook libexec/lxcri-launch
TS_SOURCES := $(shell find src -name '*.ts' 2>/dev/null)
NATIVE_SOURCES := $(wildcard native/*.cc native/*.h)
VALIDATORS = src/spec/generated/validators.cjs

# qemu-system-x86 and a cloud kernel: the pure cgroup v2 VM of the resource-limit tests.
DEBIAN_PACKAGES = build-essential pkg-config python3 lxc lxc-dev busybox-static \
	runc crun podman conmon jq uidmap tmux util-linux qemu-system-x86 linux-image-cloud-amd64

.PHONY: all deps install uninstall demo test test-unit test-integration typecheck clean

all: $(HELPERS) dist/lxcri.cjs dist/lxcri-main.cjs dist/lxcri_native.node dist/lxcri-main.cjs.cache

# lxcri-start, lxcri-init, lxcri-hook: one definition for this Makefile and the npm package.
include libexec/helpers.mk

deps:
	@if [ "$$(id -u)" != 0 ]; then echo "make deps: run as root" >&2; exit 1; fi
	apt-get update -q
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $(DEBIAN_PACKAGES)
	@# Node.js >= 20 is expected on the machine; Debian's own nodejs (18) only if none is.
	command -v node >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q nodejs npm
	@node -e 'if (+process.versions.node.split(".")[0] < 20) { console.error("lxcri needs Node.js >= 20, found " + process.version); process.exit(1) }'
	npm ci --no-audit --no-fund

$(VALIDATORS): scripts/gen-validators.mjs $(wildcard $(OCI_SCHEMA_DIR)/*.json)
	node scripts/gen-validators.mjs $(OCI_SCHEMA_DIR) src/spec/generated

# The launcher finds the bundle relative to itself; node is pinned at build time.
libexec/lxcri-launch: libexec/lxcri-launch.c
	$(CC) $(CFLAGS_COMMON) -DLXCRI_NODE='"$(NODE)"' -o $@ $<

build/Release/lxcri_native.node: binding.gyp $(NATIVE_SOURCES)
	npx node-gyp rebuild $(NODE_GYP_FLAGS)

dist/lxcri_native.node: build/Release/lxcri_native.node
	@mkdir -p dist
	cp $< $@

# tsc type-checks and emits the library (dist/lib); esbuild bundles the CLI.
dist/lxcri-main.cjs: $(TS_SOURCES) $(VALIDATORS) scripts/bundle.mjs scripts/callers.mjs package.json
	npx tsc -p tsconfig.json
	mkdir -p dist/lib/spec/generated && cp $(VALIDATORS) $(VALIDATORS:.cjs=.d.cts) dist/lib/spec/generated/
	cp src/native.d.ts dist/lib/  # hand-written declarations: tsc does not emit them
	node scripts/bundle.mjs

dist/lxcri.cjs: scripts/loader.cjs
	@mkdir -p dist
	cp $< $@

# A warm-up run writes the V8 code cache next to the bundle (src/cli/warmup.ts).
dist/lxcri-main.cjs.cache: dist/lxcri-main.cjs dist/lxcri.cjs dist/lxcri_native.node
	rm -f $@
	LXCRI_WARMUP=1 node dist/lxcri.cjs

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
	npx tsc -p tsconfig.json --noEmit

test: all
	scripts/test.sh

clean:
	rm -rf build dist src/spec/generated $(HELPERS)
