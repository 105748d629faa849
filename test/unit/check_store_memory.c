/*
 * check_store_memory: the in-memory store, and the checks store.c makes
 * before any backend is called.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "storage/store.h"
#include "storage/store_private.h"

static struct store *s;

static void
setup(void)
{
	ck_assert_ptr_nonnull(s = store_memory_open());
}

static void
teardown(void)
{
	store_close(&s);
	ck_assert_ptr_null(s);
}

static uint32_t
append(const char *box, const char *data, uint32_t flags)
{
	struct store_append	a = { data, strlen(data), flags, NULL, 0, 0 };
	uint32_t		uid = 0;

	ck_assert_int_eq(store_append(s, box, &a, NULL, &uid), 0);
	return uid;
}

START_TEST(test_mailboxes)
{
	struct store_mailbox	*v;
	char			**subs;
	size_t			  n;

	ck_assert_int_eq(store_list(s, &v, &n), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(v[0].name, "INBOX");
	store_list_free(&v, n);
	ck_assert_int_eq(store_create(s, "b"), 0);
	ck_assert_int_eq(store_create(s, "a/x"), 0);
	ck_assert_int_eq(store_create(s, "b"), STORE_ERR_EXISTS);
	ck_assert_int_eq(store_create(s, "Inbox"), STORE_ERR_EXISTS);
	ck_assert_int_eq(store_create(s, "a//x"), STORE_ERR_BADNAME);
	ck_assert_int_eq(store_list(s, &v, &n), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(v[0].name, "INBOX");
	ck_assert_str_eq(v[1].name, "a/x");
	ck_assert_str_eq(v[2].name, "b");
	store_list_free(&v, n);
	ck_assert_int_eq(store_delete(s, "a"), STORE_ERR_HASCHILDREN);
	ck_assert_int_eq(store_delete(s, "zz"), STORE_ERR_NONEXISTENT);
	ck_assert_int_eq(store_delete(s, "INBOX"), STORE_ERR_NOPERM);
	ck_assert_int_eq(store_rename(s, "b", "a/x"), STORE_ERR_EXISTS);
	ck_assert_int_eq(store_rename(s, "b", "b/c"), STORE_ERR_BADNAME);
	ck_assert_int_eq(store_rename(s, "b", "b"), STORE_ERR_EXISTS);
	ck_assert_int_eq(store_rename(s, "zz", "y"), STORE_ERR_NONEXISTENT);
	ck_assert_int_eq(store_create(s, "b/c"), 0);
	ck_assert_int_eq(store_rename(s, "b", "d"), 0);
	ck_assert_int_eq(store_list(s, &v, &n), 0);
	ck_assert_uint_eq(n, 4);
	ck_assert_str_eq(v[2].name, "d");
	ck_assert_str_eq(v[3].name, "d/c");
	store_list_free(&v, n);
	ck_assert_int_eq(store_delete(s, "d"), 0);

	ck_assert_int_eq(store_subscribe(s, "x", true), 0);
	ck_assert_int_eq(store_subscribe(s, "x", true), 0);
	ck_assert_int_eq(store_subscribe(s, "inbox", true), 0);
	ck_assert_int_eq(store_subscribe(s, "y", true), 0);
	ck_assert_int_eq(store_subscribe(s, "y", false), 0);
	ck_assert_int_eq(store_subscribe(s, ".y", true), STORE_ERR_BADNAME);
	ck_assert_int_eq(store_subscriptions(s, &subs, &n), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(subs[0], "x");
	ck_assert_str_eq(subs[1], "INBOX");
	store_names_free(&subs, n);
	ck_assert_ptr_null(subs);
	ck_assert_str_ne(store_errstr(s), "");
}
END_TEST

START_TEST(test_messages)
{
	struct store_status	 st;
	struct mbox		*m;
	struct msg_body		 body;
	const char		*kw[] = { "$Junk" };
	struct store_append	 a = { "a\nb\r\n", 5, MSG_SEEN, kw, 1, 1234 };
	uint32_t		 uidv, uid;

	ck_assert_int_eq(store_append(s, "INBOX", &a, &uidv, &uid), 0);
	ck_assert_uint_eq(uid, 1);
	ck_assert_uint_ne(uidv, 0);
	ck_assert_int_eq(store_append(s, "nope", &a, NULL, NULL),
	    STORE_ERR_NONEXISTENT);
	append("INBOX", "two\r\n", MSG_DELETED);
	ck_assert_int_eq(store_status(s, "INBOX", &st), 0);
	ck_assert_uint_eq(st.messages, 2);
	ck_assert_uint_eq(st.recent, 2);
	ck_assert_uint_eq(st.unseen, 1);
	ck_assert_uint_eq(st.deleted, 1);
	ck_assert_uint_eq(st.uidnext, 3);
	ck_assert_uint_eq(st.uidvalidity, uidv);
	ck_assert_uint_eq(st.size, 6 + 5);

	ck_assert_int_eq(mbox_open(s, "INBOX", false, &m), 0);
	ck_assert(!mbox_readonly(m));
	ck_assert_uint_eq(mbox_count(m), 2);
	ck_assert(mbox_msgs(m)[0].recent);
	ck_assert_int_eq(mbox_msgs(m)[0].internaldate, 1234);
	ck_assert_uint_eq(mbox_msgs(m)[0].keywords, 1);
	ck_assert_str_eq(mbox_keyword(m, 0), "$Junk");
	ck_assert_int_eq(mbox_msg_open(m, 1, &body), 0);
	ck_assert_uint_eq(body.len, 6);
	ck_assert(memcmp(body.data, "a\r\nb\r\n", 6) == 0);
	msg_body_release(&body);
	ck_assert_ptr_null(body.data);
	ck_assert_int_eq(mbox_msg_open(m, 7, &body), STORE_ERR_EXPUNGED);
	ck_assert_ptr_null(mbox_find(m, 7));
	ck_assert_ptr_nonnull(mbox_find(m, 2));
	ck_assert_int_eq(store_status(s, "INBOX", &st), 0);
	ck_assert_uint_eq(st.recent, 0);

	ck_assert_int_eq(mbox_set_flags(m, 2, MSG_ANSWERED, 0), 0);
	ck_assert_uint_eq(mbox_find(m, 2)->flags, MSG_ANSWERED);
	ck_assert_int_eq(mbox_set_flags(m, 2, 0x40, 0), STORE_ERR_BADNAME);
	ck_assert_int_eq(mbox_set_flags(m, 2, 0, 2), STORE_ERR_BADNAME);
	ck_assert_int_eq(mbox_set_flags(m, 9, 0, 0), STORE_ERR_EXPUNGED);
	ck_assert_int_eq(mbox_expunge(m, (uint32_t[]){ 1, 99 }, 2), 0);
	ck_assert_uint_eq(mbox_count(m), 1);
	ck_assert_uint_eq(mbox_uidnext(m), 3);
	mbox_close(&m);
	ck_assert_ptr_null(m);
}
END_TEST

START_TEST(test_sessions)
{
	struct mbox	*a, *b, *ro;
	uint32_t	 uid;

	ck_assert_int_eq(mbox_open(s, "INBOX", false, &a), 0);
	ck_assert_int_eq(mbox_open(s, "INBOX", true, &ro), 0);
	ck_assert(mbox_readonly(ro));
	uid = append("INBOX", "x\r\n", 0);
	ck_assert_uint_eq(mbox_count(a), 0);
	ck_assert_int_eq(mbox_sync(ro), 0);
	ck_assert(mbox_msgs(ro)[0].recent);
	ck_assert_int_eq(mbox_sync(a), 0);
	ck_assert(mbox_msgs(a)[0].recent);
	ck_assert_int_eq(mbox_open(s, "INBOX", false, &b), 0);
	ck_assert(!mbox_msgs(b)[0].recent);
	ck_assert_int_eq(mbox_sync(a), 0);
	ck_assert(mbox_msgs(a)[0].recent);
	ck_assert_int_eq(mbox_keyword_index(a, "k", true), 0);
	ck_assert_int_eq(mbox_set_flags(a, uid, MSG_SEEN, 1), 0);
	ck_assert_int_eq(mbox_set_flags(ro, uid, MSG_SEEN, 0),
	    STORE_ERR_NOPERM);
	ck_assert_int_eq(mbox_expunge(ro, &uid, 1), STORE_ERR_NOPERM);
	ck_assert_int_eq(mbox_move(ro, &uid, 1, "INBOX", NULL, NULL),
	    STORE_ERR_NOPERM);
	ck_assert_int_eq(mbox_sync(b), 0);
	ck_assert_uint_eq(mbox_msgs(b)[0].flags, MSG_SEEN);
	ck_assert_int_eq(mbox_keyword_index(b, "K", false), 0);
	ck_assert_uint_eq(mbox_msgs(b)[0].keywords, 1);
	ck_assert_int_eq(mbox_expunge(a, &uid, 1), 0);
	ck_assert_uint_eq(mbox_count(b), 1);
	ck_assert_int_eq(mbox_sync(b), 0);
	ck_assert_uint_eq(mbox_count(b), 0);
	ck_assert_int_eq(mbox_notify_fd(a), -1);
	mbox_notify_clear(a);
	mbox_close(&a);
	mbox_close(&b);
	mbox_close(&ro);
	/* A mailbox deleted while selected. */
	ck_assert_int_eq(store_create(s, "gone"), 0);
	ck_assert_int_eq(mbox_open(s, "gone", false, &a), 0);
	ck_assert_int_eq(store_delete(s, "gone"), 0);
	ck_assert_int_eq(mbox_sync(a), STORE_ERR_NONEXISTENT);
	mbox_close(&a);
	ck_assert_int_eq(mbox_open(s, "gone", false, &a),
	    STORE_ERR_NONEXISTENT);
}
END_TEST

START_TEST(test_keywords)
{
	struct mbox	*m;
	char		 name[16];
	int		 i;

	ck_assert_int_eq(mbox_open(s, "INBOX", false, &m), 0);
	for (i = 0; i < STORE_MAX_KEYWORDS; i++) {
		(void)snprintf(name, sizeof(name), "k%d", i);
		ck_assert_int_eq(mbox_keyword_index(m, name, true), i);
	}
	ck_assert_int_eq(mbox_keyword_index(m, "K3", false), 3);
	ck_assert_int_eq(mbox_keyword_index(m, "x", false), -1);
	ck_assert_int_eq(mbox_keyword_index(m, "x", true), STORE_ERR_LIMIT);
	ck_assert_int_eq(mbox_keyword_index(m, "\\Seen", true),
	    STORE_ERR_BADNAME);
	ck_assert_uint_eq(mbox_keyword_count(m), STORE_MAX_KEYWORDS);
	mbox_close(&m);
}
END_TEST

START_TEST(test_copy_move)
{
	struct mbox	*m, *d;
	uint32_t	 uids[2], dest[2], uidv;
	struct store_status st;

	ck_assert_int_eq(store_create(s, "dst"), 0);
	uids[0] = append("INBOX", "one\r\n", MSG_SEEN);
	uids[1] = append("INBOX", "two\r\n", 0);
	ck_assert_int_eq(mbox_open(s, "INBOX", false, &m), 0);
	ck_assert_int_eq(mbox_keyword_index(m, "k", true), 0);
	ck_assert_int_eq(mbox_set_flags(m, uids[1], 0, 1), 0);
	ck_assert_int_eq(mbox_copy(m, uids, 2, "dst", &uidv, dest), 0);
	ck_assert_uint_eq(dest[0], 1);
	ck_assert_uint_eq(dest[1], 2);
	ck_assert_int_eq(mbox_copy(m, uids, 2, "nope", NULL, NULL),
	    STORE_ERR_NONEXISTENT);
	ck_assert_int_eq(mbox_copy(m, (uint32_t[]){ 1, 5 }, 2, "dst", NULL,
	    NULL), STORE_ERR_EXPUNGED);
	ck_assert_int_eq(mbox_copy(m, uids, 2, "bad..", NULL, NULL),
	    STORE_ERR_BADNAME);
	ck_assert_int_eq(mbox_open(s, "dst", false, &d), 0);
	ck_assert_uint_eq(mbox_count(d), 2);
	ck_assert_uint_eq(mbox_uidvalidity(d), uidv);
	ck_assert_uint_eq(mbox_msgs(d)[0].flags, MSG_SEEN);
	ck_assert_uint_eq(mbox_msgs(d)[1].keywords, 1);
	ck_assert_str_eq(mbox_keyword(d, 0), "k");
	ck_assert_int_eq(mbox_move(m, uids, 2, "INBOX", NULL, dest), 0);
	ck_assert_uint_eq(dest[0], 3);
	ck_assert_uint_eq(mbox_count(m), 0);
	ck_assert_int_eq(mbox_sync(m), 0);
	ck_assert_uint_eq(mbox_count(m), 2);
	mbox_close(&d);
	mbox_close(&m);
	/* RENAME INBOX: messages move, INBOX stays (and keeps UIDNEXT). */
	ck_assert_int_eq(store_rename(s, "INBOX", "INBOX/old"), 0);
	ck_assert_int_eq(store_status(s, "INBOX", &st), 0);
	ck_assert_uint_eq(st.messages, 0);
	ck_assert_uint_eq(st.uidnext, 5);
	ck_assert_int_eq(store_status(s, "INBOX/old", &st), 0);
	ck_assert_uint_eq(st.messages, 2);
	ck_assert_uint_eq(st.uidnext, 3);
}
END_TEST

START_TEST(test_crlf_helpers)
{
	static const struct {
		const char	*in;
		bool		 clean;
		const char	*out;
	} cases[] = {
		{ "", true, "" },
		{ "a\r\nb\r\n", true, "a\r\nb\r\n" },
		{ "a\nb", false, "a\r\nb" },
		{ "\n", false, "\r\n" },
		{ "a\rb\r\n", false, "a\rb\r\n" },
		{ "a\r", false, "a\r" },
		{ "\r\n\n\r\n", false, "\r\n\r\n\r\n" },
	};
	char	buf[64];
	size_t	i, n;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t len = strlen(cases[i].in);

		ck_assert_int_eq(store_crlf_clean(cases[i].in, len),
		    cases[i].clean);
		ck_assert_uint_eq(store_crlf_size(cases[i].in, len),
		    strlen(cases[i].out));
		n = store_crlf_convert(cases[i].in, len, buf);
		ck_assert_uint_eq(n, strlen(cases[i].out));
		ck_assert(memcmp(buf, cases[i].out, n) == 0);
	}
	ck_assert(!store_crlf_clean("a\0\r\n", 4));
}
END_TEST

static Suite *
memory_suite(void)
{
	Suite	*su = suite_create("store_memory");
	TCase	*tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_mailboxes);
	tcase_add_test(tc, test_messages);
	tcase_add_test(tc, test_sessions);
	tcase_add_test(tc, test_keywords);
	tcase_add_test(tc, test_copy_move);
	tcase_add_test(tc, test_crlf_helpers);
	suite_add_tcase(su, tc);
	return su;
}

int
main(void)
{
	SRunner	*sr = srunner_create(memory_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
