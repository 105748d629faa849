/*
 * check_maildir_sync: a Maildir shared with other sessions and other
 * programs: deliveries into new/, \Recent, changes made by other
 * processes, rename races, the no-change fast path, locks left behind.
 * (Concurrent writers and crashes: check_maildir_crash.c.)
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "storage/store.h"
#define MAILDIR_FIXTURE_NAME	"check_msync"
#include "maildir_fixture.h"
#include "storage/maildir/maildir.h"
#include "storage/maildir/maildir_uidlist.h"

static void
move_file(const char *from, const char *to)
{
	char	a[1024], b[1024];

	path_of(a, sizeof(a), from);
	path_of(b, sizeof(b), to);
	ck_assert_msg(rename(a, b) == 0, "rename %s %s", a, b);
}

static void
remove_file(const char *rel)
{
	char	path[1024];

	path_of(path, sizeof(path), rel);
	ck_assert_int_eq(unlink(path), 0);
}

/* Set the mtime (and atime) of root/rel to when. */
static void
set_mtime(const char *rel, time_t when)
{
	struct timespec	ts[2];
	char		path[1024];

	path_of(path, sizeof(path), rel);
	ts[0].tv_sec = ts[1].tv_sec = when;
	ts[0].tv_nsec = ts[1].tv_nsec = 0;
	ck_assert_int_eq(utimensat(AT_FDCWD, path, ts, 0), 0);
}

/* Number of entries in root/rel (not counting dot files). */
static int
count_files(const char *rel)
{
	struct dirent	*de;
	char		 path[1024];
	DIR		*d;
	int		 n = 0;

	path_of(path, sizeof(path), rel);
	ck_assert_ptr_nonnull(d = opendir(path));
	while ((de = readdir(d)) != NULL)
		n += de->d_name[0] != '.';
	closedir(d);
	return n;
}

/* Name of the file in root/rel whose name starts with prefix. */
static char *
find_file(const char *rel, const char *prefix)
{
	struct dirent	*de;
	char		 path[1024], *name = NULL;
	DIR		*d;

	path_of(path, sizeof(path), rel);
	ck_assert_ptr_nonnull(d = opendir(path));
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.' &&
		    strncmp(de->d_name, prefix, strlen(prefix)) == 0) {
			free(name);
			name = strdup(de->d_name);
		}
	closedir(d);
	return name;
}

/* --- deliveries and \Recent ---------------------------------------- */

START_TEST(test_delivery_recent)
{
	struct store		*s = open_store();
	struct store_status	 st;
	struct mbox		*a, *b, *ro;
	char			*name;

	ck_assert_int_eq(mbox_open(s, "INBOX", false, &a), 0);
	ck_assert_uint_eq(mbox_count(a), 0);
	write_file("new/1000.M1P1.mda", "Subject: one\n\nbody\n");
	ck_assert_int_eq(store_status(s, "INBOX", &st), 0);
	ck_assert_uint_eq(st.messages, 1);
	ck_assert_uint_eq(st.recent, 1);
	ck_assert_uint_eq(st.size, 22);	/* W computed: 19 + 3 CRs */
	/* EXAMINE sees it as recent but doesn't take it. */
	ck_assert_int_eq(mbox_open(s, "INBOX", true, &ro), 0);
	ck_assert_uint_eq(mbox_count(ro), 1);
	ck_assert(mbox_msgs(ro)[0].recent);
	ck_assert_int_eq(count_files("new"), 1);
	ck_assert_int_eq(mbox_sync(a), 0);
	ck_assert_uint_eq(mbox_count(a), 1);
	ck_assert(mbox_msgs(a)[0].recent);
	ck_assert_uint_eq(mbox_msgs(a)[0].size, 22);
	ck_assert_int_eq(count_files("new"), 0);
	free(name = find_file("cur", "1000.M1P1.mda:2,"));
	ck_assert_ptr_nonnull(name);
	/* Whoever moved it first has it; later sessions don't. */
	ck_assert_int_eq(mbox_open(s, "INBOX", false, &b), 0);
	ck_assert(!mbox_msgs(b)[0].recent);
	ck_assert_int_eq(mbox_sync(ro), 0);
	ck_assert(mbox_msgs(ro)[0].recent);
	ck_assert_int_eq(mbox_sync(a), 0);
	ck_assert(mbox_msgs(a)[0].recent);
	ck_assert_int_eq(store_status(s, "INBOX", &st), 0);
	ck_assert_uint_eq(st.recent, 0);
	ck_assert_int_eq(mbox_set_flags(ro, 1, MSG_SEEN, 0),
	    STORE_ERR_NOPERM);
	mbox_close(&ro);
	mbox_close(&b);
	mbox_close(&a);
	store_close(&s);
}
END_TEST

START_TEST(test_uid_order)
{
	struct store	*s = open_store();
	struct mbox	*m;
	char		*name;

	write_file("new/300.M5P1.h", "c\n");
	write_file("new/200.M10P1.h", "b\n");
	write_file("new/200.M9P1.h", "a\n");
	write_file("cur/.hidden", "x\n");
	ck_assert_int_eq(mbox_open(s, "INBOX", false, &m), 0);
	ck_assert_uint_eq(mbox_count(m), 3);
	ck_assert_uint_eq(mbox_msgs(m)[0].internaldate > 0, 1);
	mbox_close(&m);
	ck_assert_ptr_nonnull(name = find_file("cur", "200.M9P1"));
	ck_assert_ptr_nonnull(strstr(name, ":2,"));
	free(name);
	{
		struct uidlist	*ul;
		char		 path[1024];
		int		 dfd;

		path_of(path, sizeof(path), "");
		dfd = open(path, O_RDONLY | O_DIRECTORY);
		ul = uidlist_new(dfd);
		ck_assert_int_eq(uidlist_refresh(ul, NULL), 0);
		ck_assert_uint_eq(ul->n, 3);
		ck_assert(strncmp(ul->recs[0].name, "200.M9P1.h", 10) == 0);
		ck_assert(strncmp(ul->recs[1].name, "200.M10P1.h", 11) == 0);
		ck_assert(strncmp(ul->recs[2].name, "300.M5P1.h", 10) == 0);
		/* Sizes of names without W= are kept in the uidlist. */
		ck_assert_uint_eq(ul->recs[0].vsize, 3);
		uidlist_free(&ul);
		close(dfd);
	}
	store_close(&s);
}
END_TEST

/* --- other sessions and programs ----------------------------------- */

START_TEST(test_two_sessions)
{
	struct store	*s = open_store(), *s2 = open_store();
	struct mbox	*a, *b;
	uint32_t	 u1, u2, uid;
	int		 kw;

	u1 = append(s, "INBOX", "one\r\n", 0);
	ck_assert_int_eq(mbox_open(s, "INBOX", false, &a), 0);
	ck_assert_int_eq(mbox_open(s2, "INBOX", false, &b), 0);
	u2 = append(s2, "INBOX", "two\r\n", 0);
	ck_assert_uint_eq(mbox_count(a), 1);
	ck_assert_int_eq(mbox_sync(a), 0);
	ck_assert_uint_eq(mbox_count(a), 2);
	ck_assert_uint_eq(mbox_msgs(a)[1].uid, u2);
	ck_assert_uint_eq(mbox_uidnext(a), u2 + 1);
	kw = mbox_keyword_index(a, "Shared", true);
	ck_assert_int_eq(kw, 0);
	ck_assert_int_eq(mbox_set_flags(a, u1, MSG_SEEN | MSG_DELETED,
	    1u << kw), 0);
	ck_assert_int_eq(mbox_sync(b), 0);
	ck_assert_uint_eq(mbox_count(b), 2);
	ck_assert_uint_eq(mbox_msgs(b)[0].flags, MSG_SEEN | MSG_DELETED);
	ck_assert_int_eq(mbox_keyword_index(b, "shared", false), 0);
	ck_assert_uint_eq(mbox_msgs(b)[0].keywords, 1);
	ck_assert_int_eq(mbox_expunge(a, &u1, 1), 0);
	ck_assert_uint_eq(mbox_count(a), 1);
	ck_assert_int_eq(mbox_sync(b), 0);
	ck_assert_uint_eq(mbox_count(b), 1);
	ck_assert_uint_eq(mbox_msgs(b)[0].uid, u2);
	/* UIDs are never reused. */
	uid = append(s, "INBOX", "three\r\n", 0);
	ck_assert_uint_eq(uid, u2 + 1);
	ck_assert_int_eq(mbox_expunge(b, &uid, 1), 0);	/* not in b yet */
	mbox_close(&a);
	mbox_close(&b);
	/* Deleted while selected. */
	ck_assert_int_eq(store_create(s, "Gone"), 0);
	ck_assert_int_eq(mbox_open(s2, "Gone", false, &a), 0);
	ck_assert_int_eq(store_delete(s, "Gone"), 0);
	ck_assert_int_eq(mbox_sync(a), STORE_ERR_NONEXISTENT);
	mbox_close(&a);
	store_close(&s);
	store_close(&s2);
}
END_TEST

START_TEST(test_external_changes)
{
	struct store	*s = open_store();
	struct mbox	*m;
	struct msg_body	 body;
	char		*name, from[600], to[600];
	uint32_t	 u1, u2, del;

	u1 = append(s, "INBOX", "one\r\n", 0);
	u2 = append(s, "INBOX", "twoo\r\n", 0);
	ck_assert_int_eq(mbox_open(s, "INBOX", false, &m), 0);
	/* A mail reader without locks marks the first one seen... */
	name = find_file("cur", "");
	ck_assert_ptr_nonnull(name);
	(void)snprintf(from, sizeof(from), "cur/%s", name);
	(void)snprintf(to, sizeof(to), "cur/%sS", name);
	move_file(from, to);
	free(name);
	ck_assert_int_eq(mbox_sync(m), 0);
	ck_assert_uint_eq(mbox_count(m), 2);
	ck_assert(mbox_msgs(m)[0].flags == MSG_SEEN ||
	    mbox_msgs(m)[1].flags == MSG_SEEN);
	mbox_close(&m);

	/* Renamed under a session that doesn't know yet: still found. */
	ck_assert_int_eq(mbox_open(s, "INBOX", false, &m), 0);
	name = find_file("cur", "");
	(void)snprintf(from, sizeof(from), "cur/%s", name);
	(void)snprintf(to, sizeof(to), "cur/%.*s:2,F", (int)strcspn(name, ":"),
	    name);
	move_file(from, to);
	free(name);
	ck_assert_int_eq(mbox_msg_open(m, u1, &body), 0);
	msg_body_release(&body);
	ck_assert_int_eq(mbox_msg_open(m, u2, &body), 0);
	ck_assert_uint_eq(body.len, 6);
	msg_body_release(&body);
	ck_assert_int_eq(mbox_set_flags(m, u1, MSG_ANSWERED, 0), 0);
	ck_assert_int_eq(mbox_set_flags(m, u2, MSG_ANSWERED, 0), 0);
	ck_assert_int_eq(count_files("cur"), 2);
	/* Deleted underneath: EXPUNGEISSUED, then gone at the next sync. */
	name = find_file("cur", "");
	(void)snprintf(from, sizeof(from), "cur/%s", name);
	remove_file(from);
	del = strstr(name, ",S=4,") != NULL ? u1 : u2;
	free(name);
	ck_assert_int_eq(mbox_set_flags(m, del, MSG_SEEN, 0),
	    STORE_ERR_EXPUNGED);
	ck_assert_int_eq(mbox_msg_open(m, del, &body), STORE_ERR_EXPUNGED);
	ck_assert_uint_eq(mbox_count(m), 2);
	ck_assert_int_eq(mbox_sync(m), 0);
	ck_assert_uint_eq(mbox_count(m), 1);
	mbox_close(&m);
	store_close(&s);
}
END_TEST

START_TEST(test_duplicates)
{
	struct store	*s = open_store();
	struct mbox	*m;
	char		 a[600], b[600];

	write_file("cur/100.M1P1.h:2,S", "first\n");
	write_file("new/100.M1P1.h", "second\n");
	write_file("cur/200.M1P1.h:2,", "linked\n");
	path_of(a, sizeof(a), "cur/200.M1P1.h:2,");
	path_of(b, sizeof(b), "cur/200.M1P1.h:2,S");
	ck_assert_int_eq(link(a, b), 0);
	ck_assert_int_eq(mbox_open(s, "INBOX", false, &m), 0);
	/* Two files, one name: both kept, with their own UIDs. The same
	 * file under two names: one message. */
	ck_assert_uint_eq(mbox_count(m), 3);
	ck_assert_int_eq(count_files("cur"), 3);
	mbox_close(&m);
	ck_assert_int_eq(mbox_open(s, "INBOX", false, &m), 0);
	ck_assert_uint_eq(mbox_count(m), 3);
	mbox_close(&m);
	store_close(&s);
}
END_TEST

/* --- fast path -------------------------------------------------------- */

START_TEST(test_fast_path)
{
	struct store	*s = open_store();
	struct mbox	*m;
	time_t		 old = time(NULL) - 100;

	append(s, "INBOX", "one\r\n", 0);
	set_mtime("cur", old);
	set_mtime("new", old);
	ck_assert_int_eq(mbox_open(s, "INBOX", false, &m), 0);
	ck_assert_uint_eq(mbox_count(m), 1);
	/* A change that leaves the mtimes as they were is not seen:
	 * proof that an unchanged folder is not read again. */
	write_file("cur/5000.M1P1.x:2,", "hidden\n");
	set_mtime("cur", old);
	ck_assert_int_eq(mbox_sync(m), 0);
	ck_assert_uint_eq(mbox_count(m), 1);
	set_mtime("cur", old + 1);
	ck_assert_int_eq(mbox_sync(m), 0);
	ck_assert_uint_eq(mbox_count(m), 2);
	mbox_close(&m);

	/* Nanosecond timestamps are trusted once older than a clock tick. */
	{
		char		path[600];
		struct timespec	ts[2];

		path_of(path, sizeof(path), "cur");
		clock_gettime(CLOCK_REALTIME, &ts[1]);
		ts[1].tv_sec -= 1;
		ts[1].tv_nsec |= 1;
		ts[0] = ts[1];
		ck_assert_int_eq(utimensat(AT_FDCWD, path, ts, 0), 0);
		ck_assert_int_eq(mbox_open(s, "INBOX", false, &m), 0);
		write_file("cur/5002.M1P1.x:2,", "hidden too\n");
		ck_assert_int_eq(utimensat(AT_FDCWD, path, ts, 0), 0);
		ck_assert_int_eq(mbox_sync(m), 0);
		ck_assert_uint_eq(mbox_count(m), 2);
		mbox_close(&m);
	}

	/* But a recent mtime proves nothing (same timestamp tick). */
	ck_assert_int_eq(mbox_open(s, "INBOX", false, &m), 0);
	{
		char		path[600];
		struct stat	st;
		struct timespec	ts[2];

		path_of(path, sizeof(path), "cur");
		set_mtime("cur", time(NULL));
		ck_assert_int_eq(mbox_sync(m), 0);
		ck_assert_int_eq(stat(path, &st), 0);
		write_file("cur/5001.M1P1.x:2,", "also\n");
		ts[0] = st.st_atim;
		ts[1] = st.st_mtim;
		ck_assert_int_eq(utimensat(AT_FDCWD, path, ts, 0), 0);
	}
	ck_assert_int_eq(mbox_sync(m), 0);
	ck_assert_uint_eq(mbox_count(m), 4);
	mbox_close(&m);
	store_close(&s);
}
END_TEST

/* --- keywords --------------------------------------------------------- */

START_TEST(test_keyword_limit)
{
	struct store	*s = open_store();
	struct mbox	*m;
	char		 kwname[16], *name;
	int		 i;

	append(s, "INBOX", "x\r\n", 0);
	ck_assert_int_eq(mbox_open(s, "INBOX", false, &m), 0);
	ck_assert_int_eq(mbox_keyword_index(m, "k0", false), -1);
	for (i = 0; i < STORE_MAX_KEYWORDS; i++) {
		(void)snprintf(kwname, sizeof(kwname), "k%d", i);
		ck_assert_int_eq(mbox_keyword_index(m, kwname, true), i);
	}
	ck_assert_int_eq(mbox_keyword_index(m, "K7", true), 7);
	ck_assert_int_eq(mbox_keyword_index(m, "more", true),
	    STORE_ERR_LIMIT);
	ck_assert_int_eq(mbox_keyword_index(m, "bad kw", true),
	    STORE_ERR_BADNAME);
	ck_assert_uint_eq(mbox_keyword_count(m), STORE_MAX_KEYWORDS);
	ck_assert_int_eq(mbox_set_flags(m, 1, 0, (1u << 25) | 1), 0);
	ck_assert_ptr_nonnull(name = find_file("cur", ""));
	ck_assert_ptr_nonnull(strstr(name, ":2,az"));
	free(name);
	ck_assert_int_eq(mbox_set_flags(m, 1, 0, 1u << 26),
	    STORE_ERR_BADNAME);
	mbox_close(&m);
	store_close(&s);
}
END_TEST

/* --- locks and notification ------------------------------------------ */

START_TEST(test_locks)
{
	struct store	*s = open_store();
	struct mbox	*m;
	char		 line[300], host[256];
	pid_t		 pid;
	time_t		 old = time(NULL) - 1000;

	append(s, "INBOX", "x\r\n", 0);
	ck_assert_int_eq(mbox_open(s, "INBOX", false, &m), 0);
	((struct maildir_store *)s)->lock_timeout_ms = 200;
	gethostname(host, sizeof(host));
	/* Left by a process that died: broken at once. */
	if ((pid = fork()) == 0)
		_exit(0);
	waitpid(pid, NULL, 0);
	(void)snprintf(line, sizeof(line), "%ld:%s", (long)pid, host);
	write_file("dovecot-uidlist.lock", line);
	ck_assert_uint_eq(append(s, "INBOX", "y\r\n", 0), 2);
	/* Held by a live process: wait, then INUSE. */
	(void)snprintf(line, sizeof(line), "%ld:%s", (long)getpid(), host);
	write_file("dovecot-uidlist.lock", line);
	{
		struct store_append a = { "z\r\n", 3, 0, NULL, 0, 0 };

		ck_assert_int_eq(store_append(s, "INBOX", &a, NULL, NULL),
		    STORE_ERR_INUSE);
	}
	ck_assert_int_eq(mbox_set_flags(m, 1, MSG_SEEN, 0), STORE_ERR_INUSE);
	/* Sync still works, without the new mail. */
	write_file("new/9.M1P1.x", "new\n");
	ck_assert_int_eq(mbox_sync(m), 0);
	ck_assert_uint_eq(mbox_count(m), 2);
	/* Untouched for longer than 2 minutes: stale. */
	set_mtime("dovecot-uidlist.lock", old);
	ck_assert_int_eq(mbox_sync(m), 0);
	ck_assert_uint_eq(mbox_count(m), 3);
	ck_assert_int_eq(count_files("tmp"), 0);
	mbox_close(&m);
	store_close(&s);
}
END_TEST

START_TEST(test_notify)
{
	struct store	*s = open_store(), *mem = store_memory_open();
	struct mbox	*m, *mm;
	struct pollfd	 pfd;
	int		 fd;

	ck_assert_int_eq(mbox_open(s, "INBOX", false, &m), 0);
	ck_assert_int_ge(fd = mbox_notify_fd(m), 0);
	ck_assert_int_eq(mbox_notify_fd(m), fd);
	pfd.fd = fd;
	pfd.events = POLLIN;
	ck_assert_int_eq(poll(&pfd, 1, 0), 0);
	write_file("new/1.M1P1.x", "hi\n");
	ck_assert_int_eq(poll(&pfd, 1, 1000), 1);
	mbox_notify_clear(m);
	ck_assert_int_eq(poll(&pfd, 1, 0), 0);
	append(s, "INBOX", "x\r\n", 0);
	ck_assert_int_eq(poll(&pfd, 1, 1000), 1);
	mbox_notify_clear(m);
	mbox_close(&m);
	ck_assert_int_eq(mbox_open(mem, "INBOX", false, &mm), 0);
	ck_assert_int_eq(mbox_notify_fd(mm), -1);
	mbox_notify_clear(mm);
	mbox_close(&mm);
	store_close(&mem);
	store_close(&s);
}
END_TEST

static Suite *
sync_suite(void)
{
	Suite	*s = suite_create("maildir_sync");
	TCase	*tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_delivery_recent);
	tcase_add_test(tc, test_uid_order);
	tcase_add_test(tc, test_two_sessions);
	tcase_add_test(tc, test_external_changes);
	tcase_add_test(tc, test_duplicates);
	tcase_add_test(tc, test_fast_path);
	tcase_add_test(tc, test_keyword_limit);
	tcase_add_test(tc, test_locks);
	tcase_add_test(tc, test_notify);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(sync_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
