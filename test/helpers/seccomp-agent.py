# seccomp-agent.py SOCK OUT ERRNO: a minimal seccomp agent for the tests. Accepts one
# runtime connection on SOCK (the config's listenerPath), saves the container process
# state it receives to OUT (with the number of fds that came along), then answers every
# notification with -ERRNO until the filter has no task left.
import fcntl, json, os, socket, struct, sys

sock_path, out, err = sys.argv[1], sys.argv[2], int(sys.argv[3])
NOTIF_RECV = 0xC0502100  # _IOWR('!', 0, struct seccomp_notif): 80 bytes
NOTIF_SEND = 0xC0182101  # _IOWR('!', 1, struct seccomp_notif_resp): 24 bytes

srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
srv.bind(sock_path + '.tmp')
srv.listen(1)
os.rename(sock_path + '.tmp', sock_path)  # appears only once it listens
conn, _ = srv.accept()
msg, fds, _, _ = socket.recv_fds(conn, 65536, 4)
with open(out + '.tmp', 'w') as f:
    json.dump({'state': json.loads(msg), 'fds': len(fds)}, f)
os.rename(out + '.tmp', out)
while fds:
    req = bytearray(80)
    try:
        fcntl.ioctl(fds[0], NOTIF_RECV, req)
    except OSError:
        break  # no task left under the filter
    notif_id = struct.unpack_from('=Q', req)[0]
    try:
        fcntl.ioctl(fds[0], NOTIF_SEND, bytearray(struct.pack('=QqiI', notif_id, 0, -err, 0)))
    except OSError:
        pass  # the task went away meanwhile
