/*
 * Shared fixture of the Maildir unit tests: a fresh temporary Maildir
 * root per test and small file helpers. Define MAILDIR_FIXTURE_NAME
 * ("check_maildir" ...) before including; it names the temporary dir.
 * Not every test file uses every helper, hence the unused attributes.
 */
#ifndef TEST_MAILDIR_FIXTURE_H
#define TEST_MAILDIR_FIXTURE_H

#include <sys/stat.h>

#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storage/store.h"

#define FIXTURE_FN	static __attribute__((unused))

static char	 root[256];

FIXTURE_FN void
setup(void)
{
	(void)snprintf(root, sizeof(root), "/tmp/%s.XXXXXX",
	    MAILDIR_FIXTURE_NAME);
	ck_assert_ptr_nonnull(mkdtemp(root));
}

FIXTURE_FN void
teardown(void)
{
	char	cmd[512];

	(void)snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	ck_assert_int_eq(system(cmd), 0);
}

FIXTURE_FN void
path_of(char *buf, size_t len, const char *rel)
{
	(void)snprintf(buf, len, "%s/%s", root, rel);
}

FIXTURE_FN void
write_file(const char *rel, const char *data)
{
	char	 path[1024];
	FILE	*fp;

	path_of(path, sizeof(path), rel);
	ck_assert_ptr_nonnull(fp = fopen(path, "w"));
	fputs(data, fp);
	fclose(fp);
}

/* Contents of root/rel (malloc'd, NUL-terminated), NULL if missing. */
FIXTURE_FN char *
read_file(const char *rel, size_t *len_r)
{
	char	 path[1024], *data;
	FILE	*fp;
	long	 len;

	path_of(path, sizeof(path), rel);
	if ((fp = fopen(path, "r")) == NULL)
		return NULL;
	fseek(fp, 0, SEEK_END);
	len = ftell(fp);
	rewind(fp);
	data = malloc(len + 1);
	ck_assert_int_eq(fread(data, 1, len, fp), len);
	data[len] = '\0';
	fclose(fp);
	if (len_r != NULL)
		*len_r = len;
	return data;
}

FIXTURE_FN bool
exists(const char *rel)
{
	char		path[1024];
	struct stat	st;

	path_of(path, sizeof(path), rel);
	return stat(path, &st) == 0;
}

FIXTURE_FN struct store *
open_store(void)
{
	struct store	*s;
	char		*err = NULL;

	s = store_maildir_open(root, &err);
	ck_assert_msg(s != NULL, "open: %s", err ? err : "?");
	return s;
}

/* Append a message; returns its UID. */
FIXTURE_FN uint32_t
append(struct store *s, const char *box, const char *data, uint32_t flags)
{
	struct store_append	a = { data, strlen(data), flags, NULL, 0, 0 };
	uint32_t		uid = 0, uidv = 0;

	ck_assert_msg(store_append(s, box, &a, &uidv, &uid) == 0, "append: %s",
	    store_errstr(s));
	ck_assert_uint_ne(uidv, 0);
	return uid;
}

#endif
