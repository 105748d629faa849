/*
 * check_maildir: the Maildir backend through the store interface: names,
 * folders, APPEND/FETCH storage format, subscriptions, STATUS, COPY/MOVE.
 * (Files as Dovecot and Courier write them: check_maildir_compat.c.)
 */
#include <sys/stat.h>

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "storage/store.h"
#define MAILDIR_FIXTURE_NAME	"check_maildir"
#include "maildir_fixture.h"
#include "storage/maildir/maildir.h"
#include "storage/maildir/maildir_flags.h"
#include "storage/maildir/maildir_names.h"

static void
mkdir_rel(const char *rel)
{
	char	path[1024];

	(void)snprintf(path, sizeof(path), "%s/%s", root, rel);
	ck_assert_int_eq(mkdir(path, 0700), 0);
}

static int
count_files(const char *dir)
{
	struct dirent	*de;
	char		 path[1024];
	DIR		*d;
	int		 n = 0;

	(void)snprintf(path, sizeof(path), "%s/%s", root, dir);
	ck_assert_ptr_nonnull(d = opendir(path));
	while ((de = readdir(d)) != NULL)
		n += strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0;
	closedir(d);
	return n;
}

/* The one file in root/dir (fails if not exactly one). */
static char *
only_file(const char *dir)
{
	char		 path[1024], *name = NULL;
	struct dirent	*de;
	DIR		*d;
	int		 n = 0;

	(void)snprintf(path, sizeof(path), "%s/%s", root, dir);
	ck_assert_ptr_nonnull(d = opendir(path));
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		free(name);
		name = strdup(de->d_name);
		n++;
	}
	closedir(d);
	ck_assert_int_eq(n, 1);
	return name;
}

/* --- names ------------------------------------------------------------- */

static const struct {
	const char	*name;
	bool		 valid;
} name_cases[] = {
	{ "INBOX", true }, { "a", true }, { "a/b", true }, { "a/b/c", true },
	{ "", false }, { "/a", false }, { "a/", false }, { "a//b", false },
	{ ".a", false }, { "a/.b", false }, { "a.b", false }, { "a..b", false },
	{ "..", false }, { "a\\b", false }, { "a\001", false },
	{ "a\177", false }, { "a\tb", false }, { "Entw\xc3\xbcrfe", true },
	{ "\xc3", false }, { "\xc0\xaf", false }, { "\xc2\x85", false },
	{ "a&b", true }, { "&", true }, { "a b", true }, { "~x", true },
	{ "\xe2\x82\xac/\xf0\x9f\x98\x80", true },
};

START_TEST(test_name_valid)
{
	char	buf[1100];
	size_t	i;

	for (i = 0; i < sizeof(name_cases) / sizeof(name_cases[0]); i++)
		ck_assert_msg(store_name_valid(name_cases[i].name) ==
		    name_cases[i].valid, "case %zu: %s", i, name_cases[i].name);
	ck_assert(!store_name_valid(NULL));
	/* A level: 255 bytes encoded at most. */
	memset(buf, 'x', 255);
	buf[255] = '\0';
	ck_assert(store_name_valid(buf));
	buf[255] = 'x';
	buf[256] = '\0';
	ck_assert(!store_name_valid(buf));
	/* 84 x U+00E4: "&" + 224 base64 + "-" = 226 bytes; 96 x: 258. */
	for (i = 0; i < 84; i++)
		memcpy(buf + 2 * i, "\xc3\xa4", 2);
	buf[168] = '\0';
	ck_assert(store_name_valid(buf));
	for (i = 0; i < 96; i++)
		memcpy(buf + 2 * i, "\xc3\xa4", 2);
	buf[192] = '\0';
	ck_assert(!store_name_valid(buf));
	/* The whole name: 1000 bytes at most. */
	for (i = 0; i < 1000; i++)
		buf[i] = i % 100 == 99 ? '/' : 'y';
	buf[999] = 'y';
	buf[1000] = '\0';
	ck_assert(store_name_valid(buf));
	buf[1000] = 'y';
	buf[1001] = '\0';
	ck_assert(!store_name_valid(buf));
}
END_TEST

static const struct {
	const char	*name;
	const char	*dir;
} dir_cases[] = {
	{ "INBOX", "" }, { "A", ".A" }, { "A/B", ".A.B" },
	{ "Entw\xc3\xbcrfe", ".Entw&APw-rfe" }, { "a&b", ".a&-b" },
	{ "inbox/x", ".INBOX.x" }, { "Inbox/x/y", ".INBOX.x.y" },
	{ "\xe6\x97\xa5\xe6\x9c\xac", ".&ZeVnLA-" },
};

START_TEST(test_name_dir)
{
	static const char *bad[] = { ".", "..x", ".x.", ".x..y", ".&Jjo",
	    ".INBOX", ".inbox.x", "x", ".a\\b", "" };
	char	*s, big[400];
	size_t	 i;

	for (i = 0; i < sizeof(dir_cases) / sizeof(dir_cases[0]); i++) {
		s = md_name_to_dir(dir_cases[i].name);
		ck_assert_ptr_nonnull(s);
		ck_assert_str_eq(s, dir_cases[i].dir);
		free(s);
	}
	ck_assert_str_eq(s = md_dir_to_name(".A.B"), "A/B");
	free(s);
	ck_assert_str_eq(s = md_dir_to_name(".Entw&APw-rfe"),
	    "Entw\xc3\xbcrfe");
	free(s);
	ck_assert_str_eq(s = md_dir_to_name(".INBOX.x"), "INBOX/x");
	free(s);
	ck_assert_str_eq(s = md_dir_to_name(".a&-b"), "a&b");
	free(s);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(md_dir_to_name(bad[i]) == NULL, "%s", bad[i]);
	/* Directory names are limited to 255 bytes. */
	memset(big, 'z', 200);
	big[100] = '/';
	big[200] = '\0';
	ck_assert(store_name_valid(big));
	ck_assert_ptr_nonnull(s = md_name_to_dir(big));
	free(s);
	memset(big, 'z', 300);
	big[150] = '/';
	big[300] = '\0';
	ck_assert(store_name_valid(big));
	ck_assert_ptr_null(md_name_to_dir(big));
}
END_TEST

/* --- file names ------------------------------------------------------ */

static const struct {
	const char	*old;
	uint32_t	 flags, letters, owned;
	const char	*want;
} flag_cases[] = {
	{ "1.M1P1.h,S=10,W=12", MSG_SEEN | MSG_FLAGGED, 0, 0,
	    "1.M1P1.h,S=10,W=12:2,FS" },
	{ "x:2,PS", MSG_ANSWERED, 0, 0, "x:2,PR" },
	{ "x:2,Sab", MSG_SEEN, 0, 1, "x:2,Sb" },
	{ "x:2,S", MSG_SEEN | MSG_DRAFT | MSG_DELETED, 6, 7, "x:2,DSTbc" },
	{ "x:2,S,extra", MSG_DELETED, 0, 0, "x:2,T,extra" },
	{ "x:2,", 0, 1u << 25, 1u << 25, "x:2,z" },
	{ "x:1,foo", MSG_SEEN, 0, 0, "x:2,S" },
	{ "x:2,ZSa", 0, 0, 0, "x:2,Za" },
};

START_TEST(test_fname)
{
	struct md_fname	 fn;
	uint32_t	 flags, kw;
	char		*s, out[64];
	size_t		 i;

	for (i = 0; i < sizeof(flag_cases) / sizeof(flag_cases[0]); i++) {
		s = md_fname_set_flags(flag_cases[i].old, flag_cases[i].flags,
		    flag_cases[i].letters, flag_cases[i].owned);
		ck_assert_str_eq(s, flag_cases[i].want);
		free(s);
	}
	md_fname_parse("1.M2P3.h,S=1355,W=1394:2,RSa", &fn);
	ck_assert_uint_eq(fn.size, 1355);
	ck_assert_uint_eq(fn.vsize, 1394);
	ck_assert(fn.info2);
	ck_assert_uint_eq(fn.baselen, strlen("1.M2P3.h,S=1355,W=1394"));
	md_flags_decode("RSac", 4, &flags, &kw);
	ck_assert_uint_eq(flags, MSG_ANSWERED | MSG_SEEN);
	ck_assert_uint_eq(kw, 5);
	md_fname_parse("1.2.host", &fn);
	ck_assert_uint_eq(fn.size, MD_SIZE_UNKNOWN);
	ck_assert_uint_eq(fn.vsize, MD_SIZE_UNKNOWN);
	ck_assert(!fn.info2);
	md_fname_parse("1.h,S=99999999999999999999999,W=x,S=5", &fn);
	ck_assert_uint_eq(fn.size, 5);
	ck_assert_uint_eq(fn.vsize, MD_SIZE_UNKNOWN);
	md_host_escape("a/b:c", out, sizeof(out));
	ck_assert_str_eq(out, "a\\057b\\072c");
	ck_assert_int_lt(md_fname_time_cmp("5.M9P1.h", "10.M1P1.h"), 0);
	ck_assert_int_lt(md_fname_time_cmp("5.M9P1.h", "5.M10P1.h"), 0);
	ck_assert_int_gt(md_fname_time_cmp("6.x", "5.M10P1.h"), 0);
}
END_TEST

/* --- folders -------------------------------------------------------- */

START_TEST(test_create_list)
{
	struct store		*s;
	struct store_mailbox	*v;
	size_t			 n;
	char			 sub[300];

	(void)snprintf(sub, sizeof(sub), "%s/deep/er", root);
	{
		char *err = NULL;
		struct store *s2 = store_maildir_open(sub, &err);

		ck_assert_ptr_nonnull(s2);
		store_close(&s2);
		ck_assert_ptr_null(s2);
	}
	s = open_store();
	ck_assert(exists("cur") && exists("new") && exists("tmp"));
	ck_assert_int_eq(store_create(s, "A"), 0);
	ck_assert_int_eq(store_create(s, "A/B"), 0);
	ck_assert_int_eq(store_create(s, "\xc3\x84/x"), 0);
	ck_assert_int_eq(store_create(s, "INBOX/sub"), 0);
	ck_assert_int_eq(store_create(s, "A"), STORE_ERR_EXISTS);
	ck_assert_int_eq(store_create(s, "inbox"), STORE_ERR_EXISTS);
	ck_assert_int_eq(store_create(s, "a.b"), STORE_ERR_BADNAME);
	ck_assert(exists(".A/maildirfolder") && exists(".A/cur") &&
	    exists(".A/new") && exists(".A/tmp") &&
	    exists(".A/dovecot-uidlist"));
	ck_assert(exists(".&AMQ-.x/cur"));
	/* Debris that is not a folder, or not a name we use. */
	mkdir_rel(".nocur");
	mkdir_rel(".bad&x");
	mkdir_rel(".bad&x/cur");
	ck_assert_int_eq(store_list(s, &v, &n), 0);
	ck_assert_uint_eq(n, 5);
	ck_assert_str_eq(v[0].name, "INBOX");
	ck_assert_str_eq(v[1].name, "A");
	ck_assert_str_eq(v[2].name, "A/B");
	ck_assert_str_eq(v[3].name, "INBOX/sub");
	ck_assert_str_eq(v[4].name, "\xc3\x84/x");
	store_list_free(&v, n);
	ck_assert_ptr_null(v);
	/* An unfinished folder (no cur/) can be created over. */
	ck_assert_int_eq(store_create(s, "nocur"), 0);
	ck_assert(exists(".nocur/cur"));
	store_close(&s);
}
END_TEST

START_TEST(test_delete)
{
	struct store		*s = open_store();
	struct store_mailbox	*v;
	size_t			 n;

	ck_assert_int_eq(store_create(s, "A"), 0);
	ck_assert_int_eq(store_create(s, "A/B"), 0);
	append(s, "A", "Subject: x\r\n\r\nbody\r\n", 0);
	ck_assert_int_eq(store_delete(s, "A"), 0);
	ck_assert(!exists(".A"));
	ck_assert(exists(".A.B/cur"));
	ck_assert_int_eq(store_delete(s, "A"), STORE_ERR_HASCHILDREN);
	ck_assert_int_eq(store_delete(s, "nope"), STORE_ERR_NONEXISTENT);
	ck_assert_int_eq(store_delete(s, "INBOX"), STORE_ERR_NOPERM);
	ck_assert_int_eq(store_delete(s, "inbox"), STORE_ERR_NOPERM);
	ck_assert_int_eq(store_list(s, &v, &n), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(v[1].name, "A/B");
	store_list_free(&v, n);
	/* Nothing left over in tmp/. */
	ck_assert_int_eq(count_files("tmp"), 0);
	store_close(&s);
}
END_TEST

START_TEST(test_rename)
{
	struct store		*s = open_store();
	struct store_status	 st1, st2;
	struct store_mailbox	*v;
	size_t			 n;

	ck_assert_int_eq(store_create(s, "A"), 0);
	ck_assert_int_eq(store_create(s, "A/B"), 0);
	ck_assert_int_eq(store_create(s, "AB"), 0);
	ck_assert_int_eq(store_create(s, "X"), 0);
	append(s, "A", "m1\r\n", 0);
	ck_assert_int_eq(store_status(s, "A", &st1), 0);
	ck_assert_int_eq(store_rename(s, "A", "X"), STORE_ERR_EXISTS);
	ck_assert_int_eq(store_rename(s, "A", "A/C"), STORE_ERR_BADNAME);
	ck_assert_int_eq(store_rename(s, "nope", "Y"),
	    STORE_ERR_NONEXISTENT);
	ck_assert_int_eq(store_rename(s, "A", "C"), 0);
	ck_assert_int_eq(store_status(s, "C", &st2), 0);
	/* The folder moved with its UIDs and UIDVALIDITY. */
	ck_assert_uint_eq(st1.uidvalidity, st2.uidvalidity);
	ck_assert_uint_eq(st2.messages, 1);
	ck_assert_int_eq(store_list(s, &v, &n), 0);
	ck_assert_uint_eq(n, 5);
	ck_assert_str_eq(v[1].name, "AB");
	ck_assert_str_eq(v[2].name, "C");
	ck_assert_str_eq(v[3].name, "C/B");
	ck_assert_str_eq(v[4].name, "X");
	store_list_free(&v, n);
	/* A new mailbox of the old name gets a new UIDVALIDITY. */
	ck_assert_int_eq(store_create(s, "A"), 0);
	ck_assert_int_eq(store_status(s, "A", &st1), 0);
	ck_assert_uint_ne(st1.uidvalidity, st2.uidvalidity);
	store_close(&s);
}
END_TEST

START_TEST(test_rename_inbox)
{
	struct store		*s = open_store();
	struct store_status	 st;
	struct mbox		*m;
	const char		*kw[] = { "$Work" };
	struct store_append	 a = { "m3\r\n", 4, MSG_FLAGGED, kw, 1, 0 };
	uint32_t		 next;

	ck_assert_int_eq(store_create(s, "INBOX/keep"), 0);
	append(s, "INBOX", "m1\r\n", MSG_SEEN);
	append(s, "INBOX", "m2\r\n", 0);
	ck_assert_int_eq(store_append(s, "INBOX", &a, NULL, NULL), 0);
	ck_assert_int_eq(store_status(s, "INBOX", &st), 0);
	next = st.uidnext;
	ck_assert_int_eq(store_rename(s, "INBOX", "INBOX/old"), 0);
	ck_assert_int_eq(store_status(s, "INBOX", &st), 0);
	ck_assert_uint_eq(st.messages, 0);
	ck_assert_uint_eq(st.uidnext, next);
	ck_assert_int_eq(mbox_open(s, "INBOX/old", true, &m), 0);
	ck_assert_uint_eq(mbox_count(m), 3);
	ck_assert_uint_eq(mbox_msgs(m)[0].flags, MSG_SEEN);
	ck_assert_uint_eq(mbox_msgs(m)[2].flags, MSG_FLAGGED);
	ck_assert_int_eq(mbox_keyword_index(m, "$work", false), 0);
	ck_assert_uint_eq(mbox_msgs(m)[2].keywords, 1);
	mbox_close(&m);
	ck_assert_int_eq(store_status(s, "INBOX/keep", &st), 0);
	ck_assert_int_eq(store_rename(s, "INBOX", "INBOX/old"),
	    STORE_ERR_EXISTS);
	store_close(&s);
}
END_TEST

/* --- APPEND and FETCH ----------------------------------------------- */

START_TEST(test_append_fetch)
{
	static const char crlf[] = "From: a@b\r\nSubject: hi\r\n\r\nline\r\n";
	static const char mixed[] = "A: b\nC: d\r\n\r\nx\ry\n";
	static const char mixed_out[] = "A: b\r\nC: d\r\n\r\nx\ry\r\n";
	struct store		*s = open_store();
	struct store_append	 a = { crlf, sizeof(crlf) - 1,
				    MSG_SEEN | MSG_ANSWERED, NULL, 0,
				    1000000000 };
	struct store_status	 st;
	struct msg_body		 body;
	struct mbox		*m;
	struct stat		 sb;
	char			*name, *data, want[128], path[600];
	size_t			 len;
	uint32_t		 uid, uidv;

	ck_assert_int_eq(store_append(s, "INBOX", &a, &uidv, &uid), 0);
	ck_assert_uint_eq(uid, 1);
	name = only_file("cur");
	/* S= on disk (LF), W= with CRLF; flags sorted. */
	(void)snprintf(want, sizeof(want), ",S=%zu,W=%zu:2,RS",
	    sizeof(crlf) - 1 - 4, sizeof(crlf) - 1);
	ck_assert_msg(strstr(name, want) != NULL, "%s", name);
	(void)snprintf(path, sizeof(path), "cur/%s", name);
	data = read_file(path, &len);
	ck_assert_str_eq(data, "From: a@b\nSubject: hi\n\nline\n");
	free(data);
	(void)snprintf(path, sizeof(path), "%s/cur/%s", root, name);
	ck_assert_int_eq(stat(path, &sb), 0);
	ck_assert_int_eq(sb.st_mtime, 1000000000);
	free(name);

	a.data = mixed;
	a.len = sizeof(mixed) - 1;
	a.flags = 0;
	a.internaldate = 0;
	ck_assert_int_eq(store_append(s, "INBOX", &a, NULL, &uid), 0);
	ck_assert_uint_eq(uid, 2);
	a.data = "a\0b\r\n";
	a.len = 5;
	ck_assert_int_eq(store_append(s, "INBOX", &a, NULL, &uid), 0);
	ck_assert_int_eq(store_append(s, "nope", &a, NULL, &uid),
	    STORE_ERR_NONEXISTENT);

	ck_assert_int_eq(mbox_open(s, "INBOX", false, &m), 0);
	ck_assert_uint_eq(mbox_uidvalidity(m), uidv);
	ck_assert_uint_eq(mbox_uidnext(m), 4);
	ck_assert_uint_eq(mbox_count(m), 3);
	ck_assert_uint_eq(mbox_msgs(m)[0].size, sizeof(crlf) - 1);
	ck_assert_int_eq(mbox_msgs(m)[0].internaldate, 1000000000);
	ck_assert_uint_eq(mbox_msgs(m)[0].flags, MSG_SEEN | MSG_ANSWERED);
	ck_assert(!mbox_msgs(m)[0].recent);
	ck_assert_uint_eq(mbox_msgs(m)[1].size, sizeof(mixed_out) - 1);
	ck_assert_int_eq(mbox_msg_open(m, 1, &body), 0);
	ck_assert_uint_eq(body.len, sizeof(crlf) - 1);
	ck_assert(memcmp(body.data, crlf, body.len) == 0);
	msg_body_release(&body);
	ck_assert_int_eq(mbox_msg_open(m, 2, &body), 0);
	ck_assert_uint_eq(body.len, sizeof(mixed_out) - 1);
	ck_assert(memcmp(body.data, mixed_out, body.len) == 0);
	msg_body_release(&body);
	ck_assert_int_eq(mbox_msg_open(m, 3, &body), 0);
	ck_assert_uint_eq(body.len, 5);
	ck_assert(memcmp(body.data, "a\0b\r\n", 5) == 0);
	msg_body_release(&body);
	ck_assert_int_eq(mbox_msg_open(m, 9, &body), STORE_ERR_EXPUNGED);
	mbox_close(&m);
	ck_assert_ptr_null(m);

	ck_assert_int_eq(store_status(s, "INBOX", &st), 0);
	ck_assert_uint_eq(st.messages, 3);
	ck_assert_uint_eq(st.unseen, 2);
	ck_assert_uint_eq(st.recent, 0);
	ck_assert_uint_eq(st.uidnext, 4);
	ck_assert_uint_eq(st.size, sizeof(crlf) - 1 + sizeof(mixed_out) - 1 +
	    5);
	ck_assert_str_ne(store_errstr(s), "");
	store_close(&s);
}
END_TEST

START_TEST(test_append_keywords)
{
	struct store		*s = open_store();
	const char		*kw[] = { "$Junk", "Work", "$junk" };
	struct store_append	 a = { "x\r\n", 3, MSG_FLAGGED, kw, 3, 0 };
	char			*data, *name;
	const char		*bad[] = { "a b" };

	ck_assert_int_eq(store_append(s, "INBOX", &a, NULL, NULL), 0);
	data = read_file("dovecot-keywords", NULL);
	ck_assert_str_eq(data, "0 $Junk\n1 Work\n");
	free(data);
	name = only_file("cur");
	ck_assert_msg(strstr(name, ":2,Fab") != NULL, "%s", name);
	free(name);
	a.keywords = bad;
	a.nkeywords = 1;
	ck_assert_int_eq(store_append(s, "INBOX", &a, NULL, NULL),
	    STORE_ERR_BADNAME);
	a.nkeywords = 0;
	a.flags = 0x100;
	ck_assert_int_eq(store_append(s, "INBOX", &a, NULL, NULL),
	    STORE_ERR_BADNAME);
	store_close(&s);
}
END_TEST

/* --- subscriptions -------------------------------------------------- */

START_TEST(test_subscriptions)
{
	struct store	*s = open_store();
	char		**v, *data;
	size_t		  n;

	ck_assert_int_eq(store_subscriptions(s, &v, &n), 0);
	ck_assert_uint_eq(n, 0);
	store_names_free(&v, n);
	ck_assert_int_eq(store_subscribe(s, "A", true), 0);
	ck_assert_int_eq(store_subscribe(s, "\xc3\x84/b", true), 0);
	ck_assert_int_eq(store_subscribe(s, "inbox", true), 0);
	ck_assert_int_eq(store_subscribe(s, "A", true), 0);
	ck_assert_int_eq(store_subscribe(s, "a.b", true), STORE_ERR_BADNAME);
	data = read_file("subscriptions", NULL);
	ck_assert_str_eq(data, "V\t2\n\nA\n&AMQ-\tb\nINBOX\n");
	free(data);
	ck_assert_int_eq(store_subscribe(s, "A", false), 0);
	ck_assert_int_eq(store_subscribe(s, "nope", false), 0);
	ck_assert_int_eq(store_subscriptions(s, &v, &n), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(v[0], "\xc3\x84/b");
	ck_assert_str_eq(v[1], "INBOX");
	store_names_free(&v, n);
	ck_assert_ptr_null(v);
	ck_assert(!exists("subscriptions.lock"));

	/* Old format: one name a line, "." between levels. */
	write_file("subscriptions", "INBOX\nA.B\nEntw&APw-rfe\n\nbad..x\n");
	ck_assert_int_eq(store_subscriptions(s, &v, &n), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(v[0], "INBOX");
	ck_assert_str_eq(v[1], "A/B");
	ck_assert_str_eq(v[2], "Entw\xc3\xbcrfe");
	store_names_free(&v, n);
	/* Version 2 with a TAB-escaped level. */
	write_file("subscriptions", "V\t2\n\nA\tB\nx\001ty\n");
	ck_assert_int_eq(store_subscriptions(s, &v, &n), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(v[0], "A/B");
	store_names_free(&v, n);
	/* Subscribing rewrites in version 2, keeping what was there. */
	write_file("subscriptions", "A.B\n");
	ck_assert_int_eq(store_subscribe(s, "C", true), 0);
	data = read_file("subscriptions", NULL);
	ck_assert_str_eq(data, "V\t2\n\nA\tB\nC\n");
	free(data);
	store_close(&s);
}
END_TEST

/* --- COPY / MOVE ------------------------------------------------------ */

START_TEST(test_copy_move)
{
	struct store	*s = open_store();
	struct mbox	*m, *d;
	uint32_t	 uids[3], dest[3], uidv, k1, k2;
	struct store_status st;
	struct msg_body	 body;
	char		*data, path[600], *name;

	ck_assert_int_eq(store_create(s, "Dst"), 0);
	uids[0] = append(s, "INBOX", "one\r\n", MSG_SEEN);
	uids[1] = append(s, "INBOX", "two\r\n", 0);
	uids[2] = append(s, "INBOX", "three\r\n", MSG_DRAFT);
	ck_assert_int_eq(mbox_open(s, "INBOX", false, &m), 0);
	ck_assert_int_ge(k1 = mbox_keyword_index(m, "k1", true), 0);
	ck_assert_int_ge(k2 = mbox_keyword_index(m, "k2", true), 0);
	ck_assert_int_eq(mbox_set_flags(m, uids[1], MSG_FLAGGED, 1u << k2),
	    0);
	ck_assert_int_eq(mbox_copy(m, uids, 3, "Dst", &uidv, dest), 0);
	ck_assert_uint_eq(dest[0], 1);
	ck_assert_uint_eq(dest[2], 3);
	ck_assert_int_eq(store_status(s, "Dst", &st), 0);
	ck_assert_uint_eq(st.uidvalidity, uidv);
	ck_assert_uint_eq(st.messages, 3);
	/* Only k2 was used: dest's keyword file has just that one. */
	data = read_file(".Dst/dovecot-keywords", NULL);
	ck_assert_str_eq(data, "0 k2\n");
	free(data);
	ck_assert_int_eq(mbox_open(s, "Dst", false, &d), 0);
	ck_assert_uint_eq(mbox_msgs(d)[1].flags, MSG_FLAGGED);
	ck_assert_uint_eq(mbox_msgs(d)[1].keywords, 1);
	ck_assert_str_eq(mbox_keyword(d, 0), "k2");
	ck_assert_int_eq(mbox_msg_open(d, 3, &body), 0);
	ck_assert_uint_eq(body.len, 7);
	msg_body_release(&body);
	/* MOVE back into INBOX itself (allowed), then to Dst. */
	ck_assert_int_eq(mbox_move(d, dest, 1, "INBOX", NULL, uids), 0);
	ck_assert_uint_eq(uids[0], 4);
	ck_assert_uint_eq(mbox_count(d), 2);
	ck_assert_int_eq(mbox_copy(m, dest, 1, "Nope", NULL, NULL),
	    STORE_ERR_NONEXISTENT);
	ck_assert_int_eq(mbox_copy(m, uids, 1, "INBOX", NULL, NULL),
	    STORE_ERR_EXPUNGED);	/* m hasn't synced uid 4 yet */
	ck_assert_int_eq(mbox_sync(m), 0);
	ck_assert_uint_eq(mbox_count(m), 4);
	/* A message deleted underneath: nothing is copied. */
	name = NULL;
	{
		struct dirent *de;
		DIR *dd;

		(void)snprintf(path, sizeof(path), "%s/cur", root);
		dd = opendir(path);
		while ((de = readdir(dd)) != NULL)
			if (strstr(de->d_name, ":2,Fb") != NULL) {
				free(name);
				name = strdup(de->d_name);
			}
		closedir(dd);
	}
	ck_assert_ptr_nonnull(name);
	(void)snprintf(path, sizeof(path), "%s/cur/%s", root, name);
	ck_assert_int_eq(unlink(path), 0);
	free(name);
	uids[0] = 1;
	uids[1] = 2;
	ck_assert_int_eq(mbox_copy(m, uids, 2, "Dst", NULL, NULL),
	    STORE_ERR_EXPUNGED);
	ck_assert_int_eq(mbox_sync(d), 0);
	ck_assert_uint_eq(mbox_count(d), 2);
	ck_assert_int_eq(count_files(".Dst/tmp"), 0);
	mbox_close(&d);
	mbox_close(&m);
	store_close(&s);
}
END_TEST

static Suite *
maildir_suite(void)
{
	Suite	*s = suite_create("maildir");
	TCase	*tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_name_valid);
	tcase_add_test(tc, test_name_dir);
	tcase_add_test(tc, test_fname);
	tcase_add_test(tc, test_create_list);
	tcase_add_test(tc, test_delete);
	tcase_add_test(tc, test_rename);
	tcase_add_test(tc, test_rename_inbox);
	tcase_add_test(tc, test_append_fetch);
	tcase_add_test(tc, test_append_keywords);
	tcase_add_test(tc, test_subscriptions);
	tcase_add_test(tc, test_copy_move);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(maildir_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
