/*
 * pwfile: the "pwfile:FILE" password backend, for tests, demos and
 * virtual users. Lines are passwd(5) shaped, as Dovecot's passwd-file:
 *
 *	user:hash:uid:gid:gecos:home:shell
 *
 * '#' comments and blank lines are skipped; trailing fields may be left
 * out (at least user:hash). Hashes are crypt(3) strings, optionally with
 * a Dovecot "{...CRYPT}" scheme prefix. The file is parsed by init() and
 * parsed again when its identity or mtime changes.
 */
#include <sys/types.h>
#include <sys/stat.h>

#include <crypt.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth/auth.h"
#include "auth/auth_int.h"
#include "lib/log.h"

/* Longest line accepted: a PATH_MAX home plus generous room for the rest. */
#define PW_LINE_MAX	(PATH_MAX + 4096)
/* Bound on what one parse may hold in memory. */
#define PW_FILE_MAX	((off_t)256 * 1024 * 1024)
/* Used only when the file has no usable hash to borrow the cost from. */
#define PW_DUMMY_SETTING "$6$imapd.dummy$"

struct pwentry {
	char	*user;
	char	*hash;		/* NULL: account disabled */
	char	*home;		/* "" when absent */
	uid_t	 uid;
	gid_t	 gid;
	bool	 has_uid;
	bool	 has_gid;
};

struct pwtable {
	struct pwentry	*ents;
	size_t		 n;
	size_t		 cap;
};

struct pwfile {
	char		*path;
	struct pwtable	 tab;
	/* Identity of the file as parsed, to notice edits. */
	dev_t		 dev;
	ino_t		 ino;
	off_t		 size;
	struct timespec	 mtime;
	/* Setting crypt() runs against for unknown or disabled users. */
	char		*dummy;
};

static void	*pwfile_init(const char *, char **);
static void	 pwfile_free(void *);
static enum auth_result pwfile_verify(void *, const char *, const char *,
		    const char *, struct account *, const char **);
static int	 load(struct pwfile *, char **);
static int	 read_lines(FILE *, const char *, struct pwtable *);
static int	 parse_line(char *, const char *, size_t, struct pwentry *);
static int	 parse_id(const char *, unsigned long *, bool *);
static char	*usable_hash(const char *, const char *, size_t);
static int	 table_add(struct pwtable *, struct pwentry *);
static void	 table_clear(struct pwtable *);
static void	 entry_clear(struct pwentry *);
static void	 set_dummy(struct pwfile *);
static bool	 file_changed(const struct pwfile *, bool *);
static const struct pwentry *lookup(const struct pwfile *, const char *);
static bool	 hash_matches(const char *, const char *);
static bool	 ct_equal(const char *, const char *);
static enum auth_result fill_account(const struct pwfile *,
		    const struct pwentry *, struct account *);

const struct auth_backend auth_backend_pwfile = {
	.name = "pwfile",
	.needs_arg = true,
	.init = pwfile_init,
	.free = pwfile_free,
	.verify = pwfile_verify,
	.forget = pwfile_free,	/* nothing shared: wipe and free */
};

static void *
pwfile_init(const char *path, char **err_r)
{
	struct pwfile *pf;

	if ((pf = calloc(1, sizeof(*pf))) == NULL ||
	    (pf->path = strdup(path)) == NULL) {
		free(pf);
		auth_set_err(err_r, "pwfile: out of memory");
		return NULL;
	}
	if (load(pf, err_r) == -1) {
		pwfile_free(pf);
		return NULL;
	}
	return pf;
}

static void
pwfile_free(void *ctx)
{
	struct pwfile *pf = ctx;

	if (pf == NULL)
		return;
	table_clear(&pf->tab);
	if (pf->dummy != NULL) {
		explicit_bzero(pf->dummy, strlen(pf->dummy));
		free(pf->dummy);
	}
	free(pf->path);
	free(pf);
}

static enum auth_result
pwfile_verify(void *ctx, const char *user, const char *pass,
    const char *rhost, struct account *acct_r, const char **reason_r)
{
	struct pwfile *pf = ctx;
	const struct pwentry *e;
	char *err = NULL;
	bool changed;

	*reason_r = "password file unreadable";
	if (!file_changed(pf, &changed))
		return AUTH_TEMPFAIL;
	if (changed && load(pf, &err) == -1) {
		/* Keep failing until the file is readable again: serving the
		 * old table could revive accounts the admin just removed. */
		log_err("%s", err != NULL ? err : "pwfile: reload failed");
		free(err);
		return AUTH_TEMPFAIL;
	}
	e = lookup(pf, user);
	if (e == NULL || e->hash == NULL) {
		/* Same crypt() cost as a real check, so response time does not
		 * tell which user names exist. */
		(void)hash_matches(pass, pf->dummy);
		*reason_r = e == NULL ? "unknown user" : "account disabled";
		return AUTH_FAIL;
	}
	if (!hash_matches(pass, e->hash)) {
		*reason_r = "wrong password";
		return AUTH_FAIL;
	}
	*reason_r = "account unusable";
	return fill_account(pf, e, acct_r);
}

/* Parse the file into a new table; replace the current one on success. */
static int
load(struct pwfile *pf, char **err_r)
{
	struct pwtable tab = { NULL, 0, 0 };
	struct stat st;
	FILE *fp;
	int fd, rc;

	if ((fd = open(pf->path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) == -1) {
		auth_set_err(err_r, "pwfile: %s: %s", pf->path,
		    strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		auth_set_err(err_r, "pwfile: %s: not a regular file",
		    pf->path);
		close(fd);
		return -1;
	}
	/* Anyone could add themselves an account (or a uid, as root). */
	if (st.st_mode & S_IWOTH) {
		auth_set_err(err_r, "pwfile: %s: refusing a world-writable "
		    "file", pf->path);
		close(fd);
		return -1;
	}
	if (st.st_size > PW_FILE_MAX) {
		auth_set_err(err_r, "pwfile: %s: larger than %lld bytes",
		    pf->path, (long long)PW_FILE_MAX);
		close(fd);
		return -1;
	}
	if ((fp = fdopen(fd, "r")) == NULL) {
		auth_set_err(err_r, "pwfile: %s: %s", pf->path,
		    strerror(errno));
		close(fd);
		return -1;
	}
	rc = read_lines(fp, pf->path, &tab);
	fclose(fp);
	if (rc == -1) {
		table_clear(&tab);
		auth_set_err(err_r, "pwfile: %s: read error or out of memory",
		    pf->path);
		return -1;
	}
	table_clear(&pf->tab);
	pf->tab = tab;
	pf->dev = st.st_dev;
	pf->ino = st.st_ino;
	pf->size = st.st_size;
	pf->mtime = st.st_mtim;
	set_dummy(pf);
	return 0;
}

/*
 * Add every well-formed line to tab; malformed ones are logged (by line
 * number only: a line holds a hash) and skipped. Returns 0, or -1 on a
 * read error or out of memory.
 */
static int
read_lines(FILE *fp, const char *path, struct pwtable *tab)
{
	struct pwentry e;
	char *line;
	size_t len, lineno = 0;
	off_t total = 0;
	bool overlong;
	int c, r, rc = 0;

	if ((line = malloc(PW_LINE_MAX + 1)) == NULL)
		return -1;
	for (;;) {
		len = 0;
		overlong = false;
		while ((c = getc(fp)) != EOF) {
			/* The file may grow while we read it. */
			if (++total > PW_FILE_MAX) {
				rc = -1;
				goto out;
			}
			if (c == '\n')
				break;
			if (len < PW_LINE_MAX)
				line[len++] = c;
			else
				overlong = true;
		}
		if (c == EOF && len == 0 && !overlong)
			break;
		lineno++;
		line[len] = '\0';
		if (len > 0 && line[len - 1] == '\r')
			line[--len] = '\0';
		if (overlong || strlen(line) != len)
			log_warn("pwfile: %s:%zu: %s, line skipped", path,
			    lineno, overlong ? "line too long" : "NUL byte");
		else if ((r = parse_line(line, path, lineno, &e)) == -2 ||
		    (r == 1 && table_add(tab, &e) == -1)) {
			entry_clear(&e);
			rc = -1;
			break;
		}
		if (c == EOF)
			break;
	}
out:
	explicit_bzero(line, PW_LINE_MAX + 1);
	free(line);
	if (ferror(fp))
		rc = -1;
	return rc;
}

/*
 * Returns 1 and fills *e_r (malloc'd strings), 0 for a comment or blank
 * line, -1 for a malformed line (logged), -2 when out of memory.
 */
static int
parse_line(char *line, const char *path, size_t lineno, struct pwentry *e_r)
{
	char *f[7] = { NULL };
	char *p = line;
	unsigned long uid = 0, gid = 0;
	const char *why = NULL;
	size_t nf = 0;

	memset(e_r, 0, sizeof(*e_r));
	p += strspn(p, " \t");
	if (*p == '\0' || *p == '#')
		return 0;
	/* Split on ':'; fields past the seventh (extra fields) are ignored. */
	for (p = line; nf < 7; nf++) {
		f[nf] = p;
		if ((p = strchr(p, ':')) == NULL) {
			nf++;
			break;
		}
		*p++ = '\0';
	}
	if (nf < 2)
		why = "expected at least user:hash";
	else if (!auth_valid_username(f[0]))
		why = "invalid user name";
	else if (parse_id(nf > 2 ? f[2] : "", &uid, &e_r->has_uid) == -1)
		why = "invalid uid";
	else if (parse_id(nf > 3 ? f[3] : "", &gid, &e_r->has_gid) == -1)
		why = "invalid gid";
	else if (nf > 5 && f[5][0] != '\0' && f[5][0] != '/')
		why = "home is not an absolute path";
	else if (nf > 5 && strlen(f[5]) >= PATH_MAX)
		why = "home too long";
	if (why != NULL) {
		log_warn("pwfile: %s:%zu: %s, line skipped", path, lineno,
		    why);
		return -1;
	}
	e_r->uid = (uid_t)uid;
	e_r->gid = (gid_t)gid;
	e_r->user = strdup(f[0]);
	e_r->home = strdup(nf > 5 ? f[5] : "");
	e_r->hash = usable_hash(f[1], path, lineno);
	explicit_bzero(f[1], strlen(f[1]));
	if (e_r->user == NULL || e_r->home == NULL) {
		entry_clear(e_r);
		return -2;
	}
	return 1;
}

/* Empty: absent. Else decimal digits only, below (uid_t)-1. */
static int
parse_id(const char *s, unsigned long *id_r, bool *has_r)
{
	const char *errstr;
	long long v;

	*has_r = false;
	*id_r = 0;
	if (*s == '\0')
		return 0;
	if (strspn(s, "0123456789") != strlen(s) || strlen(s) > 10)
		return -1;
	v = strtonum(s, 0, 4294967294LL, &errstr);
	if (errstr != NULL)
		return -1;
	*has_r = true;
	*id_r = (unsigned long)v;
	return 0;
}

/*
 * A malloc'd copy of the crypt(3) string to check passwords against, or
 * NULL when the account is disabled: empty, locked ("!..." or "*..."), or
 * a hash crypt(3) does not know. Dovecot's "{SHA512-CRYPT}"-style scheme
 * prefixes are accepted for any "...CRYPT" scheme.
 */
static char *
usable_hash(const char *h, const char *path, size_t lineno)
{
	const char *end;
	size_t slen;

	if (h[0] == '{') {
		if ((end = strchr(h, '}')) == NULL)
			goto unsupported;
		slen = end - (h + 1);
		if (slen < 5 || strncasecmp(end - 5, "CRYPT", 5) != 0)
			goto unsupported;
		h = end + 1;
	}
	if (h[0] == '\0' || h[0] == '!' || h[0] == '*')
		return NULL;
	switch (crypt_checksalt(h)) {
	case CRYPT_SALT_OK:
		break;
	case CRYPT_SALT_METHOD_LEGACY:
		log_warn("pwfile: %s:%zu: weak legacy hash, please rehash "
		    "(e.g. openssl passwd -6)", path, lineno);
		break;
	default:
		goto unsupported;
	}
	return strdup(h);
unsupported:
	log_warn("pwfile: %s:%zu: unsupported password hash, account "
	    "disabled", path, lineno);
	return NULL;
}

static int
table_add(struct pwtable *tab, struct pwentry *e)
{
	struct pwentry *n;
	size_t cap;

	if (tab->n == tab->cap) {
		cap = tab->cap == 0 ? 16 : tab->cap * 2;
		n = reallocarray(tab->ents, cap, sizeof(*n));
		if (n == NULL)
			return -1;
		tab->ents = n;
		tab->cap = cap;
	}
	tab->ents[tab->n++] = *e;
	return 0;
}

static void
table_clear(struct pwtable *tab)
{
	size_t i;

	for (i = 0; i < tab->n; i++)
		entry_clear(&tab->ents[i]);
	free(tab->ents);
	tab->ents = NULL;
	tab->n = tab->cap = 0;
}

static void
entry_clear(struct pwentry *e)
{
	if (e->hash != NULL)
		explicit_bzero(e->hash, strlen(e->hash));
	free(e->hash);
	free(e->user);
	free(e->home);
	memset(e, 0, sizeof(*e));
}

/*
 * Borrow the setting of the first usable hash, so a failed lookup costs
 * what a real check costs (same algorithm, same rounds).
 */
static void
set_dummy(struct pwfile *pf)
{
	const char *src = PW_DUMMY_SETTING;
	size_t i;

	for (i = 0; i < pf->tab.n; i++)
		if (pf->tab.ents[i].hash != NULL) {
			src = pf->tab.ents[i].hash;
			break;
		}
	if (pf->dummy != NULL) {
		explicit_bzero(pf->dummy, strlen(pf->dummy));
		free(pf->dummy);
	}
	/* On ENOMEM hash_matches(NULL) still fails, just faster. */
	pf->dummy = strdup(src);
}

/* false: the file cannot be examined (logged). */
static bool
file_changed(const struct pwfile *pf, bool *changed_r)
{
	struct stat st;

	if (stat(pf->path, &st) == -1) {
		log_err("pwfile: %s: %s", pf->path, strerror(errno));
		return false;
	}
	*changed_r = st.st_dev != pf->dev || st.st_ino != pf->ino ||
	    st.st_size != pf->size ||
	    st.st_mtim.tv_sec != pf->mtime.tv_sec ||
	    st.st_mtim.tv_nsec != pf->mtime.tv_nsec;
	return true;
}

/* First line naming the user wins, as in passwd(5). */
static const struct pwentry *
lookup(const struct pwfile *pf, const char *user)
{
	size_t i;

	for (i = 0; i < pf->tab.n; i++)
		if (strcmp(pf->tab.ents[i].user, user) == 0)
			return &pf->tab.ents[i];
	return NULL;
}

static bool
hash_matches(const char *pass, const char *hash)
{
	struct crypt_data *cd;
	const char *out;
	bool ok = false;

	if (hash == NULL || (cd = calloc(1, sizeof(*cd))) == NULL)
		return false;
	out = crypt_r(pass, hash, cd);
	/* libxcrypt signals failure with NULL or a string starting '*'. */
	if (out != NULL && out[0] != '*')
		ok = ct_equal(out, hash);
	explicit_bzero(cd, sizeof(*cd));
	free(cd);
	return ok;
}

/* Compare without an early exit, so timing does not reveal the prefix
 * that matched. Lengths are not secret (they follow from the method). */
static bool
ct_equal(const char *a, const char *b)
{
	size_t alen = strlen(a), blen = strlen(b), i;
	volatile unsigned char diff = alen != blen;

	for (i = 0; i < alen && i < blen; i++)
		diff |= (unsigned char)a[i] ^ (unsigned char)b[i];
	return diff == 0;
}

static enum auth_result
fill_account(const struct pwfile *pf, const struct pwentry *e,
    struct account *acct_r)
{
	const char *home;

	strlcpy(acct_r->name, e->user, sizeof(acct_r->name));
	if (geteuid() != 0) {
		/*
		 * Not root: nobody to switch to, so every account is served
		 * as the running user, in the file's home or our own.
		 */
		acct_r->uid = getuid();
		acct_r->gid = getgid();
		home = e->home[0] != '\0' ? e->home : getenv("HOME");
		if (home != NULL && home[0] == '/') {
			strlcpy(acct_r->home, home, sizeof(acct_r->home));
			return AUTH_OK;
		}
		if (auth_getpwuid(getuid(), acct_r) == -1) {
			log_err("pwfile: %s: no home for user %s", pf->path,
			    e->user);
			return AUTH_TEMPFAIL;
		}
		/* Keep the login name and the process's own ids. */
		strlcpy(acct_r->name, e->user, sizeof(acct_r->name));
		acct_r->uid = getuid();
		acct_r->gid = getgid();
		return AUTH_OK;
	}
	if (!e->has_uid || !e->has_gid || e->uid == 0 || e->gid == 0) {
		log_err("pwfile: %s: user %s needs a non-zero uid and gid "
		    "when imapd runs as root; login refused", pf->path,
		    e->user);
		return AUTH_FAIL;
	}
	acct_r->uid = e->uid;
	acct_r->gid = e->gid;
	if (e->home[0] != '\0')
		strlcpy(acct_r->home, e->home, sizeof(acct_r->home));
	else {
		/* Virtual users may have no home; an absolute maildir
		 * setting is then what locates their mail. */
		log_debug("pwfile: user %s has no home, using /", e->user);
		strlcpy(acct_r->home, "/", sizeof(acct_r->home));
	}
	return AUTH_OK;
}
