/*
 * settings: imapd's configuration. Defaults, then /etc/imapd.conf (or -c
 * FILE), then command-line flags. Read-only once the server runs.
 */
#ifndef IMAPD_SETTINGS_H
#define IMAPD_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>

#define SETTINGS_MAX_LISTEN	16

enum plaintext_policy {
	PLAINTEXT_LOOPBACK,	/* "no": cleartext auth only from loopback */
	PLAINTEXT_ALWAYS,	/* "yes" */
	PLAINTEXT_NEVER		/* "never": not even from loopback */
};

struct settings {
	char		*listen[SETTINGS_MAX_LISTEN];
	size_t		 nlisten;
	unsigned	 port;		/* 0: 143, or 993 with tls */
	bool		 tls;		/* implicit TLS on the listeners */
	char		*tls_cert;
	char		*tls_key;
	char		*store;		/* "maildir" or "memory" */
	char		*maildir;	/* path, %u %h expanded per user */
	char		*auth;		/* "pam" or "pwfile:FILE" */
	enum plaintext_policy plaintext;

	size_t		 max_line_length;
	size_t		 max_literal_size;
	size_t		 max_command_size;
	size_t		 max_nesting_depth;
	unsigned	 max_bad_commands;
	unsigned	 max_auth_attempts;
	unsigned	 auth_failure_delay;	/* seconds */
	unsigned	 login_timeout;		/* seconds */
	unsigned	 autologout_timeout;	/* seconds */
	unsigned	 idle_timeout;		/* seconds */
	unsigned	 max_connections;
	unsigned	 max_connections_per_ip;
	unsigned	 max_connections_per_user;
	unsigned	 max_accept_rate;	/* per second, 0: no limit */
	unsigned	 max_auth_failures_per_ip;	/* 0: no limit */
	unsigned	 auth_failure_window;	/* seconds */
	unsigned	 shutdown_grace;	/* seconds after SIGTERM */

	/* privilege separation (as root) */
	char		*preauth_user;	/* runs the not-authenticated state */
	char		*preauth_chroot;	/* its empty root directory */
	char		*pam_service;
};

/* Fill s with the defaults. */
void	 settings_defaults(struct settings *s);
/* Set key to value. Returns 0, or -1 with *err_r set (static text). */
int	 settings_set(struct settings *s, const char *key, const char *value,
	    const char **err_r);
/* Apply "KEY=VALUE" strings (command-line flags) over what is set. The
 * first "listen" among them replaces any listen addresses from the file.
 * Returns 0, or -1 with a message in err. */
int	 settings_apply(struct settings *s, char *const *kv, size_t n,
	    char *err, size_t errlen);
/* Read "key = value" lines ("#" comments). Returns 0, or -1 with a
 * message in err (which names the file and line). */
int	 settings_load(struct settings *s, const char *path, char *err,
	    size_t errlen);
/* Check consistency (cert with key, files readable...). 0 or -1. */
int	 settings_check(const struct settings *s, char *err, size_t errlen);
/* Print every setting as "key = value" (for -t). */
void	 settings_dump(const struct settings *s);
void	 settings_free(struct settings *s);

#endif
