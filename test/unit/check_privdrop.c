/*
 * check_privdrop: becoming the authenticated user. Every case runs in a
 * child process of its own, since a successful drop cannot be undone.
 * The cases that need root pass trivially (with a note) otherwise.
 */
#include <sys/types.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>

#include "auth/auth.h"
#include "imapd/privdrop.h"
#include "lib/log.h"

#define NOBODY	65534

static int	 in_child(int (*)(const void *), const void *);
static void	 make_account(struct account *, const char *, uid_t, gid_t,
		    const char *);

/* Run fn in a child; its exit status is the result (0 = pass). */
static int
in_child(int (*fn)(const void *), const void *arg)
{
	pid_t pid;
	int status;

	if ((pid = fork()) == -1)
		return -1;
	if (pid == 0)
		_exit(fn(arg));
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static void
make_account(struct account *a, const char *name, uid_t uid, gid_t gid,
    const char *home)
{
	memset(a, 0, sizeof(*a));
	strlcpy(a->name, name, sizeof(a->name));
	a->uid = uid;
	a->gid = gid;
	strlcpy(a->home, home, sizeof(a->home));
}

/* Expect privdrop_to to refuse, leaving the ids unchanged. */
static int
expect_refused(const void *arg)
{
	const struct account *a = arg;
	const char *err = NULL;
	uid_t before = geteuid();

	if (privdrop_to(a, &err) != -1)
		return 1;
	if (err == NULL || *err == '\0')
		return 2;
	if (geteuid() != before)
		return 3;
	return 0;
}

struct refuse_case {
	const char	*name;
	uid_t		 uid;
	gid_t		 gid;
};

/* As root: accounts with uid or gid 0 are never served. */
static const struct refuse_case root_refusals[] = {
	{ "root", 0, 0 },
	{ "toor", 0, NOBODY },
	{ "wheelish", NOBODY, 0 },
};

START_TEST(test_refuse_zero_ids)
{
	const struct refuse_case *t = &root_refusals[_i];
	struct account a;

	if (geteuid() != 0) {
		fprintf(stderr, "check_privdrop: not root, uid 0 refusal "
		    "case %d skipped\n", _i);
		return;
	}
	make_account(&a, t->name, t->uid, t->gid, "/");
	ck_assert_int_eq(in_child(expect_refused, &a), 0);
}
END_TEST

/* Child: drop to the account, then check everything a drop promises. */
static int
drop_and_check(const void *arg)
{
	const struct account *a = arg;
	const char *err = NULL;
	uid_t r, e, s;
	gid_t rg, eg, sg, groups[64];
	char cwd[PATH_MAX];
	int n, i;

	if (privdrop_to(a, &err) != 0)
		return 1;
	if (getresuid(&r, &e, &s) == -1 || r != a->uid || e != a->uid ||
	    s != a->uid)
		return 2;
	if (getresgid(&rg, &eg, &sg) == -1 || rg != a->gid || eg != a->gid ||
	    sg != a->gid)
		return 3;
	if (setuid(0) != -1 || seteuid(0) != -1 || setgid(0) != -1)
		return 4;
	/* Root's supplementary groups are gone. */
	if ((n = getgroups(64, groups)) == -1)
		return 5;
	for (i = 0; i < n; i++)
		if (groups[i] == 0)
			return 6;
	if (getcwd(cwd, sizeof(cwd)) == NULL)
		return 7;
	/* An existing home is entered; a missing one falls back to "/". */
	if (access(a->home, X_OK) == 0 ? strcmp(cwd, a->home) != 0 :
	    strcmp(cwd, "/") != 0)
		return 8;
	return 0;
}

START_TEST(test_drop_to_nobody)
{
	struct account a;
	char home[] = "/tmp/check_privdrop.XXXXXX";
	int rc;

	if (geteuid() != 0) {
		fprintf(stderr, "check_privdrop: not root, drop test "
		    "skipped\n");
		return;
	}
	ck_assert_ptr_nonnull(mkdtemp(home));
	ck_assert_int_eq(chmod(home, 0755), 0);
	make_account(&a, "nobody", NOBODY, NOBODY, home);
	rc = in_child(drop_and_check, &a);
	ck_assert_msg(rc == 0, "drop to nobody failed at step %d", rc);
	/* Missing home: "/" and a log line. */
	ck_assert_int_eq(rmdir(home), 0);
	rc = in_child(drop_and_check, &a);
	ck_assert_msg(rc == 0, "drop without home failed at step %d", rc);
}
END_TEST

/* Child: not root (drops first when the test runs as root). */
static int
nonroot_case(const void *arg)
{
	const struct account *a = arg;
	struct account self;
	const char *err = NULL;
	char cwd[PATH_MAX];

	if (geteuid() == 0 && (setresgid(NOBODY, NOBODY, NOBODY) == -1 ||
	    setgroups(0, NULL) == -1 ||
	    setresuid(NOBODY, NOBODY, NOBODY) == -1))
		return 10;
	/* Someone else's account cannot be served without root. */
	if (privdrop_to(a, &err) != -1 || err == NULL)
		return 1;
	/* Our own: nothing to drop, only the chdir. */
	make_account(&self, "me", getuid(), getgid(), "/tmp");
	if (privdrop_to(&self, &err) != 0)
		return 2;
	if (getcwd(cwd, sizeof(cwd)) == NULL || strcmp(cwd, "/tmp") != 0)
		return 3;
	make_account(&self, "me", getuid(), getgid(), "/nonexistent/home");
	if (privdrop_to(&self, &err) != 0)
		return 4;
	if (getcwd(cwd, sizeof(cwd)) == NULL || strcmp(cwd, "/") != 0)
		return 5;
	return 0;
}

START_TEST(test_nonroot)
{
	struct account other;
	int rc;

	make_account(&other, "other", 4242, 4242, "/");
	rc = in_child(nonroot_case, &other);
	ck_assert_msg(rc == 0, "non-root case failed at step %d", rc);
}
END_TEST

static Suite *
privdrop_suite(void)
{
	Suite *s = suite_create("privdrop");
	TCase *tc;

	tc = tcase_create("privdrop");
	tcase_add_loop_test(tc, test_refuse_zero_ids, 0,
	    sizeof(root_refusals) / sizeof(root_refusals[0]));
	tcase_add_test(tc, test_drop_to_nobody);
	tcase_add_test(tc, test_nonroot);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int failed;

	log_open("check_privdrop", 1, 0);
	sr = srunner_create(privdrop_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
