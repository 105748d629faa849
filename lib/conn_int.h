/*
 * conn_int: the inside of struct conn, for the files of lib/ that
 * implement it (conn.c, conn_relay.c). Nothing outside lib/ includes it.
 */
#ifndef LIB_CONN_INT_H
#define LIB_CONN_INT_H

#include <netinet/in.h>

#include <stddef.h>
#include <stdint.h>

#include <openssl/ssl.h>

#include "lib/conn.h"

#define CONN_RBUF_SIZE		CONN_INPUT_BUFFER
#define CONN_WBUF_SIZE		(64 * 1024)
#define CONN_WRITE_TIMEOUT	(10 * 60 * 1000)

/* State of the line being read by conn_getline(). */
struct conn_line {
	size_t		 count;		/* content bytes seen */
	size_t		 stored;	/* of which kept in the line buffer */
	int		 toolong;
	int		 bad;
	int		 cr;		/* previous chunk ended in CR */
};

struct conn {
	int		 rfd;
	int		 wfd;
	int		 wsock;		/* wfd is a socket: send() */
	SSL		*ssl;
	unsigned char	 rbuf[CONN_RBUF_SIZE];
	size_t		 rpos;		/* next unread byte in rbuf */
	size_t		 rlen;
	int		 rstatus;	/* sticky CONN_EOF or CONN_ERROR */
	int		 partial;	/* pline: a line cut by a timeout */
	struct conn_line pline;
	unsigned char	 wbuf[CONN_WBUF_SIZE];
	size_t		 wlen;
	int		 werror;	/* sticky write error */
	int		 write_timeout;
	char		 err[256];
	char		 peer[INET6_ADDRSTRLEN];
	int		 peer_local;
	char		 tls_info[128];
	uint64_t	 nread;		/* bytes from the peer (plaintext) */
	uint64_t	 nwritten;	/* bytes to the peer (plaintext) */
};

#endif
