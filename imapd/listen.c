/*
 * listen: binding the master's sockets.
 */
#include <sys/socket.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "imapd/listen.h"

#define SD_LISTEN_FDS_START	3

/* "1.2.3.4:143", "[::1]:993/tls", "*:143" */
static int
parse_spec(const char *spec, char *host, size_t hlen, char *port,
    size_t plen, bool *tls)
{
	char buf[256], *p, *colon;

	if (strlcpy(buf, spec, sizeof(buf)) >= sizeof(buf))
		return -1;
	if ((p = strrchr(buf, '/')) != NULL) {
		if (strcmp(p, "/tls") != 0)
			return -1;
		*p = '\0';
		*tls = true;
	}
	if (buf[0] == '[') {
		if ((p = strchr(buf, ']')) == NULL || p[1] != ':')
			return -1;
		*p = '\0';
		colon = p + 1;
		p = buf + 1;
	} else {
		if ((colon = strrchr(buf, ':')) == NULL)
			return -1;
		*colon = '\0';
		p = buf;
	}
	if (strcmp(p, "*") == 0)
		p = "0.0.0.0";
	if (strlcpy(host, p, hlen) >= hlen ||
	    strlcpy(port, colon + 1, plen) >= plen || port[0] == '\0')
		return -1;
	return 0;
}

static int
bind_one(const char *host, const char *port, bool tls, bool optional,
    struct listener *l)
{
	struct addrinfo hints, *res, *ai;
	int fd = -1, one = 1, e;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICHOST | AI_NUMERICSERV;
	if ((e = getaddrinfo(host, port, &hints, &res)) != 0) {
		fprintf(stderr, "imapd: %s:%s: %s\n", host, port,
		    gai_strerror(e));
		return -1;
	}
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
		    ai->ai_protocol);
		if (fd == -1)
			continue;
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (ai->ai_family == AF_INET6)
			setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one,
			    sizeof(one));
		if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 &&
		    listen(fd, 128) == 0)
			break;
		e = errno;
		close(fd);
		fd = -1;
		errno = e;
	}
	freeaddrinfo(res);
	if (fd == -1) {
		if (!optional)
			fprintf(stderr, "imapd: cannot listen on %s:%s: %s\n",
			    host, port, strerror(errno));
		return -1;
	}
	l->fd = fd;
	l->tls = tls;
	snprintf(l->name, sizeof(l->name), "%s:%s%s", host, port,
	    tls ? "/tls" : "");
	return 0;
}

/* systemd socket activation (sd_listen_fds(3) protocol) */
static int
inherit(const struct settings *set, struct listener *l, size_t max)
{
	const char *pid = getenv("LISTEN_PID"), *fds = getenv("LISTEN_FDS");
	const char *err;
	long long n;
	int i;

	if (pid == NULL || fds == NULL ||
	    strtonum(pid, 1, 1LL << 31, &err) != (long long)getpid())
		return 0;
	n = strtonum(fds, 1, (long long)max, &err);
	if (err != NULL)
		return 0;
	for (i = 0; i < n; i++) {
		l[i].fd = SD_LISTEN_FDS_START + i;
		l[i].tls = set->tls;
		fcntl(l[i].fd, F_SETFD, FD_CLOEXEC);
		snprintf(l[i].name, sizeof(l[i].name), "systemd:%d", i);
	}
	unsetenv("LISTEN_PID");
	unsetenv("LISTEN_FDS");
	return (int)n;
}

int
listen_open(const struct settings *set, struct listener *l, size_t max)
{
	char host[128], port[16];
	size_t i, n = 0;
	bool tls;
	int k;

	if ((k = inherit(set, l, max)) > 0)
		return k;
	if (set->nlisten == 0) {
		snprintf(port, sizeof(port), "%u",
		    set->port ? set->port : set->tls ? 993 : 143);
		if (bind_one("0.0.0.0", port, set->tls, false, &l[n]) == 0)
			n++;
		/* IPv6 is optional where the host has none */
		if (bind_one("::", port, set->tls, true, &l[n]) == 0)
			n++;
		return n > 0 ? (int)n : -1;
	}
	for (i = 0; i < set->nlisten && n < max; i++) {
		tls = set->tls;
		if (parse_spec(set->listen[i], host, sizeof(host), port,
		    sizeof(port), &tls) == -1) {
			fprintf(stderr, "imapd: bad listen address: %s "
			    "(expected ADDR:PORT or [ADDR]:PORT, "
			    "optionally /tls)\n", set->listen[i]);
			return -1;
		}
		if (bind_one(host, port, tls, false, &l[n]) == -1)
			return -1;
		n++;
	}
	return (int)n;
}
