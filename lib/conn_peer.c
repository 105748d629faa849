/*
 * conn_peer: who is at the other end of a connection, as text for logs
 * and per-address limits, and whether it is on this host (plaintext
 * LOGIN is allowed to local peers, RFC 9051 11.1 leaves that policy to
 * the server).
 */
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/un.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <string.h>

#include "lib/conn.h"

void
conn_peer_sockaddr(const struct sockaddr *sa, socklen_t sl, char *buf,
    size_t len, int *local_r)
{
	const struct sockaddr_in	*sin;
	const struct sockaddr_in6	*sin6;
	const unsigned char		*a;

	*local_r = 0;
	if (sl < sizeof(sa->sa_family)) {
		(void)strlcpy(buf, "unknown", len);
		return;
	}
	switch (sa->sa_family) {
	case AF_INET:
		sin = (const struct sockaddr_in *)sa;
		*local_r = (ntohl(sin->sin_addr.s_addr) >> 24) == 127;
		if (inet_ntop(AF_INET, &sin->sin_addr, buf, len) == NULL)
			(void)strlcpy(buf, "unknown", len);
		return;
	case AF_INET6:
		sin6 = (const struct sockaddr_in6 *)sa;
		a = sin6->sin6_addr.s6_addr;
		if (IN6_IS_ADDR_V4MAPPED(&sin6->sin6_addr)) {
			/* an IPv4 client on a dual-stack socket */
			*local_r = a[12] == 127;
			if (inet_ntop(AF_INET, a + 12, buf, len) == NULL)
				(void)strlcpy(buf, "unknown", len);
			return;
		}
		*local_r = IN6_IS_ADDR_LOOPBACK(&sin6->sin6_addr);
		if (inet_ntop(AF_INET6, &sin6->sin6_addr, buf, len) == NULL)
			(void)strlcpy(buf, "unknown", len);
		return;
	case AF_UNIX:
		*local_r = 1;
		(void)strlcpy(buf, "local", len);
		return;
	default:
		(void)strlcpy(buf, "unknown", len);
		return;
	}
}

void
conn_peer_describe(int fd, char *buf, size_t len, int *local_r)
{
	struct sockaddr_storage	 ss;
	socklen_t		 sl = sizeof(ss);

	memset(&ss, 0, sizeof(ss));
	if (getpeername(fd, (struct sockaddr *)&ss, &sl) == -1) {
		/* not a socket (pipe, tty): a local user's own process */
		*local_r = errno == ENOTSOCK;
		(void)strlcpy(buf, errno == ENOTSOCK ? "local" : "unknown",
		    len);
		return;
	}
	conn_peer_sockaddr((struct sockaddr *)&ss, sl, buf, len, local_r);
}
