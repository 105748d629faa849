/*
 * serve: the user process (after a login, started by the monitor) and
 * PREAUTH mode: become the user, open the mail store, run the session.
 */
#include <sys/prctl.h>
#include <sys/types.h>

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/log.h"
#include "auth/auth.h"
#include "storage/store.h"
#include "imapd/client.h"
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

int
serve_user(struct client *c, const struct account *acct, const char *tag)
{
	struct store *st;
	const char *err;
	char ctx[300];
	uint64_t in, out;
	time_t start = time(NULL);

	if (privdrop_to(acct, &err) == -1) {
		log_err("event=privdrop_failed user=%s error=\"%s\"",
		    acct->name, err);
		client_tagged(c, tag, "NO", "[SERVERBUG] Cannot switch to "
		    "the user.");
		client_bye(c, "Internal error.");
		return 1;
	}
	/* a monitor killed outright takes its user process along */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) == -1 ||
	    getppid() == 1)
		return 1;
	snprintf(ctx, sizeof(ctx), "user=%s", acct->name);
	log_set_context(ctx);
	if ((st = open_store(c->set, acct)) == NULL) {
		client_tagged(c, tag, "NO", "[UNAVAILABLE] Cannot open the "
		    "mail store.");
		client_bye(c, "Mail store unavailable.");
		return 1;
	}
	session_run(c, acct, st, tag);
	conn_counts(c->conn, &in, &out);
	log_info("event=logout rhost=%s reason=%s bytes_in=%llu "
	    "bytes_out=%llu duration=%lld", conn_peer(c->conn),
	    c->why != NULL ? c->why : "logout", (unsigned long long)in,
	    (unsigned long long)out, (long long)(time(NULL) - start));
	return 0;
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
