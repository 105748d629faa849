/*
 * check_uidlist: dovecot-uidlist parsing and writing, and the dotlock it
 * is written under.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "storage/store.h"
#include "storage/maildir/maildir_lock.h"
#include "storage/maildir/maildir_uidlist.h"

static char	 dir[256];
static int	 dfd = -1;

static void
setup(void)
{
	(void)snprintf(dir, sizeof(dir), "/tmp/check_uidlist.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_ge(dfd = open(dir, O_RDONLY | O_DIRECTORY), 0);
	ck_assert_int_eq(mkdirat(dfd, "tmp", 0700), 0);
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
put(const char *name, const char *data, int flags)
{
	int	fd;

	fd = openat(dfd, name, O_WRONLY | O_CREAT | flags, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, data, strlen(data)), (ssize_t)strlen(data));
	close(fd);
}

static char *
get(const char *name)
{
	static char	buf[65536];
	ssize_t		n;
	int		fd;

	if ((fd = openat(dfd, name, O_RDONLY)) < 0)
		return NULL;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n < 0 ? 0 : n] = '\0';
	return buf;
}

static uint32_t
uid_of(struct uidlist *ul, const char *base)
{
	const struct uidlist_rec *r = uidlist_lookup(ul, base, strlen(base));

	return r ? r->uid : 0;
}

/* A file as Dovecot 2.3 writes it (unknown fields included). */
static const char dovecot_v3[] =
    "3 V1275660208 N25022 G3085f01b7f11094c501100008c4a11c1 X9\n"
    "25006 :1276528487.M364837P9451.kurkku,S=1355,W=1394:2,\n"
    "25017 W2481 :1276533073.M242911P3632.kurkku:2,F\n"
    "25020 GABC P1a2b O7 :1276533074.M1P1.kurkku\n";

START_TEST(test_parse_v3)
{
	struct uidlist	*ul = uidlist_new(dfd);
	ssize_t		 used;

	used = uidlist_parse(ul, dovecot_v3, sizeof(dovecot_v3) - 1, true);
	ck_assert_int_eq(used, sizeof(dovecot_v3) - 1);
	ck_assert_uint_eq(ul->version, 3);
	ck_assert_uint_eq(ul->uidvalidity, 1275660208);
	ck_assert_uint_eq(ul->nextuid, 25022);
	ck_assert_str_eq(ul->guid, "3085f01b7f11094c501100008c4a11c1");
	ck_assert_str_eq(ul->hdr_extra, "X9");
	ck_assert_uint_eq(ul->n, 3);
	ck_assert(!ul->dirty);
	ck_assert_uint_eq(uid_of(ul,
	    "1276528487.M364837P9451.kurkku,S=1355,W=1394"), 25006);
	ck_assert_uint_eq(uid_of(ul, "1276533073.M242911P3632.kurkku"), 25017);
	ck_assert_uint_eq(uid_of(ul, "1276533074.M1P1.kurkku"), 25020);
	ck_assert_uint_eq(uid_of(ul, "1276533074.M1P1.kurk"), 0);
	ck_assert_uint_eq(ul->recs[1].vsize, 2481);
	ck_assert_uint_eq(ul->recs[0].vsize, UINT64_MAX);
	ck_assert_str_eq(ul->recs[2].ext, "GABC P1a2b O7");
	uidlist_free(&ul);
	ck_assert_ptr_null(ul);
}
END_TEST

/* Fed in pieces (a file growing a byte at a time): only whole lines are
 * taken, and the result is the same. */
START_TEST(test_parse_bytewise)
{
	struct uidlist	*ul;
	size_t		 len = sizeof(dovecot_v3) - 1, i;
	bool		 changed;

	put("dovecot-uidlist", "", O_TRUNC);
	ul = uidlist_new(dfd);
	for (i = 0; i < len; i++) {
		char c[2] = { dovecot_v3[i], '\0' };

		put("dovecot-uidlist", c, O_APPEND);
		ck_assert_int_eq(uidlist_refresh(ul, &changed), 0);
		ck_assert(changed);
		if (i < 57)	/* header line incomplete */
			ck_assert(!ul->exists);
	}
	ck_assert(ul->exists);
	ck_assert_uint_eq(ul->n, 3);
	ck_assert_uint_eq(ul->nextuid, 25022);
	ck_assert_uint_eq(ul->parsed, (off_t)len);
	ck_assert(!ul->dirty);
	ck_assert_int_eq(uidlist_refresh(ul, &changed), 0);
	ck_assert(!changed);
	ck_assert(!uidlist_changed(ul));
	uidlist_free(&ul);
}
END_TEST

START_TEST(test_parse_bad)
{
	static const char *bad_headers[] = { "", "3\n", "3 N5\n", "2 V1 N2\n",
	    "1 5\n", "1 0 7\n", "x V1\n", "3 V4294967296\n" };
	static const char body[] =
	    "3 V7 N3\n"
	    "10 :a\n"
	    "garbage\n"
	    "0 :zero\n"
	    "5 :b:2,S\n"		/* out of order */
	    "10 :dupuid\n"
	    "11 :a:2,T\n"		/* same base again */
	    "4294967296 :big\n"
	    "12 W :nosize\n"
	    "13 Wx12 :nosize2\n"
	    "14 :\n"
	    "15 noname\n"
	    "4294967295 :max\n"
	    "16 :partial";
	struct uidlist	*ul = uidlist_new(dfd);
	size_t		 i;
	ssize_t		 used;

	for (i = 0; i < sizeof(bad_headers) / sizeof(bad_headers[0]); i++)
		ck_assert_msg(uidlist_parse(ul, bad_headers[i],
		    strlen(bad_headers[i]), true) < 0, "%s", bad_headers[i]);
	used = uidlist_parse(ul, body, sizeof(body) - 1, true);
	ck_assert_int_eq(used, sizeof(body) - 1 - strlen("16 :partial"));
	ck_assert(ul->dirty);
	ck_assert_uint_eq(uid_of(ul, "a"), 10);
	ck_assert_uint_eq(uid_of(ul, "b"), 5);
	ck_assert_uint_eq(uid_of(ul, "nosize"), 12);
	ck_assert_uint_eq(ul->recs[2].vsize, UINT64_MAX);
	ck_assert_uint_eq(uid_of(ul, "max"), UINT32_MAX);
	ck_assert_uint_eq(uid_of(ul, "dupuid"), 0);
	ck_assert_uint_eq(uid_of(ul, "zero"), 0);
	ck_assert_uint_eq(uid_of(ul, "partial"), 0);
	ck_assert_uint_eq(ul->n, 5);
	/* Sorted whatever the file order was. */
	for (i = 1; i < ul->n; i++)
		ck_assert_uint_lt(ul->recs[i - 1].uid, ul->recs[i].uid);
	ck_assert_uint_eq(ul->nextuid, UINT32_MAX);
	uidlist_free(&ul);
}
END_TEST

/* Records in reverse order: sorted once, not inserted one by one. */
START_TEST(test_parse_reversed)
{
	struct uidlist	*ul = uidlist_new(dfd);
	size_t		 n = 200000, i, len = 0, cap = n * 24 + 64;
	char		*data = malloc(cap);

	len += (size_t)snprintf(data, cap, "3 V1 N2\n");
	for (i = n; i > 0; i--)
		len += (size_t)snprintf(data + len, cap - len,
		    "%zu :m%zu.host\n", i, i);
	len += (size_t)snprintf(data + len, cap - len, "7 :again\n");
	ck_assert_int_eq(uidlist_parse(ul, data, len, true), (ssize_t)len);
	ck_assert_uint_eq(ul->n, n);
	ck_assert_uint_eq(ul->recs[0].uid, 1);
	ck_assert_uint_eq(ul->recs[n - 1].uid, n);
	ck_assert_uint_eq(uid_of(ul, "m777.host"), 777);
	ck_assert_uint_eq(uid_of(ul, "again"), 0);
	ck_assert_uint_eq(ul->nextuid, n + 1);
	ck_assert(ul->dirty);
	free(data);
	uidlist_free(&ul);
}
END_TEST

START_TEST(test_parse_v1_courier)
{
	struct uidlist	*ul = uidlist_new(dfd);
	bool		 changed;

	ck_assert_int_gt(uidlist_parse(ul, "1 111 5\n1 a\n2 b:2,S\n9 c\n", 24,
	    true), 0);
	ck_assert_uint_eq(ul->version, 1);
	ck_assert_uint_eq(ul->uidvalidity, 111);
	ck_assert_uint_eq(ul->nextuid, 10);
	ck_assert_uint_eq(uid_of(ul, "b"), 2);
	uidlist_free(&ul);

	put("courierimapuiddb", "1 1234 20\n3 x.host:2,S\n7 y.host\n", 0);
	ul = uidlist_new(dfd);
	ck_assert_int_eq(uidlist_refresh(ul, &changed), 0);
	ck_assert(changed && ul->imported && !ul->exists);
	ck_assert_uint_eq(ul->uidvalidity, 1234);
	ck_assert_uint_eq(ul->nextuid, 20);
	ck_assert_uint_eq(uid_of(ul, "x.host"), 3);
	/* Converted on the first write. */
	ck_assert_int_eq(uidlist_lock(ul, 1000), 0);
	ck_assert_int_eq(uidlist_rewrite(ul, NULL, NULL), 0);
	uidlist_unlock(ul);
	ck_assert(strncmp(get("dovecot-uidlist"), "3 V1234 N20 G", 13) == 0);
	ck_assert_ptr_nonnull(strstr(get("dovecot-uidlist"),
	    "\n3 :x.host\n7 :y.host\n"));
	uidlist_free(&ul);
}
END_TEST

static bool
drop2_cb(const struct uidlist_rec *r, void *ctx)
{
	return r->uid != 2;
}

START_TEST(test_append_rewrite)
{
	struct uidlist	*ul = uidlist_new(dfd), *ul2;
	const char	*names[] = { "n1:2,S", "n2", "n3" };
	uint64_t	 vs[] = { UINT64_MAX, 42, UINT64_MAX };
	uint32_t	 uids[3];
	char		*data;

	ck_assert_int_eq(uidlist_refresh(ul, NULL), 0);
	ck_assert(!ul->exists);
	ck_assert_int_eq(uidlist_lock(ul, 1000), 0);
	ck_assert_int_eq(uidlist_create(ul, 555), 0);
	ck_assert_int_eq(uidlist_append(ul, names, vs, 3, uids), 0);
	ck_assert_uint_eq(uids[0], 1);
	ck_assert_uint_eq(uids[2], 3);
	uidlist_unlock(ul);
	data = get("dovecot-uidlist");
	ck_assert_int_eq(strlen(data), 44 + 22);
	ck_assert_ptr_nonnull(strstr(data, " N1 G"));
	ck_assert_ptr_nonnull(strstr(data, "\n1 :n1\n2 W42 :n2\n3 :n3\n"));
	/* Another reader sees the same. */
	ul2 = uidlist_new(dfd);
	ck_assert_int_eq(uidlist_refresh(ul2, NULL), 0);
	ck_assert_uint_eq(ul2->nextuid, 4);
	ck_assert_uint_eq(uid_of(ul2, "n2"), 2);
	ck_assert_uint_eq(ul2->recs[1].vsize, 42);
	/* Rewrite: drop n2; nextuid stays. */
	ck_assert_int_eq(uidlist_lock(ul, 1000), 0);
	ck_assert_int_eq(uidlist_lock(ul, 1000), 0);	/* already held */
	ck_assert_int_eq(uidlist_rewrite(ul, drop2_cb, NULL), 0);
	uidlist_unlock(ul);
	data = get("dovecot-uidlist");
	ck_assert_ptr_nonnull(strstr(data, " N4 G"));
	ck_assert_ptr_nonnull(strstr(data, "\n1 :n1\n3 :n3\n"));
	ck_assert_ptr_null(get("dovecot-uidlist.tmp"));
	ck_assert_ptr_null(get("dovecot-uidlist.lock"));
	/* The other reader notices the new file. */
	ck_assert(uidlist_changed(ul2));
	ck_assert_int_eq(uidlist_refresh(ul2, NULL), 0);
	ck_assert_uint_eq(ul2->n, 2);
	ck_assert_uint_eq(uid_of(ul2, "n2"), 0);
	ck_assert_uint_eq(ul2->nextuid, 4);
	uidlist_free(&ul2);
	uidlist_free(&ul);
}
END_TEST

/* A partial last line (writer killed mid-line) is never glued to. */
START_TEST(test_partial_tail)
{
	struct uidlist	*ul = uidlist_new(dfd);
	const char	*names[] = { "fresh" };
	uint32_t	 uid;

	put("dovecot-uidlist", "3 V9 N5 G0123456789abcdef0123456789abcdef\n"
	    "3 :a\n4 :b\n5 :par", 0);
	ck_assert_int_eq(uidlist_refresh(ul, NULL), 0);
	ck_assert_uint_eq(ul->n, 2);
	ck_assert_int_eq(uidlist_lock(ul, 1000), 0);
	ck_assert_int_eq(uidlist_append(ul, names, NULL, 1, &uid), 0);
	uidlist_unlock(ul);
	ck_assert_uint_eq(uid, 5);
	ck_assert_str_eq(get("dovecot-uidlist"),
	    "3 V9 N6 G0123456789abcdef0123456789abcdef\n"
	    "3 :a\n4 :b\n5 :fresh\n");
	uidlist_free(&ul);
}
END_TEST

/* Replaced in place (not by rename): the tail check catches it. */
START_TEST(test_replaced_same_inode)
{
	struct uidlist	*ul = uidlist_new(dfd);

	put("dovecot-uidlist", "3 V9 N5\n3 :aaaa\n4 :b\n", 0);
	ck_assert_int_eq(uidlist_refresh(ul, NULL), 0);
	ck_assert_uint_eq(uid_of(ul, "aaaa"), 3);
	put("dovecot-uidlist", "3 V9 N9\n3 :xxxx\n4 :b\n8 :c\n", O_TRUNC);
	ck_assert_int_eq(uidlist_refresh(ul, NULL), 0);
	ck_assert_uint_eq(uid_of(ul, "aaaa"), 0);
	ck_assert_uint_eq(uid_of(ul, "xxxx"), 3);
	ck_assert_uint_eq(uid_of(ul, "c"), 8);
	ck_assert_uint_eq(ul->n, 3);
	/* Removed: nothing is known any more. */
	ck_assert_int_eq(unlinkat(dfd, "dovecot-uidlist", 0), 0);
	ck_assert(uidlist_changed(ul));
	ck_assert_int_eq(uidlist_refresh(ul, NULL), 0);
	ck_assert(!ul->exists);
	ck_assert_uint_eq(ul->n, 0);
	uidlist_free(&ul);
}
END_TEST

START_TEST(test_uid_limit)
{
	struct uidlist	*ul = uidlist_new(dfd);
	const char	*names[] = { "x", "y" };
	uint32_t	 uids[2];

	put("dovecot-uidlist", "3 V9 N4294967294\n", 0);
	ck_assert_int_eq(uidlist_refresh(ul, NULL), 0);
	ck_assert_int_eq(uidlist_lock(ul, 1000), 0);
	ck_assert_int_eq(uidlist_append(ul, names, NULL, 2, uids),
	    STORE_ERR_LIMIT);
	ck_assert_int_eq(uidlist_append(ul, names, NULL, 1, uids), 0);
	ck_assert_uint_eq(uids[0], 4294967294u);
	ck_assert_int_eq(uidlist_append(ul, names + 1, NULL, 1, uids),
	    STORE_ERR_LIMIT);
	uidlist_unlock(ul);
	uidlist_free(&ul);
}
END_TEST

/* --- dotlock ------------------------------------------------------------ */

START_TEST(test_lock)
{
	struct md_lock_opts	o = { 150, 120, true };
	struct md_lock		a, b;
	char			line[300], host[256];
	struct timespec		ts[2];
	pid_t			pid;

	ck_assert_int_eq(md_lock_take(dfd, "f", &o, &a), 0);
	gethostname(host, sizeof(host));
	(void)snprintf(line, sizeof(line), "%ld:%s", (long)getpid(), host);
	ck_assert_str_eq(get("f.lock"), line);
	ck_assert_int_eq(md_lock_take(dfd, "f", &o, &b), STORE_ERR_INUSE);
	md_lock_release(&a);
	md_lock_release(&a);
	ck_assert_ptr_null(get("f.lock"));
	/* The pid file it was linked from is gone too. */
	(void)snprintf(line, sizeof(line), "tmp/.f.lock.%ld", (long)getpid());
	ck_assert_ptr_null(get(line));
	/* Dead owner. */
	if ((pid = fork()) == 0)
		_exit(0);
	waitpid(pid, NULL, 0);
	(void)snprintf(line, sizeof(line), "%ld:%s\n", (long)pid, host);
	put("f.lock", line, 0);
	ck_assert_int_eq(md_lock_take(dfd, "f", &o, &a), 0);
	md_lock_release(&a);
	/* Another host's lock, or no pid: only time makes it stale. */
	put("f.lock", "1:some.other.host", 0);
	ck_assert_int_eq(md_lock_take(dfd, "f", &o, &a), STORE_ERR_INUSE);
	ts[0].tv_sec = ts[1].tv_sec = time(NULL) - 121;
	ts[0].tv_nsec = ts[1].tv_nsec = 0;
	ck_assert_int_eq(utimensat(dfd, "f.lock", ts, 0), 0);
	ck_assert_int_eq(md_lock_take(dfd, "f", &o, &a), 0);
	/* Broken and re-taken by someone else: we don't remove theirs. */
	ck_assert_int_eq(unlinkat(dfd, "f.lock", 0), 0);
	put("f.lock", "1:some.other.host", O_EXCL);
	md_lock_release(&a);
	ck_assert_ptr_nonnull(get("f.lock"));
	ck_assert_int_eq(unlinkat(dfd, "f.lock", 0), 0);
	/* Replace-style lock: the new contents become the file. */
	o.write_pid = false;
	ck_assert_int_eq(md_lock_take(dfd, "g", &o, &a), 0);
	ck_assert_int_eq(write(md_lock_fd(&a), "new\n", 4), 4);
	ck_assert_int_eq(md_lock_replace(&a), 0);
	ck_assert_str_eq(get("g"), "new\n");
	ck_assert_ptr_null(get("g.lock"));
}
END_TEST

static Suite *
uidlist_suite(void)
{
	Suite	*s = suite_create("uidlist");
	TCase	*tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_parse_v3);
	tcase_add_test(tc, test_parse_bytewise);
	tcase_add_test(tc, test_parse_bad);
	tcase_add_test(tc, test_parse_reversed);
	tcase_add_test(tc, test_parse_v1_courier);
	tcase_add_test(tc, test_append_rewrite);
	tcase_add_test(tc, test_partial_tail);
	tcase_add_test(tc, test_replaced_same_inode);
	tcase_add_test(tc, test_uid_limit);
	tcase_add_test(tc, test_lock);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(uidlist_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
