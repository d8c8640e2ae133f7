#!/bin/sh
# lxcri-backup.sh: an example create hook (LXCRI_CREATE_HOOK). It copies what a container
# was given (its runtime dir and the bundle's config.json) next to the log file, into
# <log dir>/<container id>/, so that a failing pod can be looked at after lxcri removed
# everything. Runs with stdio on /dev/null and without PATH; must not touch the container.
set -eu
PATH=/usr/sbin:/usr/bin:/sbin:/bin
dest="$(dirname "$LOG_FILE")/$CONTAINER_ID"
rm -rf "$dest"
mkdir -p -m 0750 "$dest"
# The fifo, the socket and the bind target of the init binary are not worth copying.
if [ -d "$RUNTIME_PATH" ]; then
  tar -C "$RUNTIME_PATH" --exclude=./init/lxcri-init --exclude=./init/notify --exclude=./init/syncfifo -cf - . |
    tar -C "$dest" -xf -
fi
cp "$SPEC_PATH" "$dest/spec.json"
{
  echo "container: $CONTAINER_ID"
  echo "bundle: $BUNDLE_PATH"
  echo "error: ${RUNTIME_ERROR:-none}"
} >"$dest/create.txt"
