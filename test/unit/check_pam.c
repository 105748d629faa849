/*
 * check_pam: the "pam" auth backend against pam_wrapper and its pam_matrix
 * module (Debian package libpam-wrapper), without root and without
 * touching /etc/pam.d. The binary re-executes itself with libpam_wrapper
 * preloaded and a private service directory holding "imap".
 * Skipped (exit 0 with a message) when libpam_wrapper is not installed.
 */
#include <sys/types.h>
#include <sys/stat.h>

#include <dlfcn.h>
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>

#include "auth/auth.h"
#include "lib/log.h"

#define WRAPPER_LIB	"libpam_wrapper.so"
#define ENV_DIR		"CHECK_PAM_DIR"

static const char *
dir(void)
{
	return getenv(ENV_DIR);
}

static char *
path_in_dir(const char *name)
{
	char *p;

	if (asprintf(&p, "%s/%s", dir(), name) == -1)
		abort();
	return p;
}

static void
write_text(const char *path, const char *text)
{
	FILE *f;

	if ((f = fopen(path, "w")) == NULL || fputs(text, f) == EOF ||
	    fclose(f) == EOF) {
		fprintf(stderr, "check_pam: %s: %s\n", path, strerror(errno));
		exit(EXIT_FAILURE);
	}
}

/*
 * passdb lines are user:password:allowed_service. The users must exist
 * in the passwd database: nobody and daemon exist on every Debian system.
 */
static void
write_passdb(void)
{
	char *p = path_in_dir("passdb");

	write_text(p,
	    "nobody:n0b0dy-pw:imap\n"
	    "daemon:d4emon-pw:sshd\n"
	    "root:r00t-pw:imap\n"
	    "imapd-no-such-user:ghost-pw:imap\n");
	free(p);
}

struct verify_case {
	const char		*user;
	const char		*pass;
	enum auth_result	 expect;
};

static const struct verify_case verify_cases[] = {
	{ "nobody", "n0b0dy-pw", AUTH_OK },
	{ "nobody", "wrong", AUTH_FAIL },
	{ "nobody", "n0b0dy-p", AUTH_FAIL },
	/* pam_acct_mgmt refuses: the user is only allowed for sshd */
	{ "daemon", "d4emon-pw", AUTH_FAIL },
	/* uid 0 is refused after PAM said yes */
	{ "root", "r00t-pw", AUTH_FAIL },
	/* PAM knows the user, the passwd database does not */
	{ "imapd-no-such-user", "ghost-pw", AUTH_FAIL },
	{ "nosuchuser", "n0b0dy-pw", AUTH_FAIL },
	/* refused before PAM runs */
	{ "nobody", "", AUTH_FAIL },
	{ "nob:ody", "n0b0dy-pw", AUTH_FAIL },
};

START_TEST(test_verify_table)
{
	const struct verify_case *t = &verify_cases[_i];
	struct passwd *pw;
	struct account acct;
	struct auth *a;
	char *err = NULL;
	enum auth_result r;

	a = auth_new("pam", &err);
	ck_assert_ptr_nonnull(a);
	r = auth_verify(a, t->user, t->pass, "192.0.2.7", &acct);
	ck_assert_msg(r == t->expect, "case %d (%s): %d, expected %d", _i,
	    t->user, r, t->expect);
	if (r == AUTH_OK) {
		pw = getpwnam(t->user);
		ck_assert_ptr_nonnull(pw);
		ck_assert_str_eq(acct.name, t->user);
		ck_assert_uint_eq(acct.uid, pw->pw_uid);
		ck_assert_uint_eq(acct.gid, pw->pw_gid);
		ck_assert_str_eq(acct.home, pw->pw_dir);
	} else {
		ck_assert_str_eq(acct.name, "");
		/* Nothing verified: no session to open. */
		ck_assert_int_eq(auth_session_open(a), -1);
	}
	auth_free(&a);
	ck_assert_ptr_null(a);
}
END_TEST

/* Session stack after a successful login; a new attempt after a failure
 * starts clean; auth_free ends an open session. */
START_TEST(test_session)
{
	struct account acct;
	struct auth *a;

	a = auth_new("pam", NULL);
	ck_assert_ptr_nonnull(a);
	ck_assert_int_eq(auth_session_open(a), -1);
	ck_assert_int_eq(auth_verify(a, "nobody", "bad", NULL, &acct),
	    AUTH_FAIL);
	ck_assert_int_eq(auth_verify(a, "nobody", "n0b0dy-pw", NULL, &acct),
	    AUTH_OK);
	ck_assert_int_eq(auth_session_open(a), 0);
	auth_session_close(a);
	/* Closed: the transaction is over. */
	ck_assert_int_eq(auth_session_open(a), -1);
	auth_session_close(a);
	ck_assert_int_eq(auth_verify(a, "nobody", "n0b0dy-pw", NULL, &acct),
	    AUTH_OK);
	ck_assert_int_eq(auth_session_open(a), 0);
	auth_free(&a);
}
END_TEST

/* No password database: PAM_AUTHINFO_UNAVAIL, a temporary failure. */
START_TEST(test_backend_unavailable)
{
	struct account acct;
	struct auth *a;
	char *p = path_in_dir("passdb"), *q = path_in_dir("passdb.away");

	ck_assert_int_eq(rename(p, q), 0);
	a = auth_new("pam", NULL);
	ck_assert_int_eq(auth_verify(a, "nobody", "n0b0dy-pw", NULL, &acct),
	    AUTH_TEMPFAIL);
	auth_free(&a);
	ck_assert_int_eq(rename(q, p), 0);
	free(p);
	free(q);
}
END_TEST

static Suite *
pam_suite(void)
{
	Suite *s = suite_create("pam");
	TCase *tc;

	tc = tcase_create("pam_matrix");
	tcase_add_loop_test(tc, test_verify_table, 0,
	    sizeof(verify_cases) / sizeof(verify_cases[0]));
	tcase_add_test(tc, test_session);
	tcase_add_test(tc, test_backend_unavailable);
	suite_add_tcase(s, tc);
	return s;
}

/* Make the service directory and re-execute under pam_wrapper. */
static void
wrap_and_exec(char **argv)
{
	char tmpl[] = "/tmp/check_pam.XXXXXX", libpath[PATH_MAX];
	char *svc, *text, *preload;
	const char *old;
	Dl_info info;
	void *h, *sym;

	if ((h = dlopen(WRAPPER_LIB, RTLD_LAZY | RTLD_LOCAL)) == NULL ||
	    (sym = dlsym(h, "pam_start")) == NULL ||
	    dladdr(sym, &info) == 0 || info.dli_fname == NULL) {
		printf("check_pam: SKIP: %s not found (install "
		    "libpam-wrapper)\n", WRAPPER_LIB);
		exit(EXIT_SUCCESS);
	}
	/* The modules live next to the library, in pam_wrapper/. */
	strlcpy(libpath, info.dli_fname, sizeof(libpath));
	if (mkdtemp(tmpl) == NULL || setenv(ENV_DIR, tmpl, 1) == -1)
		abort();
	svc = path_in_dir("imap");
	if (asprintf(&text,
	    "auth required %1$s/pam_wrapper/pam_matrix.so passdb=%2$s/passdb "
	    "verbose\n"
	    "account required %1$s/pam_wrapper/pam_matrix.so "
	    "passdb=%2$s/passdb\n"
	    "session required %1$s/pam_wrapper/pam_matrix.so "
	    "passdb=%2$s/passdb\n", dirname(libpath), tmpl) == -1)
		abort();
	write_text(svc, text);
	free(text);
	free(svc);
	write_passdb();
	/* LeakSanitizer: pam_wrapper's constructor keeps two strings. */
	svc = path_in_dir("lsan.supp");
	write_text(svc, "leak:libpam_wrapper.so\n");
	old = getenv("LSAN_OPTIONS");
	if (asprintf(&text, "%s%sprint_suppressions=0:suppressions=%s",
	    old ? old : "", old ? ":" : "", svc) == -1 ||
	    setenv("LSAN_OPTIONS", text, 1) == -1)
		abort();
	free(text);
	free(svc);

	old = getenv("LD_PRELOAD");
	if (asprintf(&preload, "%s%s%s", WRAPPER_LIB, old ? " " : "",
	    old ? old : "") == -1)
		abort();
	old = getenv("ASAN_OPTIONS");
	if (asprintf(&text, "%s%sverify_asan_link_order=0", old ? old : "",
	    old ? ":" : "") == -1)
		abort();
	/* Sanitizers: the preloaded library comes before their runtime,
	 * and RTLD_DEEPBIND breaks their interposition. */
	if (setenv("LD_PRELOAD", preload, 1) == -1 ||
	    setenv("PAM_WRAPPER", "1", 1) == -1 ||
	    setenv("PAM_WRAPPER_SERVICE_DIR", tmpl, 1) == -1 ||
	    setenv("PAM_WRAPPER_DISABLE_DEEPBIND", "1", 1) == -1 ||
	    /* the name pam_wrapper 1.1.4 actually reads */
	    setenv("UID_WRAPPER_DISABLE_DEEPBIND", "1", 1) == -1 ||
	    setenv("ASAN_OPTIONS", text, 1) == -1)
		abort();
	execv("/proc/self/exe", argv);
	fprintf(stderr, "check_pam: exec: %s\n", strerror(errno));
	exit(EXIT_FAILURE);
}

static void
remove_dir(void)
{
	const char *names[] = { "imap", "passdb", "passdb.away",
	    "lsan.supp" };
	char *p;
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		p = path_in_dir(names[i]);
		unlink(p);
		free(p);
	}
	rmdir(dir());
}

int
main(int argc, char **argv)
{
	SRunner *sr;
	int failed;

	if (dir() == NULL)
		wrap_and_exec(argv);
	log_open("check_pam", 1, 0);
	sr = srunner_create(pam_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	remove_dir();
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
