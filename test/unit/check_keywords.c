/*
 * check_keywords: dovecot-keywords (letter <-> keyword name) and how a
 * selected mailbox maps it to keyword indexes.
 */
#include <sys/stat.h>

#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "storage/store.h"
#include "storage/maildir/maildir.h"
#include "storage/maildir/maildir_keywords.h"

static char	 dir[256];
static int	 dfd = -1;

static void
setup(void)
{
	(void)snprintf(dir, sizeof(dir), "/tmp/check_keywords.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_ge(dfd = open(dir, O_RDONLY | O_DIRECTORY), 0);
}

static void
teardown(void)
{
	char	cmd[512];

	close(dfd);
	(void)snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static void
put(const char *name, const char *data)
{
	int	fd;

	fd = openat(dfd, name, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, data, strlen(data)), (ssize_t)strlen(data));
	close(fd);
}

static char *
get(const char *name)
{
	static char	buf[4096];
	ssize_t		n;
	int		fd;

	if ((fd = openat(dfd, name, O_RDONLY)) < 0)
		return NULL;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n < 0 ? 0 : n] = '\0';
	return buf;
}

START_TEST(test_parse)
{
	static const char data[] =
	    "0 $Junk\n"
	    "1 $NonJunk\n"
	    "3 Work Stuff\n"	/* kept as written */
	    "26 toobig\n"
	    "x bad\n"
	    "nospace\n"
	    "1 dupindex\n"
	    "007 leading\n"
	    "4 \n"
	    "25 $Last";
	struct md_keywords	kw;

	md_keywords_init(&kw);
	md_keywords_parse(&kw, data, sizeof(data) - 1);
	ck_assert_str_eq(kw.names[0], "$Junk");
	ck_assert_str_eq(kw.names[1], "$NonJunk");
	ck_assert_ptr_null(kw.names[2]);
	ck_assert_str_eq(kw.names[3], "Work Stuff");
	ck_assert_ptr_null(kw.names[4]);
	ck_assert_ptr_null(kw.names[7]);
	ck_assert_str_eq(kw.names[25], "$Last");
	ck_assert_int_eq(md_keywords_find(&kw, "$junk"), 0);
	ck_assert_int_eq(md_keywords_find(&kw, "$NONJUNK"), 1);
	ck_assert_int_eq(md_keywords_find(&kw, "dupindex"), -1);
	ck_assert_int_eq(md_keywords_find(&kw, "nope"), -1);
	/* Parsing again replaces everything. */
	md_keywords_parse(&kw, "2 c\n", 4);
	ck_assert_ptr_null(kw.names[0]);
	ck_assert_str_eq(kw.names[2], "c");
	md_keywords_free(&kw);
}
END_TEST

START_TEST(test_add_write)
{
	struct md_keywords	kw, kw2;
	char			name[16];
	bool			changed;
	int			i;

	md_keywords_init(&kw);
	ck_assert_int_eq(md_keywords_refresh(&kw, dfd, &changed), 0);
	ck_assert(!changed && !kw.exists);
	put("dovecot-keywords", "0 $Junk\n2 Work\n");
	ck_assert_int_eq(md_keywords_refresh(&kw, dfd, &changed), 0);
	ck_assert(changed);
	ck_assert_int_eq(md_keywords_refresh(&kw, dfd, &changed), 0);
	ck_assert(!changed);
	/* The lowest free index; existing ones stay where they are. */
	ck_assert_int_eq(md_keywords_add(&kw, dfd, "New"), 1);
	ck_assert_int_eq(md_keywords_add(&kw, dfd, "work"), 2);
	ck_assert_str_eq(get("dovecot-keywords"), "0 $Junk\n1 New\n2 Work\n");
	ck_assert_ptr_null(get("dovecot-keywords.lock"));
	/* Someone else adds one meanwhile: re-read before adding. */
	put("dovecot-keywords", "0 $Junk\n1 New\n2 Work\n3 Theirs\n");
	ck_assert_int_eq(md_keywords_add(&kw, dfd, "Mine"), 4);
	ck_assert_str_eq(get("dovecot-keywords"),
	    "0 $Junk\n1 New\n2 Work\n3 Theirs\n4 Mine\n");
	for (i = 5; i < MD_KEYWORDS_MAX; i++) {
		(void)snprintf(name, sizeof(name), "k%d", i);
		ck_assert_int_eq(md_keywords_add(&kw, dfd, name), i);
	}
	ck_assert_int_eq(md_keywords_add(&kw, dfd, "one-too-many"),
	    STORE_ERR_LIMIT);
	ck_assert_int_eq(md_keywords_add(&kw, dfd, "K25"), 25);
	md_keywords_init(&kw2);
	ck_assert_int_eq(md_keywords_refresh(&kw2, dfd, NULL), 0);
	for (i = 0; i < MD_KEYWORDS_MAX; i++)
		ck_assert_str_eq(kw.names[i], kw2.names[i]);
	md_keywords_free(&kw2);
	md_keywords_free(&kw);
}
END_TEST

/* Letters with holes and invalid names: keyword indexes are dense, the
 * letters they stand for are kept in file names. */
START_TEST(test_mbox_mapping)
{
	struct store	*s;
	struct mbox	*m;
	char		*err = NULL, path[600];
	int		 junk, work;

	ck_assert_ptr_nonnull(s = store_maildir_open(dir, &err));
	put("dovecot-keywords", "0 $Junk\n2 bad name\n3 Work\n5 $junk\n");
	put("cur/1.M1P1.h:2,Sabcdf", "x\n");
	ck_assert_int_eq(mbox_open(s, "INBOX", false, &m), 0);
	ck_assert_uint_eq(mbox_keyword_count(m), 2);
	junk = mbox_keyword_index(m, "$JUNK", false);
	work = mbox_keyword_index(m, "work", false);
	ck_assert_int_eq(junk, 0);
	ck_assert_int_eq(work, 1);
	ck_assert_str_eq(mbox_keyword(m, 1), "Work");
	ck_assert_ptr_null(mbox_keyword(m, 2));
	ck_assert_uint_eq(mbox_msgs(m)[0].flags, MSG_SEEN);
	ck_assert_uint_eq(mbox_msgs(m)[0].keywords, 3);
	/* Unknown letters (b, c, f) survive a flag change. */
	ck_assert_int_eq(mbox_set_flags(m, 1, MSG_FLAGGED, 1u << work), 0);
	(void)snprintf(path, sizeof(path), "cur/1.M1P1.h:2,Fbcdf");
	ck_assert_ptr_nonnull(get(path));
	/* A new keyword gets the lowest free letter, b (which the file
	 * already had: it means Fresh from now on, as with Dovecot). */
	ck_assert_int_eq(mbox_keyword_index(m, "Fresh", true), 2);
	ck_assert_str_eq(get("dovecot-keywords"),
	    "0 $Junk\n1 Fresh\n2 bad name\n3 Work\n5 $junk\n");
	ck_assert_int_eq(mbox_set_flags(m, 1, 0, 7), 0);
	ck_assert_ptr_nonnull(get("cur/1.M1P1.h:2,abcdf"));
	/* The file loses a name we use: it gets a letter again. */
	put("dovecot-keywords", "0 $Junk\n");
	ck_assert_int_eq(mbox_sync(m), 0);
	ck_assert_int_eq(mbox_set_flags(m, 1, 0, 1u << work), 0);
	ck_assert_str_eq(get("dovecot-keywords"), "0 $Junk\n1 Work\n");
	ck_assert_ptr_nonnull(get("cur/1.M1P1.h:2,bcdf"));
	mbox_close(&m);
	store_close(&s);
}
END_TEST

static Suite *
keywords_suite(void)
{
	Suite	*s = suite_create("keywords");
	TCase	*tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_parse);
	tcase_add_test(tc, test_add_write);
	tcase_add_test(tc, test_mbox_mapping);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(keywords_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
