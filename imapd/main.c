/*
 * imapd: IMAP4rev2/IMAP4rev1 server for local users' Maildir.
 * Command line, configuration, and the choice of mode.
 */
#include <sys/socket.h>
#include <sys/stat.h>

#include <getopt.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/conn.h"
#include "lib/log.h"
#include "lib/tls.h"
#include "imapd/master.h"
#include "imapd/monitor.h"
#include "imapd/serve.h"
#include "imapd/settings.h"
#include "imapd/version.h"

#define DEFAULT_CONFIG	"/etc/imapd.conf"

enum mode { MODE_AUTO, MODE_INETD, MODE_PREAUTH, MODE_FORK };

static const char usage_text[] =
"usage: imapd [options]\n"
"Modes (default: inetd when stdin is a socket, else PREAUTH for a\n"
"non-root user):\n"
"  -i, --inetd            serve one connection on stdin/stdout (login)\n"
"      --preauth          serve the running user's Maildir, no login\n"
"      --fork             standalone server: listen and fork per client\n"
"Options:\n"
"  -l, --listen ADDR:PORT listen address, repeatable; [::1]:993/tls for\n"
"                         implicit TLS on one address (default *:143)\n"
"  -p, --port PORT        port of the default listen addresses\n"
"      --tls              implicit TLS (default port 993)\n"
"      --cert FILE        TLS certificate chain (PEM); enables STARTTLS\n"
"      --key FILE         TLS private key (PEM)\n"
"  -s, --store TYPE       maildir (default) or memory\n"
"      --maildir PATH     Maildir, relative to home; %u user, %h home\n"
"                         (default Maildir)\n"
"      --auth SPEC        pam (default) or pwfile:FILE\n"
"      --allow-plaintext  allow LOGIN without TLS from any address\n"
"      --daemon           detach (with --fork)\n"
"      --pidfile FILE     write the master's pid (with --fork)\n"
"  -c, --config FILE      configuration file (default " DEFAULT_CONFIG
" if present)\n"
"  -o, --set KEY=VALUE    set a configuration key (see imapd.conf(5))\n"
"  -t, --test-config      check the configuration, print it and exit\n"
"  -d, --debug            log to stderr, including debug messages\n"
"  -h, --help             this text\n"
"  -V, --version          print the version\n";

enum {
	OPT_PREAUTH = 256, OPT_FORK, OPT_TLS, OPT_CERT, OPT_KEY, OPT_MAILDIR,
	OPT_AUTH, OPT_PLAIN, OPT_DAEMON, OPT_PIDFILE
};

static const struct option longopts[] = {
	{ "inetd", no_argument, NULL, 'i' },
	{ "preauth", no_argument, NULL, OPT_PREAUTH },
	{ "fork", no_argument, NULL, OPT_FORK },
	{ "listen", required_argument, NULL, 'l' },
	{ "port", required_argument, NULL, 'p' },
	{ "tls", no_argument, NULL, OPT_TLS },
	{ "cert", required_argument, NULL, OPT_CERT },
	{ "key", required_argument, NULL, OPT_KEY },
	{ "store", required_argument, NULL, 's' },
	{ "maildir", required_argument, NULL, OPT_MAILDIR },
	{ "auth", required_argument, NULL, OPT_AUTH },
	{ "allow-plaintext", no_argument, NULL, OPT_PLAIN },
	{ "daemon", no_argument, NULL, OPT_DAEMON },
	{ "pidfile", required_argument, NULL, OPT_PIDFILE },
	{ "config", required_argument, NULL, 'c' },
	{ "set", required_argument, NULL, 'o' },
	{ "test-config", no_argument, NULL, 't' },
	{ "debug", no_argument, NULL, 'd' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

/* Flags are applied after the config file, so they are kept as
 * key=value pairs until then. */
struct flagset {
	char	*kv[64];
	size_t	 n;
};

static void
add_flag(struct flagset *f, const char *key, const char *value)
{
	size_t len = strlen(key) + strlen(value) + 2;

	if (f->n >= sizeof(f->kv) / sizeof(f->kv[0])) {
		fprintf(stderr, "imapd: too many options\n");
		exit(2);
	}
	if ((f->kv[f->n] = malloc(len)) == NULL) {
		perror("imapd");
		exit(1);
	}
	snprintf(f->kv[f->n++], len, "%s=%s", key, value);
}

static bool
stdin_is_socket(void)
{
	struct stat st;

	return fstat(0, &st) == 0 && S_ISSOCK(st.st_mode);
}

static int
run_inetd(struct settings *set)
{
	struct monitor_params mp;
	SSL_CTX *tls = NULL;
	char *err = NULL;
	int rc;

	if (set->tls_cert != NULL &&
	    (tls = tls_server_ctx(set->tls_cert, set->tls_key, &err)) ==
	    NULL) {
		log_err("event=tls_init_failed error=\"%s\"", err);
		free(err);
		return 1;
	}
	memset(&mp, 0, sizeof(mp));
	mp.rfd = 0;
	mp.wfd = 1;
	mp.implicit_tls = set->tls;
	mp.tls = tls;		/* the monitor frees it */
	mp.master_fd = -1;
	rc = monitor_run(set, &mp);
	return rc;
}

/* -t: what settings_check cannot see: the certificate and key really
 * form a pair, the pre-auth user exists. */
static int
check_runtime(const struct settings *set, char *err, size_t errlen)
{
	struct passwd *pw;
	SSL_CTX *ctx;
	char *e = NULL;

	if (set->tls_cert != NULL) {
		if ((ctx = tls_server_ctx(set->tls_cert, set->tls_key,
		    &e)) == NULL) {
			snprintf(err, errlen, "%s", e);
			free(e);
			return -1;
		}
		SSL_CTX_free(ctx);
	}
	if (geteuid() == 0) {
		if ((pw = getpwnam(set->preauth_user)) == NULL) {
			snprintf(err, errlen, "preauth_user %s: no such user",
			    set->preauth_user);
			return -1;
		}
		if (pw->pw_uid == 0 || pw->pw_gid == 0) {
			snprintf(err, errlen, "preauth_user %s: must not have "
			    "uid or gid 0", set->preauth_user);
			return -1;
		}
		if (set->preauth_chroot[0] != '/') {
			snprintf(err, errlen, "preauth_chroot %s: must be an "
			    "absolute path", set->preauth_chroot);
			return -1;
		}
	}
	return 0;
}

int
main(int argc, char *argv[])
{
	struct settings set;
	struct flagset flags = { .n = 0 };
	struct master_opts mo = { NULL, NULL, 0, false, NULL };
	enum mode mode = MODE_AUTO;
	const char *config = NULL;
	char err[512];
	bool test = false, debug = false;
	int ch, rc;

	while ((ch = getopt_long(argc, argv, "il:p:s:c:o:tdhV", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'i': mode = MODE_INETD; break;
		case OPT_PREAUTH: mode = MODE_PREAUTH; break;
		case OPT_FORK: mode = MODE_FORK; break;
		case 'l': add_flag(&flags, "listen", optarg); break;
		case 'p': add_flag(&flags, "port", optarg); break;
		case OPT_TLS: add_flag(&flags, "tls", "yes"); break;
		case OPT_CERT: add_flag(&flags, "tls_cert", optarg); break;
		case OPT_KEY: add_flag(&flags, "tls_key", optarg); break;
		case 's': add_flag(&flags, "store", optarg); break;
		case OPT_MAILDIR: add_flag(&flags, "maildir", optarg); break;
		case OPT_AUTH: add_flag(&flags, "auth", optarg); break;
		case OPT_PLAIN:
			add_flag(&flags, "allow_plaintext_auth", "yes");
			break;
		case OPT_DAEMON: mo.daemonize = true; break;
		case OPT_PIDFILE: mo.pidfile = optarg; break;
		case 'c': config = optarg; break;
		case 'o':
			if (flags.n >= 64) {
				fprintf(stderr, "imapd: too many options\n");
				return 2;
			}
			if ((flags.kv[flags.n++] = strdup(optarg)) == NULL)
				return 1;
			break;
		case 't': test = true; break;
		case 'd': debug = true; break;
		case 'h': fputs(usage_text, stdout); return 0;
		case 'V': printf("imapd %s\n", IMAPD_VERSION); return 0;
		default: fputs(usage_text, stderr); return 2;
		}
	}
	if (optind != argc) {
		fputs(usage_text, stderr);
		return 2;
	}
	settings_defaults(&set);
	if (config == NULL && access(DEFAULT_CONFIG, F_OK) == 0)
		config = DEFAULT_CONFIG;
	if (config != NULL && settings_load(&set, config, err,
	    sizeof(err)) == -1) {
		fprintf(stderr, "imapd: %s\n", err);
		return 1;
	}
	if (settings_apply(&set, flags.kv, flags.n, err, sizeof(err)) == -1) {
		fprintf(stderr, "imapd: %s\n", err);
		return 2;
	}
	if (settings_check(&set, err, sizeof(err)) == -1) {
		fprintf(stderr, "imapd: %s\n", err);
		return 1;
	}
	if (test) {
		if (check_runtime(&set, err, sizeof(err)) == -1) {
			fprintf(stderr, "imapd: %s\n", err);
			return 1;
		}
		settings_dump(&set);
		return 0;
	}
	signal(SIGPIPE, SIG_IGN);
	log_open("imapd", debug, debug);
	if (mode == MODE_AUTO) {
		if (stdin_is_socket())
			mode = MODE_INETD;
		else if (getuid() != 0)
			mode = MODE_PREAUTH;
		else {
			fprintf(stderr, "imapd: as root, run with --fork or "
			    "from inetd/systemd with a socket on stdin "
			    "(see imapd --help)\n");
			return 2;
		}
	}
	mo.config_path = config;
	mo.flags = flags.kv;
	mo.nflags = flags.n;
	switch (mode) {
	case MODE_FORK:
		rc = master_run(&set, &mo);
		break;
	case MODE_PREAUTH:
		rc = serve_preauth(&set);
		break;
	default:
		rc = run_inetd(&set);
		break;
	}
	settings_free(&set);
	while (flags.n > 0)
		free(flags.kv[--flags.n]);
	return rc;
}
