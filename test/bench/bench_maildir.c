/*
 * bench_maildir: figures for the Maildir store (no pass/fail).
 *
 *   bench_maildir [-k] [N [DIR]]
 *
 * Builds a Maildir of N messages (default 10000) in DIR (default a new
 * directory under /tmp, removed afterwards unless -k), then times: the
 * first open (UIDs assigned to every file), open+sync with a valid
 * uidlist, a sync with no changes (idle folder: a few stat() calls) and
 * one after cur/ changed (a full rescan), STATUS, flag changes, APPEND.
 * Prints wall time, CPU time and RSS.
 */
#include <sys/resource.h>
#include <sys/stat.h>

#include <err.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "storage/store.h"

#define MSG_BODY_LINES	40
#define REPEAT		5
#define FLAG_OPS	1000
#define APPEND_OPS	500

struct mark {
	struct timespec	wall;
	struct rusage	ru;
};

static void	 mark(struct mark *);
static double	 tv_ms(const struct timeval *, const struct timeval *);
static void	 report(const char *, const struct mark *, size_t);
static long	 rss_kb(void);
static void	 build(const char *, int);
static void	 age_dirs(const char *);
static struct store *open_store(const char *);
static void	 bench_open(const char *, int);
static void	 bench_sync(const char *);
static void	 bench_flags(const char *);
static void	 bench_append(const char *);
static void	 usage(void);

static void
mark(struct mark *m)
{
	clock_gettime(CLOCK_MONOTONIC, &m->wall);
	getrusage(RUSAGE_SELF, &m->ru);
}

static double
tv_ms(const struct timeval *a, const struct timeval *b)
{
	return (b->tv_sec - a->tv_sec) * 1e3 + (b->tv_usec - a->tv_usec) / 1e3;
}

/* Print the time since start, per operation if ops > 1. */
static void
report(const char *what, const struct mark *start, size_t ops)
{
	struct mark	end;
	double		wall, cpu;

	mark(&end);
	wall = (end.wall.tv_sec - start->wall.tv_sec) * 1e3 +
	    (end.wall.tv_nsec - start->wall.tv_nsec) / 1e6;
	cpu = tv_ms(&start->ru.ru_utime, &end.ru.ru_utime) +
	    tv_ms(&start->ru.ru_stime, &end.ru.ru_stime);
	if (ops > 1)
		printf("%-44s %9.3f ms wall %9.3f ms cpu  (%zu ops: "
		    "%.1f us/op)\n", what, wall, cpu, ops, wall * 1e3 / ops);
	else
		printf("%-44s %9.3f ms wall %9.3f ms cpu\n", what, wall, cpu);
}

static long
rss_kb(void)
{
	long	pages = 0, resident = 0;
	FILE	*fp;

	if ((fp = fopen("/proc/self/statm", "r")) == NULL)
		return -1;
	if (fscanf(fp, "%ld %ld", &pages, &resident) != 2)
		resident = -1;
	fclose(fp);
	return resident < 0 ? -1 : resident * (sysconf(_SC_PAGESIZE) / 1024);
}

/* N messages written straight into cur/, as another server left them. */
static void
build(const char *dir, int n)
{
	char	path[4096], body[4096];
	size_t	len = 0;
	int	i, k, fd;

	len += (size_t)snprintf(body, sizeof(body), "From: a@example.org\n"
	    "To: b@example.org\nSubject: benchmark\n\n");
	for (k = 0; k < MSG_BODY_LINES; k++)
		len += (size_t)snprintf(body + len, sizeof(body) - len,
		    "line %02d of a message body used for the benchmark\n", k);
	for (i = 0; i < n; i++) {
		if (snprintf(path, sizeof(path),
		    "%s/cur/%d.M%dP%d.bench,S=%zu,W=%zu:2,%s", dir,
		    1600000000 + i, i % 1000000, 4242, len,
		    len + MSG_BODY_LINES + 4, i % 3 ? "S" : "") >=
		    (int)sizeof(path))
			errx(1, "path too long");
		if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600)) < 0 ||
		    write(fd, body, len) != (ssize_t)len)
			err(1, "%s", path);
		close(fd);
	}
}

/* Make cur/ and new/ look untouched for a while (an idle folder). */
static void
age_dirs(const char *dir)
{
	struct timespec	ts[2];
	char		path[4096];

	ts[0].tv_sec = ts[1].tv_sec = time(NULL) - 60;
	ts[0].tv_nsec = ts[1].tv_nsec = 0;
	(void)snprintf(path, sizeof(path), "%s/cur", dir);
	(void)utimensat(AT_FDCWD, path, ts, 0);
	(void)snprintf(path, sizeof(path), "%s/new", dir);
	(void)utimensat(AT_FDCWD, path, ts, 0);
}

static struct store *
open_store(const char *dir)
{
	struct store	*s;
	char		*e = NULL;

	if ((s = store_maildir_open(dir, &e)) == NULL)
		errx(1, "open %s: %s", dir, e ? e : "?");
	return s;
}

static void
bench_open(const char *dir, int n)
{
	struct store		*s;
	struct store_status	 st;
	struct mbox		*m;
	struct mark		 t;
	char			 what[64];
	int			 i;

	s = open_store(dir);
	mark(&t);
	if (mbox_open(s, "INBOX", false, &m) < 0)
		errx(1, "mbox_open: %s", store_errstr(s));
	(void)snprintf(what, sizeof(what), "first open (assign %d UIDs)", n);
	report(what, &t, 1);
	mbox_close(&m);
	store_close(&s);
	age_dirs(dir);
	for (i = 0; i < REPEAT; i++) {
		s = open_store(dir);
		mark(&t);
		if (mbox_open(s, "INBOX", false, &m) < 0)
			errx(1, "mbox_open: %s", store_errstr(s));
		(void)snprintf(what, sizeof(what),
		    "open+sync, valid uidlist (run %d)", i + 1);
		report(what, &t, 1);
		if (i == 0)
			printf("%-44s %9ld kB\n", "RSS with the folder open",
			    rss_kb());
		mbox_close(&m);
		store_close(&s);
	}
	s = open_store(dir);
	mark(&t);
	if (store_status(s, "INBOX", &st) < 0)
		errx(1, "status: %s", store_errstr(s));
	report("STATUS", &t, 1);
	store_close(&s);
}

static void
bench_sync(const char *dir)
{
	struct store	*s = open_store(dir);
	struct mbox	*m;
	struct mark	 t;
	int		 i;

	age_dirs(dir);
	if (mbox_open(s, "INBOX", false, &m) < 0)
		errx(1, "mbox_open: %s", store_errstr(s));
	mark(&t);
	for (i = 0; i < 1000; i++)
		(void)mbox_sync(m);
	report("sync, no changes (idle folder)", &t, 1000);
	/* cur/ changed (nothing that matters): a full rescan. */
	for (i = 0; i < REPEAT; i++) {
		char path[4096];

		if (snprintf(path, sizeof(path), "%s/cur", dir) <
		    (int)sizeof(path))
			(void)utimensat(AT_FDCWD, path, NULL, 0);
		mark(&t);
		(void)mbox_sync(m);
		report("sync after cur/ changed (full rescan)", &t, 1);
	}
	mbox_close(&m);
	store_close(&s);
}

static void
bench_flags(const char *dir)
{
	struct store	*s = open_store(dir);
	struct mbox	*m;
	struct mark	 t;
	size_t		 i, n;

	if (mbox_open(s, "INBOX", false, &m) < 0)
		errx(1, "mbox_open: %s", store_errstr(s));
	n = mbox_count(m) < FLAG_OPS ? mbox_count(m) : FLAG_OPS;
	mark(&t);
	for (i = 0; i < n; i++) {
		const struct msg *msg = &mbox_msgs(m)[i];

		if (mbox_set_flags(m, msg->uid, msg->flags ^ MSG_FLAGGED,
		    msg->keywords) < 0)
			errx(1, "set_flags: %s", store_errstr(s));
	}
	report("flag changes (rename under lock)", &t, n);
	mark(&t);
	(void)mbox_sync(m);
	report("sync after the flag changes (rescan)", &t, 1);
	mbox_close(&m);
	store_close(&s);
}

static void
bench_append(const char *dir)
{
	struct store		*s = open_store(dir);
	struct store_append	 a;
	struct mark		 t;
	char			 msg[3000];
	size_t			 len = 0;
	int			 i;

	len += (size_t)snprintf(msg, sizeof(msg),
	    "From: a@example.org\r\nSubject: appended\r\n\r\n");
	while (len + 60 < sizeof(msg))
		len += (size_t)snprintf(msg + len, sizeof(msg) - len,
		    "appended body line, CRLF terminated as clients send\r\n");
	memset(&a, 0, sizeof(a));
	a.data = msg;
	a.len = len;
	mark(&t);
	for (i = 0; i < APPEND_OPS; i++)
		if (store_append(s, "INBOX", &a, NULL, NULL) < 0)
			errx(1, "append: %s", store_errstr(s));
	report("APPEND (~3 kB, fsync'd)", &t, APPEND_OPS);
	store_close(&s);
}

static void
usage(void)
{
	fprintf(stderr, "usage: bench_maildir [-k] [N [DIR]]\n");
	exit(2);
}

int
main(int argc, char *argv[])
{
	struct rusage	 ru;
	struct mark	 t;
	char		 dir[4096], cmd[4200];
	int		 ch, n = 10000, keep = 0;
	const char	*errstr;

	while ((ch = getopt(argc, argv, "k")) != -1) {
		switch (ch) {
		case 'k':
			keep = 1;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc > 2)
		usage();
	if (argc >= 1) {
		n = (int)strtonum(argv[0], 1, 10000000, &errstr);
		if (errstr != NULL)
			errx(2, "N %s: %s", argv[0], errstr);
	}
	if (argc == 2) {
		if (strlcpy(dir, argv[1], sizeof(dir)) >= sizeof(dir))
			errx(2, "path too long");
		keep = 1;
	} else {
		(void)snprintf(dir, sizeof(dir), "/tmp/bench_maildir.XXXXXX");
		if (mkdtemp(dir) == NULL)
			err(1, "mkdtemp");
	}
	store_close(&(struct store *){ open_store(dir) });
	printf("Maildir %s, %d messages\n", dir, n);
	mark(&t);
	build(dir, n);
	report("build (write files directly)", &t, 1);
	bench_open(dir, n);
	bench_sync(dir);
	bench_flags(dir);
	bench_append(dir);
	getrusage(RUSAGE_SELF, &ru);
	printf("%-44s %9ld kB\n", "max RSS", ru.ru_maxrss);
	if (!keep) {
		(void)snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		if (system(cmd) != 0)
			warnx("could not remove %s", dir);
	}
	return 0;
}
