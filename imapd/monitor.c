/*
 * monitor: one connection's root process (see monitor.h). It forks the
 * sandboxed pre-auth process, answers its PM_AUTH requests (password
 * check, PAM account and session, per-user limit through the master),
 * starts the user process after a login and waits for both to end.
 *
 * What comes from the pre-auth process is treated as hostile: one
 * malformed, oversized, unexpected or late message and the connection is
 * over (fail closed).
 */
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <netinet/in.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/conn.h"
#include "lib/log.h"
#include "auth/auth.h"
#include "imapd/client.h"
#include "imapd/monitor.h"
#include "imapd/preauth.h"
#include "imapd/privdrop.h"
#include "imapd/privmsg.h"
#include "imapd/serve.h"

/* how long the monitor waits for the master's answer on a login */
#define MASTER_REPLY_MS		(10 * 1000)
/* after the user process ends, how long a TLS relay may take to finish */
#define RELAY_LINGER_SECS	10
/* slack on top of the pre-auth process's own deadlines */
#define PREAUTH_SLACK_SECS	30

static volatile sig_atomic_t got_term;
static volatile pid_t term_login = -1, term_user = -1;

struct monitor {
	const struct settings	*set;
	struct monitor_params	*mp;
	char			 rhost[INET6_ADDRSTRLEN];
	int			 local;
	struct sandbox		 sb;
	int			 ipc;		/* to the pre-auth process */
	int			 relay;		/* user end of the TLS relay */
	pid_t			 login_pid;
	pid_t			 user_pid;
	struct auth		*auth;
	struct account		 acct;
	unsigned		 attempts;
	time_t			 start;
};

/* SIGTERM (the master shutting down): pass it on to the children. */
static void
on_term(int sig)
{
	int saved = errno;

	got_term = 1;
	if (term_login > 0)
		(void)kill(term_login, SIGTERM);
	if (term_user > 0)
		(void)kill(term_user, SIGTERM);
	errno = saved;
}

static void
set_name(const char *name)
{
	(void)prctl(PR_SET_NAME, name, 0, 0, 0);
}

static void
default_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

/* A fixed line to a plaintext client; the monitor writes, never reads. */
static void
refuse(const struct monitor *m, const char *why)
{
	char line[160];
	int n;

	if (m->mp->implicit_tls)
		return;
	n = snprintf(line, sizeof(line), "* BYE %s\r\n", why);
	if (n > 0)
		(void)send(m->mp->wfd, line, (size_t)n,
		    MSG_NOSIGNAL | MSG_DONTWAIT);
}

static void
close_client(struct monitor *m)
{
	if (m->mp->rfd >= 0)
		(void)close(m->mp->rfd);
	if (m->mp->wfd >= 0 && m->mp->wfd != m->mp->rfd)
		(void)close(m->mp->wfd);
	m->mp->rfd = m->mp->wfd = -1;
}

/* The pre-auth process: sandbox, TLS, not-authenticated state, relay. */
static void __attribute__((noreturn))
login_child(struct monitor *m, int ipc, int relay)
{
	const struct settings *set = m->set;
	struct client *c;
	struct conn *conn;
	const char *err;
	pid_t parent = getppid();
	time_t deadline;
	int rc = 1;

	set_name("imapd-login");
	default_signals();
	if (m->mp->master_fd >= 0)
		(void)close(m->mp->master_fd);
	if (privdrop_sandbox_enter(&m->sb, &err) == -1) {
		log_err("event=sandbox_failed rhost=%s error=\"%s\"",
		    m->rhost, err);
		_exit(1);
	}
	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) == -1 ||
	    getppid() != parent)
		_exit(1);
	deadline = time(NULL) + set->login_timeout;
	conn = conn_new(m->mp->rfd, m->mp->wfd);
	if (m->mp->implicit_tls && conn_start_tls(conn, m->mp->tls,
	    (int)set->login_timeout * 1000) == -1) {
		log_info("event=disconnect rhost=%s reason=tls_failed "
		    "error=\"%s\"", m->rhost, conn_error(conn));
		conn_free(&conn);
		_exit(1);
	}
	c = client_new(conn, set);
	if (preauth_run(c, m->mp->tls, ipc, deadline) == 1) {
		(void)close(ipc);
		rc = 0;
		if (conn_is_tls(c->conn) && relay >= 0 &&
		    conn_relay(c->conn, relay, -1) == -1)
			log_debug("event=relay_ended rhost=%s error=\"%s\"",
			    m->rhost, conn_error(c->conn));
	} else
		rc = 0;
	client_free(&c);
	_exit(rc);
}

static int
start_login(struct monitor *m)
{
	int ipc[2], relay[2] = { -1, -1 };

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, ipc) == -1 ||
	    (m->mp->tls != NULL && socketpair(AF_UNIX, SOCK_STREAM |
	    SOCK_CLOEXEC, 0, relay) == -1)) {
		log_err("event=socketpair_failed error=\"%s\"",
		    strerror(errno));
		return -1;
	}
	if ((m->login_pid = fork()) == -1) {
		log_err("event=fork_failed error=\"%s\"", strerror(errno));
		return -1;
	}
	if (m->login_pid == 0) {
		(void)close(ipc[0]);
		if (relay[0] >= 0)
			(void)close(relay[0]);
		login_child(m, ipc[1], relay[1]);
	}
	term_login = m->login_pid;
	(void)close(ipc[1]);
	if (relay[1] >= 0)
		(void)close(relay[1]);
	m->ipc = ipc[0];
	m->relay = relay[0];
	/* the private key stays with the pre-auth process only */
	SSL_CTX_free(m->mp->tls);
	m->mp->tls = NULL;
	return 0;
}

static void
kill_login(struct monitor *m)
{
	if (m->login_pid <= 0)
		return;
	(void)kill(m->login_pid, SIGKILL);
	while (waitpid(m->login_pid, NULL, 0) == -1 && errno == EINTR)
		;
	m->login_pid = -1;
	term_login = -1;
}

static int
reply(struct monitor *m, enum pm_result r)
{
	struct privmsg *msg;
	int rc;

	if ((msg = calloc(1, sizeof(*msg))) == NULL)
		fatal("monitor: out of memory");
	msg->type = PM_AUTH_REPLY;
	msg->result = r;
	rc = privmsg_send(m->ipc, msg);
	free(msg);
	return rc;
}

/* The master's say on a login (per-user limit). PM_OK without a master. */
static enum pm_result
ask_master(struct monitor *m)
{
	struct privmsg *msg;
	const char *err;
	enum pm_result r = PM_TEMPFAIL;

	if (m->mp->master_fd < 0)
		return PM_OK;
	if ((msg = calloc(1, sizeof(*msg))) == NULL)
		fatal("monitor: out of memory");
	msg->type = PM_LOGIN;
	strlcpy(msg->user, m->acct.name, sizeof(msg->user));
	if (privmsg_send(m->mp->master_fd, msg) == 0 &&
	    privmsg_recv(m->mp->master_fd, msg, MASTER_REPLY_MS, &err) == 1 &&
	    msg->type == PM_LOGIN_REPLY)
		r = msg->result;
	else
		log_err("event=master_lost rhost=%s", m->rhost);
	free(msg);
	return r;
}

static void
tell_master_failed(struct monitor *m)
{
	struct privmsg msg;

	if (m->mp->master_fd < 0)
		return;
	memset(&msg, 0, sizeof(msg));
	msg.type = PM_AUTH_FAILED;
	(void)privmsg_send(m->mp->master_fd, &msg);
}

/*
 * One PM_AUTH. Returns 1 when the user is logged in (the reply OK sent),
 * 0 to wait for the next attempt, -1 to end the connection.
 */
static int
handle_auth(struct monitor *m, struct privmsg *msg)
{
	const struct settings *set = m->set;
	enum auth_result ar;
	enum pm_result r;

	if (++m->attempts > set->max_auth_attempts) {
		log_warn("event=preauth_violation rhost=%s reason=\"more "
		    "attempts than max_auth_attempts\"", m->rhost);
		return -1;
	}
	ar = auth_verify(m->auth, msg->user, msg->pass, m->rhost, &m->acct);
	explicit_bzero(msg->pass, sizeof(msg->pass));
	if (ar != AUTH_OK) {
		if (ar == AUTH_FAIL)
			tell_master_failed(m);
		if (set->auth_failure_delay > 0)
			sleep(set->auth_failure_delay);
		r = ar == AUTH_TEMPFAIL ? PM_TEMPFAIL : PM_FAIL;
		if (m->attempts >= set->max_auth_attempts)
			r = PM_CLOSE;
		return reply(m, r) == -1 ? -1 : 0;
	}
	if ((r = ask_master(m)) == PM_OK && geteuid() == 0 &&
	    auth_session_open(m->auth) == -1)
		r = PM_TEMPFAIL;
	if (r != PM_OK) {
		log_info("event=login_refused user=%s rhost=%s reason=%s",
		    m->acct.name, m->rhost, r == PM_LIMIT ?
		    "max_connections_per_user" : "session_unavailable");
		auth_session_close(m->auth);
		return reply(m, r == PM_LIMIT ? PM_LIMIT : PM_TEMPFAIL) == -1 ?
		    -1 : 0;
	}
	if (reply(m, PM_OK) == -1)
		return -1;
	return 1;
}

static void __attribute__((noreturn))
user_child(struct monitor *m, const struct privmsg *msg, int rfd, int wfd)
{
	struct client *c;
	struct conn *conn;
	int rc;

	set_name("imapd-user");
	default_signals();
	auth_forget(&m->auth);
	(void)close(m->ipc);
	if (m->mp->master_fd >= 0)
		(void)close(m->mp->master_fd);
	conn = conn_new(rfd, wfd);
	conn_set_peer(conn, m->rhost, m->local);
	if (msg->npending > 0 &&
	    conn_push_input(conn, msg->pending, msg->npending) == -1)
		fatal("monitor: pending input does not fit");
	c = client_new(conn, m->set);
	rc = serve_user(c, &m->acct, msg->tag);
	client_free(&c);
	_exit(rc);
}

/* After the login: the client's connection goes to the user process. */
static int
start_user(struct monitor *m, const struct privmsg *msg)
{
	int rfd, wfd;

	if (!msg->tls || m->relay < 0) {
		/* plaintext: the pre-auth process is done; the socket and
		 * what it had read ahead move to the user process */
		kill_login(m);
		rfd = m->mp->rfd;
		wfd = m->mp->wfd;
		if (m->relay >= 0)
			(void)close(m->relay);
		m->relay = -1;
	} else {
		/* TLS: the pre-auth process relays; the monitor lets go of
		 * the client socket */
		close_client(m);
		rfd = wfd = m->relay;
	}
	if ((m->user_pid = fork()) == -1) {
		log_err("event=fork_failed error=\"%s\"", strerror(errno));
		return -1;
	}
	if (m->user_pid == 0)
		user_child(m, msg, rfd, wfd);
	term_user = m->user_pid;
	if (m->relay >= 0)
		(void)close(m->relay);
	m->relay = -1;
	close_client(m);
	log_info("event=login user=%s rhost=%s tls=%s", m->acct.name,
	    m->rhost, msg->tls ? "yes" : "no");
	return 0;
}

/* Until the pre-auth process logs someone in, leaves or misbehaves. */
static int
await_login(struct monitor *m)
{
	const struct settings *set = m->set;
	struct privmsg *msg;
	const char *err;
	time_t deadline, now;
	int r, rc = -1;

	if ((msg = calloc(1, sizeof(*msg))) == NULL)
		fatal("monitor: out of memory");
	deadline = m->start + 2 * (time_t)set->login_timeout +
	    (time_t)set->max_auth_attempts * set->auth_failure_delay +
	    PREAUTH_SLACK_SECS;
	for (;;) {
		now = time(NULL);
		if (now >= deadline) {
			log_warn("event=preauth_violation rhost=%s "
			    "reason=\"past its deadline\"", m->rhost);
			break;
		}
		r = privmsg_recv(m->ipc, msg, (int)(deadline - now) * 1000,
		    &err);
		if (r == 0 || (r == -1 && got_term)) {
			rc = 0;		/* client gone, or shutting down */
			break;
		}
		if (r == -1) {
			log_warn("event=preauth_violation rhost=%s "
			    "reason=\"%s\"", m->rhost, err);
			break;
		}
		if (msg->type != PM_AUTH) {
			log_warn("event=preauth_violation rhost=%s "
			    "reason=\"unexpected message\"", m->rhost);
			break;
		}
		if ((r = handle_auth(m, msg)) == -1)
			break;
		if (r == 1) {
			rc = start_user(m, msg) == 0 ? 1 : -1;
			break;
		}
	}
	privmsg_clear(msg);
	free(msg);
	return rc;
}

/* Reap one child; returns its pid or -1 when there are none. */
static pid_t
reap_one(int *status, int block)
{
	pid_t pid;

	while ((pid = waitpid(-1, status, block ? 0 : WNOHANG)) == -1 &&
	    errno == EINTR)
		;
	return pid;
}

static void
wait_children(struct monitor *m)
{
	time_t linger = 0;
	pid_t pid;
	int st;

	while (m->login_pid > 0 || m->user_pid > 0) {
		if (m->user_pid <= 0 && m->login_pid > 0) {
			/* only a relay left: give it a moment to finish */
			if (linger == 0)
				linger = time(NULL) + RELAY_LINGER_SECS;
			if (time(NULL) >= linger) {
				kill_login(m);
				break;
			}
			pid = reap_one(&st, 0);
			if (pid == 0) {
				usleep(20000);
				continue;
			}
		} else
			pid = reap_one(&st, 1);
		if (pid == -1)
			break;
		if (pid == m->login_pid) {
			m->login_pid = -1;
			term_login = -1;
			if (WIFSIGNALED(st) && WTERMSIG(st) != SIGKILL &&
			    WTERMSIG(st) != SIGTERM)
				log_err("event=preauth_crashed rhost=%s "
				    "signal=%d", m->rhost, WTERMSIG(st));
		} else if (pid == m->user_pid) {
			m->user_pid = -1;
			term_user = -1;
			if (WIFSIGNALED(st) && WTERMSIG(st) != SIGTERM)
				log_err("event=session_crashed user=%s "
				    "rhost=%s signal=%d", m->acct.name,
				    m->rhost, WTERMSIG(st));
		}
	}
}

static char *
auth_spec(const struct settings *set)
{
	char *spec;

	if (strcmp(set->auth, "pam") == 0) {
		if (asprintf(&spec, "pam:%s", set->pam_service) == -1)
			fatal("monitor: out of memory");
	} else if ((spec = strdup(set->auth)) == NULL)
		fatal("monitor: out of memory");
	return spec;
}

int
monitor_run(const struct settings *set, struct monitor_params *mp)
{
	struct monitor m;
	struct sigaction sa;
	char err[512], *aerr = NULL, *spec;
	int rc = 1, logged_in;

	memset(&m, 0, sizeof(m));
	m.set = set;
	m.mp = mp;
	m.ipc = m.relay = -1;
	m.login_pid = m.user_pid = -1;
	m.start = time(NULL);
	set_name("imapd-monitor");
	conn_peer_describe(mp->rfd, m.rhost, sizeof(m.rhost), &m.local);
	log_info("event=connect rhost=%s tls=%s", m.rhost,
	    mp->implicit_tls ? "implicit" : mp->tls != NULL ? "starttls" :
	    "no");
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	if (privdrop_sandbox_prepare(set->preauth_user, set->preauth_chroot,
	    &m.sb, err, sizeof(err)) == -1) {
		log_err("event=sandbox_failed rhost=%s error=\"%s\"", m.rhost,
		    err);
		refuse(&m, "Server misconfigured, try again later.");
		goto out;
	}
	if (start_login(&m) == -1) {
		refuse(&m, "Server busy, try again later.");
		goto out;
	}
	/* after the fork: the pre-auth process never holds password data */
	spec = auth_spec(set);
	m.auth = auth_new(spec, &aerr);
	free(spec);
	if (m.auth == NULL) {
		log_err("event=auth_init_failed error=\"%s\"", aerr);
		free(aerr);
		kill_login(&m);
		goto out;
	}
	logged_in = await_login(&m);
	if (logged_in == -1)
		kill_login(&m);
	if (m.ipc >= 0)
		(void)close(m.ipc);
	m.ipc = -1;
	close_client(&m);
	wait_children(&m);
	if (logged_in == 1)
		auth_session_close(m.auth);
	else
		log_info("event=disconnect rhost=%s reason=%s duration=%lld",
		    m.rhost, logged_in == 0 ? "no_login" : "preauth_ended",
		    (long long)(time(NULL) - m.start));
	rc = logged_in == -1 ? 1 : 0;
out:
	auth_free(&m.auth);
	SSL_CTX_free(mp->tls);
	mp->tls = NULL;
	close_client(&m);
	return rc;
}
