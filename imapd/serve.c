/*
 * serve: the per-connection path. When running as root, the process that
 * ran pre-auth stays root only to hold the PAM session: it forks the user
 * process, waits for it and closes the session (DESIGN.md 1, first step).
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/log.h"
#include "auth/auth.h"
#include "storage/store.h"
#include "imapd/client.h"
#include "imapd/preauth.h"
#include "imapd/privdrop.h"
#include "imapd/serve.h"
#include "imapd/session.h"

/* The Maildir of an account: settings "maildir" with %u and %h,
 * relative to the home directory. */
static int
maildir_path(const struct settings *set, const struct account *a,
    char *out, size_t outlen)
{
	const char *p;
	size_t n = 0, k;
	const char *add;
	char one[2] = { 0, 0 };

	if (a->maildir[0] != '\0')
		return strlcpy(out, a->maildir, outlen) < outlen ? 0 : -1;
	if (set->maildir[0] != '/') {
		n = strlcpy(out, a->home, outlen);
		if (n + 1 >= outlen)
			return -1;
		if (n == 0 || out[n - 1] != '/')
			out[n++] = '/';
		out[n] = '\0';
	} else
		out[0] = '\0';
	for (p = set->maildir; *p != '\0'; p++) {
		if (p[0] == '%' && p[1] == 'u') {
			add = a->name;
			p++;
		} else if (p[0] == '%' && p[1] == 'h') {
			add = a->home;
			p++;
		} else {
			one[0] = *p;
			add = one;
		}
		k = strlcat(out, add, outlen);
		if (k >= outlen)
			return -1;
	}
	return 0;
}

static struct store *
open_store(const struct settings *set, const struct account *a)
{
	char path[PATH_MAX];
	char *err = NULL;
	struct store *st;

	if (strcmp(set->store, "memory") == 0)
		return store_memory_open();
	if (maildir_path(set, a, path, sizeof(path)) == -1) {
		log_err("event=store_open_failed user=%s error=\"path too "
		    "long\"", a->name);
		return NULL;
	}
	if ((st = store_maildir_open(path, &err)) == NULL) {
		log_err("event=store_open_failed user=%s path=%s error=\"%s\"",
		    a->name, path, err ? err : "?");
		free(err);
	}
	return st;
}

/* The user process: drop privileges, open the store, serve. */
static int
user_process(struct client *c, const struct account *acct, const char *tag)
{
	struct store *st;
	const char *err;

	if (privdrop_to(acct, &err) == -1) {
		log_err("event=privdrop_failed user=%s error=\"%s\"",
		    acct->name, err);
		client_tagged(c, tag, "NO", "[SERVERBUG] Cannot switch to "
		    "the user.");
		client_bye(c, "Internal error.");
		return 1;
	}
	if ((st = open_store(c->set, acct)) == NULL) {
		client_tagged(c, tag, "NO", "[UNAVAILABLE] Cannot open the "
		    "mail store.");
		client_bye(c, "Mail store unavailable.");
		return 1;
	}
	session_run(c, acct, st, tag);
	return 0;
}

int
serve_login(struct conn *conn, const struct settings *set, SSL_CTX *tls,
    bool implicit_tls)
{
	struct client *c;
	struct auth *auth;
	struct account acct;
	char *err = NULL, *tag = NULL, ctx[300];
	pid_t pid;
	int status, rc = 1;

	if (implicit_tls && conn_start_tls(conn, tls,
	    (int)set->login_timeout * 1000) == -1) {
		log_info("event=tls_failed rhost=%s error=\"%s\"",
		    conn_peer(conn), conn_error(conn));
		conn_free(&conn);
		return 1;
	}
	c = client_new(conn, set);
	if ((auth = auth_new(set->auth, &err)) == NULL) {
		log_err("event=auth_init_failed error=\"%s\"", err);
		free(err);
		client_bye(c, "Authentication unavailable.");
		client_free(&c);
		return 1;
	}
	memset(&acct, 0, sizeof(acct));
	if (preauth_run(c, auth, tls, &acct, &tag) != 1)
		goto out;
	snprintf(ctx, sizeof(ctx), "user=%s", acct.name);
	log_set_context(ctx);
	if (geteuid() != 0) {
		/* test/demo mode: nothing to drop, no PAM session */
		rc = user_process(c, &acct, tag);
		goto out;
	}
	if (auth_session_open(auth) == -1) {
		client_tagged(c, tag, "NO", "[UNAVAILABLE] Cannot open a "
		    "session.");
		client_bye(c, "Session refused.");
		goto out;
	}
	if ((pid = fork()) == -1) {
		log_err("event=fork_failed error=\"%s\"", strerror(errno));
		client_tagged(c, tag, "NO", "[UNAVAILABLE] Try again later.");
	} else if (pid == 0) {
		rc = user_process(c, &acct, tag);
		client_free(&c);
		_exit(rc);
	} else {
		/* root keeps only the PAM handle; the user process owns
		 * the connection from here */
		while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
			;
		rc = WIFEXITED(status) ? WEXITSTATUS(status) : 1;
		auth_session_close(auth);
		auth_free(&auth);
		free(tag);
		return rc;
	}
	auth_session_close(auth);
out:
	auth_free(&auth);
	free(tag);
	client_free(&c);
	return rc;
}

int
serve_preauth(const struct settings *set)
{
	struct account acct;
	struct client *c;
	struct store *st;

	if (getuid() == 0 || geteuid() == 0) {
		fprintf(stderr, "imapd: refusing PREAUTH mode as root\n");
		return 1;
	}
	if (auth_self(&acct) == -1) {
		fprintf(stderr, "imapd: cannot find the running user\n");
		return 1;
	}
	c = client_new(conn_new(0, 1), set);
	if ((st = open_store(set, &acct)) == NULL) {
		client_bye(c, "Cannot open the mail store.");
		client_free(&c);
		return 1;
	}
	session_run(c, &acct, st, NULL);
	client_free(&c);
	return 0;
}
