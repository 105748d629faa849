/*
 * mime_samples: real-world style messages with their expected ENVELOPE,
 * BODYSTRUCTURE and BODY, shared by the mime unit tests (data only;
 * include from one test file per binary).
 *
 * The expected values were compared with Dovecot 2.3.19's answers for
 * the same messages; they agree except where lib/mime_*.c documents a
 * deliberate difference (RFC 2231 values decoded, multiparts without
 * parts, message/global, unfolding without squeezing blanks, invalid
 * Content-Type, repeated Content-Disposition, a few malformed
 * addresses; Dovecot also counts bare LFs as CRLFs in sizes).
 */
#ifndef TEST_UNIT_MIME_SAMPLES_H
#define TEST_UNIT_MIME_SAMPLES_H

#include <stddef.h>

#define S(lit)		lit, sizeof(lit) - 1

struct msg_case {
	const char	*name;
	const char	*msg;
	size_t		 len;
	const char	*envelope;
	const char	*bodystructure;
	const char	*body;
};

/* single part: comment as name, groups, route, missing domain and
 * mailbox, folded subject */
static const char msg_simple[] =
    "From: user@host (Comment Name)\r\n"
    "To: \"Quoted \\\"x\\\" Name\" <a.b@c.d>, "
    "undisclosed-recipients:;, grp: x@y, \"z\" <z@w>;, noat, "
    "<@route1,@route2:r@h>, @bad\r\n"
    "Cc: Text/Plain@x\r\n"
    "Subject: =?utf-8?q?h=C3=A9llo?=\r\n"
    "  folded\r\n"
    "Message-ID: <abc@def>\r\n"
    "In-Reply-To:   <x@y>  \r\n"
    "Date: Mon, 1 Jan 2024 10:00:00 +0100\r\n"
    "Content-Type: Text/Plain; CharSet=\"ISO-8859-1\"; "
    "Format=flowed\r\n"
    "Content-Transfer-Encoding: Quoted-Printable\r\n"
    "\r\n"
    "body=E9\r\n"
    "line2";
/* multipart/mixed > alternative + attachment with all extension fields */
static const char msg_alt[] =
    "From: \"Joe Q. Public\" <john.q.public@example.com>\r\n"
    "To: Mary Smith <mary@x.test>, jdoe@example.org, Who? "
    "<one@y.test>\r\n"
    "Cc: <boss@nil.test>, \"Giant; \\\"Big\\\" Box\" "
    "<sysservices@example.net>\r\n"
    "Date: Tue, 1 Jul 2003 10:52:37 +0200\r\n"
    "Subject: Test\r\n"
    "Message-ID: <5678.21-Nov-1997@example.com>\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: multipart/mixed; boundary=\"outer\"\r\n"
    "\r\n"
    "This is the preamble.\r\n"
    "--outer\r\n"
    "Content-Type: multipart/alternative; boundary=inner\r\n"
    "\r\n"
    "--inner\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "Content-Transfer-Encoding: 8bit\r\n"
    "\r\n"
    "Hello\r\n"
    "World\r\n"
    "--inner\r\n"
    "Content-Type: text/html; charset=\"utf-8\"\r\n"
    "Content-Transfer-Encoding: quoted-printable\r\n"
    "\r\n"
    "<p>Hello=20World</p>=\r\n"
    "--inner--\r\n"
    "epilogue inner\r\n"
    "--outer\r\n"
    "Content-Type: application/pdf; name=\"doc.pdf\"\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "Content-Disposition: attachment; filename=\"doc.pdf\"; "
    "size=123\r\n"
    "Content-Description: A document\r\n"
    "Content-ID: <part1@x>\r\n"
    "Content-MD5: Q2hlY2sgSW50ZWdyaXR5IQ==\r\n"
    "Content-Language: en, de\r\n"
    "Content-Location: http://x.test/doc.pdf\r\n"
    "\r\n"
    "SGVsbG8gV29ybGQh\r\n"
    "AAEC\r\n"
    "--outer\r\n"
    "Content-Type: image/png\r\n"
    "Content-Disposition: inline\r\n"
    "Content-Language: fr\r\n"
    "\r\n"
    "xyz\r\n"
    "--outer--\r\n"
    "trailing epilogue\r\n";
/* forwarded message/rfc822 holding a multipart/alternative */
static const char msg_fwd[] =
    "From: a@b.c\r\n"
    "Subject: Fwd: hi\r\n"
    "Content-Type: multipart/mixed; boundary=\"b1\"\r\n"
    "\r\n"
    "--b1\r\n"
    "Content-Type: text/plain\r\n"
    "\r\n"
    "see below\r\n"
    "--b1\r\n"
    "Content-Type: message/rfc822\r\n"
    "Content-Disposition: inline\r\n"
    "\r\n"
    "From: x@y.z\r\n"
    "To: q@r.s\r\n"
    "Subject: inner\r\n"
    "Content-Type: multipart/alternative; boundary=\"b2\"\r\n"
    "\r\n"
    "--b2\r\n"
    "Content-Type: text/plain; charset=us-ascii\r\n"
    "\r\n"
    "inner text\r\n"
    "--b2\r\n"
    "Content-Type: text/html\r\n"
    "\r\n"
    "<b>inner</b>\r\n"
    "--b2--\r\n"
    "\r\n"
    "--b1--\r\n";
/* multipart/digest: parts default to message/rfc822 */
static const char msg_digest[] =
    "From: list@x\r\n"
    "Subject: digest\r\n"
    "Content-Type: multipart/digest; boundary=\"d\"\r\n"
    "\r\n"
    "--d\r\n"
    "\r\n"
    "From: one@x\r\n"
    "Subject: first\r\n"
    "\r\n"
    "first body\r\n"
    "--d\r\n"
    "Content-Type: text/plain\r\n"
    "\r\n"
    "explicit text\r\n"
    "--d\r\n"
    "\r\n"
    "From: two@x\r\n"
    "Subject: second\r\n"
    "Content-Type: multipart/mixed; boundary=\"e\"\r\n"
    "\r\n"
    "--e\r\n"
    "\r\n"
    "in digest mixed part defaults to text\r\n"
    "--e--\r\n"
    "\r\n"
    "--d--\r\n";
/* RFC 2047 encoded words stay encoded in ENVELOPE */
static const char msg_enc[] =
    "From: =?ISO-8859-1?Q?Keld_J=F8rn_Simonsen?= <keld@dkuug.dk>\r\n"
    "To: =?US-ASCII?Q?Keith_Moore?= <moore@cs.utk.edu>\r\n"
    "Cc: =?ISO-8859-1?Q?Andr=E9?= Pirard <PIRARD@vm1.ulg.ac.be>\r\n"
    "Subject: =?ISO-8859-1?B?SWYgeW91IGNhbiByZWFkIHRoaXMgeW8=?=\r\n"
    " =?ISO-8859-2?B?dSB1bmRlcnN0YW5kIHRoZSBleGFtcGxlLg==?=\r\n"
    "Content-Type: text/plain; charset=iso-8859-1\r\n"
    "Content-Transfer-Encoding: quoted-printable\r\n"
    "\r\n"
    "Caf=E9 cr=E8me\r\n";
/* RFC 2231 continuations and charsets decoded to UTF-8 */
static const char msg_rfc2231[] =
    "From: a@b\r\n"
    "Subject: 2231\r\n"
    "Content-Type: multipart/mixed; boundary=zz\r\n"
    "\r\n"
    "--zz\r\n"
    "Content-Type: application/x-stuff;\r\n"
    " title*0*=us-ascii'en'This%20is%20even%20more%20;\r\n"
    " title*1*=%2A%2A%2Afun%2A%2A%2A%20;\r\n"
    " title*2=\"isn't it!\"\r\n"
    "Content-Disposition: attachment;\r\n"
    " filename*=UTF-8''%E2%82%AC%20rates.txt\r\n"
    "\r\n"
    "x\r\n"
    "--zz\r\n"
    "Content-Type: text/plain; name*=iso-8859-1''caf%E9.txt; "
    "name=\"fallback.txt\"\r\n"
    "Content-Disposition: attachment; filename=\"plain.txt\"; "
    "filename*0=\"a\"; filename*1=\"b\"\r\n"
    "\r\n"
    "y\r\n"
    "--zz--\r\n";
/* empty and duplicate fields, folding, merged Cc */
static const char msg_headers[] =
    "Subject: a\r\n"
    "\tb\r\n"
    "   c \r\n"
    " d\r\n"
    "Message-ID: <x@y>\r\n"
    " (comment)\r\n"
    "In-Reply-To: \r\n"
    "Date:\r\n"
    "From:\r\n"
    "Sender: x@y\r\n"
    "To: \r\n"
    "Cc: \"a\" <b@c>\r\n"
    "Cc: d@e\r\n"
    "\r\n";
/* single fields: last wins; address fields merged */
static const char msg_dup[] =
    "Subject: one\r\n"
    "Subject: two\r\n"
    "From: a@b\r\n"
    "From: c@d\r\n"
    "Reply-To:\r\n"
    "Message-ID: <1@x>\r\n"
    "Message-ID: <2@x>\r\n"
    "Date: d1\r\n"
    "date: d2\r\n"
    "IN-REPLY-TO: <r@x> <s@y>\r\n"
    "sender: (x)\r\n"
    "\r\n";
/* no empty line: all header */
static const char msg_nobody[] =
    "From: a@b\r\n"
    "Subject: no body";
/* empty message */
static const char msg_empty[] =
    "";
/* only an empty line */
static const char msg_crlf_only[] =
    "\r\n";
/* multipart without boundary */
static const char msg_nobound[] =
    "From: a@b\r\n"
    "Content-Type: multipart/mixed\r\n"
    "\r\n"
    "--x\r\n"
    "Content-Type: text/plain\r\n"
    "\r\n"
    "hi\r\n"
    "--x--\r\n";
/* boundary never found */
static const char msg_neverbound[] =
    "From: a@b\r\n"
    "Content-Type: multipart/mixed; boundary=\"nothere\"\r\n"
    "\r\n"
    "--x\r\n"
    "Content-Type: text/plain\r\n"
    "\r\n"
    "hi\r\n"
    "--x--\r\n";
/* last part not terminated */
static const char msg_unterm[] =
    "From: a@b\r\n"
    "Content-Type: multipart/mixed; boundary=\"u\"\r\n"
    "\r\n"
    "--u\r\n"
    "Content-Type: text/plain\r\n"
    "\r\n"
    "one\r\n"
    "--u\r\n"
    "Content-Type: text/html\r\n"
    "\r\n"
    "two";
/* parts without header or body */
static const char msg_empty_parts[] =
    "Content-Type: multipart/mixed; boundary=\"e\"\r\n"
    "\r\n"
    "--e\r\n"
    "--e\r\n"
    "\r\n"
    "--e--\r\n";
/* delimiters with padding and junk; text after the close */
static const char msg_bd[] =
    "Content-Type: multipart/mixed; boundary=b\r\n"
    "\r\n"
    "--b \t\r\n"
    "\r\n"
    "one\r\n"
    "--bX\r\n"
    "\r\n"
    "two\r\n"
    "--b junk\r\n"
    "\r\n"
    "three\r\n"
    "--b--junk\r\n"
    "epi\r\n"
    "--b\r\n"
    "\r\n"
    "after-close\r\n";
/* inner boundary has the outer one as prefix */
static const char msg_pre[] =
    "Content-Type: multipart/mixed; boundary=abc\r\n"
    "\r\n"
    "--abc\r\n"
    "Content-Type: multipart/alternative; boundary=abcdef\r\n"
    "\r\n"
    "--abcdef\r\n"
    "\r\n"
    "inner1\r\n"
    "--abcdef\r\n"
    "\r\n"
    "inner2\r\n"
    "--abcdef--\r\n"
    "--abc\r\n"
    "\r\n"
    "last\r\n"
    "--abc--\r\n";
/* top-level message/rfc822 */
static const char msg_toprfc[] =
    "From: a@b\r\n"
    "Content-Type: message/rfc822\r\n"
    "\r\n"
    "From: inner@b\r\n"
    "Subject: in\r\n"
    "\r\n"
    "inner body\r\n";
/* invalid Content-Type: default */
static const char msg_badct[] =
    "From: a@b\r\n"
    "Content-Type: text\r\n"
    "\r\n"
    "x\r\n";
/* nested multipart without boundary */
static const char msg_mpnochild[] =
    "From: a@b\r\n"
    "Content-Type: multipart/mixed; boundary=a\r\n"
    "\r\n"
    "--a\r\n"
    "Content-Type: multipart/alternative\r\n"
    "\r\n"
    "text\r\n"
    "--a--\r\n";
/* message/global, base64 message/rfc822, upper case, message/partial,
 * x-uuencode */
static const char msg_msgtypes[] =
    "Content-Type: multipart/mixed; boundary=b\r\n"
    "\r\n"
    "--b\r\n"
    "Content-Type: message/global\r\n"
    "\r\n"
    "Subject: g\r\n"
    "\r\n"
    "x\r\n"
    "--b\r\n"
    "Content-Type: message/rfc822\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "\r\n"
    "U3ViamVjdDogeA0KDQp5DQo=\r\n"
    "--b\r\n"
    "Content-Type: MESSAGE/RFC822\r\n"
    "\r\n"
    "Subject: h\r\n"
    "\r\n"
    "x\r\n"
    "--b\r\n"
    "Content-Type: message/partial; id=1\r\n"
    "\r\n"
    "Subject: h\r\n"
    "\r\n"
    "x\r\n"
    "--b\r\n"
    "Content-Type: text/plain\r\n"
    "Content-Transfer-Encoding: x-uuencode\r\n"
    "\r\n"
    "begin\r\n"
    "--b--\r\n";
/* Outlook-style related/alternative with inline image */
static const char msg_related[] =
    "Return-Path: <sender@example.com>\r\n"
    "Received: from mx.example.com by mail.example.org; Tue, 2 Jan "
    "2024 09:00:00 +0000\r\n"
    "From: Sender Name <sender@example.com>\r\n"
    "To: \"Recipient, One\" <r1@example.org>, r2@example.org\r\n"
    "Subject: =?utf-8?B?UmU6IE1lZXRpbmcgbm90ZXMg4oCU?=\r\n"
    " =?utf-8?B?IHBsZWFzZSByZXZpZXc=?=\r\n"
    "Date: Tue, 2 Jan 2024 09:00:00 +0000\r\n"
    "Message-ID: <CAF1234@mail.example.com>\r\n"
    "In-Reply-To: <prev@example.org>\r\n"
    "References: <first@example.org> <prev@example.org>\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: multipart/related;\r\n"
    "\tboundary=\"_004_rel_\";\r\n"
    "\ttype=\"multipart/alternative\"\r\n"
    "\r\n"
    "--_004_rel_\r\n"
    "Content-Type: multipart/alternative;\r\n"
    "\tboundary=\"_000_alt_\"\r\n"
    "\r\n"
    "--_000_alt_\r\n"
    "Content-Type: text/plain; charset=\"utf-8\"\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "\r\n"
    "SGVsbG8sIHdvcmxkIQ0KU2Vjb25kIGxpbmUuDQo=\r\n"
    "\r\n"
    "--_000_alt_\r\n"
    "Content-Type: text/html; charset=\"utf-8\"\r\n"
    "Content-Transfer-Encoding: quoted-printable\r\n"
    "\r\n"
    "<html><body><p>Hello, world!</p><img "
    "src=3D\"cid:image001.png@01D9\"></bod=\r\n"
    "y></html>\r\n"
    "\r\n"
    "--_000_alt_--\r\n"
    "\r\n"
    "--_004_rel_\r\n"
    "Content-Type: image/png; name=\"image001.png\"\r\n"
    "Content-Description: image001.png\r\n"
    "Content-Disposition: inline; filename=\"image001.png\"; "
    "size=68;\r\n"
    "\tcreation-date=\"Tue, 02 Jan 2024 09:00:00 GMT\";\r\n"
    "\tmodification-date=\"Tue, 02 Jan 2024 09:00:00 GMT\"\r\n"
    "Content-ID: <image001.png@01D9>\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "\r\n"
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhf"
    "DwAChwGA\r\n"
    "60e6kgAAAABJRU5ErkJggg==\r\n"
    "\r\n"
    "--_004_rel_--\r\n";
/* delivery status notification */
static const char msg_report[] =
    "From: Mail Delivery System <MAILER-DAEMON@mx.example.com>\r\n"
    "To: sender@example.com\r\n"
    "Subject: Undelivered Mail Returned to Sender\r\n"
    "Auto-Submitted: auto-replied\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: multipart/report; report-type=delivery-status;\r\n"
    "\tboundary=\"B1.1700000000/mx.example.com\"\r\n"
    "Message-Id: <20240102.ABC@mx.example.com>\r\n"
    "\r\n"
    "This is a MIME-encapsulated message.\r\n"
    "\r\n"
    "--B1.1700000000/mx.example.com\r\n"
    "Content-Description: Notification\r\n"
    "Content-Type: text/plain; charset=us-ascii\r\n"
    "\r\n"
    "I'm sorry to have to inform you that your message could not\r\n"
    "be delivered to one or more recipients.\r\n"
    "\r\n"
    "--B1.1700000000/mx.example.com\r\n"
    "Content-Description: Delivery report\r\n"
    "Content-Type: message/delivery-status\r\n"
    "\r\n"
    "Reporting-MTA: dns; mx.example.com\r\n"
    "\r\n"
    "Final-Recipient: rfc822; nobody@example.org\r\n"
    "Action: failed\r\n"
    "Status: 5.1.1\r\n"
    "\r\n"
    "--B1.1700000000/mx.example.com\r\n"
    "Content-Description: Undelivered Message\r\n"
    "Content-Type: message/rfc822\r\n"
    "\r\n"
    "From: sender@example.com\r\n"
    "To: nobody@example.org\r\n"
    "Subject: hello\r\n"
    "Date: Mon, 1 Jan 2024 12:00:00 -0500\r\n"
    "Message-ID: <orig@example.com>\r\n"
    "\r\n"
    "hello there\r\n"
    "--B1.1700000000/mx.example.com--\r\n";
/* multipart/signed */
static const char msg_signed[] =
    "From: Alice <alice@example.org>\r\n"
    "To: Bob <bob@example.net>\r\n"
    "Subject: signed\r\n"
    "Content-Type: multipart/signed; micalg=pgp-sha256;\r\n"
    " protocol=\"application/pgp-signature\";\r\n"
    " boundary=\"sig-boundary\"\r\n"
    "\r\n"
    "--sig-boundary\r\n"
    "Content-Type: text/plain; charset=UTF-8; format=flowed; "
    "delsp=yes\r\n"
    "Content-Transfer-Encoding: 7bit\r\n"
    "\r\n"
    "Signed text.\r\n"
    "--sig-boundary\r\n"
    "Content-Type: application/pgp-signature; "
    "name=\"signature.asc\"\r\n"
    "Content-Description: OpenPGP digital signature\r\n"
    "Content-Disposition: attachment; filename=\"signature.asc\"\r\n"
    "\r\n"
    "-----BEGIN PGP SIGNATURE-----\r\n"
    "abc\r\n"
    "-----END PGP SIGNATURE-----\r\n"
    "--sig-boundary--\r\n";
/* message/rfc822 inside message/rfc822 */
static const char msg_nested_rfc[] =
    "From: outer@x\r\n"
    "Subject: outer\r\n"
    "Content-Type: message/rfc822\r\n"
    "\r\n"
    "From: middle@x\r\n"
    "Subject: middle\r\n"
    "Content-Type: multipart/mixed; boundary=m\r\n"
    "\r\n"
    "--m\r\n"
    "Content-Type: message/rfc822\r\n"
    "\r\n"
    "From: inner@x\r\n"
    "Subject: =?iso-8859-1?q?inn=E9r?=\r\n"
    "Content-Type: text/plain; charset=iso-8859-1\r\n"
    "Content-Transfer-Encoding: quoted-printable\r\n"
    "\r\n"
    "d=E9j=E0 vu\r\n"
    "--m\r\n"
    "Content-Type: application/octet-stream; "
    "name=\"=?UTF-8?B?w6kudHh0?=\"\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "\r\n"
    "AAECAwQ=\r\n"
    "--m--\r\n";
/* upper-case spelling as in the RFC 9051 example */
static const char msg_rfcex[] =
    "From: a@b\r\n"
    "Subject: rfc example\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: MULTIPART/MIXED; BOUNDARY=\"x\"\r\n"
    "\r\n"
    "--x\r\n"
    "Content-Type: TEXT/PLAIN; CHARSET=US-ASCII\r\n"
    "\r\n"
    "line\r\n"
    "--x\r\n"
    "Content-Type: TEXT/PLAIN; CHARSET=US-ASCII; NAME=cc.diff\r\n"
    "Content-ID: <960723163407.20117h@cac.washington.edu>\r\n"
    "Content-Description: Compiler diff\r\n"
    "Content-Transfer-Encoding: BASE64\r\n"
    "\r\n"
    "AAAA\r\n"
    "--x--\r\n";
/* repeated MIME fields: the first counts */
static const char msg_dupct[] =
    "From: a@b\r\n"
    "Content-Type: text/plain; charset=a\r\n"
    "Content-Type: text/html; charset=b\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "Content-Transfer-Encoding: 8bit\r\n"
    "Content-ID: <1>\r\n"
    "Content-ID: <2>\r\n"
    "Content-Description: d1\r\n"
    "Content-Description: d2\r\n"
    "Content-Disposition: inline\r\n"
    "Content-Disposition: attachment\r\n"
    "Content-Language: en\r\n"
    "Content-Language: fr\r\n"
    "Content-Location: l1\r\n"
    "Content-Location: l2\r\n"
    "Content-MD5: m1\r\n"
    "Content-MD5: m2\r\n"
    "\r\n"
    "w6k=\r\n";
/* two Content-Type fields: the first counts */
static const char msg_ctdup[] =
    "From: a@b\r\n"
    "Content-Type: text/html\r\n"
    "Content-Type: multipart/mixed; boundary=z\r\n"
    "\r\n"
    "--z\r\n"
    "\r\n"
    "a\r\n"
    "--z--\r\n";
/* comments around the transfer encoding */
static const char msg_cte_weird[] =
    "From: a@b\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "Content-Transfer-Encoding: (comment) BASE64 (trailing)\r\n"
    "\r\n"
    "w6k=\r\n";
/* bare LF line ends */
static const char msg_lfonly[] =
    "From: lf@x\n"
    "Subject: bare lf\n"
    "Content-Type: multipart/alternative; boundary=\"lf\"\n"
    "\n"
    "--lf\n"
    "Content-Type: text/plain\n"
    "\n"
    "one\n"
    "two\n"
    "--lf\n"
    "Content-Type: text/html\n"
    "\n"
    "<b>x</b>\n"
    "--lf--\n";

static const struct msg_case msg_cases[] = {
	{ "simple", S(msg_simple),
	    "(\"Mon, 1 Jan 2024 10:00:00 +0100\" \"=?utf-8?q?h=C3=A9llo?=  "
	    "folded\" ((\"Comment Name\" NIL \"user\" \"host\")) ((\"Comment "
	    "Name\" NIL \"user\" \"host\")) ((\"Comment Name\" NIL \"user\" "
	    "\"host\")) ((\"Quoted \\\"x\\\" Name\" NIL \"a.b\" \"c.d\")(NIL "
	    "NIL \"undisclosed-recipients\" NIL)(NIL NIL NIL NIL)(NIL NIL "
	    "\"grp\" NIL)(NIL NIL \"x\" \"y\")(\"z\" NIL \"z\" \"w\")(NIL "
	    "NIL NIL NIL)(NIL NIL \"noat\" \"MISSING_DOMAIN\")(NIL "
	    "\"@route1,@route2\" \"r\" \"h\")(NIL NIL \"MISSING_MAILBOX\" "
	    "\"bad\")) ((NIL NIL \"Text/Plain\" \"x\")) NIL \"<x@y>  \" "
	    "\"<abc@def>\")",
	    "(\"Text\" \"Plain\" (\"CharSet\" \"ISO-8859-1\" \"Format\" "
	    "\"flowed\") NIL NIL \"Quoted-Printable\" 14 1 NIL NIL NIL NIL)",
	    "(\"Text\" \"Plain\" (\"CharSet\" \"ISO-8859-1\" \"Format\" "
	    "\"flowed\") NIL NIL \"Quoted-Printable\" 14 1)",
	},
	{ "alt", S(msg_alt),
	    "(\"Tue, 1 Jul 2003 10:52:37 +0200\" \"Test\" ((\"Joe Q. "
	    "Public\" NIL \"john.q.public\" \"example.com\")) ((\"Joe Q. "
	    "Public\" NIL \"john.q.public\" \"example.com\")) ((\"Joe Q. "
	    "Public\" NIL \"john.q.public\" \"example.com\")) ((\"Mary "
	    "Smith\" NIL \"mary\" \"x.test\")(NIL NIL \"jdoe\" "
	    "\"example.org\")(\"Who?\" NIL \"one\" \"y.test\")) ((NIL NIL "
	    "\"boss\" \"nil.test\")(\"Giant; \\\"Big\\\" Box\" NIL "
	    "\"sysservices\" \"example.net\")) NIL NIL "
	    "\"<5678.21-Nov-1997@example.com>\")",
	    "(((\"text\" \"plain\" (\"charset\" \"utf-8\") NIL NIL \"8bit\" "
	    "12 1 NIL NIL NIL NIL)(\"text\" \"html\" (\"charset\" \"utf-8\") "
	    "NIL NIL \"quoted-printable\" 21 0 NIL NIL NIL NIL) "
	    "\"alternative\" (\"boundary\" \"inner\") NIL NIL "
	    "NIL)(\"application\" \"pdf\" (\"name\" \"doc.pdf\") "
	    "\"<part1@x>\" \"A document\" \"base64\" 22 "
	    "\"Q2hlY2sgSW50ZWdyaXR5IQ==\" (\"attachment\" (\"filename\" "
	    "\"doc.pdf\" \"size\" \"123\")) (\"en\" \"de\") "
	    "\"http://x.test/doc.pdf\")(\"image\" \"png\" NIL NIL NIL "
	    "\"7bit\" 3 NIL (\"inline\" NIL) (\"fr\") NIL) \"mixed\" "
	    "(\"boundary\" \"outer\") NIL NIL NIL)",
	    "(((\"text\" \"plain\" (\"charset\" \"utf-8\") NIL NIL \"8bit\" "
	    "12 1)(\"text\" \"html\" (\"charset\" \"utf-8\") NIL NIL "
	    "\"quoted-printable\" 21 0) \"alternative\")(\"application\" "
	    "\"pdf\" (\"name\" \"doc.pdf\") \"<part1@x>\" \"A document\" "
	    "\"base64\" 22)(\"image\" \"png\" NIL NIL NIL \"7bit\" 3) "
	    "\"mixed\")",
	},
	{ "fwd", S(msg_fwd),
	    "(NIL \"Fwd: hi\" ((NIL NIL \"a\" \"b.c\")) ((NIL NIL \"a\" "
	    "\"b.c\")) ((NIL NIL \"a\" \"b.c\")) NIL NIL NIL NIL NIL)",
	    "((\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL "
	    "\"7bit\" 9 0 NIL NIL NIL NIL)(\"message\" \"rfc822\" NIL NIL "
	    "NIL \"7bit\" 213 (NIL \"inner\" ((NIL NIL \"x\" \"y.z\")) ((NIL "
	    "NIL \"x\" \"y.z\")) ((NIL NIL \"x\" \"y.z\")) ((NIL NIL \"q\" "
	    "\"r.s\")) NIL NIL NIL NIL) ((\"text\" \"plain\" (\"charset\" "
	    "\"us-ascii\") NIL NIL \"7bit\" 10 0 NIL NIL NIL NIL)(\"text\" "
	    "\"html\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 12 0 NIL "
	    "NIL NIL NIL) \"alternative\" (\"boundary\" \"b2\") NIL NIL NIL) "
	    "14 NIL (\"inline\" NIL) NIL NIL) \"mixed\" (\"boundary\" "
	    "\"b1\") NIL NIL NIL)",
	    "((\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL "
	    "\"7bit\" 9 0)(\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 213 "
	    "(NIL \"inner\" ((NIL NIL \"x\" \"y.z\")) ((NIL NIL \"x\" "
	    "\"y.z\")) ((NIL NIL \"x\" \"y.z\")) ((NIL NIL \"q\" \"r.s\")) "
	    "NIL NIL NIL NIL) ((\"text\" \"plain\" (\"charset\" "
	    "\"us-ascii\") NIL NIL \"7bit\" 10 0)(\"text\" \"html\" "
	    "(\"charset\" \"us-ascii\") NIL NIL \"7bit\" 12 0) "
	    "\"alternative\") 14) \"mixed\")",
	},
	{ "digest", S(msg_digest),
	    "(NIL \"digest\" ((NIL NIL \"list\" \"x\")) ((NIL NIL \"list\" "
	    "\"x\")) ((NIL NIL \"list\" \"x\")) NIL NIL NIL NIL NIL)",
	    "((\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 41 (NIL \"first\" "
	    "((NIL NIL \"one\" \"x\")) ((NIL NIL \"one\" \"x\")) ((NIL NIL "
	    "\"one\" \"x\")) NIL NIL NIL NIL NIL) (\"text\" \"plain\" "
	    "(\"charset\" \"us-ascii\") NIL NIL \"7bit\" 10 0 NIL NIL NIL "
	    "NIL) 3 NIL NIL NIL NIL)(\"text\" \"plain\" (\"charset\" "
	    "\"us-ascii\") NIL NIL \"7bit\" 13 0 NIL NIL NIL "
	    "NIL)(\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 130 (NIL "
	    "\"second\" ((NIL NIL \"two\" \"x\")) ((NIL NIL \"two\" \"x\")) "
	    "((NIL NIL \"two\" \"x\")) NIL NIL NIL NIL NIL) ((\"text\" "
	    "\"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 37 0 NIL "
	    "NIL NIL NIL) \"mixed\" (\"boundary\" \"e\") NIL NIL NIL) 8 NIL "
	    "NIL NIL NIL) \"digest\" (\"boundary\" \"d\") NIL NIL NIL)",
	    "((\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 41 (NIL \"first\" "
	    "((NIL NIL \"one\" \"x\")) ((NIL NIL \"one\" \"x\")) ((NIL NIL "
	    "\"one\" \"x\")) NIL NIL NIL NIL NIL) (\"text\" \"plain\" "
	    "(\"charset\" \"us-ascii\") NIL NIL \"7bit\" 10 0) 3)(\"text\" "
	    "\"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 13 "
	    "0)(\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 130 (NIL "
	    "\"second\" ((NIL NIL \"two\" \"x\")) ((NIL NIL \"two\" \"x\")) "
	    "((NIL NIL \"two\" \"x\")) NIL NIL NIL NIL NIL) ((\"text\" "
	    "\"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 37 0) "
	    "\"mixed\") 8) \"digest\")",
	},
	{ "enc", S(msg_enc),
	    "(NIL \"=?ISO-8859-1?B?SWYgeW91IGNhbiByZWFkIHRoaXMgeW8=?= "
	    "=?ISO-8859-2?B?dSB1bmRlcnN0YW5kIHRoZSBleGFtcGxlLg==?=\" "
	    "((\"=?ISO-8859-1?Q?Keld_J=F8rn_Simonsen?=\" NIL \"keld\" "
	    "\"dkuug.dk\")) ((\"=?ISO-8859-1?Q?Keld_J=F8rn_Simonsen?=\" NIL "
	    "\"keld\" \"dkuug.dk\")) "
	    "((\"=?ISO-8859-1?Q?Keld_J=F8rn_Simonsen?=\" NIL \"keld\" "
	    "\"dkuug.dk\")) ((\"=?US-ASCII?Q?Keith_Moore?=\" NIL \"moore\" "
	    "\"cs.utk.edu\")) ((\"=?ISO-8859-1?Q?Andr=E9?= Pirard\" NIL "
	    "\"PIRARD\" \"vm1.ulg.ac.be\")) NIL NIL NIL)",
	    "(\"text\" \"plain\" (\"charset\" \"iso-8859-1\") NIL NIL "
	    "\"quoted-printable\" 16 1 NIL NIL NIL NIL)",
	    "(\"text\" \"plain\" (\"charset\" \"iso-8859-1\") NIL NIL "
	    "\"quoted-printable\" 16 1)",
	},
	{ "rfc2231", S(msg_rfc2231),
	    "(NIL \"2231\" ((NIL NIL \"a\" \"b\")) ((NIL NIL \"a\" \"b\")) "
	    "((NIL NIL \"a\" \"b\")) NIL NIL NIL NIL NIL)",
	    "((\"application\" \"x-stuff\" (\"title\" \"This is even more "
	    "***fun*** isn't it!\") NIL NIL \"7bit\" 1 NIL (\"attachment\" "
	    "(\"filename\" \"\xe2\x82\xac rates.txt\")) NIL NIL)(\"text\" "
	    "\"plain\" (\"name\" \"caf\xc3\xa9.txt\" \"charset\" "
	    "\"us-ascii\") NIL NIL \"7bit\" 1 0 NIL (\"attachment\" "
	    "(\"filename\" \"ab\")) NIL NIL) \"mixed\" (\"boundary\" \"zz\") "
	    "NIL NIL NIL)",
	    "((\"application\" \"x-stuff\" (\"title\" \"This is even more "
	    "***fun*** isn't it!\") NIL NIL \"7bit\" 1)(\"text\" \"plain\" "
	    "(\"name\" \"caf\xc3\xa9.txt\" \"charset\" \"us-ascii\") NIL NIL "
	    "\"7bit\" 1 0) \"mixed\")",
	},
	{ "headers", S(msg_headers),
	    "(\"\" \"a\tb   c  d\" NIL ((NIL NIL \"x\" \"y\")) NIL NIL "
	    "((\"a\" NIL \"b\" \"c\")(NIL NIL \"d\" \"e\")) NIL \"\" \"<x@y> "
	    "(comment)\")",
	    "(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" "
	    "0 0 NIL NIL NIL NIL)",
	    "(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" "
	    "0 0)",
	},
	{ "dup", S(msg_dup),
	    "(\"d2\" \"two\" ((NIL NIL \"a\" \"b\")(NIL NIL \"c\" \"d\")) "
	    "((NIL NIL \"a\" \"b\")(NIL NIL \"c\" \"d\")) ((NIL NIL \"a\" "
	    "\"b\")(NIL NIL \"c\" \"d\")) NIL NIL NIL \"<r@x> <s@y>\" "
	    "\"<2@x>\")",
	    "(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" "
	    "0 0 NIL NIL NIL NIL)",
	    "(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" "
	    "0 0)",
	},
	{ "nobody", S(msg_nobody),
	    "(NIL \"no body\" ((NIL NIL \"a\" \"b\")) ((NIL NIL \"a\" "
	    "\"b\")) ((NIL NIL \"a\" \"b\")) NIL NIL NIL NIL NIL)",
	    "(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" "
	    "0 0 NIL NIL NIL NIL)",
	    "(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" "
	    "0 0)",
	},
	{ "empty", S(msg_empty),
	    "(NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL)",
	    "(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" "
	    "0 0 NIL NIL NIL NIL)",
	    "(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" "
	    "0 0)",
	},
	{ "crlf_only", S(msg_crlf_only),
	    "(NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL)",
	    "(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" "
	    "0 0 NIL NIL NIL NIL)",
	    "(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" "
	    "0 0)",
	},
	{ "nobound", S(msg_nobound),
	    "(NIL NIL ((NIL NIL \"a\" \"b\")) ((NIL NIL \"a\" \"b\")) ((NIL "
	    "NIL \"a\" \"b\")) NIL NIL NIL NIL NIL)",
	    "((\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL "
	    "\"7bit\" 44 5 NIL NIL NIL NIL) \"mixed\" NIL NIL NIL NIL)",
	    "((\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL "
	    "\"7bit\" 44 5) \"mixed\")",
	},
	{ "neverbound", S(msg_neverbound),
	    "(NIL NIL ((NIL NIL \"a\" \"b\")) ((NIL NIL \"a\" \"b\")) ((NIL "
	    "NIL \"a\" \"b\")) NIL NIL NIL NIL NIL)",
	    "((\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL "
	    "\"7bit\" 44 5 NIL NIL NIL NIL) \"mixed\" (\"boundary\" "
	    "\"nothere\") NIL NIL NIL)",
	    "((\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL "
	    "\"7bit\" 44 5) \"mixed\")",
	},
	{ "unterm", S(msg_unterm),
	    "(NIL NIL ((NIL NIL \"a\" \"b\")) ((NIL NIL \"a\" \"b\")) ((NIL "
	    "NIL \"a\" \"b\")) NIL NIL NIL NIL NIL)",
	    "((\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL "
	    "\"7bit\" 3 0 NIL NIL NIL NIL)(\"text\" \"html\" (\"charset\" "
	    "\"us-ascii\") NIL NIL \"7bit\" 3 0 NIL NIL NIL NIL) \"mixed\" "
	    "(\"boundary\" \"u\") NIL NIL NIL)",
	    "((\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL "
	    "\"7bit\" 3 0)(\"text\" \"html\" (\"charset\" \"us-ascii\") NIL "
	    "NIL \"7bit\" 3 0) \"mixed\")",
	},
	{ "empty_parts", S(msg_empty_parts),
	    "(NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL)",
	    "((\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL "
	    "\"7bit\" 0 0 NIL NIL NIL NIL)(\"text\" \"plain\" (\"charset\" "
	    "\"us-ascii\") NIL NIL \"7bit\" 0 0 NIL NIL NIL NIL) \"mixed\" "
	    "(\"boundary\" \"e\") NIL NIL NIL)",
	    "((\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL "
	    "\"7bit\" 0 0)(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL "
	    "NIL \"7bit\" 0 0) \"mixed\")",
	},
	{ "bd", S(msg_bd),
	    "(NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL)",
	    "((\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL "
	    "\"7bit\" 3 0 NIL NIL NIL NIL)(\"text\" \"plain\" (\"charset\" "
	    "\"us-ascii\") NIL NIL \"7bit\" 3 0 NIL NIL NIL NIL)(\"text\" "
	    "\"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 5 0 NIL "
	    "NIL NIL NIL) \"mixed\" (\"boundary\" \"b\") NIL NIL NIL)",
	    "((\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL "
	    "\"7bit\" 3 0)(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL "
	    "NIL \"7bit\" 3 0)(\"text\" \"plain\" (\"charset\" \"us-ascii\") "
	    "NIL NIL \"7bit\" 5 0) \"mixed\")",
	},
	{ "pre", S(msg_pre),
	    "(NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL)",
	    "(((\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL "
	    "\"7bit\" 6 0 NIL NIL NIL NIL)(\"text\" \"plain\" (\"charset\" "
	    "\"us-ascii\") NIL NIL \"7bit\" 6 0 NIL NIL NIL NIL) "
	    "\"alternative\" (\"boundary\" \"abcdef\") NIL NIL NIL)(\"text\" "
	    "\"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 4 0 NIL "
	    "NIL NIL NIL) \"mixed\" (\"boundary\" \"abc\") NIL NIL NIL)",
	    "(((\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL "
	    "\"7bit\" 6 0)(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL "
	    "NIL \"7bit\" 6 0) \"alternative\")(\"text\" \"plain\" "
	    "(\"charset\" \"us-ascii\") NIL NIL \"7bit\" 4 0) \"mixed\")",
	},
	{ "toprfc", S(msg_toprfc),
	    "(NIL NIL ((NIL NIL \"a\" \"b\")) ((NIL NIL \"a\" \"b\")) ((NIL "
	    "NIL \"a\" \"b\")) NIL NIL NIL NIL NIL)",
	    "(\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 42 (NIL \"in\" "
	    "((NIL NIL \"inner\" \"b\")) ((NIL NIL \"inner\" \"b\")) ((NIL "
	    "NIL \"inner\" \"b\")) NIL NIL NIL NIL NIL) (\"text\" \"plain\" "
	    "(\"charset\" \"us-ascii\") NIL NIL \"7bit\" 12 1 NIL NIL NIL "
	    "NIL) 4 NIL NIL NIL NIL)",
	    "(\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 42 (NIL \"in\" "
	    "((NIL NIL \"inner\" \"b\")) ((NIL NIL \"inner\" \"b\")) ((NIL "
	    "NIL \"inner\" \"b\")) NIL NIL NIL NIL NIL) (\"text\" \"plain\" "
	    "(\"charset\" \"us-ascii\") NIL NIL \"7bit\" 12 1) 4)",
	},
	{ "badct", S(msg_badct),
	    "(NIL NIL ((NIL NIL \"a\" \"b\")) ((NIL NIL \"a\" \"b\")) ((NIL "
	    "NIL \"a\" \"b\")) NIL NIL NIL NIL NIL)",
	    "(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" "
	    "3 1 NIL NIL NIL NIL)",
	    "(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" "
	    "3 1)",
	},
	{ "mpnochild", S(msg_mpnochild),
	    "(NIL NIL ((NIL NIL \"a\" \"b\")) ((NIL NIL \"a\" \"b\")) ((NIL "
	    "NIL \"a\" \"b\")) NIL NIL NIL NIL NIL)",
	    "(((\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL "
	    "\"7bit\" 4 0 NIL NIL NIL NIL) \"alternative\" NIL NIL NIL NIL) "
	    "\"mixed\" (\"boundary\" \"a\") NIL NIL NIL)",
	    "(((\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL "
	    "\"7bit\" 4 0) \"alternative\") \"mixed\")",
	},
	{ "msgtypes", S(msg_msgtypes),
	    "(NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL)",
	    "((\"message\" \"global\" NIL NIL NIL \"7bit\" 15 (NIL \"g\" NIL "
	    "NIL NIL NIL NIL NIL NIL NIL) (\"text\" \"plain\" (\"charset\" "
	    "\"us-ascii\") NIL NIL \"7bit\" 1 0 NIL NIL NIL NIL) 2 NIL NIL "
	    "NIL NIL)(\"message\" \"rfc822\" NIL NIL NIL \"base64\" 24 (NIL "
	    "NIL NIL NIL NIL NIL NIL NIL NIL NIL) (\"text\" \"plain\" "
	    "(\"charset\" \"us-ascii\") NIL NIL \"7bit\" 0 0 NIL NIL NIL "
	    "NIL) 0 NIL NIL NIL NIL)(\"message\" \"rfc822\" NIL NIL NIL "
	    "\"7bit\" 15 (NIL \"h\" NIL NIL NIL NIL NIL NIL NIL NIL) "
	    "(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" "
	    "1 0 NIL NIL NIL NIL) 2 NIL NIL NIL NIL)(\"message\" \"partial\" "
	    "(\"id\" \"1\") NIL NIL \"7bit\" 15 NIL NIL NIL NIL)(\"text\" "
	    "\"plain\" (\"charset\" \"us-ascii\") NIL NIL \"x-uuencode\" 5 0 "
	    "NIL NIL NIL NIL) \"mixed\" (\"boundary\" \"b\") NIL NIL NIL)",
	    "((\"message\" \"global\" NIL NIL NIL \"7bit\" 15 (NIL \"g\" NIL "
	    "NIL NIL NIL NIL NIL NIL NIL) (\"text\" \"plain\" (\"charset\" "
	    "\"us-ascii\") NIL NIL \"7bit\" 1 0) 2)(\"message\" \"rfc822\" "
	    "NIL NIL NIL \"base64\" 24 (NIL NIL NIL NIL NIL NIL NIL NIL NIL "
	    "NIL) (\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL "
	    "\"7bit\" 0 0) 0)(\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 15 "
	    "(NIL \"h\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"text\" \"plain\" "
	    "(\"charset\" \"us-ascii\") NIL NIL \"7bit\" 1 0) 2)(\"message\" "
	    "\"partial\" (\"id\" \"1\") NIL NIL \"7bit\" 15)(\"text\" "
	    "\"plain\" (\"charset\" \"us-ascii\") NIL NIL \"x-uuencode\" 5 "
	    "0) \"mixed\")",
	},
	{ "related", S(msg_related),
	    "(\"Tue, 2 Jan 2024 09:00:00 +0000\" "
	    "\"=?utf-8?B?UmU6IE1lZXRpbmcgbm90ZXMg4oCU?= "
	    "=?utf-8?B?IHBsZWFzZSByZXZpZXc=?=\" ((\"Sender Name\" NIL "
	    "\"sender\" \"example.com\")) ((\"Sender Name\" NIL \"sender\" "
	    "\"example.com\")) ((\"Sender Name\" NIL \"sender\" "
	    "\"example.com\")) ((\"Recipient, One\" NIL \"r1\" "
	    "\"example.org\")(NIL NIL \"r2\" \"example.org\")) NIL NIL "
	    "\"<prev@example.org>\" \"<CAF1234@mail.example.com>\")",
	    "(((\"text\" \"plain\" (\"charset\" \"utf-8\") NIL NIL "
	    "\"base64\" 42 1 NIL NIL NIL NIL)(\"text\" \"html\" (\"charset\" "
	    "\"utf-8\") NIL NIL \"quoted-printable\" 86 2 NIL NIL NIL NIL) "
	    "\"alternative\" (\"boundary\" \"_000_alt_\") NIL NIL "
	    "NIL)(\"image\" \"png\" (\"name\" \"image001.png\") "
	    "\"<image001.png@01D9>\" \"image001.png\" \"base64\" 100 NIL "
	    "(\"inline\" (\"filename\" \"image001.png\" \"size\" \"68\" "
	    "\"creation-date\" \"Tue, 02 Jan 2024 09:00:00 GMT\" "
	    "\"modification-date\" \"Tue, 02 Jan 2024 09:00:00 GMT\")) NIL "
	    "NIL) \"related\" (\"boundary\" \"_004_rel_\" \"type\" "
	    "\"multipart/alternative\") NIL NIL NIL)",
	    "(((\"text\" \"plain\" (\"charset\" \"utf-8\") NIL NIL "
	    "\"base64\" 42 1)(\"text\" \"html\" (\"charset\" \"utf-8\") NIL "
	    "NIL \"quoted-printable\" 86 2) \"alternative\")(\"image\" "
	    "\"png\" (\"name\" \"image001.png\") \"<image001.png@01D9>\" "
	    "\"image001.png\" \"base64\" 100) \"related\")",
	},
	{ "report", S(msg_report),
	    "(NIL \"Undelivered Mail Returned to Sender\" ((\"Mail Delivery "
	    "System\" NIL \"MAILER-DAEMON\" \"mx.example.com\")) ((\"Mail "
	    "Delivery System\" NIL \"MAILER-DAEMON\" \"mx.example.com\")) "
	    "((\"Mail Delivery System\" NIL \"MAILER-DAEMON\" "
	    "\"mx.example.com\")) ((NIL NIL \"sender\" \"example.com\")) NIL "
	    "NIL NIL \"<20240102.ABC@mx.example.com>\")",
	    "((\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL "
	    "\"Notification\" \"7bit\" 102 2 NIL NIL NIL NIL)(\"message\" "
	    "\"delivery-status\" NIL NIL \"Delivery report\" \"7bit\" 114 "
	    "NIL NIL NIL NIL)(\"message\" \"rfc822\" NIL NIL \"Undelivered "
	    "Message\" \"7bit\" 149 (\"Mon, 1 Jan 2024 12:00:00 -0500\" "
	    "\"hello\" ((NIL NIL \"sender\" \"example.com\")) ((NIL NIL "
	    "\"sender\" \"example.com\")) ((NIL NIL \"sender\" "
	    "\"example.com\")) ((NIL NIL \"nobody\" \"example.org\")) NIL "
	    "NIL NIL \"<orig@example.com>\") (\"text\" \"plain\" "
	    "(\"charset\" \"us-ascii\") NIL NIL \"7bit\" 11 0 NIL NIL NIL "
	    "NIL) 6 NIL NIL NIL NIL) \"report\" (\"report-type\" "
	    "\"delivery-status\" \"boundary\" "
	    "\"B1.1700000000/mx.example.com\") NIL NIL NIL)",
	    "((\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL "
	    "\"Notification\" \"7bit\" 102 2)(\"message\" "
	    "\"delivery-status\" NIL NIL \"Delivery report\" \"7bit\" "
	    "114)(\"message\" \"rfc822\" NIL NIL \"Undelivered Message\" "
	    "\"7bit\" 149 (\"Mon, 1 Jan 2024 12:00:00 -0500\" \"hello\" "
	    "((NIL NIL \"sender\" \"example.com\")) ((NIL NIL \"sender\" "
	    "\"example.com\")) ((NIL NIL \"sender\" \"example.com\")) ((NIL "
	    "NIL \"nobody\" \"example.org\")) NIL NIL NIL "
	    "\"<orig@example.com>\") (\"text\" \"plain\" (\"charset\" "
	    "\"us-ascii\") NIL NIL \"7bit\" 11 0) 6) \"report\")",
	},
	{ "signed", S(msg_signed),
	    "(NIL \"signed\" ((\"Alice\" NIL \"alice\" \"example.org\")) "
	    "((\"Alice\" NIL \"alice\" \"example.org\")) ((\"Alice\" NIL "
	    "\"alice\" \"example.org\")) ((\"Bob\" NIL \"bob\" "
	    "\"example.net\")) NIL NIL NIL NIL)",
	    "((\"text\" \"plain\" (\"charset\" \"UTF-8\" \"format\" "
	    "\"flowed\" \"delsp\" \"yes\") NIL NIL \"7bit\" 12 0 NIL NIL NIL "
	    "NIL)(\"application\" \"pgp-signature\" (\"name\" "
	    "\"signature.asc\") NIL \"OpenPGP digital signature\" \"7bit\" "
	    "63 NIL (\"attachment\" (\"filename\" \"signature.asc\")) NIL "
	    "NIL) \"signed\" (\"micalg\" \"pgp-sha256\" \"protocol\" "
	    "\"application/pgp-signature\" \"boundary\" \"sig-boundary\") "
	    "NIL NIL NIL)",
	    "((\"text\" \"plain\" (\"charset\" \"UTF-8\" \"format\" "
	    "\"flowed\" \"delsp\" \"yes\") NIL NIL \"7bit\" 12 "
	    "0)(\"application\" \"pgp-signature\" (\"name\" "
	    "\"signature.asc\") NIL \"OpenPGP digital signature\" \"7bit\" "
	    "63) \"signed\")",
	},
	{ "nested_rfc", S(msg_nested_rfc),
	    "(NIL \"outer\" ((NIL NIL \"outer\" \"x\")) ((NIL NIL \"outer\" "
	    "\"x\")) ((NIL NIL \"outer\" \"x\")) NIL NIL NIL NIL NIL)",
	    "(\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 399 (NIL "
	    "\"middle\" ((NIL NIL \"middle\" \"x\")) ((NIL NIL \"middle\" "
	    "\"x\")) ((NIL NIL \"middle\" \"x\")) NIL NIL NIL NIL NIL) "
	    "((\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 154 (NIL "
	    "\"=?iso-8859-1?q?inn=E9r?=\" ((NIL NIL \"inner\" \"x\")) ((NIL "
	    "NIL \"inner\" \"x\")) ((NIL NIL \"inner\" \"x\")) NIL NIL NIL "
	    "NIL NIL) (\"text\" \"plain\" (\"charset\" \"iso-8859-1\") NIL "
	    "NIL \"quoted-printable\" 11 0 NIL NIL NIL NIL) 5 NIL NIL NIL "
	    "NIL)(\"application\" \"octet-stream\" (\"name\" "
	    "\"=?UTF-8?B?w6kudHh0?=\") NIL NIL \"base64\" 8 NIL NIL NIL NIL) "
	    "\"mixed\" (\"boundary\" \"m\") NIL NIL NIL) 19 NIL NIL NIL NIL)",
	    "(\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 399 (NIL "
	    "\"middle\" ((NIL NIL \"middle\" \"x\")) ((NIL NIL \"middle\" "
	    "\"x\")) ((NIL NIL \"middle\" \"x\")) NIL NIL NIL NIL NIL) "
	    "((\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 154 (NIL "
	    "\"=?iso-8859-1?q?inn=E9r?=\" ((NIL NIL \"inner\" \"x\")) ((NIL "
	    "NIL \"inner\" \"x\")) ((NIL NIL \"inner\" \"x\")) NIL NIL NIL "
	    "NIL NIL) (\"text\" \"plain\" (\"charset\" \"iso-8859-1\") NIL "
	    "NIL \"quoted-printable\" 11 0) 5)(\"application\" "
	    "\"octet-stream\" (\"name\" \"=?UTF-8?B?w6kudHh0?=\") NIL NIL "
	    "\"base64\" 8) \"mixed\") 19)",
	},
	{ "rfcex", S(msg_rfcex),
	    "(NIL \"rfc example\" ((NIL NIL \"a\" \"b\")) ((NIL NIL \"a\" "
	    "\"b\")) ((NIL NIL \"a\" \"b\")) NIL NIL NIL NIL NIL)",
	    "((\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL "
	    "\"7bit\" 4 0 NIL NIL NIL NIL)(\"TEXT\" \"PLAIN\" (\"CHARSET\" "
	    "\"US-ASCII\" \"NAME\" \"cc.diff\") "
	    "\"<960723163407.20117h@cac.washington.edu>\" \"Compiler diff\" "
	    "\"BASE64\" 4 0 NIL NIL NIL NIL) \"MIXED\" (\"BOUNDARY\" \"x\") "
	    "NIL NIL NIL)",
	    "((\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL "
	    "\"7bit\" 4 0)(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\" "
	    "\"NAME\" \"cc.diff\") "
	    "\"<960723163407.20117h@cac.washington.edu>\" \"Compiler diff\" "
	    "\"BASE64\" 4 0) \"MIXED\")",
	},
	{ "dupct", S(msg_dupct),
	    "(NIL NIL ((NIL NIL \"a\" \"b\")) ((NIL NIL \"a\" \"b\")) ((NIL "
	    "NIL \"a\" \"b\")) NIL NIL NIL NIL NIL)",
	    "(\"text\" \"plain\" (\"charset\" \"a\") \"<1>\" \"d1\" "
	    "\"base64\" 6 1 \"m1\" (\"inline\" NIL) (\"en\") \"l1\")",
	    "(\"text\" \"plain\" (\"charset\" \"a\") \"<1>\" \"d1\" "
	    "\"base64\" 6 1)",
	},
	{ "ctdup", S(msg_ctdup),
	    "(NIL NIL ((NIL NIL \"a\" \"b\")) ((NIL NIL \"a\" \"b\")) ((NIL "
	    "NIL \"a\" \"b\")) NIL NIL NIL NIL NIL)",
	    "(\"text\" \"html\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" "
	    "17 4 NIL NIL NIL NIL)",
	    "(\"text\" \"html\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" "
	    "17 4)",
	},
	{ "cte_weird", S(msg_cte_weird),
	    "(NIL NIL ((NIL NIL \"a\" \"b\")) ((NIL NIL \"a\" \"b\")) ((NIL "
	    "NIL \"a\" \"b\")) NIL NIL NIL NIL NIL)",
	    "(\"text\" \"plain\" (\"charset\" \"utf-8\") NIL NIL \"BASE64\" "
	    "6 1 NIL NIL NIL NIL)",
	    "(\"text\" \"plain\" (\"charset\" \"utf-8\") NIL NIL \"BASE64\" "
	    "6 1)",
	},
	{ "lfonly", S(msg_lfonly),
	    "(NIL \"bare lf\" ((NIL NIL \"lf\" \"x\")) ((NIL NIL \"lf\" "
	    "\"x\")) ((NIL NIL \"lf\" \"x\")) NIL NIL NIL NIL NIL)",
	    "((\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL "
	    "\"7bit\" 7 1 NIL NIL NIL NIL)(\"text\" \"html\" (\"charset\" "
	    "\"us-ascii\") NIL NIL \"7bit\" 8 0 NIL NIL NIL NIL) "
	    "\"alternative\" (\"boundary\" \"lf\") NIL NIL NIL)",
	    "((\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL "
	    "\"7bit\" 7 1)(\"text\" \"html\" (\"charset\" \"us-ascii\") NIL "
	    "NIL \"7bit\" 8 0) \"alternative\")",
	},
};

#define NMSG_CASES	(sizeof(msg_cases) / sizeof(msg_cases[0]))

#endif
