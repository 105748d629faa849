/*
 * privmsg: the messages between imapd's own processes (DESIGN.md 1).
 *
 *   pre-auth -> monitor   PM_AUTH          a login attempt
 *   monitor  -> pre-auth  PM_AUTH_REPLY    its result
 *   monitor  -> master    PM_LOGIN         may this user log in (limits)?
 *   master   -> monitor   PM_LOGIN_REPLY   its answer
 *   monitor  -> master    PM_AUTH_FAILED   one failed attempt (throttling)
 *
 * One message is one packet on an AF_UNIX SOCK_SEQPACKET socket:
 *
 *   byte 0      PRIVMSG_MAGIC
 *   byte 1      type
 *   then the type's fields in a fixed order, each a 2-byte big-endian
 *   length followed by that many bytes.
 *
 * Decoding is strict: the exact field count of the type, every field
 * within its bound, strings without NUL (and for the tag, only printable
 * ASCII other than space), booleans and results in range, nothing after
 * the last field. Whatever fails to decode ends the connection of the
 * process that sent it (fail closed): the receiver never guesses.
 */
#ifndef IMAPD_PRIVMSG_H
#define IMAPD_PRIVMSG_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/conn.h"

#define PRIVMSG_MAGIC		0xA7
#define PM_TAG_MAX		256
#define PM_USER_MAX		255
#define PM_PASS_MAX		4096
#define PM_PENDING_MAX		CONN_INPUT_BUFFER
/* largest encoded message: PM_AUTH with every field full */
#define PRIVMSG_MAX		(2 + 5 * 2 + PM_TAG_MAX + PM_USER_MAX + \
				    PM_PASS_MAX + 1 + PM_PENDING_MAX)

enum privmsg_type {
	PM_AUTH = 1,
	PM_AUTH_REPLY = 2,
	PM_LOGIN = 3,
	PM_LOGIN_REPLY = 4,
	PM_AUTH_FAILED = 5
};

enum pm_result {
	PM_OK = 0,		/* logged in / allowed */
	PM_FAIL = 1,		/* wrong user or password, account refused */
	PM_TEMPFAIL = 2,	/* backend trouble, try later */
	PM_LIMIT = 3,		/* too many connections for this user */
	PM_CLOSE = 4		/* attempts used up: say BYE and close */
};

/*
 * Fields per type, in wire order:
 *   PM_AUTH         tag, user, pass, tls (1 byte: 0 or 1), pending
 *   PM_AUTH_REPLY   result (1 byte)
 *   PM_LOGIN        user
 *   PM_LOGIN_REPLY  result (1 byte: PM_OK or PM_LIMIT)
 *   PM_AUTH_FAILED  (no fields)
 * user is non-empty in PM_AUTH and PM_LOGIN; tag is non-empty in PM_AUTH.
 * pending: plaintext the client sent after the login command, handed to
 * the user process (empty when the pre-auth process will relay TLS).
 */
struct privmsg {
	enum privmsg_type type;
	char		 tag[PM_TAG_MAX + 1];
	char		 user[PM_USER_MAX + 1];
	char		 pass[PM_PASS_MAX + 1];		/* sensitive */
	bool		 tls;
	enum pm_result	 result;
	unsigned char	 pending[PM_PENDING_MAX];
	size_t		 npending;
};

/* Encode m into out (outlen >= PRIVMSG_MAX is always enough). Returns
 * the length, or 0 if a field is out of bounds or the type unknown. */
size_t	 privmsg_encode(const struct privmsg *m, unsigned char *out,
	    size_t outlen);
/* Decode one packet into *m (fully overwritten). 0, or -1 with a static
 * reason in *err_r. */
int	 privmsg_decode(const unsigned char *p, size_t len, struct privmsg *m,
	    const char **err_r);
/* Send one message as one packet (encode + send, MSG_NOSIGNAL); the
 * encoded copy of a password is wiped. 0 or -1 (errno). */
int	 privmsg_send(int fd, const struct privmsg *m);
/*
 * Wait up to timeout_ms (-1: forever) for one packet and decode it.
 * Returns 1 with *m filled, 0 at EOF, -1 on error, timeout, a truncated
 * packet or a message that fails to decode (*err_r says which; static).
 */
int	 privmsg_recv(int fd, struct privmsg *m, int timeout_ms,
	    const char **err_r);
/* Wipe a message (its password). */
void	 privmsg_clear(struct privmsg *m);

#endif
