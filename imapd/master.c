/*
 * master: accept loop, limits, children, signals. Each child (the
 * connection's monitor) gets a SOCK_SEQPACKET channel to the master for
 * PM_LOGIN (the per-user limit) and PM_AUTH_FAILED (per-address
 * throttling of failed logins).
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
#include <time.h>
#include <unistd.h>

#include "lib/conn.h"
#include "lib/log.h"
#include "lib/tls.h"
#include "imapd/listen.h"
#include "imapd/master.h"
#include "imapd/monitor.h"
#include "imapd/privdrop.h"
#include "imapd/privmsg.h"

/* addresses remembered for failed-login throttling */
#define FAILTAB_SIZE	1024

struct child {
	pid_t	 pid;
	int	 chan;		/* master's end of the channel, -1 if closed */
	char	 ip[INET6_ADDRSTRLEN];
	char	 user[PM_USER_MAX + 1];	/* logged in as, or "" */
};

struct failure {
	char	 ip[INET6_ADDRSTRLEN];
	unsigned count;
	time_t	 since;		/* start of the window */
};

struct master {
	struct settings		*set;
	const struct master_opts *opts;
	struct listener		 l[LISTEN_MAX];
	size_t			 nl;
	SSL_CTX			*tls;
	struct child		*kids;
	size_t			 nkids;
	struct failure		 fails[FAILTAB_SIZE];
	time_t			 rate_second;	/* accept rate accounting */
	unsigned		 rate_count;
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
				if (m->kids[i].chan >= 0)
					close(m->kids[i].chan);
				m->kids[i] = m->kids[--m->nkids];
				break;
			}
}

static unsigned
count_user(const struct master *m, const char *user)
{
	unsigned n = 0;
	size_t i;

	for (i = 0; i < m->nkids; i++)
		n += strcmp(m->kids[i].user, user) == 0;
	return n;
}

/* The failure record of ip (a new or the oldest slot if create). */
static struct failure *
failure_slot(struct master *m, const char *ip, bool create)
{
	struct failure *f, *old = &m->fails[0];
	time_t now = time(NULL);
	size_t i;

	for (i = 0; i < FAILTAB_SIZE; i++) {
		f = &m->fails[i];
		if (f->count > 0 && now - f->since >=
		    (time_t)m->set->auth_failure_window)
			f->count = 0;	/* window over: forget */
		if (f->count > 0 && strcmp(f->ip, ip) == 0)
			return f;
		if (f->count == 0 || f->since < old->since)
			old = f;
	}
	if (!create)
		return NULL;
	memset(old, 0, sizeof(*old));
	strlcpy(old->ip, ip, sizeof(old->ip));
	old->since = now;
	return old;
}

static bool
ip_throttled(struct master *m, const char *ip)
{
	struct failure *f;

	if (m->set->max_auth_failures_per_ip == 0)
		return false;
	f = failure_slot(m, ip, false);
	return f != NULL && f->count >= m->set->max_auth_failures_per_ip;
}

/* One message from a child's monitor; -1 ends that channel. */
static int
child_message(struct master *m, struct child *k)
{
	struct privmsg *msg;
	const char *err;
	struct failure *f;
	int r, rc = 0;

	if ((msg = calloc(1, sizeof(*msg))) == NULL)
		fatal("master: out of memory");
	r = privmsg_recv(k->chan, msg, 0, &err);
	if (r != 1) {
		if (r == -1)
			log_warn("event=child_message_invalid pid=%ld "
			    "error=\"%s\"", (long)k->pid, err);
		rc = -1;
	} else if (msg->type == PM_AUTH_FAILED) {
		if ((f = failure_slot(m, k->ip, true)) != NULL &&
		    ++f->count == m->set->max_auth_failures_per_ip)
			log_warn("event=throttled rhost=%s failures=%u "
			    "window=%u", k->ip, f->count,
			    m->set->auth_failure_window);
	} else if (msg->type == PM_LOGIN && k->user[0] == '\0') {
		msg->type = PM_LOGIN_REPLY;
		msg->result = count_user(m, msg->user) >=
		    m->set->max_connections_per_user ? PM_LIMIT : PM_OK;
		if (msg->result == PM_OK)
			strlcpy(k->user, msg->user, sizeof(k->user));
		if (privmsg_send(k->chan, msg) == -1)
			rc = -1;
	} else {
		log_warn("event=child_message_invalid pid=%ld "
		    "error=\"unexpected message\"", (long)k->pid);
		rc = -1;
	}
	free(msg);
	return rc;
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
child_main(struct master *m, int fd, bool tls, int chan)
{
	struct monitor_params mp;
	struct sigaction sa;
	size_t i;

	for (i = 0; i < m->nl; i++)
		close(m->l[i].fd);
	for (i = 0; i < m->nkids; i++)
		if (m->kids[i].chan >= 0)
			close(m->kids[i].chan);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGCHLD, &sa, NULL);
	memset(&mp, 0, sizeof(mp));
	mp.rfd = mp.wfd = fd;
	mp.implicit_tls = tls;
	mp.tls = m->tls;
	mp.master_fd = chan;
	_exit(monitor_run(m->set, &mp));
}

static void
accept_one(struct master *m, const struct listener *l)
{
	char ip[INET6_ADDRSTRLEN];
	struct child *k;
	pid_t pid;
	int fd, chan[2];

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
	if (ip_throttled(m, ip)) {
		log_warn("event=refused rhost=%s reason=auth_failures", ip);
		refuse(fd, "Too many failed logins from your address, try "
		    "again later.");
		return;
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, chan) ==
	    -1) {
		log_err("event=socketpair_failed error=\"%s\"",
		    strerror(errno));
		refuse(fd, "Server busy, try again later.");
		return;
	}
	if ((pid = fork()) == -1) {
		log_err("event=fork_failed error=\"%s\"", strerror(errno));
		refuse(fd, "Server busy, try again later.");
		close(chan[0]);
		close(chan[1]);
		return;
	}
	if (pid == 0) {
		fcntl(fd, F_SETFD, 0);
		close(chan[0]);
		child_main(m, fd, l->tls, chan[1]);
	}
	close(fd);
	close(chan[1]);
	if ((k = reallocarray(m->kids, m->nkids + 1, sizeof(*k))) == NULL)
		fatal("master: out of memory");
	m->kids = k;
	memset(&k[m->nkids], 0, sizeof(k[m->nkids]));
	k[m->nkids].pid = pid;
	k[m->nkids].chan = chan[0];
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

/* May another connection be accepted now (max_accept_rate)? */
static bool
rate_ok(struct master *m)
{
	time_t now = time(NULL);

	if (m->set->max_accept_rate == 0)
		return true;
	if (now != m->rate_second) {
		m->rate_second = now;
		m->rate_count = 0;
	}
	return m->rate_count < m->set->max_accept_rate;
}

/* One round of the accept loop: wait for listeners and channels. */
static void
poll_once(struct master *m, bool listening)
{
	struct pollfd *pfd;
	size_t i, n = 0, nl = listening && rate_ok(m) ? m->nl : 0;
	int r;

	if ((pfd = calloc(nl + m->nkids + 1, sizeof(*pfd))) == NULL)
		fatal("master: out of memory");
	for (i = 0; i < nl; i++) {
		pfd[n].fd = m->l[i].fd;
		pfd[n++].events = POLLIN;
	}
	for (i = 0; i < m->nkids; i++) {
		pfd[n].fd = m->kids[i].chan;	/* -1 is ignored by poll */
		pfd[n++].events = POLLIN;
	}
	/* a 1 s tick bounds how long a finished child's slot stays
	 * counted and ends a pause of the accept rate limit */
	r = poll(pfd, n, nl == 0 && listening ? 100 : 1000);
	if (r > 0) {
		for (i = 0; i < nl; i++)
			if (pfd[i].revents & POLLIN && rate_ok(m)) {
				m->rate_count++;
				accept_one(m, &m->l[i]);
			}
		/* accept_one may have added children: only the old ones
		 * have a pollfd */
		for (i = nl; i < n; i++) {
			struct child *k;
			size_t j;

			if (!(pfd[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			for (j = 0, k = NULL; j < m->nkids; j++)
				if (m->kids[j].chan == pfd[i].fd)
					k = &m->kids[j];
			if (k != NULL && child_message(m, k) == -1) {
				close(k->chan);
				k->chan = -1;
			}
		}
	}
	free(pfd);
	reap(m);
}

/* SIGTERM: stop listening, let sessions end within shutdown_grace, then
 * end the rest. */
static void
shutdown_children(struct master *m)
{
	time_t end = time(NULL) + m->set->shutdown_grace;
	size_t i;
	int round;

	log_info("event=stopping connections=%zu grace=%u", m->nkids,
	    m->set->shutdown_grace);
	while (m->nkids > 0 && time(NULL) < end)
		poll_once(m, false);
	for (round = 0; m->nkids > 0 && round < 50; round++) {
		/* SIGTERM first (monitors close PAM sessions), then KILL */
		for (i = 0; i < m->nkids; i++)
			kill(m->kids[i].pid, round < 30 ? SIGTERM : SIGKILL);
		poll_once(m, false);
	}
}

int
master_run(struct settings *set, const struct master_opts *opts)
{
	struct master m;
	struct sigaction sa;
	struct sandbox sb;
	char *err = NULL, msg[512];
	size_t i;
	int n;

	memset(&m, 0, sizeof(m));
	m.set = set;
	m.opts = opts;
	if (privdrop_sandbox_prepare(set->preauth_user, set->preauth_chroot,
	    &sb, msg, sizeof(msg)) == -1) {
		fprintf(stderr, "imapd: %s\n", msg);
		return 1;
	}
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
	for (i = 0; i < m.nl; i++)
		log_info("event=listening address=%s", m.l[i].name);
	while (!got_term) {
		poll_once(&m, true);
		if (got_hup) {
			got_hup = 0;
			reload(&m);
		}
	}
	/* stop listening at once: new clients get "connection refused" */
	for (i = 0; i < m.nl; i++)
		close(m.l[i].fd);
	if (opts->pidfile != NULL)
		unlink(opts->pidfile);
	shutdown_children(&m);
	log_info("event=stopped connections=%zu", m.nkids);
	for (i = 0; i < m.nkids; i++)
		if (m.kids[i].chan >= 0)
			close(m.kids[i].chan);
	SSL_CTX_free(m.tls);
	free(m.kids);
	return 0;
}
