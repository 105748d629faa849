/*
 * settings: defaults, config file and --set handling.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "imapd/settings.h"

enum kind { K_STR, K_SIZE, K_UINT, K_BOOL, K_LISTEN, K_PLAIN };

struct key {
	const char	*name;
	enum kind	 kind;
	size_t		 off;
	long long	 min, max;
};

#define OFF(f)	offsetof(struct settings, f)

static const struct key keys[] = {
	{ "listen", K_LISTEN, 0, 0, 0 },
	{ "port", K_UINT, OFF(port), 1, 65535 },
	{ "tls", K_BOOL, OFF(tls), 0, 1 },
	{ "tls_cert", K_STR, OFF(tls_cert), 0, 0 },
	{ "tls_key", K_STR, OFF(tls_key), 0, 0 },
	{ "store", K_STR, OFF(store), 0, 0 },
	{ "maildir", K_STR, OFF(maildir), 0, 0 },
	{ "auth", K_STR, OFF(auth), 0, 0 },
	{ "allow_plaintext_auth", K_PLAIN, OFF(plaintext), 0, 0 },
	{ "max_line_length", K_SIZE, OFF(max_line_length), 1024,
	    16 * 1024 * 1024 },
	{ "max_literal_size", K_SIZE, OFF(max_literal_size), 1024,
	    (long long)1 << 40 },
	{ "max_command_size", K_SIZE, OFF(max_command_size), 2048,
	    (long long)1 << 40 },
	{ "max_nesting_depth", K_SIZE, OFF(max_nesting_depth), 2, 1000 },
	{ "max_bad_commands", K_UINT, OFF(max_bad_commands), 1, 100000 },
	{ "max_auth_attempts", K_UINT, OFF(max_auth_attempts), 1, 1000 },
	{ "auth_failure_delay", K_UINT, OFF(auth_failure_delay), 0, 60 },
	{ "login_timeout", K_UINT, OFF(login_timeout), 1, 86400 },
	{ "autologout_timeout", K_UINT, OFF(autologout_timeout), 1, 604800 },
	{ "idle_timeout", K_UINT, OFF(idle_timeout), 1, 604800 },
	{ "max_connections", K_UINT, OFF(max_connections), 1, 1000000 },
	{ "max_connections_per_ip", K_UINT, OFF(max_connections_per_ip), 1,
	    1000000 },
	{ "max_connections_per_user", K_UINT,
	    OFF(max_connections_per_user), 1, 1000000 },
	{ "max_accept_rate", K_UINT, OFF(max_accept_rate), 0, 1000000 },
	{ "max_auth_failures_per_ip", K_UINT,
	    OFF(max_auth_failures_per_ip), 0, 1000000 },
	{ "auth_failure_window", K_UINT, OFF(auth_failure_window), 1,
	    86400 },
	{ "shutdown_grace", K_UINT, OFF(shutdown_grace), 0, 86400 },
	{ "preauth_user", K_STR, OFF(preauth_user), 0, 0 },
	{ "preauth_chroot", K_STR, OFF(preauth_chroot), 0, 0 },
	{ "pam_service", K_STR, OFF(pam_service), 0, 0 },
};

static char	*xstrdup(const char *);
static int	 parse_bool(const char *, bool *);

static char *
xstrdup(const char *s)
{
	char *p;

	if ((p = strdup(s)) == NULL) {
		perror("strdup");
		exit(1);
	}
	return p;
}

void
settings_defaults(struct settings *s)
{
	memset(s, 0, sizeof(*s));
	s->store = xstrdup("maildir");
	s->maildir = xstrdup("Maildir");
	s->auth = xstrdup("pam");
	s->plaintext = PLAINTEXT_LOOPBACK;
	s->max_line_length = 65536;
	s->max_literal_size = 64 * 1024 * 1024;
	s->max_command_size = s->max_literal_size + s->max_line_length;
	s->max_nesting_depth = 32;
	s->max_bad_commands = 20;
	s->max_auth_attempts = 3;
	s->auth_failure_delay = 2;
	s->login_timeout = 60;
	s->autologout_timeout = 1800;
	s->idle_timeout = 1800;
	s->max_connections = 256;
	s->max_connections_per_ip = 16;
	s->max_connections_per_user = 20;
	s->max_accept_rate = 100;
	s->max_auth_failures_per_ip = 30;
	s->auth_failure_window = 600;
	s->shutdown_grace = 30;
	s->preauth_user = xstrdup("_imapd");
	s->preauth_chroot = xstrdup("/var/lib/imapd/empty");
	s->pam_service = xstrdup("imap");
}

static int
parse_bool(const char *v, bool *b)
{
	if (strcasecmp(v, "yes") == 0 || strcasecmp(v, "true") == 0 ||
	    strcmp(v, "1") == 0 || strcasecmp(v, "on") == 0)
		*b = true;
	else if (strcasecmp(v, "no") == 0 || strcasecmp(v, "false") == 0 ||
	    strcmp(v, "0") == 0 || strcasecmp(v, "off") == 0)
		*b = false;
	else
		return -1;
	return 0;
}

int
settings_set(struct settings *s, const char *key, const char *value,
    const char **err_r)
{
	const struct key *k = NULL;
	const char *errstr;
	long long n;
	size_t i;
	char *p = (char *)s;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strcmp(keys[i].name, key) == 0)
			k = &keys[i];
	if (k == NULL) {
		*err_r = "unknown setting";
		return -1;
	}
	switch (k->kind) {
	case K_STR:
		free(*(char **)(p + k->off));
		*(char **)(p + k->off) = xstrdup(value);
		break;
	case K_LISTEN:
		if (s->nlisten >= SETTINGS_MAX_LISTEN) {
			*err_r = "too many listen addresses";
			return -1;
		}
		s->listen[s->nlisten++] = xstrdup(value);
		break;
	case K_BOOL:
		if (parse_bool(value, (bool *)(p + k->off)) == -1) {
			*err_r = "expected yes or no";
			return -1;
		}
		break;
	case K_PLAIN:
		if (strcasecmp(value, "no") == 0)
			s->plaintext = PLAINTEXT_LOOPBACK;
		else if (strcasecmp(value, "yes") == 0)
			s->plaintext = PLAINTEXT_ALWAYS;
		else if (strcasecmp(value, "never") == 0)
			s->plaintext = PLAINTEXT_NEVER;
		else {
			*err_r = "expected no, yes or never";
			return -1;
		}
		break;
	case K_SIZE:
	case K_UINT:
		n = strtonum(value, k->min, k->max, &errstr);
		if (errstr != NULL) {
			*err_r = errstr;
			return -1;
		}
		if (k->kind == K_SIZE)
			*(size_t *)(p + k->off) = (size_t)n;
		else
			*(unsigned *)(p + k->off) = (unsigned)n;
		/* a bigger literal limit raises the command limit with it */
		if (strcmp(key, "max_literal_size") == 0 &&
		    s->max_command_size < s->max_literal_size +
		    s->max_line_length)
			s->max_command_size = s->max_literal_size +
			    s->max_line_length;
		break;
	}
	return 0;
}

int
settings_apply(struct settings *s, char *const *kv, size_t n, char *err,
    size_t errlen)
{
	const char *e, *eq;
	char key[64];
	bool listen_reset = false;
	size_t i, klen;

	for (i = 0; i < n; i++) {
		if ((eq = strchr(kv[i], '=')) == NULL ||
		    (klen = (size_t)(eq - kv[i])) >= sizeof(key)) {
			snprintf(err, errlen, "expected KEY=VALUE: %s", kv[i]);
			return -1;
		}
		memcpy(key, kv[i], klen);
		key[klen] = '\0';
		if (strcmp(key, "listen") == 0 && !listen_reset) {
			while (s->nlisten > 0)
				free(s->listen[--s->nlisten]);
			listen_reset = true;
		}
		if (settings_set(s, key, eq + 1, &e) == -1) {
			snprintf(err, errlen, "%s: %s", key, e);
			return -1;
		}
	}
	return 0;
}

int
settings_load(struct settings *s, const char *path, char *err,
    size_t errlen)
{
	FILE *f;
	char *line = NULL, *key, *val, *eq, *end;
	size_t cap = 0;
	unsigned lineno = 0;
	const char *e;
	int rc = 0;

	if ((f = fopen(path, "r")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (getline(&line, &cap, f) != -1) {
		lineno++;
		key = line + strspn(line, " \t");
		if (*key == '#' || *key == '\n' || *key == '\0')
			continue;
		if ((eq = strchr(key, '=')) == NULL) {
			snprintf(err, errlen, "%s:%u: expected key = value",
			    path, lineno);
			rc = -1;
			break;
		}
		val = eq + 1;
		for (end = eq; end > key && (end[-1] == ' ' ||
		    end[-1] == '\t'); end--)
			;
		*end = '\0';
		val += strspn(val, " \t");
		end = val + strlen(val);
		while (end > val && (end[-1] == '\n' || end[-1] == '\r' ||
		    end[-1] == ' ' || end[-1] == '\t'))
			end--;
		*end = '\0';
		if (settings_set(s, key, val, &e) == -1) {
			snprintf(err, errlen, "%s:%u: %s: %s", path, lineno,
			    key, e);
			rc = -1;
			break;
		}
	}
	free(line);
	fclose(f);
	return rc;
}

int
settings_check(const struct settings *s, char *err, size_t errlen)
{
	if (strcmp(s->store, "maildir") != 0 &&
	    strcmp(s->store, "memory") != 0) {
		snprintf(err, errlen, "store must be maildir or memory");
		return -1;
	}
	if ((s->tls_cert == NULL) != (s->tls_key == NULL)) {
		snprintf(err, errlen, "tls_cert and tls_key go together");
		return -1;
	}
	if (s->tls && s->tls_cert == NULL) {
		snprintf(err, errlen, "tls needs tls_cert and tls_key");
		return -1;
	}
	if (s->tls_cert != NULL && access(s->tls_cert, R_OK) == -1) {
		snprintf(err, errlen, "%s: %s", s->tls_cert, strerror(errno));
		return -1;
	}
	if (s->tls_key != NULL && access(s->tls_key, R_OK) == -1) {
		snprintf(err, errlen, "%s: %s", s->tls_key, strerror(errno));
		return -1;
	}
	if (s->max_command_size < s->max_line_length) {
		snprintf(err, errlen,
		    "max_command_size is smaller than max_line_length");
		return -1;
	}
	return 0;
}

void
settings_dump(const struct settings *s)
{
	static const char *plain[] = { "no", "yes", "never" };
	const char *p = (const char *)s, *v;
	size_t i;

	for (i = 0; i < s->nlisten; i++)
		printf("listen = %s\n", s->listen[i]);
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const struct key *k = &keys[i];

		if (k->kind == K_LISTEN)
			continue;	/* printed above, one per line */
		printf("%s = ", k->name);
		switch (k->kind) {
		case K_STR:
			v = *(char *const *)(p + k->off);
			printf("%s\n", v != NULL ? v : "");
			break;
		case K_SIZE:
			printf("%zu\n", *(const size_t *)(p + k->off));
			break;
		case K_UINT:
			printf("%u\n", *(const unsigned *)(p + k->off));
			break;
		case K_BOOL:
			printf("%s\n", *(const bool *)(p + k->off) ? "yes" :
			    "no");
			break;
		case K_PLAIN:
			printf("%s\n", plain[s->plaintext]);
			break;
		case K_LISTEN:
			break;
		}
	}
}

void
settings_free(struct settings *s)
{
	size_t i;

	for (i = 0; i < s->nlisten; i++)
		free(s->listen[i]);
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (keys[i].kind == K_STR)
			free(*(char **)((char *)s + keys[i].off));
	memset(s, 0, sizeof(*s));
}
