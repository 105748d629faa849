/*
 * check_maildir_crash: several writers at once, and writers killed with
 * SIGKILL at random points: no message lost, no UID given twice, every
 * file with exactly one UID, the uidlist always parseable, UIDVALIDITY
 * unchanged.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "storage/store.h"
#define MAILDIR_FIXTURE_NAME	"check_mcrash"
#include "maildir_fixture.h"
#include "storage/maildir/maildir_uidlist.h"

#define CRASH_ROUNDS	50

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

/* --- concurrency ------------------------------------------------------ */

#define WRITERS		3
#define WRITER_OPS	40

/* Several processes append, change flags and sync at once: every
 * APPEND gets its own UID, and everyone sees the same messages. */
START_TEST(test_concurrent_writers)
{
	struct store	*s;
	struct mbox	*m;
	uint32_t	 uids[WRITERS][WRITER_OPS];
	int		 p[2], w, i;
	pid_t		 pids[WRITERS];

	ck_assert_int_eq(pipe(p), 0);
	for (w = 0; w < WRITERS; w++) {
		if ((pids[w] = fork()) != 0)
			continue;
		s = store_maildir_open(root, NULL);
		if (s == NULL || mbox_open(s, "INBOX", false, &m) < 0)
			_exit(1);
		for (i = 0; i < WRITER_OPS; i++) {
			uids[w][i] = append(s, "INBOX", "x\r\n", 0);
			if (mbox_sync(m) < 0 || mbox_find(m, uids[w][i]) ==
			    NULL || mbox_set_flags(m, uids[w][i], MSG_SEEN,
			    0) < 0)
				_exit(2);
		}
		if (write(p[1], uids[w], sizeof(uids[w])) !=
		    (ssize_t)sizeof(uids[w]))
			_exit(3);
		_exit(0);
	}
	close(p[1]);
	for (w = 0; w < WRITERS; w++) {
		int status;

		ck_assert_int_eq(read(p[0], uids[w], sizeof(uids[w])),
		    sizeof(uids[w]));
		waitpid(pids[w], &status, 0);
		ck_assert_int_eq(status, 0);
	}
	close(p[0]);
	s = open_store();
	ck_assert_int_eq(mbox_open(s, "INBOX", false, &m), 0);
	ck_assert_uint_eq(mbox_count(m), WRITERS * WRITER_OPS);
	ck_assert_uint_eq(mbox_uidnext(m), WRITERS * WRITER_OPS + 1);
	for (w = 0; w < WRITERS; w++)
		for (i = 0; i < WRITER_OPS; i++) {
			ck_assert_ptr_nonnull(mbox_find(m, uids[w][i]));
			ck_assert_uint_eq(mbox_find(m, uids[w][i])->flags,
			    MSG_SEEN);
		}
	mbox_close(&m);
	store_close(&s);
}
END_TEST

/* --- crash safety ----------------------------------------------------- */

/* Child: append, copy, change flags and expunge until killed; report
 * every completed APPEND/COPY ("A uid tag" / "C uid tag") and every
 * expunge about to start ("X uid") on fd. */
static void
crash_child(int fd, int round)
{
	struct store	*s;
	struct mbox	*m;
	struct store_append a;
	char		 msg[128], line[160];
	uint32_t	 mine[256], tags[256], uid, dest;
	int		 n = 0, i, k, len;

	srand(getpid());
	if ((s = store_maildir_open(root, NULL)) == NULL ||
	    mbox_open(s, "INBOX", false, &m) < 0)
		_exit(1);
	for (i = 0;; i++) {
		switch (rand() % 5) {
		case 0:
		case 1:
			len = snprintf(msg, sizeof(msg),
			    "Subject: r%d-%d\r\n\r\nbody %d\r\n", round, i, i);
			memset(&a, 0, sizeof(a));
			a.data = msg;
			a.len = (size_t)len;
			if (store_append(s, "INBOX", &a, NULL, &uid) < 0)
				break;
			if (n < 256) {
				mine[n] = uid;
				tags[n++] = (uint32_t)i;
			}
			len = snprintf(line, sizeof(line), "A %u r%d-%d\n",
			    uid, round, i);
			if (write(fd, line, len) != len)
				_exit(1);
			break;
		case 2:
			if (n == 0 || mbox_sync(m) < 0)
				break;
			k = rand() % n;
			if (mbox_copy(m, &mine[k], 1, "Other", NULL,
			    &dest) == 0) {
				len = snprintf(line, sizeof(line),
				    "C %u r%d-%u\n", dest, round, tags[k]);
				if (write(fd, line, len) != len)
					_exit(1);
			}
			break;
		case 3:
			if (n == 0 || mbox_sync(m) < 0)
				break;
			k = rand() % n;
			(void)mbox_set_flags(m, mine[k],
			    (uint32_t)rand() & 0x1f, 0);
			break;
		default:
			if (n == 0 || mbox_sync(m) < 0)
				break;
			k = rand() % n;
			len = snprintf(line, sizeof(line), "X %u\n", mine[k]);
			if (write(fd, line, len) != len)
				_exit(1);
			(void)mbox_expunge(m, &mine[k], 1);
			mine[k] = mine[--n];
			tags[k] = tags[n];
			break;
		}
	}
}

struct expect {
	uint32_t	uid;
	char		tag[24];
	bool		expunging;
};

struct crash_state {
	struct expect	inbox[4096], other[4096];
	size_t		ninbox, nother;
	uint32_t	uidv[2], next[2];
};

static void
crash_read(int fd, struct crash_state *cs)
{
	char	buf[65536], *line, *nl;
	ssize_t	n;
	size_t	len = 0, i;
	uint32_t uid;
	char	tag[24];

	while ((n = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += (size_t)n;
	buf[len] = '\0';
	for (line = buf; (nl = strchr(line, '\n')) != NULL; line = nl + 1) {
		*nl = '\0';
		if (sscanf(line, "A %u %23s", &uid, tag) == 2 &&
		    cs->ninbox < 4096) {
			cs->inbox[cs->ninbox].uid = uid;
			(void)snprintf(cs->inbox[cs->ninbox++].tag, 24, "%s",
			    tag);
		} else if (sscanf(line, "C %u %23s", &uid, tag) == 2 &&
		    cs->nother < 4096) {
			cs->other[cs->nother].uid = uid;
			(void)snprintf(cs->other[cs->nother++].tag, 24, "%s",
			    tag);
		} else if (sscanf(line, "X %u", &uid) == 1) {
			for (i = 0; i < cs->ninbox; i++)
				if (cs->inbox[i].uid == uid)
					cs->inbox[i].expunging = true;
		}
	}
}

/* Every reported message is there with its UID and contents, UIDs are
 * unique and increasing, every file has exactly one UID, the uidlist
 * parses cleanly and UIDVALIDITY never changes. */
static void
crash_verify(struct store *s, const char *box, const char *dir,
    struct expect *ex, size_t nex, uint32_t *uidv, uint32_t *next)
{
	struct mbox	*m;
	struct msg_body	 body;
	struct uidlist	*ul;
	char		 path[600], sub[600];
	size_t		 i;
	int		 dfd, ret;

	ck_assert_msg(mbox_open(s, box, false, &m) == 0, "%s",
	    store_errstr(s));
	if (*uidv == 0)
		*uidv = mbox_uidvalidity(m);
	ck_assert_uint_eq(mbox_uidvalidity(m), *uidv);
	ck_assert_uint_ge(mbox_uidnext(m), *next);
	*next = mbox_uidnext(m);
	for (i = 1; i < mbox_count(m); i++)
		ck_assert_uint_lt(mbox_msgs(m)[i - 1].uid, mbox_msgs(m)[i].uid);
	if (mbox_count(m) > 0)
		ck_assert_uint_lt(mbox_msgs(m)[mbox_count(m) - 1].uid,
		    mbox_uidnext(m));
	(void)snprintf(sub, sizeof(sub), "%s%scur", dir, dir[0] ? "/" : "");
	ck_assert_int_eq(count_files(sub), (int)mbox_count(m));
	for (i = 0; i < nex; i++) {
		ret = mbox_msg_open(m, ex[i].uid, &body);
		if (ret == STORE_ERR_EXPUNGED && ex[i].expunging)
			continue;
		ck_assert_msg(ret == 0, "%s uid %u (%s) lost", box, ex[i].uid,
		    ex[i].tag);
		ck_assert_msg(memmem(body.data, body.len, ex[i].tag,
		    strlen(ex[i].tag)) != NULL, "uid %u is not %s", ex[i].uid,
		    ex[i].tag);
		msg_body_release(&body);
	}
	mbox_close(&m);
	path_of(path, sizeof(path), dir);
	ck_assert_int_ge(dfd = open(path, O_RDONLY | O_DIRECTORY), 0);
	ul = uidlist_new(dfd);
	ck_assert_int_eq(uidlist_refresh(ul, NULL), 0);
	ck_assert(ul->exists);
	ck_assert_msg(!ul->dirty, "%s: uidlist needs repair", box);
	ck_assert_uint_eq(ul->uidvalidity, *uidv);
	uidlist_free(&ul);
	close(dfd);
}

START_TEST(test_crash_safety)
{
	static struct crash_state cs;
	struct store	*s = open_store();
	int		 round, p[2];
	pid_t		 pid;

	memset(&cs, 0, sizeof(cs));
	ck_assert_int_eq(store_create(s, "Other"), 0);
	srand((unsigned)time(NULL));
	for (round = 0; round < CRASH_ROUNDS; round++) {
		ck_assert_int_eq(pipe(p), 0);
		if ((pid = fork()) == 0) {
			close(p[0]);
			crash_child(p[1], round);
			_exit(0);
		}
		close(p[1]);
		usleep(2000 + rand() % 20000);
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		crash_read(p[0], &cs);
		close(p[0]);
		crash_verify(s, "INBOX", "", cs.inbox, cs.ninbox, &cs.uidv[0],
		    &cs.next[0]);
		crash_verify(s, "Other", ".Other", cs.other, cs.nother,
		    &cs.uidv[1], &cs.next[1]);
	}
	ck_assert_uint_gt(cs.ninbox, 0);
	store_close(&s);
}
END_TEST

static Suite *
crash_suite(void)
{
	Suite	*s = suite_create("maildir_crash");
	TCase	*tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_concurrent_writers);
	tcase_add_test(tc, test_crash_safety);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(crash_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
