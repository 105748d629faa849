/*
 * master: accept loop, limits, children, signals.
 */
#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/conn.h"
#include "lib/log.h"
#include "lib/tls.h"
#include "imapd/listen.h"
#include "imapd/master.h"
#include "imapd/serve.h"

struct child {
	pid_t	 pid;
	char	 ip[INET6_ADDRSTRLEN];
};

struct master {
	struct settings		*set;
	const struct master_opts *opts;
	struct listener		 l[LISTEN_MAX];
	size_t			 nl;
	SSL_CTX			*tls;
	struct child		*kids;
	size_t			 nkids;
};

static volatile sig_atomic_t got_term, got_hup;

static void
on_signal(int sig)
{
	if (sig == SIGHUP)
		got_hup = 1;
	else if (sig == SIGTERM || sig == SIGINT)
		got_term = 1;
}

static void
reap(struct master *m)
{
	pid_t pid;
	size_t i;
	int st;

	while ((pid = waitpid(-1, &st, WNOHANG)) > 0)
		for (i = 0; i < m->nkids; i++)
			if (m->kids[i].pid == pid) {
				m->kids[i] = m->kids[--m->nkids];
				break;
			}
}

static unsigned
count_ip(const struct master *m, const char *ip)
{
	unsigned n = 0;
	size_t i;

	for (i = 0; i < m->nkids; i++)
		n += strcmp(m->kids[i].ip, ip) == 0;
	return n;
}

static void
peer_ip(int fd, char *ip, size_t len)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);

	strlcpy(ip, "unknown", len);
	if (getpeername(fd, (struct sockaddr *)&ss, &sl) == -1)
		return;
	if (ss.ss_family == AF_INET)
		inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr,
		    ip, len);
	else if (ss.ss_family == AF_INET6)
		inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr,
		    ip, len);
}

/* Refuse with a fixed line: the master writes, never reads. */
static void
refuse(int fd, const char *why)
{
	char line[128];
	int n = snprintf(line, sizeof(line), "* BYE %s\r\n", why);

	if (n > 0)
		(void)send(fd, line, (size_t)n, MSG_NOSIGNAL | MSG_DONTWAIT);
	close(fd);
}

static void
child_main(struct master *m, int fd, bool tls)
{
	struct sigaction sa;
	size_t i;

	for (i = 0; i < m->nl; i++)
		close(m->l[i].fd);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGCHLD, &sa, NULL);
	_exit(serve_login(conn_new(fd, fd), m->set, m->tls, tls));
}

static void
accept_one(struct master *m, const struct listener *l)
{
	char ip[INET6_ADDRSTRLEN];
	struct child *k;
	pid_t pid;
	int fd;

	if ((fd = accept4(l->fd, NULL, NULL, SOCK_CLOEXEC)) == -1)
		return;
	peer_ip(fd, ip, sizeof(ip));
	if (m->nkids >= m->set->max_connections) {
		log_warn("event=refused rhost=%s reason=max_connections", ip);
		refuse(fd, "Too many connections, try again later.");
		return;
	}
	if (count_ip(m, ip) >= m->set->max_connections_per_ip) {
		log_warn("event=refused rhost=%s reason=max_connections_per_ip",
		    ip);
		refuse(fd, "Too many connections from your address.");
		return;
	}
	if ((pid = fork()) == -1) {
		log_err("event=fork_failed error=\"%s\"", strerror(errno));
		refuse(fd, "Server busy, try again later.");
		return;
	}
	if (pid == 0) {
		fcntl(fd, F_SETFD, 0);
		child_main(m, fd, l->tls);
	}
	close(fd);
	if ((k = reallocarray(m->kids, m->nkids + 1, sizeof(*k))) == NULL)
		fatal("master: out of memory");
	m->kids = k;
	k[m->nkids].pid = pid;
	strlcpy(k[m->nkids].ip, ip, sizeof(k[m->nkids].ip));
	m->nkids++;
}

/* SIGHUP: new settings and certificates for new connections. */
static void
reload(struct master *m)
{
	struct settings ns;
	SSL_CTX *ctx = NULL;
	char err[512], *e = NULL;

	settings_defaults(&ns);
	if ((m->opts->config_path != NULL && settings_load(&ns,
	    m->opts->config_path, err, sizeof(err)) == -1) ||
	    settings_apply(&ns, m->opts->flags, m->opts->nflags, err,
	    sizeof(err)) == -1 || settings_check(&ns, err, sizeof(err)) ==
	    -1) {
		log_err("event=reload result=failed error=\"%s\"", err);
		settings_free(&ns);
		return;
	}
	if (ns.tls_cert != NULL &&
	    (ctx = tls_server_ctx(ns.tls_cert, ns.tls_key, &e)) == NULL) {
		log_err("event=reload result=failed error=\"%s\"", e);
		free(e);
		settings_free(&ns);
		return;
	}
	/* listening addresses stay as they are */
	settings_free(m->set);
	*m->set = ns;
	SSL_CTX_free(m->tls);
	m->tls = ctx;
	log_info("event=reload result=ok");
}

static int
write_pidfile(const char *path)
{
	FILE *f;

	if ((f = fopen(path, "w")) == NULL)
		return -1;
	fprintf(f, "%ld\n", (long)getpid());
	return fclose(f);
}

int
master_run(struct settings *set, const struct master_opts *opts)
{
	struct master m;
	struct pollfd pfd[LISTEN_MAX];
	struct sigaction sa;
	char *err = NULL;
	size_t i;
	int n;

	memset(&m, 0, sizeof(m));
	m.set = set;
	m.opts = opts;
	if (set->tls_cert != NULL &&
	    (m.tls = tls_server_ctx(set->tls_cert, set->tls_key, &err)) ==
	    NULL) {
		fprintf(stderr, "imapd: %s\n", err);
		free(err);
		return 1;
	}
	if ((n = listen_open(set, m.l, LISTEN_MAX)) <= 0)
		return 1;
	m.nl = (size_t)n;
	for (i = 0; i < m.nl; i++)
		if (m.l[i].tls && m.tls == NULL) {
			fprintf(stderr, "imapd: %s needs --cert and --key\n",
			    m.l[i].name);
			return 1;
		}
	if (opts->daemonize && daemon(0, 0) == -1) {
		perror("imapd: daemon");
		return 1;
	}
	if (opts->pidfile != NULL && write_pidfile(opts->pidfile) == -1)
		log_warn("event=pidfile_failed path=%s error=\"%s\"",
		    opts->pidfile, strerror(errno));
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	for (i = 0; i < m.nl; i++) {
		pfd[i].fd = m.l[i].fd;
		pfd[i].events = POLLIN;
		log_info("event=listening address=%s", m.l[i].name);
	}
	while (!got_term) {
		/* children are reaped on every wake-up; a 1 s tick bounds
		 * how long a finished child's slot stays counted */
		n = poll(pfd, m.nl, 1000);
		reap(&m);
		if (got_hup) {
			got_hup = 0;
			reload(&m);
		}
		if (n <= 0)
			continue;
		for (i = 0; i < m.nl; i++)
			if (pfd[i].revents & POLLIN)
				accept_one(&m, &m.l[i]);
	}
	/* SIGTERM: stop listening; running sessions end on their own */
	for (i = 0; i < m.nl; i++)
		close(m.l[i].fd);
	if (opts->pidfile != NULL)
		unlink(opts->pidfile);
	log_info("event=stopped connections=%zu", m.nkids);
	SSL_CTX_free(m.tls);
	free(m.kids);
	return 0;
}
