#!/bin/bash
# Tests for the C helpers in libexec/ without Node (run as root):
#   lxcri-init  in a fake busybox root (chroot, new pid + mount namespace)
#   lxcri-hook  on a fake rootfs in a private mount namespace (also in a
#               user namespace), including symlink escape attempts
#   lxcri-start usage, its end with the init's and the SIGHUP "reboot" veto
#               with real (minimal) liblxc containers
#   lxcri-launch argv and environment handling
# Builds the helpers first through make (libexec/helpers.mk, the Makefile's
# launcher), so what runs here is what `make` builds. The parsers and the
# hooks.sock protocol have unit tests of their own (make check-helpers). Leaves
# nothing behind: processes, mounts (all in private namespaces), cgroups
# (/sys/fs/cgroup/*/lxcri-test-<pid>) and temp dirs are cleaned up.
# Ends with "N passed, N failed"; exit status 0 only if nothing failed.
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
SELF="$HERE/$(basename "$0")"

ok() { echo "ok - $1"; echo ok >>"$RESULTS"; }
not_ok() { echo "not ok - $1${2:+ ($2)}"; echo fail >>"$RESULTS"; }
# check DESC CMD...: passes if CMD succeeds
check() {
	local desc=$1
	shift
	if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}
# expect DESC GOT WANT
expect() {
	if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1" "got '$2', want '$3'"; fi
}
# expect_match DESC GOT GLOB
expect_match() {
	# shellcheck disable=SC2053
	if [[ $2 == $3 ]]; then ok "$1"; else not_ok "$1" "got '$2', want match '$3'"; fi
}

# Inner parts run in other namespaces: "$SELF --inner FUNC ARGS...".
if [ "${1:-}" = --inner ]; then
	shift
	INNER=1
fi

# ---------------------------------------------------------------- lxcri-hook

# run_hook ROOTFS CFGDIR [TYPE]: run lxcri-hook like liblxc does (version 1)
run_hook() {
	env -i PATH=/usr/bin:/bin LXC_HOOK_TYPE="${3:-mount}" LXC_ROOTFS_MOUNT="$1" \
		LXC_CONFIG_FILE="$2/config" LXC_NAME=test "$HERE/lxcri-hook" 2>"$2/stderr"
}

is_mountpoint() { grep -q " $1 " /proc/self/mountinfo; }

# In a private mount namespace, as real root.
hook_inner_root() {
	local H=$1 root=$1/rootfs cfg=$1/cfg
	mount --rbind "$root" "$root" || { not_ok "bind rootfs"; return; }
	local ino_keep
	ino_keep=$(stat -c %i "$root/dev/keep")

	run_hook "$root" "$cfg"
	expect "hook: applies hook.conf" "$?" 0
	expect "hook: nothing on stderr" "$(cat "$cfg/stderr")" ""
	check "hook: no error file on success" test ! -e "$cfg/error"

	expect "dev: /dev/null created" "$(stat -c '%F %t:%T %a %u:%g' "$root/dev/null")" \
		"character special file 1:3 666 0:0"
	expect "dev: parents created 0755" "$(stat -c '%a' "$root/dev/sub")" 755
	expect "dev: mode and owner applied" "$(stat -c '%F %t:%T %a %u:%g' "$root/dev/sub/zero")" \
		"character special file 1:5 620 1000:1001"
	expect "dev: wrong type replaced" "$(stat -c '%F %t:%T' "$root/dev/replace")" \
		"character special file 1:7"
	expect "dev: empty dir replaced" "$(stat -c '%F %t:%T' "$root/dev/emptydir")" \
		"character special file 1:8"
	expect "dev: matching node kept, mode/owner fixed" \
		"$(stat -c '%i %a %u:%g' "$root/dev/keep")" "$ino_keep 600 5:5"
	expect "dev: fifo" "$(stat -c '%F %a' "$root/dev/fifo0")" "fifo 640"
	expect "dev: block device" "$(stat -c '%F %t:%T' "$root/dev/blk")" "block special file 7:0"
	check "dev: absolute symlink cannot escape (host side untouched)" \
		test ! -e "$H/outside/evil"
	check "dev: absolute symlink resolved inside rootfs" test -c "$root$H/outside/evil"
	check "dev: relative ../ symlink cannot escape" test ! -e "$H/outside/evil2"
	check "dev: relative ../ symlink resolved inside rootfs" test -c "$root/outside/evil2"
	check "dev: dangling symlink: target dirs created inside rootfs" test -c "$root/made/here/null"
	check "dev: dangling symlink: nothing on the host" test ! -e /made

	expect "symlink: created" "$(readlink "$root/dev/ptmx")" "pts/ptmx"
	expect "symlink: magic target is just text" "$(readlink "$root/dev/fd")" "/proc/self/fd"
	expect "symlink: existing file kept" "$(cat "$root/etc/hostname")" "container"
	check "mkdir: nested dirs" test -d "$root/work/a/b"

	expect "mask: dir emptied" "$(ls -A "$root/masked")" ""
	check "mask: dir read-only" bash -c "! touch '$root/masked/x' 2>/dev/null"
	expect "mask: file emptied" "$(cat "$root/secretfile")" ""
	expect "mask: through absolute symlink masks the rootfs file" \
		"$(cat "$root/etc/passwd")" ""
	check "mask: host /etc/passwd untouched" grep -q '^root:' /etc/passwd
	check "mask: host /etc/passwd not a mount point" bash -c "! grep -q ' /etc/passwd ' /proc/self/mountinfo"
	expect "mask: through ../ symlink masks the rootfs file" "$(cat "$root/etc/group")" ""
	check "mask: host /etc/group untouched" grep -q '^root:' /etc/group
	check "mask: host /etc/group not a mount point" bash -c "! grep -q ' /etc/group ' /proc/self/mountinfo"

	check "ro: path read-only" bash -c "! touch '$root/rodir/new' 2>/dev/null"
	expect "ro: content still readable" "$(cat "$root/rodir/f")" "keep"
	check "ro: mount is nosuid (flags kept)" bash -c \
		"grep ' $root/rodir ' /proc/self/mountinfo | grep -q 'ro,nosuid'"
	check "rootro: rootfs read-only" bash -c "! touch '$root/newfile' 2>/dev/null"
	check "rootro: rootfs still mounted" is_mountpoint "$root"
}

# In a user namespace (root mapped to root) with its own mount namespace:
# mknod fails with EPERM, the mounts of the parent namespace are locked.
hook_inner_userns() {
	local root=$1/rootfs cfg=$1/cfg
	run_hook "$root" "$cfg"
	expect "userns hook: applies hook.conf" "$?" 0
	expect "userns hook: nothing on stderr" "$(cat "$cfg/stderr")" ""
	expect "userns dev: host node bind-mounted (mknod EPERM)" \
		"$(stat -c '%F %t:%T' "$root/dev/null")" "character special file 1:3"
	check "userns dev: bind mount in place" is_mountpoint "$root/dev/null"
	check "userns dev: usable" bash -c "echo x > '$root/dev/null'"
	check "userns ro: read-only" bash -c "! touch '$root/sub/x' 2>/dev/null"
	check "userns ro: nosuid,nodev,noexec kept" bash -c \
		"grep ' $root/sub ' /proc/self/mountinfo | grep -q 'ro,nosuid,nodev,noexec'"
	expect "userns mask: dir emptied" "$(ls -A "$root/masked")" ""
	check "userns rootro: read-only" bash -c "! touch '$root/x' 2>/dev/null"
}

if [ -n "${INNER:-}" ]; then
	"$@"
	exit
fi

# ---------------------------------------------------------------- main

if [ "$(id -u)" != 0 ]; then
	echo "test-helpers.sh: must run as root" >&2
	exit 1
fi
for tool in unshare chroot python3 stat mkfifo; do
	command -v "$tool" >/dev/null || { echo "test-helpers.sh: $tool missing" >&2; exit 1; }
done
is_static() { local h; h=$(readelf -l "$1" 2>/dev/null) && ! printf '%s' "$h" | grep -q 'program interpreter'; }
BUSYBOX=/bin/busybox
if [ ! -x "$BUSYBOX" ] || ! is_static "$BUSYBOX"; then
	echo "test-helpers.sh: a static /bin/busybox is needed (apt-get install busybox-static)" >&2
	exit 1
fi

T=$(mktemp -d /tmp/lxcri-helpers.XXXXXX)
export RESULTS=$T/results
: >"$RESULTS"
CG=lxcri-test-$$
MOUNTS_BEFORE=$(wc -l </proc/self/mountinfo)
BG_PIDS=()

kill_tree() { # children first: a monitor's container init must not survive it
	local c
	for c in $(pgrep -P "$1"); do kill_tree "$c"; done
	kill -KILL "$1" 2>/dev/null
}
cleanup() {
	local pid
	for pid in "${BG_PIDS[@]}"; do
		kill_tree "$pid"
	done
	wait 2>/dev/null
	# Cgroups liblxc created (and the monitor pivot it never removes).
	local d
	for d in /sys/fs/cgroup/*/"$CG"; do
		[ -d "$d" ] && find "$d" -depth -type d -exec rmdir {} + 2>/dev/null
	done
	if [ -n "${KEEP_TMP:-}" ]; then echo "# kept $T"; else rm -rf "$T"; fi
	rm -rf "/run/lxc/lock$T" # liblxc's lock dir of the lxcpath $T/lxc
}
trap cleanup EXIT

# wait_for PID SECONDS: wait for a background job, killing it when late;
# prints nothing, returns its status (or 255 after a kill).
wait_for() {
	local pid=$1 n=$(($2 * 10))
	while [ "$n" -gt 0 ]; do
		if [ "$(ps -o stat= -p "$pid" 2>/dev/null | cut -c1)" = Z ] || ! kill -0 "$pid" 2>/dev/null; then
			wait "$pid" 2>/dev/null
			return
		fi
		sleep 0.1
		n=$((n - 1))
	done
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	return 255
}

echo "# build"
# The helpers under test are the ones `make` builds.
build() {
	make -s -C "$HERE/.." libexec/lxcri-start libexec/lxcri-init libexec/lxcri-hook libexec/lxcri-attach libexec/lxcri-launch
}
check "build all helpers (static lxcri-init)" build
check "lxcri-init is static" is_static "$HERE/lxcri-init"

# ---------------------------------------------------------------- lxcri-launch
echo "# lxcri-launch"
# The node and the warning flag make pinned into the launcher (--disable-warning needs
# Node >= 20.11).
read -r pinned_node wflag < <(make -s -C "$HERE/.." --no-print-directory launcher-pins)
if [ -x "$pinned_node" ]; then
	cat >"$T/main.cjs" <<'EOF'
const keys = Object.keys(process.env).filter((k) => k.startsWith('NODE_') || k === 'KEEP');
console.log(JSON.stringify({ argv: process.argv.slice(1), exec: process.execArgv, keys }));
EOF
	# In-process (LXCRI_SERVICE=off: no service is wanted).
	out=$(NODE_OPTIONS=--no-such-flag NODE_PATH=/x NODE_EXTRA_CA_CERTS=/x NODE_REPL_EXTERNAL_MODULE=/x \
		KEEP=1 LXCRI_SERVICE=off LXCRI_MAIN="$T/main.cjs" "$HERE/lxcri-launch" a "b c")
	expect "launch: argv, flags, env sanitised" "$out" \
		"{\"argv\":[\"$T/main.cjs\",\"a\",\"b c\"],\"exec\":[\"$wflag\"],\"keys\":[\"KEEP\"]}"
	out=$(env -i LXCRI_MAIN="$T/main.cjs" "$HERE/lxcri-launch")
	expect "launch: no arguments run in-process" "$out" \
		"{\"argv\":[\"$T/main.cjs\"],\"exec\":[\"$wflag\"],\"keys\":[]}"
	out=$(env -i LXCRI_SERVICE=off LXCRI_MAIN="$T/main.cjs" "$HERE/lxcri-launch" state x)
	expect "launch: works with an empty environment" "$out" \
		"{\"argv\":[\"$T/main.cjs\",\"state\",\"x\"],\"exec\":[\"$wflag\"],\"keys\":[]}"
	# The pinned node gone (an empty directory over its own, in a mount namespace).
	mkdir "$T/empty"
	err=$(unshare -m --propagation private sh -c 'mount --bind "$1" "$2" && exec "$3"' sh \
		"$T/empty" "$(dirname "$pinned_node")" "$HERE/lxcri-launch" 2>&1)
	rc=$?
	expect "launch: exec failure exit code" "$rc" 127
	expect "launch: exec failure message" "$err" "lxcri: cannot exec $pinned_node: No such file or directory"

	# The client starts the service of its root on demand (as root), detached, with
	# --root and service; a bundle that is no service ends at once: mode on reports it,
	# mode auto runs the call in-process.
	cat >"$T/rec.cjs" <<'EOF'
require('node:fs').appendFileSync(process.env.REC, JSON.stringify(process.argv.slice(2)) + '\n');
if (process.argv.includes('service')) require('node:fs').appendFileSync(process.env.REC + '.node', JSON.stringify(process.execArgv) + '\n');
EOF
	if [ "$(id -u)" = 0 ]; then
		err=$(REC="$T/rec" LXCRI_ENV_FILE=/dev/null/none LXCRI_SERVICE=on LXCRI_MAIN="$T/rec.cjs" \
			"$HERE/lxcri-launch" --root "$T/svc" --service-idle 7 state x 2>&1)
		expect "client: mode on, the service ends at start: exit 1" "$?" 1
		expect "client: mode on, the service ends at start: one line" "$err" \
			"lxcri: cannot reach the lxcri service at $T/svc/.lxcri.sock: the service it started ended"
		expect "client: the service's argv" "$(cat "$T/rec")" '["--root","'"$T"'/svc","service","--service-idle","7"]'
		expect "client: the service's node flags" "$(cat "$T/rec.node")" '["'"$wflag"'","--max-semi-space-size=1"]'
		rm -f "$T/rec.node"
		rm -f "$T/rec"
		REC="$T/rec" LXCRI_ENV_FILE=/dev/null/none LXCRI_MAIN="$T/rec.cjs" "$HERE/lxcri-launch" --root="$T/svc" state x
		expect "client: mode auto falls back in-process" "$(cat "$T/rec")" \
			'["--root","'"$T"'/svc","service"]
["--root='"$T"'/svc","state","x"]'
		expect "client: the start lock is the only file it leaves" "$(ls -A "$T/svc")" ".lxcri.start"
	fi
	# A stand-in service (python3): the call goes over the socket, also when the root's
	# path is too long for sun_path.
	if command -v python3 >/dev/null; then
		cat >"$T/svc.py" <<'EOF'
import os, socket, sys
os.chdir(sys.argv[1])
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
s.bind(".lxcri.sock")
s.listen(1)
open(".ready", "w").close()
c, _ = s.accept()
msg, fds, _, _ = socket.recv_fds(c, 65536, 64)
f = msg.split(b"\0")
ok = msg[0:1] == b"Q" and f[0][1:] == b"1" and f[2:6] == [b"4", b"--root", os.getcwd().encode(), b"state"] and len(fds) == 3
c.send(b"X" + (b"4\0from the service\n\0" if ok else b"9\0bad request " + repr(f[:6]).encode() + b"\n\0"))
EOF
		long="$T/$(printf 'd%.0s' $(seq 1 120))"
		for root in "$T/py" "$long"; do
			mkdir -p "$root"
			python3 "$T/svc.py" "$root" &
			pypid=$!
			for _ in $(seq 1 100); do [ -e "$root/.ready" ] && break; sleep 0.05; done
			err=$(LXCRI_ENV_FILE=/dev/null/none LXCRI_SERVICE=on LXCRI_MAIN=/nonexistent "$HERE/lxcri-launch" --root "$root" state x 2>&1)
			expect "client: the call over the socket (root of ${#root} chars): exit code" "$?" 4
			expect "client: the call over the socket (root of ${#root} chars): text" "$err" "from the service"
			wait_for "$pypid" 5
		done
	fi
else
	not_ok "launch: make pins an executable node" "got '$pinned_node'"
fi

# ---------------------------------------------------------------- lxcri-attach
echo "# lxcri-attach"
# (exec in real containers: test/integration/exec.test.ts, execjoin.test.ts, escapes.test.ts)
# readelf fails for a file it cannot read: then the check fails too.
check "attach: does not link liblxc" sh -c "deps=\$(readelf -d '$HERE/lxcri-attach') && ! printf '%s' \"\$deps\" | grep -q 'NEEDED.*liblxc'"
# This shell stands in for a container's init: it shares all our namespaces, so nothing
# is joined; INIT_FD is /usr/bin/env, which shows the environment the process gets.
me_start=$(sed 's/.*) //' /proc/$$/stat | cut -d' ' -f20)
out=$(env -i X=leak "$HERE/lxcri-attach" 8 7 --pid $$ --start "$me_start" --env A=1 --env 'B=2 3' -- env 8</usr/bin/env 7>"$T/attach.status")
expect "attach: execs INIT_FD with exactly the --env entries" "$?:$out" "0:A=1
B=2 3"
expect "attach: reports the wait status" "$(cat "$T/attach.status")" "status 0"
"$HERE/lxcri-attach" 8 7 --pid $$ --start "$me_start" -- false 8</bin/false 7>"$T/attach.status"
expect "attach: the process's exit code is in the status, not ours" "$?:$(cat "$T/attach.status")" "0:status 256"
"$HERE/lxcri-attach" 8 7 --pid $$ --start "$me_start" --detach -- true 8</bin/true 7>"$T/attach.status"
expect_match "attach: --detach reports the pid" "$?:$(cat "$T/attach.status")" "0:pid [0-9]*"
attach_err=$("$HERE/lxcri-attach" 8 7 --pid $$ --start $((me_start + 1)) -- true 8</bin/true 7>"$T/attach.status" 2>"$T/attach.err")
expect "attach: a recycled init PID fails" "$?" 1
expect "attach: one error line on the status fd" "$(cat "$T/attach.status")" "error the container's init is gone"
expect "attach: nothing on stdout or stderr" "$attach_err$(cat "$T/attach.err")" ""
"$HERE/lxcri-attach" 8 7 --pid $$ --start "$me_start" --cgroup "$T/no-cgroup" -- true 8</bin/true 7>"$T/attach.status"
expect "attach: a cgroup it cannot join fails" "$?:$(cat "$T/attach.status")" "1:error join cgroup $T/no-cgroup: No such file or directory"
printf 'junk\n' >"$T/junk" && chmod 755 "$T/junk"
"$HERE/lxcri-attach" 8 7 --pid $$ --start "$me_start" -- true 8<"$T/junk" 7>"$T/attach.status"
expect "attach: a failed exec is reported" "$?:$(cat "$T/attach.status")" "1:error exec lxcri-init in the container: Exec format error"
"$HERE/lxcri-attach" x 2>"$T/attach.err"
expect "attach: usage error on stderr" "$?:$(cat "$T/attach.err")" "1:lxcri-attach: usage: lxcri-attach INIT_FD STATUS_FD --pid N --start T [OPTIONS] -- ARGV..."

# ---------------------------------------------------------------- lxcri-init
echo "# lxcri-init"
IR=$T/iroot
L=$IR/.lxcri
mkdir -p "$IR"/{bin,etc,proc,work,home/u,nonexec,dirs/sh} "$L"
cp "$BUSYBOX" "$IR/bin/busybox"
for c in sh echo cat grep id pwd env; do ln -s busybox "$IR/bin/$c"; done
printf 'root:x:0:0:root:/root:/bin/sh\nu:x:1000:1000:U:/home/u:/bin/sh\nnohome:x:1001:1001:::/bin/sh\n' >"$IR/etc/passwd"
touch "$IR/nonexec/sh"
printf 'not an executable' >"$IR/work/garbage"
chmod 755 "$IR/work/garbage"
printf '#!/bin/sh\necho script-ran "$@"\n' >"$IR/work/run.sh"
chmod 755 "$IR/work/run.sh"
cp "$HERE/lxcri-init" "$L/lxcri-init"
mkfifo -m 0644 "$L/syncfifo"
chmod 755 "$IR" "$L"

cat >"$T/listen.py" <<'EOF'
import os, socket, sys
path, out = sys.argv[1], sys.argv[2]
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
# By a relative name: the path may be longer than sun_path's 108 bytes.
os.chdir(os.path.dirname(path))
s.bind(os.path.basename(path))
os.chmod(os.path.basename(path), 0o666)  # lxcri-init may run as any user
s.listen(1)
s.settimeout(20)
c, _ = s.accept()
data = b''
while True:
    d = c.recv(4096)
    if not d:
        break
    data += d
open(out, 'wb').write(data)
EOF

# spec CWD ENV... -- ARGS...: the process record's cwd, env and args (identity adds the rest)
spec() {
	printf 'cwd=%s\0' "$1" >"$T/record.body"
	shift
	while [ "$1" != -- ]; do printf 'env=%s\0' "$1" >>"$T/record.body"; shift; done
	shift
	for a in "$@"; do printf 'arg=%s\0' "$a" >>"$T/record.body"; done
}
# listen [DIR]: the notify socket in DIR (default: $L)
listen() {
	local d=${1:-$L}
	rm -f "$d/notify" "$T/notify.out"
	python3 "$T/listen.py" "$d/notify" "$T/notify.out" &
	LPID=$!
	BG_PIDS+=("$LPID")
	local n=50
	while [ ! -S "$d/notify" ] && [ $n -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
}
# identity [UID:GID]: the process record (src/lxc/processrecord.ts) with the identity
# lxcri-init switches to (it starts as root): that user with this shell's capabilities, or
# none for a non-root user; seccomp=file when $L/seccomp is there.
identity() {
	local uid=${1%%:*} gid=${1##*:} caps
	caps=$(sed -n 's/^CapPrm:\t0*//p' /proc/self/status)
	if [ "$uid" != 0 ]; then
		printf 'identity=%s\0' "$uid $gid - $caps 0 0 0 0" >"$L/process"
	else
		printf 'identity=%s\0' "0 0 - $caps $caps $caps 0 0" >"$L/process"
	fi
	if [ -e "$L/seccomp" ]; then printf 'seccomp=file\0' >>"$L/process"; fi
	cat "$T/record.body" >>"$L/process"
}
# start_init [UID:GID]: lxcri-init as PID 1 of a new pid namespace, with
# some signals ignored by its parent (the exec'd process must not inherit).
# /.lxcri is a bind mount there, as liblxc makes it: lxcri-init unmounts it.
start_init() {
	identity "${1:-0:0}"
	(
		trap '' INT QUIT HUP TERM PIPE
		exec unshare -m -p --kill-child --mount-proc="$IR/proc" \
			sh -c 'mount --bind "$1/.lxcri" "$1/.lxcri" && exec chroot "$1" /.lxcri/lxcri-init' \
			start_init "$IR" >"$T/init.out" 2>"$T/init.err"
	) &
	IPID=$!
	BG_PIDS+=("$IPID")
}
notify_line() {
	wait_for "$LPID" 20
	cat "$T/notify.out" 2>/dev/null
}
send_start() { timeout 10 bash -c "printf x > '$L/syncfifo'"; }
# run_ok [USERSPEC]: full ok path; sets OUT, RC
run_ok() {
	listen
	start_init "${1:-}"
	NOTIFY=$(notify_line)
	send_start
	wait_for "$IPID" 10
	RC=$?
	OUT=$(cat "$T/init.out")
}
# run_err: an error before start; sets NOTIFY, RC, ERR
run_err() {
	listen
	start_init "${1:-}"
	NOTIFY=$(notify_line)
	wait_for "$IPID" 10
	RC=$?
	ERR=$(cat "$T/init.err")
}

spec /work 'PATH=/nonexec:/dirs:/bin' 'FOO=bar baz' -- \
	sh -c 'echo pid=$$ home=$HOME foo=$FOO cwd=$(pwd) arg=$0' zero
listen
start_init
NOTIFY=$(notify_line)
expect "init: notify ok" "$NOTIFY" "ok"
# An open+close without data (a liveness probe) must not start it.
timeout 10 bash -c ": > '$L/syncfifo'"
sleep 0.5
check "init: EOF probe does not start the process" kill -0 "$IPID"
expect "init: nothing ran yet" "$(cat "$T/init.out")" ""
send_start
wait_for "$IPID" 10
expect "init: exit code of the process" "$?" 0
expect "init: PATH lookup skips dirs and non-executables; env, cwd, HOME, PID 1" \
	"$(cat "$T/init.out")" "pid=1 home=/root foo=bar baz cwd=/work arg=zero"
expect "init: nothing on stderr" "$(cat "$T/init.err")" ""

# The init dir (host files) is no longer mounted when the process runs; the FIFO is
# not followed through a symlink.
spec / PATH=/bin -- sh -c 'grep -c " /.lxcri " /proc/self/mountinfo'
run_ok
expect "init: the init dir is unmounted before the process runs" "$OUT" "0"
mv "$L/syncfifo" "$L/syncfifo.real"
ln -s syncfifo.real "$L/syncfifo"
spec / PATH=/bin -- echo ran
listen
start_init
NOTIFY=$(notify_line)
wait_for "$IPID" 10
expect "init: a symlinked sync FIFO is refused" "$(cat "$T/init.err")" "lxcri-init: open /.lxcri/syncfifo: Too many levels of symbolic links"
rm "$L/syncfifo"
mv "$L/syncfifo.real" "$L/syncfifo"
# Image files are read as the image has them: a symlinked /etc/passwd still gives HOME.
mv "$IR/etc/passwd" "$IR/etc/passwd.real"
ln -s passwd.real "$IR/etc/passwd"
spec / PATH=/bin -- sh -c 'echo $HOME'
run_ok
expect "init: HOME from a symlinked /etc/passwd" "$OUT" "/root"
rm "$IR/etc/passwd"
mv "$IR/etc/passwd.real" "$IR/etc/passwd"

spec / -- cat /proc/self/status
run_ok
expect "init: signal mask cleared" "$(echo "$OUT" | grep ^SigBlk:)" $'SigBlk:\t0000000000000000'
expect "init: ignored signals reset" "$(echo "$OUT" | grep ^SigIgn:)" $'SigIgn:\t0000000000000000'

spec / -- env
run_ok
expect "init: default PATH used for lookup only, HOME added" "$OUT" "HOME=/root"
spec / -- sh -c 'exit 3'
run_ok
expect "init: exit code passed through" "$RC" 3

spec / -- sh -c 'echo home=$HOME uid=$(id -u)'
run_ok 1000:1000
expect "init: HOME from /etc/passwd for uid 1000" "$OUT" "home=/home/u uid=1000"
run_ok 1001:1001
expect "init: empty home field gives /" "$OUT" "home=/ uid=1001"
run_ok 2000:2000
expect "init: uid not in /etc/passwd gives HOME=/" "$OUT" "home=/ uid=2000"
spec / HOME=/custom -- sh -c 'echo home=$HOME'
run_ok 1000:1000
expect "init: HOME from the process env wins" "$OUT" "home=/custom"

# The image's /etc/passwd is read for HOME: only a regular file, at most 4 MiB, and one
# clear line otherwise (not an endless read of /dev/zero, not a FIFO's blocking open).
mv "$IR/etc/passwd" "$IR/etc/passwd.keep"
mkdir -p "$IR/dev"
mknod "$IR/dev/zero" c 1 5
spec / -- sh -c 'echo home=$HOME'
ln -s /dev/zero "$IR/etc/passwd"
run_err
expect "init: /etc/passwd -> /dev/zero refused" "$NOTIFY" \
	"error 125 lxcri-init: read /etc/passwd (for HOME): not a regular file"
rm "$IR/etc/passwd"
mkfifo "$IR/etc/passwd"
run_err
expect "init: /etc/passwd a FIFO refused" "$NOTIFY" \
	"error 125 lxcri-init: read /etc/passwd (for HOME): not a regular file"
rm "$IR/etc/passwd"
head -c $((5 << 20)) /dev/zero | tr '\0' '#' >"$IR/etc/passwd"
run_err
expect "init: /etc/passwd over 4 MiB refused" "$NOTIFY" \
	"error 125 lxcri-init: read /etc/passwd (for HOME): larger than 4 MiB"
rm "$IR/etc/passwd" "$IR/dev/zero"
run_ok
expect "init: no /etc/passwd gives HOME=/" "$OUT" "home=/"
mv "$IR/etc/passwd.keep" "$IR/etc/passwd"

# Files in a directory whose path passes sun_path (108 bytes): lxcri-init reaches the
# notify socket through /proc/self/fd/<dir fd>/notify.
LONGDIR=/$(printf 'l%.0s' $(seq 1 120))
mkdir "$IR$LONGDIR"
spec / -- nosuchcommand
identity 0:0
cp "$L/lxcri-init" "$L/process" "$IR$LONGDIR/"
listen "$IR$LONGDIR"
unshare -m -p --kill-child --mount-proc="$IR/proc" \
	sh -c 'mount --bind "$1$2" "$1$2" && exec chroot "$1" "$2/lxcri-init"' long_init "$IR" "$LONGDIR" \
	>"$T/init.out" 2>"$T/init.err" &
IPID=$!
BG_PIDS+=("$IPID")
NOTIFY=$(notify_line)
wait_for "$IPID" 10
expect "init: reports through a socket path past sun_path" "$NOTIFY" \
	'error 127 exec: "nosuchcommand": executable file not found in $PATH'
expect "init: long dir: nothing on stderr" "$(cat "$T/init.err")" ""
rm -rf "${IR:?}$LONGDIR"

spec /work PATH=/bin -- ./run.sh a1
run_ok
expect "init: relative path with a slash" "$OUT" "script-ran a1"

spec / PATH=/bin -- no-such-cmd
run_err
expect "init: not found in PATH -> notify" "$NOTIFY" \
	'error 127 exec: "no-such-cmd": executable file not found in $PATH'
expect "init: not found exit code" "$RC" 127
expect "init: not found: no stderr when notified" "$ERR" ""

spec / -- /no/such/file
run_err
expect "init: explicit path missing" "$NOTIFY" "error 127 exec: /no/such/file: no such file or directory"
expect "init: explicit path missing exit code" "$RC" 127

spec / -- /bin
run_err
expect "init: directory" "$NOTIFY" "error 126 exec: /bin: permission denied"
expect "init: directory exit code" "$RC" 126

spec / -- /etc/passwd
run_err
expect "init: not executable" "$NOTIFY" "error 126 exec: /etc/passwd: permission denied"

spec /nonexistent -- sh
run_err
expect "init: bad cwd" "$NOTIFY" "error 125 lxcri-init: chdir /nonexistent: No such file or directory"
expect "init: bad cwd exit code" "$RC" 125

spec / -- $'bad\nname'
run_err
expect "init: newline kept out of the notify line" "$NOTIFY" \
	'error 127 exec: "bad name": executable file not found in $PATH'

spec / PATH=/bin --
run_err
expect "init: empty args" "$NOTIFY" "error 125 lxcri-init: process record: no arguments"
printf 'garbage' >"$T/record.body"
run_err
expect "init: a truncated record" "$NOTIFY" "error 125 lxcri-init: process record: truncated (its last entry has no NUL)"

spec / PATH=/bin -- no-such-cmd
rm -f "$L/notify"
start_init
wait_for "$IPID" 10
RC=$?
expect "init: no listener: exit code" "$RC" 127
expect "init: no listener: error on stderr" "$(cat "$T/init.err")" \
	'exec: "no-such-cmd": executable file not found in $PATH'

spec / -- sh -c 'echo started'
rm -f "$L/notify"
start_init
wait_for "$IPID" 10
expect "init: no listener on success: gives up (nobody would start it)" "$?:$(cat "$T/init.out")" "125:"
expect "init: no listener on success: says why" "$(cat "$T/init.err")" \
	"lxcri-init: report to lxcri create: No such file or directory"

# Before start, PID 1 would ignore SIGTERM without a handler.
spec / -- sh -c 'echo started'
listen
start_init
notify_line >/dev/null
kill -TERM "$(pgrep -P "$IPID")"
wait_for "$IPID" 10
expect "init: SIGTERM before start ends it (exit 128+15)" "$?:$(cat "$T/init.out")" "143:"

spec /work -- /work/garbage
run_ok
expect "init: exec failure after start" "$(cat "$T/init.err")" \
	"lxcri-init: exec /work/garbage: Exec format error"
expect "init: exec failure exit code" "$RC" 126

# The seccomp profile (src/lxc/seccomp.ts writes it): compiled before the report, so a bad
# one fails create; without no_new_privs it is loaded while still root.
printf 'default allow\nrule mkdir bogus\n' >"$L/seccomp"
spec / -- sh -c 'echo started'
run_err
expect "init: malformed seccomp profile fails the report" "$NOTIFY" 'error 125 lxcri-init: seccomp: malformed directive "rule"'
printf 'default allow\narch x86_64\nrule mkdir errno:13\n' >"$L/seccomp"
spec / -- sh -c 'grep Seccomp: /proc/self/status'
run_ok
expect "init: the process runs under the filter" "$RC:$OUT" "$(printf '0:Seccomp:\t2')"
rm -f "$L/seccomp"

# exec mode: the same record on an fd (lxcri exec hands on a sealed memfd; a file here).
spec / PATH=/bin 'X=a b' -- sh -c 'echo "$X" $(id -u) $(pwd); ls /proc/self/fd'
identity 0:0
cp "$L/process" "$T/exec.rec"
OUT=$(unshare -m -p -f --kill-child --mount-proc="$IR/proc" chroot "$IR" /.lxcri/lxcri-init --exec 5 \
	5<"$T/exec.rec" 6<"$T/exec.rec" 2>"$T/exec.err")
expect "init --exec: runs the record's process with only stdio open" "$?:$(echo $OUT):$(cat "$T/exec.err")" "0:a b 0 / 0 1 2 3:"
printf 'garbage' >"$T/record.body"
identity 0:0
chroot "$IR" /.lxcri/lxcri-init --exec 5 5<"$L/process" 2>"$T/exec.err"
expect "init --exec: a truncated record, in create's words" "$?:$(cat "$T/exec.err")" \
	"125:lxcri-init: process record: truncated (its last entry has no NUL)"
spec / PATH=/bin -- no-such-cmd
identity 0:0
chroot "$IR" /.lxcri/lxcri-init --exec 5 5<"$L/process" 2>"$T/exec.err"
expect "init --exec: not found, as create says it" "$?:$(cat "$T/exec.err")" \
	'127:exec: "no-such-cmd": executable file not found in $PATH'
chroot "$IR" /.lxcri/lxcri-init --exec 2>"$T/exec.err"
expect "init --exec: usage" "$?:$(cat "$T/exec.err")" "125:lxcri-init: usage: lxcri-init --exec FD (the process record's fd)"
chroot "$IR" /.lxcri/lxcri-init --exec 5 2>"$T/exec.err"
expect "init --exec: a closed fd" "$?:$(cat "$T/exec.err")" "125:lxcri-init: read the process record: Bad file descriptor"

# ---------------------------------------------------------------- lxcri-hook
echo "# lxcri-hook"
H=$T/hook
R=$H/rootfs
C=$H/cfg
mkdir -p "$R"/{dev,etc,masked,rodir,work,dev/emptydir} "$C" "$H/outside" "$R$H/outside"
echo secret >"$R/masked/file"
echo secret >"$R/secretfile"
echo keep >"$R/rodir/f"
echo container >"$R/etc/hostname"
echo rootfs-passwd >"$R/etc/passwd"
echo rootfs-group >"$R/etc/group"
touch "$R/dev/replace"
mknod -m 0666 "$R/dev/keep" c 1 3
ln -s /etc "$R/link"                 # absolute: must stay in the rootfs
ln -s ../../../../../../../etc "$R/rel" # ../ beyond the root
ln -s "$H/outside" "$R/esc"           # absolute host path
ln -s ../outside "$R/rel2"              # ../ out of the rootfs into $H
ln -s /made/here "$R/dangling"          # a missing target gets created
TAB=$'\t'
{
	echo "# comment and empty line are ignored"
	echo
	echo "dev${TAB}/dev/null${TAB}c${TAB}1${TAB}3${TAB}0666${TAB}0${TAB}0"
	echo "dev${TAB}/dev/sub/zero${TAB}c${TAB}1${TAB}5${TAB}0620${TAB}1000${TAB}1001"
	echo "dev${TAB}/dev/replace${TAB}c${TAB}1${TAB}7${TAB}0666${TAB}0${TAB}0"
	echo "dev${TAB}/dev/emptydir${TAB}u${TAB}1${TAB}8${TAB}0666${TAB}0${TAB}0"
	echo "dev${TAB}/dev/keep${TAB}c${TAB}1${TAB}3${TAB}0600${TAB}5${TAB}5"
	echo "dev${TAB}/dev/fifo0${TAB}p${TAB}0${TAB}0${TAB}0640${TAB}0${TAB}0"
	echo "dev${TAB}/dev/blk${TAB}b${TAB}7${TAB}0${TAB}0660${TAB}0${TAB}0"
	echo "dev${TAB}/esc/evil${TAB}c${TAB}1${TAB}3${TAB}0666${TAB}0${TAB}0"
	echo "dev${TAB}/rel2/evil2${TAB}c${TAB}1${TAB}3${TAB}0666${TAB}0${TAB}0"
	echo "dev${TAB}/dangling/null${TAB}c${TAB}1${TAB}3${TAB}0666${TAB}0${TAB}0"
	echo "symlink${TAB}pts/ptmx${TAB}/dev/ptmx"
	echo "symlink${TAB}/proc/self/fd${TAB}/dev/fd"
	echo "symlink${TAB}/elsewhere${TAB}/etc/hostname"
	echo "mkdir${TAB}/work/a/b"
	echo "mask${TAB}/masked"
	echo "mask${TAB}/secretfile"
	echo "mask${TAB}/link/passwd"
	echo "mask${TAB}/rel/group"
	echo "mask${TAB}/does/not/exist"
	echo "ro${TAB}/rodir"
	echo "ro${TAB}/missing"
	echo "rootro"
} >"$C/hook.conf"
# The ro check expects nosuid on /rodir: make it a nosuid mount first.
unshare -m --propagation private bash -c \
	"mount --bind '$R/rodir' '$R/rodir' && mount -o remount,bind,nosuid '$R/rodir' && exec '$SELF' --inner hook_inner_root '$H'"
check "hook: host mount table unchanged" test "$(wc -l </proc/self/mountinfo)" = "$MOUNTS_BEFORE"

# Error reporting: stderr and the error file, exit 1, stops at the error.
hook_err() { # DESC HOOK.CONF-LINE EXPECTED-MESSAGE
	rm -f "$C/error"
	printf '%s\nmkdir\t/after-error\n' "$2" >"$C/hook.conf"
	run_hook "$R" "$C"
	expect "hook error: $1: exit 1" "$?" 1
	expect "hook error: $1: stderr" "$(cat "$C/stderr")" "$3"
	expect "hook error: $1: error file" "$(cat "$C/error")" "$3"
	check "hook error: $1: stops at the error" test ! -e "$R/after-error"
}
rm -rf "$R/dev/nonempty" && mkdir -p "$R/dev/nonempty" && touch "$R/dev/nonempty/f"
# (Every malformed line: libexec/tests/hookconf_test.c. One here for the error file.)
hook_err "unknown op" "bogus${TAB}/x" "lxcri-hook: bogus /x: unknown operation in hook.conf"
hook_err "non-empty dir" "dev${TAB}/dev/nonempty${TAB}c${TAB}1${TAB}3${TAB}0666${TAB}0${TAB}0" \
	"lxcri-hook: dev /dev/nonempty: Directory not empty"
hook_err "file in the way" "mkdir${TAB}/etc/hostname/x" \
	"lxcri-hook: mkdir /etc/hostname/x: Not a directory"

rm -f "$C/hook.conf" "$C/error"
run_hook "$R" "$C"
expect "hook: missing hook.conf is fine" "$?" 0
run_hook "$R" "$C" start
expect "hook: other hook types do nothing" "$?" 0
# pre-mount: staged tmpfs mounted at $C/stage/N, mount points made in them by fd,
# read-only last; nothing reaches the host's mount table.
rm -rf "$C/stage" && mkdir -p "$C/stage/0" "$C/stage/1"
{
	echo "tmpfs${TAB}0${TAB}tmpfs${TAB}2${TAB}mode=750,size=64k"
	echo "make${TAB}0${TAB}a/b${TAB}dir"
	echo "make${TAB}0${TAB}a/f${TAB}file"
	echo "make${TAB}0${TAB}a/b${TAB}dir"
	echo "tmpfs${TAB}1${TAB}shm${TAB}0${TAB}"
	echo "make${TAB}1${TAB}x${TAB}dir"
	echo "ro${TAB}1${TAB}1"
} >"$C/premount.conf"
unshare -m --propagation private bash -c "
	env -i LXC_HOOK_TYPE=pre-mount LXC_CONFIG_FILE='$C/config' '$HERE/lxcri-hook' &&
	test \"\$(stat -f -c %T '$C/stage/0')\" = tmpfs && test \"\$(stat -c %a '$C/stage/0')\" = 750 &&
	test -d '$C/stage/0/a/b' && test -f '$C/stage/0/a/f' && test -d '$C/stage/1/x' &&
	grep -q ' $C/stage/0 rw,nosuid,' /proc/self/mountinfo && ! mkdir '$C/stage/1/y' 2>/dev/null"
expect "pre-mount hook: mounts the staged tmpfs and makes their mount points" "$?" 0
check "pre-mount hook: nothing left on the host" test -z "$(ls -A "$C/stage/0")"
check "pre-mount hook: host mount table unchanged" test "$(wc -l </proc/self/mountinfo)" = "$MOUNTS_BEFORE"
printf 'make\t0\ta/../../x\tdir\n' >"$C/premount.conf"
unshare -m --propagation private env -i LXC_HOOK_TYPE=pre-mount LXC_CONFIG_FILE="$C/config" "$HERE/lxcri-hook" 2>"$C/stderr"
expect "pre-mount hook: refuses .. in a mount point" "$?" 1
expect "pre-mount hook: one line for it" "$(cat "$C/stderr")" "lxcri-hook: premount a/../../x: invalid path"
rm -rf "$C/premount.conf" "$C/stage" "$C/error"
env -i LXC_HOOK_TYPE=post-stop LXC_TARGET=reboot LXC_CONFIG_FILE="$C/config" "$HERE/lxcri-hook"
expect "hook: post-stop vetoes a reboot" "$?" 1
env -i LXC_HOOK_TYPE=post-stop LXC_TARGET=stop LXC_CONFIG_FILE="$C/config" "$HERE/lxcri-hook"
expect "hook: post-stop allows a stop" "$?" 0
env -i LXC_CONFIG_FILE="$C/config" "$HERE/lxcri-hook" 2>/dev/null
expect "hook: no LXC_HOOK_TYPE (hook version 0) is an error" "$?" 1
check "hook: no error file for non-errors" test "$(grep -c . "$C/error")" = 1

# User namespace: mknod EPERM -> bind mount; locked mount flags kept.
U=$T/userns
mkdir -p "$U/rootfs" "$U/cfg"
{
	echo "dev${TAB}/dev/null${TAB}c${TAB}1${TAB}3${TAB}0666${TAB}0${TAB}0"
	echo "mask${TAB}/masked"
	echo "ro${TAB}/sub"
	echo "rootro"
} >"$U/cfg/hook.conf"
unshare -m --propagation private bash -c "
	mount -t tmpfs -o nosuid,nodev,noexec,size=1m tmpfs '$U/rootfs' &&
	mkdir -p '$U/rootfs/dev' '$U/rootfs/sub' '$U/rootfs/masked' &&
	touch '$U/rootfs/masked/f' &&
	exec unshare -U -r -m --propagation private '$SELF' --inner hook_inner_userns '$U'"
check "userns hook: host mount table unchanged" test "$(wc -l </proc/self/mountinfo)" = "$MOUNTS_BEFORE"

# ---------------------------------------------------------------- lxcri-start
echo "# lxcri-start"
"$HERE/lxcri-start" a b 2>"$T/usage.err"
expect "start: usage exit code" "$?" 2
expect "start: usage message" "$(cat "$T/usage.err")" "usage: lxcri-start <name> <lxcpath> <configfile> [--keep-fds] [--rootfs SOURCE TARGET [--idmap UIDMAP GIDMAP]]"
"$HERE/lxcri-start" a b c --idmap '0 0 1' '0 0 1' 2>/dev/null
expect "start: --idmap needs --rootfs" "$?" 2
"$HERE/lxcri-start" a b c --rootfs /only-source 2>/dev/null
expect "start: --rootfs needs a target" "$?" 2

LP=$T/lxc
# container NAME INIT [CONFIG-LINES...]: a minimal busybox container
container() {
	local n=$1 init=$2
	shift 2
	local r=$LP/$n/rootfs
	mkdir -p "$r"/{bin,dev,proc,etc,tmp,.lxcri}
	chmod 0700 "$LP/$n"
	cp "$BUSYBOX" "$r/bin/busybox"
	for c in sh sleep echo cat reboot poweroff test touch readlink; do ln -s busybox "$r/bin/$c"; done
	mknod -m 0666 "$r/dev/null" c 1 3
	echo 'root:x:0:0:root:/root:/bin/sh' >"$r/etc/passwd"
	cat >"$LP/$n/config" <<EOF
lxc.uts.name = $n
lxc.rootfs.path = dir:$r
lxc.rootfs.mount = $r
lxc.rootfs.managed = 0
lxc.init.cmd = $init
lxc.namespace.clone = ${NS:-pid mnt uts ipc}
lxc.mount.auto =
lxc.autodev = 0
lxc.console.path = none
lxc.tty.max = 0
lxc.apparmor.profile = unconfined
lxc.cgroup.relative = 0
lxc.cgroup.dir.container = $CG/$n
lxc.cgroup.dir.monitor = $CG/$n.monitor
lxc.cgroup.dir.monitor.pivot = $CG
lxc.log.file = $LP/$n/lxc.log
lxc.log.level = info
lxc.hook.version = 1
EOF
	local l
	for l in "$@"; do echo "$l" >>"$LP/$n/config"; done
}
# monitor NAME: start lxcri-start in the background. MPID is a wrapper
# whose exit status is the monitor's (128+n for death by signal n); the
# wrapper keeps bash's "Killed"/"Hangup" job notices out of the output.
monitor() {
	("$HERE/lxcri-start" "$1" "$LP" "$LP/$1/config" >"$LP/$1.out" 2>"$LP/$1.err"; exit $?) 2>/dev/null &
	MPID=$!
	BG_PIDS+=("$MPID")
}
init_pid() { # the container init: the monitor's only child
	local n=50 p
	while [ $n -gt 0 ]; do
		p=$(pgrep -P "$(pgrep -P "$MPID" | head -1)" | head -1)
		[ -n "$p" ] && { echo "$p"; return; }
		sleep 0.1
		n=$((n - 1))
	done
}
POSTSTOP="lxc.hook.post-stop = $HERE/lxcri-hook"
COUNT_INIT='#!/bin/sh
echo x >> /count
if [ -e /action ] && [ ! -e /stop ]; then /bin/sleep 0.3; $(/bin/cat /action); fi
exec /bin/sleep 1000'

container exit3 /init.sh
printf '#!/bin/sh\necho out; echo err >&2; exit 3\n' >"$LP/exit3/rootfs/init.sh"
chmod 755 "$LP/exit3/rootfs/init.sh"
monitor exit3
wait_for "$MPID" 30
expect "start: the init's end before create ended the monitor is a failure (exit 1)" "$?" 1
expect "start: ... and says how the init ended" "$(cat "$LP/exit3/error")" "lxcri-start: the container's init exited with status 3 before it was ready"
expect "start: container stdio is the monitor's" "$(cat "$LP/exit3.out")/$(cat "$LP/exit3.err")" "out/err"

container hup /init.sh "$POSTSTOP"
echo "$COUNT_INIT" >"$LP/hup/rootfs/init.sh"
chmod 755 "$LP/hup/rootfs/init.sh"
monitor hup
IP=$(init_pid)
sleep 0.5
kill -HUP "$IP"
sleep 1
check "start: kill -HUP from the host is ignored by a pid-ns init" kill -0 "$IP"
kill -KILL "$IP"
wait_for "$MPID" 30
expect "start: the init killed: the monitor exits 1" "$?" 1
check "start: ... and names the signal" grep -q "killed by signal 9 (Killed)" "$LP/hup/error"
expect "start: no restart" "$(grep -c . "$LP/hup/rootfs/count")" 1

container reboot /init.sh "$POSTSTOP"
echo "$COUNT_INIT" >"$LP/reboot/rootfs/init.sh"
chmod 755 "$LP/reboot/rootfs/init.sh"
echo "/bin/reboot -f" >"$LP/reboot/rootfs/action"
monitor reboot
wait_for "$MPID" 30
expect "start: reboot(2) in the container: the monitor exits 1" "$?" 1
expect "start: reboot(2) in the container: no restart" "$(grep -c . "$LP/reboot/rootfs/count")" 1
check "start: liblxc log shows the veto" grep -q "stopped instead of rebooted" "$LP/reboot/lxc.log"

container halt /init.sh "$POSTSTOP"
echo "$COUNT_INIT" >"$LP/halt/rootfs/init.sh"
chmod 755 "$LP/halt/rootfs/init.sh"
echo "/bin/poweroff -f" >"$LP/halt/rootfs/action"
monitor halt
wait_for "$MPID" 30
expect "start: poweroff(2) in the container: the monitor exits 1" "$?" 1

NS="mnt uts ipc" container hostpid /init.sh "$POSTSTOP"
echo "$COUNT_INIT" >"$LP/hostpid/rootfs/init.sh"
chmod 755 "$LP/hostpid/rootfs/init.sh"
monitor hostpid
IP=$(init_pid)
sleep 0.5
kill -HUP "$IP"
wait_for "$MPID" 30
expect "start: no pid ns, kill -HUP: the monitor exits 1" "$?" 1
expect "start: no pid ns, kill -HUP: no restart" "$(grep -c . "$LP/hostpid/rootfs/count")" 1

# Without the post-stop veto liblxc 5.0 restarts the container in place.
container noveto /init.sh
echo "$COUNT_INIT" >"$LP/noveto/rootfs/init.sh"
chmod 755 "$LP/noveto/rootfs/init.sh"
echo "/bin/reboot -f" >"$LP/noveto/rootfs/action"
monitor noveto
n=100
count() { cat "$1" 2>/dev/null | grep -c .; }
while [ "$(count "$LP/noveto/rootfs/count")" -lt 2 ] && [ $n -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
touch "$LP/noveto/rootfs/stop"
expect "start: without the veto liblxc restarts (reason for the hook)" \
	"$(count "$LP/noveto/rootfs/count")" 2
sleep 0.5
kill -KILL "$(init_pid)"
wait_for "$MPID" 30

container broken /init.sh
sed -i "s|^lxc.rootfs.path = .*|lxc.rootfs.path = dir:$LP/broken/missing|; s|^lxc.rootfs.mount = .*|lxc.rootfs.mount = $LP/broken/missing|" \
	"$LP/broken/config"
monitor broken
wait_for "$MPID" 30
expect "start: setup failure exit code" "$?" 1
# create reads the error file and makes it its one error line: nothing on stderr.
expect "start: setup failure not on stderr" "$(cat "$LP/broken.err")" ""
expect "start: setup failure in the error file" "$(cat "$LP/broken/error")" \
	"lxcri-start: failed to start container broken (error_num 1)"

container hookfail /init.sh "lxc.hook.mount = $HERE/lxcri-hook"
printf 'bogus\t/x\n' >"$LP/hookfail/hook.conf"
monitor hookfail
wait_for "$MPID" 30
expect "start: failing mount hook fails the start" "$?" 1
# liblxc captures hook stdout+stderr into its log (DEBUG "produced output"),
# so the error file is the only way the hook's message reaches the caller.
expect "start: hook stderr does not reach the caller (liblxc eats it)" "$(cat "$LP/hookfail.err")" ""
expect "start: hook and monitor errors in the error file" "$(cat "$LP/hookfail/error")" \
	"lxcri-hook: bogus /x: unknown operation in hook.conf
lxcri-start: failed to start container hookfail (error_num 1)"

# End to end: mount hook + lxcri-init as lxc.init.cmd, as lxcri create does.
N=e2e
container $N /.lxcri/lxcri-init "lxc.hook.mount = $HERE/lxcri-hook" "$POSTSTOP" \
	"lxc.mount.entry = proc proc proc nosuid,nodev,noexec 0 0" \
	"lxc.mount.entry = $LP/$N/init .lxcri none bind,ro 0 0"
rm "$LP/$N/rootfs/dev/null"
{
	echo "dev${TAB}/dev/null${TAB}c${TAB}1${TAB}3${TAB}0666${TAB}0${TAB}0"
	echo "symlink${TAB}/proc/self/fd${TAB}/dev/fd"
	echo "ro${TAB}/proc/sys"
	echo "ro${TAB}/proc/sysrq-trigger"
	echo "mask${TAB}/proc/kcore"
	echo "mask${TAB}/proc/no-such-entry"
	echo "mask${TAB}/proc/driver"
	echo "rootro"
} >"$LP/$N/hook.conf"
L=$LP/$N/init
mkdir -p "$L"
cp "$HERE/lxcri-init" "$L/lxcri-init"
mkfifo -m 0600 "$L/syncfifo"
spec / PATH=/bin -- sh -c 'test -c /dev/null && ! touch /x 2>/dev/null &&
	! (echo x >/proc/sys/kernel/hostname) 2>/dev/null && test ! -s /proc/kcore &&
	test -z "$(ls /proc/driver)" && echo "e2e $HOME $$ $(readlink /dev/fd)"; exit 7'
identity 0:0
listen
monitor $N
expect "e2e: notify ok" "$(notify_line)" "ok"
send_start
wait_for "$MPID" 30
expect "e2e: the init's end (7) ends the monitor, which says so" "$?/$(cat "$LP/$N/error")" "1/lxcri-start: the container's init exited with status 7 before it was ready"
expect "e2e: output" "$(cat "$LP/$N.out")" "e2e /root 1 /proc/self/fd"
expect "e2e: no errors" "$(cat "$LP/$N.err")" ""

# ---------------------------------------------------------------- leftovers
sleep 0.2
no_procs() { ! pgrep -f "$T" >/dev/null; }
check "no processes left in the test dir" no_procs
check "host mount table unchanged" test "$(wc -l </proc/self/mountinfo)" = "$MOUNTS_BEFORE"
left=$(find /sys/fs/cgroup/*/"$CG" -mindepth 1 -type d 2>/dev/null | grep -v '/lxc.pivot$')
expect "container cgroups removed by liblxc (only the monitor pivot remains)" "$left" ""

PASSED=$(grep -c '^ok$' "$RESULTS")
FAILED=$(grep -c '^fail$' "$RESULTS")
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" = 0 ]
