/*
 * preauth: the not-authenticated state. Runs in the sandboxed pre-auth
 * process: it never checks a password itself but asks the monitor
 * (privmsg PM_AUTH) and answers what the monitor decided.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "lib/base64.h"
#include "lib/log.h"
#include "auth/sasl.h"
#include "imapd/capability.h"
#include "imapd/id.h"
#include "imapd/preauth.h"
#include "imapd/privmsg.h"

struct preauth {
	struct client	*c;
	int		 ipc;		/* to the monitor */
	SSL_CTX		*tls;
	unsigned	 failures;
	time_t		 deadline;
	bool		 done;		/* logged in */
};

static bool
plaintext_ok(const struct preauth *p)
{
	const struct client *c = p->c;

	if (conn_is_tls(c->conn))
		return true;
	switch (c->set->plaintext) {
	case PLAINTEXT_ALWAYS:
		return true;
	case PLAINTEXT_LOOPBACK:
		return conn_peer_is_local(c->conn);
	default:
		return false;
	}
}

static void
write_caps(struct preauth *p)
{
	struct capability_ctx cc = {
		.tls_active = conn_is_tls(p->c->conn),
		.starttls_possible = p->tls != NULL,
		.plaintext_ok = plaintext_ok(p),
	};

	capability_write(p->c->out, &cc);
}

static unsigned
remaining(const struct preauth *p)
{
	time_t now = time(NULL);

	return now >= p->deadline ? 1 : (unsigned)(p->deadline - now);
}

/*
 * Ask the monitor to check a user/password pair; answer failures here.
 * The client's pipelined plaintext goes along (and stays buffered here),
 * so that the user process starts reading where this process stopped.
 */
static void
try_login(struct preauth *p, const char *tag, const char *user,
    const char *pass)
{
	struct client *c = p->c;
	struct privmsg *m;
	const char *err;
	int r;

	if (strlen(tag) > PM_TAG_MAX) {
		client_bad(c, tag, "Tag too long");
		return;
	}
	if (strlen(user) > PM_USER_MAX || strlen(pass) > PM_PASS_MAX ||
	    *user == '\0') {
		client_tagged(c, tag, "NO", "[AUTHENTICATIONFAILED] "
		    "Authentication failed.");
		goto count;
	}
	if ((m = calloc(1, sizeof(*m))) == NULL)
		fatal("preauth: out of memory");
	m->type = PM_AUTH;
	strlcpy(m->tag, tag, sizeof(m->tag));
	strlcpy(m->user, user, sizeof(m->user));
	strlcpy(m->pass, pass, sizeof(m->pass));
	m->tls = conn_is_tls(c->conn);
	if (!m->tls) {
		/* a copy: if the login fails, this process reads on */
		m->npending = conn_take_input(c->conn, m->pending,
		    sizeof(m->pending));
		(void)conn_push_input(c->conn, m->pending, m->npending);
	}
	if (conn_flush(c->conn) == -1 || privmsg_send(p->ipc, m) == -1) {
		privmsg_clear(m);
		free(m);
		c->disconnect = true;
		return;
	}
	/* the monitor sleeps auth_failure_delay before a failure reply */
	r = privmsg_recv(p->ipc, m, (int)(remaining(p) +
	    c->set->auth_failure_delay + 30) * 1000, &err);
	if (r != 1 || m->type != PM_AUTH_REPLY) {
		log_err("event=monitor_lost error=\"%s\"", r == 1 ?
		    "unexpected message" : r == 0 ? "closed" : err);
		privmsg_clear(m);
		free(m);
		client_bye(c, "Internal error, please try again.");
		return;
	}
	r = m->result;
	privmsg_clear(m);
	free(m);
	switch (r) {
	case PM_OK:
		p->done = true;
		return;
	case PM_LIMIT:
		client_tagged(c, tag, "NO", "[LIMIT] Too many connections "
		    "for this user.");
		return;
	case PM_TEMPFAIL:
		client_tagged(c, tag, "NO", "[UNAVAILABLE] Authentication "
		    "is temporarily unavailable.");
		break;
	default:
		client_tagged(c, tag, "NO", "[AUTHENTICATIONFAILED] "
		    "Authentication failed.");
		break;
	}
	if (r == PM_CLOSE) {
		c->why = "auth_failures";
		client_bye(c, "Too many authentication failures.");
		return;
	}
count:
	if (++p->failures >= c->set->max_auth_attempts) {
		c->why = "auth_failures";
		client_bye(c, "Too many authentication failures.");
	}
}

static void
cmd_login(struct preauth *p, const struct imap_cmd *cmd)
{
	const char *user, *pass;
	size_t ulen, plen;

	if (cmd->nargs != 2 ||
	    !imap_arg_astring(&cmd->args[0], &user, &ulen) ||
	    !imap_arg_astring(&cmd->args[1], &pass, &plen)) {
		client_bad(p->c, cmd->tag, "Expected user name and password");
		return;
	}
	if (!plaintext_ok(p)) {
		client_tagged(p->c, cmd->tag, "NO", "[PRIVACYREQUIRED] "
		    "Plaintext login is disabled; use STARTTLS first.");
		return;
	}
	if (memchr(user, '\0', ulen) != NULL ||
	    memchr(pass, '\0', plen) != NULL) {
		client_tagged(p->c, cmd->tag, "NO", "[AUTHENTICATIONFAILED] "
		    "Authentication failed.");
		return;
	}
	try_login(p, cmd->tag, user, pass);
}

/*
 * Send a challenge and read the client's base64 response into out
 * (sensitive). Returns 0, or -1 after answering (cancel, bad base64) or
 * when the connection is gone.
 */
static int
sasl_step(struct preauth *p, const char *tag, const char *challenge,
    struct buf *out)
{
	struct client *c = p->c;
	struct buf *line;
	int rc = -1;

	conn_printf(c->conn, "+ %s\r\n", challenge);
	line = buf_new(c->set->max_line_length);
	buf_set_sensitive(line);
	if (client_read_line(c, remaining(p), line) == -1)
		goto out;
	if (buf_len(line) == 1 && buf_data(line)[0] == '*') {
		/* RFC 9051 6.2.2: a cancelled exchange is answered BAD */
		client_bad(c, tag, "Authentication cancelled");
		goto out;
	}
	if (base64_decode(out, (const char *)buf_data(line),
	    buf_len(line)) == -1) {
		client_bad(c, tag, "Invalid base64 in SASL response");
		goto out;
	}
	rc = 0;
out:
	buf_free(&line);
	return rc;
}

/* RFC 4616 PLAIN */
static void
auth_plain(struct preauth *p, const char *tag, const char *ir, size_t irlen)
{
	struct buf *msg = buf_new(8192);
	char *authz = NULL, *user = NULL, *pass = NULL;

	buf_set_sensitive(msg);
	if (ir != NULL) {
		/* RFC 4959: "=" is an empty initial response */
		if (!(irlen == 1 && ir[0] == '=') &&
		    base64_decode(msg, ir, irlen) == -1) {
			client_bad(p->c, tag, "Invalid base64 in initial "
			    "response");
			goto out;
		}
	} else if (sasl_step(p, tag, "", msg) == -1)
		goto out;
	if (sasl_plain_parse((const char *)buf_data(msg), buf_len(msg),
	    &authz, &user, &pass) == -1) {
		client_tagged(p->c, tag, "NO", "[AUTHENTICATIONFAILED] "
		    "Malformed PLAIN response.");
		goto out;
	}
	if (authz[0] != '\0' && strcmp(authz, user) != 0) {
		client_tagged(p->c, tag, "NO", "[AUTHORIZATIONFAILED] "
		    "Cannot log in as another user.");
		goto out;
	}
	try_login(p, tag, user, pass);
out:
	if (pass != NULL)
		explicit_bzero(pass, strlen(pass));
	free(authz);
	free(user);
	free(pass);
	buf_free(&msg);
}

/* The LOGIN mechanism: user name and password in two steps. */
static void
auth_login(struct preauth *p, const char *tag)
{
	struct buf *user = buf_new(1024), *pass = buf_new(8192);

	buf_set_sensitive(pass);
	if (sasl_step(p, tag, "VXNlcm5hbWU6", user) == -1 ||	/* Username: */
	    sasl_step(p, tag, "UGFzc3dvcmQ6", pass) == -1)	/* Password: */
		goto out;
	if (memchr(buf_data(user), '\0', buf_len(user)) != NULL ||
	    memchr(buf_data(pass), '\0', buf_len(pass)) != NULL ||
	    buf_len(user) == 0) {
		client_tagged(p->c, tag, "NO", "[AUTHENTICATIONFAILED] "
		    "Authentication failed.");
		goto out;
	}
	try_login(p, tag, buf_cstr(user), buf_cstr(pass));
out:
	buf_free(&user);
	buf_free(&pass);
}

static void
cmd_authenticate(struct preauth *p, const struct imap_cmd *cmd)
{
	const char *mech, *ir = NULL;
	size_t irlen = 0;

	if (cmd->nargs < 1 || cmd->nargs > 2 ||
	    !imap_arg_atom(&cmd->args[0], &mech) ||
	    (cmd->nargs == 2 && !imap_arg_astring(&cmd->args[1], &ir,
	    &irlen))) {
		client_bad(p->c, cmd->tag, "Expected a SASL mechanism");
		return;
	}
	if (!plaintext_ok(p)) {
		client_tagged(p->c, cmd->tag, "NO", "[PRIVACYREQUIRED] "
		    "Plaintext authentication is disabled; use STARTTLS "
		    "first.");
		return;
	}
	if (strcasecmp(mech, "PLAIN") == 0)
		auth_plain(p, cmd->tag, ir, irlen);
	else if (strcasecmp(mech, "LOGIN") == 0 && ir == NULL)
		auth_login(p, cmd->tag);
	else
		client_tagged(p->c, cmd->tag, "NO", "[CANNOT] Unsupported "
		    "authentication mechanism.");
}

static void
cmd_starttls(struct preauth *p, const struct imap_cmd *cmd)
{
	struct client *c = p->c;

	if (cmd->nargs != 0) {
		client_bad(c, cmd->tag, "STARTTLS takes no arguments");
		return;
	}
	if (p->tls == NULL || conn_is_tls(c->conn)) {
		client_bad(c, cmd->tag, conn_is_tls(c->conn) ?
		    "TLS is already active" : "STARTTLS is not available");
		return;
	}
	client_tagged(c, cmd->tag, "OK", "Begin TLS negotiation now.");
	if (conn_flush(c->conn) == -1) {
		c->disconnect = true;
		return;
	}
	/* discards anything pipelined after STARTTLS (RFC 9051 11.1) */
	if (conn_start_tls(c->conn, p->tls, (int)remaining(p) * 1000) ==
	    -1) {
		log_info("event=starttls_failed rhost=%s error=\"%s\"",
		    conn_peer(c->conn), conn_error(c->conn));
		c->disconnect = true;
	}
}

static void
dispatch(struct preauth *p, const struct imap_cmd *cmd)
{
	struct client *c = p->c;
	const char *n = cmd->name;

	if (strcmp(n, "CAPABILITY") == 0 && cmd->nargs == 0) {
		buf_reset(c->out);
		buf_puts(c->out, "* CAPABILITY ");
		write_caps(p);
		client_send_out(c);
		client_tagged(c, cmd->tag, "OK", "Capability completed.");
	} else if (strcmp(n, "NOOP") == 0 && cmd->nargs == 0) {
		client_tagged(c, cmd->tag, "OK", "NOOP completed.");
	} else if (strcmp(n, "LOGOUT") == 0 && cmd->nargs == 0) {
		c->why = "logout";
		client_untagged(c, "BYE Logging out");
		client_tagged(c, cmd->tag, "OK", "Logout completed.");
		conn_flush(c->conn);
		c->disconnect = true;
	} else if (strcmp(n, "ID") == 0) {
		if (id_command(c, cmd->tag, cmd->args, cmd->nargs) == 0)
			client_tagged(c, cmd->tag, "OK", "ID completed.");
	} else if (strcmp(n, "STARTTLS") == 0) {
		cmd_starttls(p, cmd);
	} else if (strcmp(n, "LOGIN") == 0) {
		cmd_login(p, cmd);
	} else if (strcmp(n, "AUTHENTICATE") == 0) {
		cmd_authenticate(p, cmd);
	} else if (strcmp(n, "CAPABILITY") == 0 || strcmp(n, "NOOP") == 0 ||
	    strcmp(n, "LOGOUT") == 0) {
		client_bad(c, cmd->tag, "No arguments expected");
	} else
		client_bad(c, cmd->tag, "Not allowed before login; "
		    "use LOGIN or AUTHENTICATE");
}

int
preauth_run(struct client *c, SSL_CTX *tls, int ipc, time_t deadline)
{
	struct preauth p;
	struct imap_cmd *cmd;
	enum client_read rc;

	memset(&p, 0, sizeof(p));
	p.c = c;
	p.ipc = ipc;
	p.tls = tls;
	p.deadline = deadline;
	buf_reset(c->out);
	buf_puts(c->out, "* OK [CAPABILITY ");
	write_caps(&p);
	buf_puts(c->out, "] imapd ready.");
	client_send_out(c);
	while (!c->disconnect) {
		rc = client_read_command(c, remaining(&p), &cmd);
		if (rc == CLIENT_READ_CLOSE)
			break;
		if (rc == CLIENT_READ_AGAIN)
			continue;
		dispatch(&p, cmd);
		imap_cmd_free(&cmd);
		if (p.done)
			return 1;
		if (time(NULL) >= p.deadline && !c->disconnect) {
			c->why = "timeout";
			client_bye(c, "Login timeout.");
		}
	}
	log_info("event=disconnect rhost=%s reason=%s", conn_peer(c->conn),
	    c->why != NULL ? c->why : "closed");
	return 0;
}
