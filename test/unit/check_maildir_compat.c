/*
 * check_maildir_compat: Maildirs as Dovecot 2.3 and Courier leave them
 * (dovecot-uidlist, dovecot-keywords, dovecot-uidvalidity, subscriptions,
 * courierimapuiddb): UIDVALIDITY, UIDs, flags and keywords are kept, and
 * what we add is written the way Dovecot reads it. The fixtures follow
 * files written by Dovecot 2.3.19.
 */
#include <sys/stat.h>

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "storage/store.h"
#define MAILDIR_FIXTURE_NAME	"check_mcompat"
#include "maildir_fixture.h"

/* --- compatibility -------------------------------------------------- */

/* dovecot-uidlist and dovecot-keywords as Dovecot 2.3 writes them. */
#define F1 "1700000001.M123456P1001.mail.example.org,S=18,W=21"
#define F2 "1700000002.M234567P1002.mail.example.org,S=24,W=27"
#define F3 "1700000003.M345678P1003.mail.example.org"

START_TEST(test_dovecot_fixture)
{
	struct store	*s;
	struct mbox	*m;
	struct msg_body	 body;
	char		*data;

	s = open_store();
	write_file("dovecot-uidlist",
	    "3 V1700000000 N45 G0123456789abcdef0123456789abcdef\n"
	    "12 :" F1 ":2,S\n"
	    "20 :" F2 ":2,\n"
	    "31 W15 :" F3 ":2,Fa\n"
	    "40 :1700000004.M1P1.gone,S=1,W=1:2,S\n");
	write_file("dovecot-keywords", "0 $Junk\n1 $NonJunk\n3 Work\n");
	write_file("cur/" F1 ":2,RS", "Subject: 1\n\nhello\n");
	write_file("cur/" F2 ":2,bd", "Subject: 2\n\nhello again\n");
	write_file("cur/" F3 ":2,Fa", "Subject: 3\n\nhi\n");
	ck_assert_int_eq(mbox_open(s, "INBOX", false, &m), 0);
	ck_assert_uint_eq(mbox_uidvalidity(m), 1700000000);
	ck_assert_uint_eq(mbox_uidnext(m), 45);
	ck_assert_uint_eq(mbox_count(m), 3);
	ck_assert_uint_eq(mbox_msgs(m)[0].uid, 12);
	ck_assert_uint_eq(mbox_msgs(m)[0].flags, MSG_ANSWERED | MSG_SEEN);
	ck_assert_uint_eq(mbox_msgs(m)[0].size, 21);
	ck_assert_uint_eq(mbox_msgs(m)[1].uid, 20);
	ck_assert_uint_eq(mbox_msgs(m)[2].uid, 31);
	ck_assert_uint_eq(mbox_msgs(m)[2].size, 15);	/* from W15 */
	ck_assert_uint_eq(mbox_keyword_count(m), 3);
	ck_assert_str_eq(mbox_keyword(m, mbox_keyword_index(m, "$nonjunk",
	    false)), "$NonJunk");
	ck_assert_uint_eq(mbox_msgs(m)[1].keywords,
	    (1u << mbox_keyword_index(m, "$NonJunk", false)) |
	    (1u << mbox_keyword_index(m, "Work", false)));
	ck_assert_uint_eq(mbox_msgs(m)[2].keywords,
	    1u << mbox_keyword_index(m, "$Junk", false));
	ck_assert_int_eq(mbox_msg_open(m, 20, &body), 0);
	ck_assert_uint_eq(body.len, 27);
	msg_body_release(&body);
	/* New mail continues at N; the header is not rewritten for that. */
	ck_assert_uint_eq(append(s, "INBOX", "new\r\n", 0), 45);
	data = read_file("dovecot-uidlist", NULL);
	ck_assert(strncmp(data, "3 V1700000000 N45 "
	    "G0123456789abcdef0123456789abcdef\n12 :", 55) == 0);
	ck_assert_ptr_nonnull(strstr(data, "\n45 :"));
	free(data);
	/* A new keyword takes the lowest free letter: c (index 2). */
	ck_assert_int_eq(mbox_set_flags(m, 12, MSG_SEEN,
	    1u << mbox_keyword_index(m, "Fresh", true)), 0);
	data = read_file("dovecot-keywords", NULL);
	ck_assert_str_eq(data, "0 $Junk\n1 $NonJunk\n2 Fresh\n3 Work\n");
	free(data);
	ck_assert(exists("cur/" F1 ":2,Sc"));
	mbox_close(&m);
	store_close(&s);
}
END_TEST

START_TEST(test_courier_import)
{
	struct store	*s;
	struct mbox	*m;
	char		*data;

	s = open_store();
	write_file("courierimapuiddb",
	    "1 1234567 10\n3 1.M1P1.host:2,S\n7 2.M2P2.host\n");
	write_file("cur/1.M1P1.host:2,S", "a\n");
	write_file("new/2.M2P2.host", "bb\n");
	write_file("new/3.M3P3.host", "ccc\n");
	ck_assert_int_eq(mbox_open(s, "INBOX", false, &m), 0);
	ck_assert_uint_eq(mbox_uidvalidity(m), 1234567);
	ck_assert_uint_eq(mbox_count(m), 3);
	ck_assert_uint_eq(mbox_msgs(m)[0].uid, 3);
	ck_assert_uint_eq(mbox_msgs(m)[0].size, 3);
	ck_assert_uint_eq(mbox_msgs(m)[1].uid, 7);
	ck_assert_uint_eq(mbox_msgs(m)[2].uid, 10);
	ck_assert_uint_eq(mbox_msgs(m)[2].size, 5);
	ck_assert(mbox_msgs(m)[1].recent && mbox_msgs(m)[2].recent);
	ck_assert_uint_eq(mbox_uidnext(m), 11);
	mbox_close(&m);
	data = read_file("dovecot-uidlist", NULL);
	ck_assert(strncmp(data, "3 V1234567 N", 12) == 0);
	free(data);
	store_close(&s);
}
END_TEST

START_TEST(test_lost_uidlist)
{
	struct store	*s = open_store();
	struct mbox	*m;
	uint32_t	 uidv;
	char		 path[600];

	append(s, "INBOX", "a\r\n", 0);
	append(s, "INBOX", "b\r\n", 0);
	ck_assert_int_eq(mbox_open(s, "INBOX", true, &m), 0);
	uidv = mbox_uidvalidity(m);
	mbox_close(&m);
	(void)snprintf(path, sizeof(path), "%s/dovecot-uidlist", root);
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(mbox_open(s, "INBOX", true, &m), 0);
	ck_assert_uint_gt(mbox_uidvalidity(m), uidv);
	ck_assert_uint_eq(mbox_count(m), 2);
	ck_assert_uint_eq(mbox_msgs(m)[1].uid, 2);
	mbox_close(&m);
	/* A corrupt header is as good as lost. */
	write_file("dovecot-uidlist", "garbage\n1 :x\n");
	ck_assert_int_eq(mbox_open(s, "INBOX", true, &m), 0);
	ck_assert_uint_eq(mbox_count(m), 2);
	mbox_close(&m);
	store_close(&s);
}
END_TEST


/*
 * Exactly what Dovecot 2.3.19 wrote for: CREATE "Entw&APw-rfe.Sub",
 * SUBSCRIBE it and INBOX, APPEND (\Seen $Junk Work), APPEND, STORE 2
 * +FLAGS (\Flagged NewKw). Records carry base names only.
 */
#define D1 "1795318514.M893143P7243.vm,S=18,W=21"
#define D2 "1795318514.M897625P7243.vm,S=8,W=10"

START_TEST(test_dovecot_written)
{
	struct store	*s = open_store();
	struct mbox	*m;
	struct msg_body	 body;
	char		**subs, *data;
	size_t		  n;

	write_file("dovecot-uidlist", "3 V1795318514 N3 "
	    "Gd8473c35f262026b4b1c000083ecc375\n1 :" D1 "\n2 :" D2 "\n");
	write_file("dovecot-keywords", "0 $Junk\n1 Work\n2 NewKw\n");
	write_file("subscriptions", "V\t2\n\nEntw&APw-rfe\tSub\nINBOX\n");
	write_file("dovecot-uidvalidity", "6b0262f2");
	write_file("dovecot-uidvalidity.6b0262f2", "");
	write_file("cur/" D1 ":2,Sab", "Subject: x\n\nhello\n");
	write_file("cur/" D2 ":2,Fc", "abc\ndef\n");
	ck_assert_int_eq(mbox_open(s, "INBOX", false, &m), 0);
	ck_assert_uint_eq(mbox_uidvalidity(m), 1795318514);
	ck_assert_uint_eq(mbox_uidnext(m), 3);
	ck_assert_uint_eq(mbox_count(m), 2);
	ck_assert_uint_eq(mbox_msgs(m)[0].flags, MSG_SEEN);
	ck_assert_uint_eq(mbox_msgs(m)[0].keywords, 3);
	ck_assert_uint_eq(mbox_msgs(m)[1].flags, MSG_FLAGGED);
	ck_assert_str_eq(mbox_keyword(m, 2), "NewKw");
	ck_assert_uint_eq(mbox_msgs(m)[1].keywords, 4);
	ck_assert_int_eq(mbox_msg_open(m, 2, &body), 0);
	ck_assert_uint_eq(body.len, 10);
	ck_assert(memcmp(body.data, "abc\r\ndef\r\n", 10) == 0);
	msg_body_release(&body);
	mbox_close(&m);
	ck_assert_int_eq(store_subscriptions(s, &subs, &n), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(subs[0], "Entw\xc3\xbcrfe/Sub");
	store_names_free(&subs, n);
	/* A new folder continues Dovecot's UIDVALIDITY sequence. */
	ck_assert_int_eq(store_create(s, "New"), 0);
	ck_assert(exists("dovecot-uidvalidity.6b0262f3") ||
	    !exists("dovecot-uidvalidity.6b0262f2"));
	data = read_file(".New/dovecot-uidlist", NULL);
	ck_assert(strncmp(data, "3 V", 3) == 0);
	ck_assert_uint_gt(strtoul(data + 3, NULL, 10), 1795318514);
	free(data);
	ck_assert_uint_eq(append(s, "INBOX", "x\r\n", 0), 3);
	data = read_file("dovecot-uidlist", NULL);
	ck_assert_ptr_nonnull(strstr(data, "\n2 :" D2 "\n3 :"));
	/* Base name only, as Dovecot writes it. */
	ck_assert_ptr_null(strchr(strstr(data, "\n3 :") + 4, ':'));
	free(data);
	store_close(&s);
}
END_TEST

static Suite *
compat_suite(void)
{
	Suite	*s = suite_create("maildir_compat");
	TCase	*tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_dovecot_fixture);
	tcase_add_test(tc, test_dovecot_written);
	tcase_add_test(tc, test_courier_import);
	tcase_add_test(tc, test_lost_uidlist);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(compat_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
