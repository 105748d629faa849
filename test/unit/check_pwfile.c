/*
 * check_pwfile: the "pwfile:FILE" auth backend, and the checks auth.c
 * applies before any backend (user names, password length).
 * Hashes are made here with crypt_gensalt + crypt_r, files in a temp dir.
 */
#include <sys/types.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <crypt.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>

#include "auth/auth.h"
#include "lib/log.h"

/* The cheapest SHA-512 crypt keeps the suite fast. */
#define FAST_PREFIX	"$6$"
#define FAST_ROUNDS	1000
#define NOBODY		65534

static char	 tmpdir[64];
static char	 h_alice[CRYPT_OUTPUT_SIZE];	/* "wonderland" */
static char	 h_bob[CRYPT_OUTPUT_SIZE];	/* "builder" */
static char	 h_empty[CRYPT_OUTPUT_SIZE];	/* "" */

static void	 make_hash(const char *, const char *, unsigned long, char *);
static char	*write_pwfile(const char *, const char *, size_t);
static struct auth *open_pwfile(const char *);
static void	 setup(void);
static void	 teardown(void);

/* Also used before the tests run, so no ck_assert here. */
static void
make_hash(const char *pass, const char *prefix, unsigned long rounds,
    char *out)
{
	char salt[CRYPT_GENSALT_OUTPUT_SIZE];
	struct crypt_data cd;
	const char *h;

	memset(&cd, 0, sizeof(cd));
	if (crypt_gensalt_rn(prefix, rounds, NULL, 0, salt,
	    sizeof(salt)) == NULL ||
	    (h = crypt_r(pass, salt, &cd)) == NULL || h[0] == '*' ||
	    strlcpy(out, h, CRYPT_OUTPUT_SIZE) >= CRYPT_OUTPUT_SIZE) {
		fprintf(stderr, "check_pwfile: cannot make a %s hash\n",
		    prefix);
		exit(EXIT_FAILURE);
	}
}

/* Write len bytes to tmpdir/name (via a new file: a new inode). Returns a
 * malloc'd path. */
static char *
write_pwfile(const char *name, const char *text, size_t len)
{
	char *path, *tmp;
	int fd;

	ck_assert_int_ne(asprintf(&path, "%s/%s", tmpdir, name), -1);
	ck_assert_int_ne(asprintf(&tmp, "%s/.%s.tmp", tmpdir, name), -1);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ck_assert_int_ne(fd, -1);
	ck_assert_int_eq(write(fd, text, len), (ssize_t)len);
	ck_assert_int_eq(fchmod(fd, 0644), 0);
	ck_assert_int_eq(close(fd), 0);
	ck_assert_int_eq(rename(tmp, path), 0);
	free(tmp);
	return path;
}

static struct auth *
open_pwfile(const char *path)
{
	struct auth *a;
	char *spec, *err = NULL;

	ck_assert_int_ne(asprintf(&spec, "pwfile:%s", path), -1);
	a = auth_new(spec, &err);
	ck_assert_msg(a != NULL, "auth_new(%s): %s", spec,
	    err != NULL ? err : "?");
	ck_assert_ptr_null(err);
	free(spec);
	return a;
}

static void
setup(void)
{
	strlcpy(tmpdir, "/tmp/check_pwfile.XXXXXX", sizeof(tmpdir));
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	/* Readable by the unprivileged child of the non-root tests. */
	ck_assert_int_eq(chmod(tmpdir, 0755), 0);
}

static void
teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", tmpdir);
}

/* A file with the common accounts; uids valid for root mode. */
static char *
std_file(void)
{
	char *text, *path;
	int n;

	n = asprintf(&text,
	    "# test accounts\n"
	    "\n"
	    "alice:%s:1001:1002:Alice:/home/alice:/bin/sh\n"
	    "bob:%s:1003:1004::/home/bob\n"
	    "locked:!%s:1005:1005::/home/locked\n"
	    "star:*:1006:1006::/home/star\n"
	    "nohash::1007:1007::/home/nohash\n"
	    "empty:%s:1008:1008::/home/empty\n",
	    h_alice, h_bob, h_alice, h_empty);
	ck_assert_int_ne(n, -1);
	path = write_pwfile("passwd", text, strlen(text));
	free(text);
	return path;
}

struct verify_case {
	const char		*user;
	const char		*pass;
	enum auth_result	 expect;
};

static const struct verify_case verify_cases[] = {
	{ "alice", "wonderland", AUTH_OK },
	{ "bob", "builder", AUTH_OK },
	/* wrong password, case matters, prefix/suffix of the right one */
	{ "alice", "builder", AUTH_FAIL },
	{ "alice", "Wonderland", AUTH_FAIL },
	{ "alice", "wonder", AUTH_FAIL },
	{ "alice", "wonderland ", AUTH_FAIL },
	/* user names are exact */
	{ "Alice", "wonderland", AUTH_FAIL },
	{ "alice ", "wonderland", AUTH_FAIL },
	/* unknown user */
	{ "mallory", "wonderland", AUTH_FAIL },
	/* locked and disabled hashes, even with the right password */
	{ "locked", "wonderland", AUTH_FAIL },
	{ "star", "*", AUTH_FAIL },
	{ "star", "", AUTH_FAIL },
	{ "nohash", "x", AUTH_FAIL },
	/* empty password refused even where it is the stored one */
	{ "empty", "", AUTH_FAIL },
	{ "alice", "", AUTH_FAIL },
	/* names auth.c refuses before the backend sees them */
	{ "", "wonderland", AUTH_FAIL },
	{ "ali:ce", "wonderland", AUTH_FAIL },
	{ "ali/ce", "wonderland", AUTH_FAIL },
	{ "alice\n", "wonderland", AUTH_FAIL },
	{ "ali\x7f" "ce", "wonderland", AUTH_FAIL },
	{ "..", "wonderland", AUTH_FAIL },
	{ NULL, "wonderland", AUTH_FAIL },
	{ "alice", NULL, AUTH_FAIL },
};

START_TEST(test_verify_table)
{
	const struct verify_case *t = &verify_cases[_i];
	struct account acct;
	struct auth *a;
	char *path;
	enum auth_result r;

	path = std_file();
	a = open_pwfile(path);
	memset(&acct, 0x55, sizeof(acct));
	r = auth_verify(a, t->user, t->pass, "192.0.2.1", &acct);
	ck_assert_msg(r == t->expect, "case %d (%s): result %d, expected %d",
	    _i, t->user != NULL ? t->user : "(null)", r, t->expect);
	if (r == AUTH_OK) {
		ck_assert_str_eq(acct.name, t->user);
		ck_assert_str_eq(acct.maildir, "");
		ck_assert(acct.home[0] == '/');
	} else
		ck_assert_str_eq(acct.name, "");
	/* pwfile has no session: both are no-ops. */
	ck_assert_int_eq(auth_session_open(a), 0);
	auth_session_close(a);
	auth_free(&a);
	ck_assert_ptr_null(a);
	free(path);
}
END_TEST

/* Malformed lines are skipped; the good lines around them still work. */
START_TEST(test_malformed_lines)
{
	static const char *bad[] = {
		"nocolon",
		":%s:1:1",			/* empty user */
		"bad/user:%s:1:1",
		"bad\x01user:%s:1:1",
		"..:%s:1:1",
		"baduid:%s:abc:1",
		"baduid2:%s:-1:1",
		"baduid3:%s:+5:1",
		"baduid4:%s:4294967295:1",	/* (uid_t)-1 */
		"baduid5:%s:99999999999:1",
		"badgid:%s:1:1x",
		"badhome:%s:1:1::relative/home",
	};
	struct account acct;
	struct auth *a;
	char *text = NULL, *line, *tmp, *path, *longline;
	size_t i, len;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_int_ne(asprintf(&line, bad[i], h_alice), -1);
		ck_assert_int_ne(asprintf(&tmp, "%s%s\nu%zu:%s:%zu:%zu\n",
		    text != NULL ? text : "", line, i, h_bob, 2000 + i,
		    2000 + i), -1);
		free(line);
		free(text);
		text = tmp;
	}
	/* An overlong line, a NUL byte, CRLF, indented comment, spaces. */
	len = 2 * PATH_MAX + 8192;
	longline = malloc(len + 1);
	ck_assert_ptr_nonnull(longline);
	memset(longline, 'x', len);
	memcpy(longline, "longuser:", 9);
	longline[len] = '\0';
	ck_assert_int_ne(asprintf(&tmp, "%s%s\nafterlong:%s:3000:3000\n"
	    "   # indented comment\n   \n"
	    "crlf:%s:3001:3001::/home/crlf\r\n"
	    "nul:%sX:3002:3002\n"
	    "last:%s:3003:3003",		/* no final newline */
	    text, longline, h_bob, h_bob, h_bob, h_bob), -1);
	free(longline);
	free(text);
	text = tmp;
	/* Turn the 'X' after the "nul" line's hash into a NUL byte. */
	len = strlen(text);
	*strstr(text, "X:3002") = '\0';
	path = write_pwfile("passwd", text, len);
	free(text);

	a = open_pwfile(path);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char u[16];

		snprintf(u, sizeof(u), "u%zu", i);
		ck_assert_int_eq(auth_verify(a, u, "builder", NULL, &acct),
		    AUTH_OK);
	}
	ck_assert_int_eq(auth_verify(a, "baduid", "wonderland", NULL, &acct),
	    AUTH_FAIL);
	ck_assert_int_eq(auth_verify(a, "badhome", "wonderland", NULL,
	    &acct), AUTH_FAIL);
	ck_assert_int_eq(auth_verify(a, "longuser", "builder", NULL, &acct),
	    AUTH_FAIL);
	ck_assert_int_eq(auth_verify(a, "afterlong", "builder", NULL, &acct),
	    AUTH_OK);
	ck_assert_int_eq(auth_verify(a, "crlf", "builder", NULL, &acct),
	    AUTH_OK);
	ck_assert_int_eq(auth_verify(a, "nul", "builder", NULL, &acct),
	    AUTH_FAIL);
	ck_assert_int_eq(auth_verify(a, "last", "builder", NULL, &acct),
	    AUTH_OK);
	auth_free(&a);
	free(path);
}
END_TEST

/* Names of 255 bytes work; 256 are refused, in the file and at login. */
START_TEST(test_long_names)
{
	char name[258], *text, *path;
	struct account acct;
	struct auth *a;

	memset(name, 'n', sizeof(name));
	name[255] = '\0';
	ck_assert_int_ne(asprintf(&text, "%s:%s:1500:1500\n"
	    "%sm:%s:1501:1501\n", name, h_alice, name, h_alice), -1);
	path = write_pwfile("passwd", text, strlen(text));
	free(text);
	a = open_pwfile(path);
	ck_assert_int_eq(auth_verify(a, name, "wonderland", NULL, &acct),
	    AUTH_OK);
	ck_assert_str_eq(acct.name, name);
	name[255] = 'm';
	name[256] = '\0';
	ck_assert_int_eq(auth_verify(a, name, "wonderland", NULL, &acct),
	    AUTH_FAIL);
	auth_free(&a);
	free(path);
}
END_TEST

/*
 * crypt(3) checks passphrases shorter than CRYPT_MAX_PASSPHRASE_SIZE (512)
 * bytes; longer ones fail, and auth.c refuses anything past 1024 before
 * the backend runs.
 */
START_TEST(test_long_password)
{
	char pass[1100], h[CRYPT_OUTPUT_SIZE], *text, *path;
	struct account acct;
	struct auth *a;

	memset(pass, 'p', sizeof(pass));
	pass[CRYPT_MAX_PASSPHRASE_SIZE - 1] = '\0';
	make_hash(pass, FAST_PREFIX, FAST_ROUNDS, h);
	ck_assert_int_ne(asprintf(&text, "long:%s:1600:1600\n", h), -1);
	path = write_pwfile("passwd", text, strlen(text));
	free(text);
	a = open_pwfile(path);
	ck_assert_int_eq(auth_verify(a, "long", pass, NULL, &acct), AUTH_OK);
	pass[CRYPT_MAX_PASSPHRASE_SIZE - 1] = 'p';
	pass[CRYPT_MAX_PASSPHRASE_SIZE] = '\0';
	ck_assert_int_eq(auth_verify(a, "long", pass, NULL, &acct),
	    AUTH_FAIL);
	pass[CRYPT_MAX_PASSPHRASE_SIZE] = 'p';
	pass[1024] = '\0';
	ck_assert_int_eq(auth_verify(a, "long", pass, NULL, &acct),
	    AUTH_FAIL);
	pass[1024] = 'p';
	pass[1025] = '\0';
	ck_assert_int_eq(auth_verify(a, "long", pass, NULL, &acct),
	    AUTH_FAIL);
	auth_free(&a);
	free(path);
}
END_TEST

/* Duplicates: the first line wins. Dovecot scheme prefixes. yescrypt. */
START_TEST(test_hash_forms)
{
	char hy[CRYPT_OUTPUT_SIZE], h_des[CRYPT_OUTPUT_SIZE], *text, *path;
	struct account acct;
	struct auth *a;

	make_hash("yes", "$y$", 0, hy);
	make_hash("oldpass", "", 0, h_des);
	ck_assert_int_ne(asprintf(&text,
	    "dup:%s:1700:1700\n"
	    "dup:%s:1701:1701\n"
	    "dove:{SHA512-CRYPT}%s:1702:1702\n"
	    "dove2:{CRYPT}%s:1703:1703\n"
	    "plain:{PLAIN}builder:1704:1704\n"
	    "unterminated:{SHA512-CRYPT%s:1705:1705\n"
	    "yes:%s:1706:1706\n"
	    "junk:not-a-crypt-hash:1707:1707\n"
	    "des:%s:1708:1708\n",
	    h_alice, h_bob, h_bob, h_bob, h_bob, hy, h_des), -1);
	path = write_pwfile("passwd", text, strlen(text));
	free(text);
	a = open_pwfile(path);
	ck_assert_int_eq(auth_verify(a, "dup", "wonderland", NULL, &acct),
	    AUTH_OK);
	ck_assert_int_eq(auth_verify(a, "dup", "builder", NULL, &acct),
	    AUTH_FAIL);
	ck_assert_int_eq(auth_verify(a, "dove", "builder", NULL, &acct),
	    AUTH_OK);
	ck_assert_int_eq(auth_verify(a, "dove2", "builder", NULL, &acct),
	    AUTH_OK);
	ck_assert_int_eq(auth_verify(a, "plain", "builder", NULL, &acct),
	    AUTH_FAIL);
	ck_assert_int_eq(auth_verify(a, "unterminated", "builder", NULL,
	    &acct), AUTH_FAIL);
	ck_assert_int_eq(auth_verify(a, "yes", "yes", NULL, &acct), AUTH_OK);
	ck_assert_int_eq(auth_verify(a, "yes", "no", NULL, &acct), AUTH_FAIL);
	ck_assert_int_eq(auth_verify(a, "junk", "not-a-crypt-hash", NULL,
	    &acct), AUTH_FAIL);
	/* Legacy DES still verifies (with a warning at load time). */
	ck_assert_int_eq(auth_verify(a, "des", "oldpass", NULL, &acct),
	    AUTH_OK);
	auth_free(&a);
	free(path);
}
END_TEST

/* The file is parsed again when it changes; a vanished file fails
 * temporarily rather than serving stale accounts. */
START_TEST(test_reload)
{
	char *text, *path;
	struct account acct;
	struct auth *a;
	struct timespec ts[2];
	int fd;

	ck_assert_int_ne(asprintf(&text, "carol:%s:1800:1800\n", h_alice),
	    -1);
	path = write_pwfile("passwd", text, strlen(text));
	free(text);
	a = open_pwfile(path);
	ck_assert_int_eq(auth_verify(a, "carol", "wonderland", NULL, &acct),
	    AUTH_OK);

	/* Replaced by rename: a new inode. */
	ck_assert_int_ne(asprintf(&text, "carol:%s:1800:1800\n", h_bob), -1);
	free(write_pwfile("passwd", text, strlen(text)));
	free(text);
	ck_assert_int_eq(auth_verify(a, "carol", "wonderland", NULL, &acct),
	    AUTH_FAIL);
	ck_assert_int_eq(auth_verify(a, "carol", "builder", NULL, &acct),
	    AUTH_OK);

	/* Edited in place, same size: only the mtime tells. */
	ck_assert_int_ne(asprintf(&text, "carol:%s:1800:1800\n", h_alice),
	    -1);
	ck_assert_uint_eq(strlen(h_alice), strlen(h_bob));
	fd = open(path, O_WRONLY);
	ck_assert_int_ne(fd, -1);
	ck_assert_int_eq(write(fd, text, strlen(text)),
	    (ssize_t)strlen(text));
	ts[0].tv_sec = ts[1].tv_sec = 1000000000;
	ts[0].tv_nsec = ts[1].tv_nsec = 0;
	ck_assert_int_eq(futimens(fd, ts), 0);
	close(fd);
	free(text);
	ck_assert_int_eq(auth_verify(a, "carol", "wonderland", NULL, &acct),
	    AUTH_OK);

	/* Gone: temporary failure, also for the password that worked. */
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(auth_verify(a, "carol", "wonderland", NULL, &acct),
	    AUTH_TEMPFAIL);
	/* Back, unreadable content aside: works again. */
	ck_assert_int_ne(asprintf(&text, "carol:%s:1800:1800\n", h_bob), -1);
	free(write_pwfile("passwd", text, strlen(text)));
	free(text);
	ck_assert_int_eq(auth_verify(a, "carol", "builder", NULL, &acct),
	    AUTH_OK);
	auth_free(&a);
	free(path);
}
END_TEST

struct spec_case {
	const char	*spec;
};

static const struct spec_case bad_specs[] = {
	{ "" },
	{ "pwfile" },
	{ "pwfile:" },
	{ "pwfile:/nonexistent/imapd-passwd" },
	{ "pwfile:/tmp" },		/* a directory */
	{ "bogus" },
	{ "pwfilex:/etc/passwd" },
	{ "pam:" },			/* empty service name */
	{ "pam:../shadow" },		/* not a file name in pam.d */
	{ "pam:a/b" },
	{ NULL },
};

START_TEST(test_bad_specs)
{
	char *err = NULL;
	struct auth *a;

	a = auth_new(bad_specs[_i].spec, &err);
	ck_assert_ptr_null(a);
	ck_assert_ptr_nonnull(err);
	ck_assert(strlen(err) > 0);
	free(err);
}
END_TEST

START_TEST(test_world_writable)
{
	char *path, *spec, *err = NULL;

	path = write_pwfile("passwd", "x:y\n", 4);
	ck_assert_int_eq(chmod(path, 0666), 0);
	ck_assert_int_ne(asprintf(&spec, "pwfile:%s", path), -1);
	ck_assert_ptr_null(auth_new(spec, &err));
	ck_assert_ptr_nonnull(err);
	free(err);
	free(spec);
	free(path);
}
END_TEST

/*
 * Run as root: the file's uid and gid are used and must be non-zero.
 * Skipped (passing) when not root.
 */
START_TEST(test_root_mapping)
{
	char *text, *path;
	struct account acct;
	struct auth *a;

	if (geteuid() != 0)
		return;
	ck_assert_int_ne(asprintf(&text,
	    "ok:%s:1001:1002::/home/ok\n"
	    "nohome:%s:1003:1004\n"
	    "uid0:%s:0:1002::/root\n"
	    "gid0:%s:1001:0::/home/x\n"
	    "nouid:%s::1002::/home/x\n"
	    "nogid:%s:1001:::/home/x\n"
	    "short:%s\n",
	    h_alice, h_alice, h_alice, h_alice, h_alice, h_alice, h_alice),
	    -1);
	path = write_pwfile("passwd", text, strlen(text));
	free(text);
	a = open_pwfile(path);
	ck_assert_int_eq(auth_verify(a, "ok", "wonderland", NULL, &acct),
	    AUTH_OK);
	ck_assert_uint_eq(acct.uid, 1001);
	ck_assert_uint_eq(acct.gid, 1002);
	ck_assert_str_eq(acct.home, "/home/ok");
	ck_assert_int_eq(auth_verify(a, "nohome", "wonderland", NULL, &acct),
	    AUTH_OK);
	ck_assert_uint_eq(acct.uid, 1003);
	ck_assert_str_eq(acct.home, "/");
	ck_assert_int_eq(auth_verify(a, "uid0", "wonderland", NULL, &acct),
	    AUTH_FAIL);
	ck_assert_uint_eq(acct.uid, 0);
	ck_assert_str_eq(acct.name, "");
	ck_assert_int_eq(auth_verify(a, "gid0", "wonderland", NULL, &acct),
	    AUTH_FAIL);
	ck_assert_int_eq(auth_verify(a, "nouid", "wonderland", NULL, &acct),
	    AUTH_FAIL);
	ck_assert_int_eq(auth_verify(a, "nogid", "wonderland", NULL, &acct),
	    AUTH_FAIL);
	ck_assert_int_eq(auth_verify(a, "short", "wonderland", NULL, &acct),
	    AUTH_FAIL);
	auth_free(&a);
	free(path);
}
END_TEST

/* Child side of test_nonroot_mapping; returns a failure number or 0. */
static int
nonroot_checks(const char *path)
{
	struct account acct;
	struct auth *a;
	char *spec;

	if (asprintf(&spec, "pwfile:%s", path) == -1 ||
	    (a = auth_new(spec, NULL)) == NULL)
		return 1;
	free(spec);
	/* Every account is the running user, whatever the file says. */
	if (auth_verify(a, "withhome", "wonderland", NULL, &acct) != AUTH_OK)
		return 2;
	if (acct.uid != getuid() || acct.gid != getgid() ||
	    strcmp(acct.home, "/srv/mail/withhome") != 0 ||
	    strcmp(acct.name, "withhome") != 0)
		return 3;
	/* Fewer fields and uid 0 are fine: the file's ids are unused. */
	if (setenv("HOME", "/home/fromenv", 1) == -1 ||
	    auth_verify(a, "short", "wonderland", NULL, &acct) != AUTH_OK)
		return 4;
	if (acct.uid != getuid() || strcmp(acct.home, "/home/fromenv") != 0 ||
	    strcmp(acct.name, "short") != 0)
		return 5;
	/* No $HOME: the passwd entry of the running user. */
	if (unsetenv("HOME") == -1 ||
	    auth_verify(a, "uid0", "wonderland", NULL, &acct) != AUTH_OK)
		return 6;
	if (acct.uid != getuid() || acct.home[0] != '/' ||
	    strcmp(acct.name, "uid0") != 0)
		return 7;
	if (auth_verify(a, "short", "wrong", NULL, &acct) != AUTH_FAIL)
		return 8;
	auth_free(&a);
	return 0;
}

/*
 * Not root: accounts map to the running user. As root, run the checks in
 * a child that drops to nobody first.
 */
START_TEST(test_nonroot_mapping)
{
	char *text, *path;
	pid_t pid;
	int status;

	ck_assert_int_ne(asprintf(&text,
	    "withhome:%s:1001:1002::/srv/mail/withhome:/bin/sh\n"
	    "short:%s\n"
	    "uid0:%s:0:0\n",
	    h_alice, h_alice, h_alice), -1);
	path = write_pwfile("passwd", text, strlen(text));
	free(text);
	pid = fork();
	ck_assert_int_ne(pid, -1);
	if (pid == 0) {
		if (geteuid() == 0 && (setresgid(NOBODY, NOBODY, NOBODY) ==
		    -1 || setresuid(NOBODY, NOBODY, NOBODY) == -1))
			_exit(99);
		_exit(nonroot_checks(path));
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "non-root checks failed at step %d", WEXITSTATUS(status));
	free(path);
}
END_TEST

START_TEST(test_auth_self)
{
	struct account acct;

	ck_assert_int_eq(auth_self(&acct), 0);
	ck_assert_uint_eq(acct.uid, getuid());
	ck_assert(acct.name[0] != '\0');
	ck_assert(acct.home[0] == '/');
	ck_assert_str_eq(acct.maildir, "");
}
END_TEST

static Suite *
pwfile_suite(void)
{
	Suite *s = suite_create("pwfile");
	TCase *tc;

	make_hash("wonderland", FAST_PREFIX, FAST_ROUNDS, h_alice);
	make_hash("builder", FAST_PREFIX, FAST_ROUNDS, h_bob);
	make_hash("", FAST_PREFIX, FAST_ROUNDS, h_empty);

	tc = tcase_create("verify");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_verify_table, 0,
	    sizeof(verify_cases) / sizeof(verify_cases[0]));
	tcase_add_test(tc, test_malformed_lines);
	tcase_add_test(tc, test_long_names);
	tcase_add_test(tc, test_long_password);
	tcase_add_test(tc, test_hash_forms);
	tcase_add_test(tc, test_reload);
	suite_add_tcase(s, tc);

	tc = tcase_create("config");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_bad_specs, 0,
	    sizeof(bad_specs) / sizeof(bad_specs[0]));
	tcase_add_test(tc, test_world_writable);
	suite_add_tcase(s, tc);

	tc = tcase_create("accounts");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_root_mapping);
	tcase_add_test(tc, test_nonroot_mapping);
	tcase_add_test(tc, test_auth_self);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int failed;

	/* Warnings about the malformed lines are expected on stderr. */
	log_open("check_pwfile", 1, 0);
	sr = srunner_create(pwfile_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
