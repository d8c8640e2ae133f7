/*
 * lxcri-launch: installed as <prefix>/bin/lxcri. A thin client of the resident lxcri
 * service (src/service/, the wire in svcproto.h): it forwards the call to the service of
 * its root, started on demand, and so does not pay node's start-up on every call. Every
 * call the service cannot take runs as before, "in-process": node on the bundled CLI
 * (launch.c).
 *
 *   clientconf.c  root, mode and --preserve-fds, as the CLI would resolve them
 *   svcconnect.c  the connection, and the service's start
 *   clientcall.c  the call over it: request, spawned children, exit
 *   svcwire.c     messages
 */
#include <stdio.h>

#include "clientcall.h"
#include "clientconf.h"
#include "launch.h"
#include "svcconnect.h"
#include "svcproto.h"

int main(int argc, char *argv[])
{
	struct clientconf c;
	char why[256 + PATH_MAX];
	int sock;

	clientconf_resolve(&c, argc, argv);
	if (c.mode == CLIENTCONF_AUTO || c.mode == CLIENTCONF_ON) {
		sock = svcconnect(&c, why, sizeof(why));
		if (sock >= 0) {
			clientcall_run(sock, argc, argv, c.preserve_fds); /* returns: in-process */
		} else if (c.mode == CLIENTCONF_ON) {
			fprintf(stderr, "lxcri: cannot reach the lxcri service at %s/%s: %s\n", c.root, SVC_SOCKET, why);
			return 1;
		}
	}
	return launch_inprocess(argc, argv, c.is_service);
}
