/*
 * pam: the "pam" password backend (Linux-PAM; service "imap", or
 * "pam:SERVICE").
 *
 * One PAM transaction per login attempt: pam_start, pam_authenticate,
 * pam_acct_mgmt. A failed attempt ends its transaction at once; a
 * successful one is kept for auth_session_open/close (pam_setcred and
 * pam_open_session), which must run in the same process, before the
 * privileges are dropped.
 */
#include <sys/types.h>

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <security/pam_appl.h>

#include "auth/auth.h"
#include "auth/auth_int.h"
#include "lib/log.h"

#define PAM_SERVICE_DEFAULT	"imap"
#define PAM_SERVICE_MAX		64

/* What the conversation function answers with; pass is borrowed and only
 * set while pam_authenticate runs. */
struct pam_creds {
	const char	*user;
	const char	*pass;
};

struct pamauth {
	pam_handle_t	*pamh;
	int		 last_rc;
	bool		 cred_set;
	bool		 session_open;
	struct pam_creds creds;
	struct pam_conv	 pc;
	char		 user[AUTH_USER_MAX + 1];
	char		 service[PAM_SERVICE_MAX + 1];
	const char	*reason;	/* why the last attempt failed */
};

static void	*pam_init(const char *, char **);
static void	 pam_free(void *);
static void	 pam_forget(void *);
static enum auth_result pam_verify(void *, const char *, const char *,
		    const char *, struct account *, const char **);
static int	 pam_sess_open(void *);
static void	 pam_sess_close(void *);
static int	 conv(int, const struct pam_message **, struct pam_response **,
		    void *);
static void	 free_responses(struct pam_response *, int);
static enum auth_result pam_result(int);
static enum auth_result authenticate(struct pamauth *, const char *,
		    const char *);
static enum auth_result lookup_account(struct pamauth *, struct account *);
static void	 end_transaction(struct pamauth *);

const struct auth_backend auth_backend_pam = {
	.name = "pam",
	.needs_arg = false,
	.optional_arg = true,	/* "pam:SERVICE" */
	.init = pam_init,
	.free = pam_free,
	.verify = pam_verify,
	.session_open = pam_sess_open,
	.session_close = pam_sess_close,
	.forget = pam_forget,
};

static void *
pam_init(const char *arg, char **err_r)
{
	struct pamauth *pa;

	if ((pa = calloc(1, sizeof(*pa))) == NULL) {
		auth_set_err(err_r, "pam: out of memory");
		return NULL;
	}
	pa->last_rc = PAM_SUCCESS;
	if (arg == NULL)
		arg = PAM_SERVICE_DEFAULT;
	/* a file name under /etc/pam.d */
	if (*arg == '\0' || strlen(arg) > PAM_SERVICE_MAX ||
	    strchr(arg, '/') != NULL || arg[0] == '.') {
		auth_set_err(err_r, "pam: bad service name \"%s\"", arg);
		free(pa);
		return NULL;
	}
	strlcpy(pa->service, arg, sizeof(pa->service));
	return pa;
}

static void
pam_free(void *ctx)
{
	struct pamauth *pa = ctx;

	if (pa == NULL)
		return;
	pam_sess_close(pa);
	free(pa);
}

/*
 * In the user process: the PAM handle belongs to the monitor, which
 * closes the session; calling into PAM here could end it twice. The
 * handle's memory is left as it is.
 */
static void
pam_forget(void *ctx)
{
	struct pamauth *pa = ctx;

	explicit_bzero(pa->user, sizeof(pa->user));
	free(pa);
}

static enum auth_result
pam_verify(void *ctx, const char *user, const char *pass, const char *rhost,
    struct account *acct_r, const char **reason_r)
{
	struct pamauth *pa = ctx;
	enum auth_result r;

	/* A new attempt replaces whatever the previous one left. */
	pam_sess_close(pa);
	strlcpy(pa->user, user, sizeof(pa->user));
	pa->creds.user = pa->user;
	pa->creds.pass = NULL;
	pa->pc.conv = conv;
	pa->pc.appdata_ptr = &pa->creds;
	pa->reason = "PAM failure";
	pa->last_rc = pam_start(pa->service, user, &pa->pc, &pa->pamh);
	if (pa->last_rc != PAM_SUCCESS) {
		log_err("pam: pam_start: %s", pam_strerror(NULL,
		    pa->last_rc));
		pa->pamh = NULL;
		return AUTH_TEMPFAIL;
	}
	if (rhost != NULL && strcmp(rhost, "-") != 0 &&
	    (pa->last_rc = pam_set_item(pa->pamh, PAM_RHOST, rhost)) !=
	    PAM_SUCCESS) {
		log_err("pam: PAM_RHOST: %s", pam_strerror(pa->pamh,
		    pa->last_rc));
		end_transaction(pa);
		return AUTH_TEMPFAIL;
	}
	r = authenticate(pa, user, pass);
	if (r == AUTH_OK)
		r = lookup_account(pa, acct_r);
	if (r != AUTH_OK)
		end_transaction(pa);
	*reason_r = pa->reason;
	return r;
}

/* pam_authenticate + pam_acct_mgmt; logs why a user was refused. */
static enum auth_result
authenticate(struct pamauth *pa, const char *user, const char *pass)
{
	int rc;

	pa->creds.pass = pass;
	rc = pam_authenticate(pa->pamh, PAM_SILENT |
	    PAM_DISALLOW_NULL_AUTHTOK);
	pa->creds.pass = NULL;
	pa->last_rc = rc;
	if (rc != PAM_SUCCESS) {
		pa->reason = pam_strerror(pa->pamh, rc);
		return pam_result(rc);
	}
	rc = pam_acct_mgmt(pa->pamh, PAM_SILENT | PAM_DISALLOW_NULL_AUTHTOK);
	pa->last_rc = rc;
	if (rc == PAM_NEW_AUTHTOK_REQD) {
		/* IMAP has no way to change a password: refuse. */
		pa->reason = "password expired";
		return AUTH_FAIL;
	}
	if (rc != PAM_SUCCESS) {
		/* locked, expired or otherwise refused account */
		pa->reason = pam_strerror(pa->pamh, rc);
		return pam_result(rc);
	}
	return AUTH_OK;
}

/*
 * The account comes from the name PAM settled on (a module may map the
 * login name), looked up in the passwd database.
 */
static enum auth_result
lookup_account(struct pamauth *pa, struct account *acct_r)
{
	const void *item = NULL;
	const char *name;
	int rc;

	rc = pam_get_item(pa->pamh, PAM_USER, &item);
	name = rc == PAM_SUCCESS && item != NULL ? item : pa->user;
	if (!auth_valid_username(name)) {
		pa->reason = "PAM_USER is not a valid user name";
		return AUTH_FAIL;
	}
	if (auth_getpwnam(name, acct_r) == -1) {
		if (errno != 0) {
			log_err("pam: getpwnam: %s", strerror(errno));
			pa->reason = "passwd lookup failed";
			return AUTH_TEMPFAIL;
		}
		pa->reason = "no passwd entry";
		return AUTH_FAIL;
	}
	if (acct_r->uid == 0) {
		pa->reason = "uid 0 refused";
		return AUTH_FAIL;
	}
	/* Keep the transaction's own copy in step with the account. */
	strlcpy(pa->user, acct_r->name, sizeof(pa->user));
	return AUTH_OK;
}

static int
pam_sess_open(void *ctx)
{
	struct pamauth *pa = ctx;
	int rc;

	if (pa->pamh == NULL) {
		log_err("pam: session requested without a verified user");
		return -1;
	}
	if ((rc = pam_setcred(pa->pamh, PAM_ESTABLISH_CRED | PAM_SILENT)) !=
	    PAM_SUCCESS) {
		pa->last_rc = rc;
		log_err("pam: pam_setcred: %s", pam_strerror(pa->pamh, rc));
		return -1;
	}
	pa->cred_set = true;
	if ((rc = pam_open_session(pa->pamh, PAM_SILENT)) != PAM_SUCCESS) {
		pa->last_rc = rc;
		log_err("pam: pam_open_session: %s",
		    pam_strerror(pa->pamh, rc));
		return -1;
	}
	pa->session_open = true;
	return 0;
}

/* Ends the session (if open), deletes credentials, ends the transaction. */
static void
pam_sess_close(void *ctx)
{
	struct pamauth *pa = ctx;
	int rc;

	if (pa->pamh == NULL)
		return;
	if (pa->session_open) {
		rc = pam_close_session(pa->pamh, PAM_SILENT);
		if (rc != PAM_SUCCESS)
			log_warn("pam: pam_close_session: %s",
			    pam_strerror(pa->pamh, rc));
		pa->session_open = false;
	}
	if (pa->cred_set) {
		rc = pam_setcred(pa->pamh, PAM_DELETE_CRED | PAM_SILENT);
		if (rc != PAM_SUCCESS)
			log_warn("pam: pam_setcred(delete): %s",
			    pam_strerror(pa->pamh, rc));
		pa->cred_set = false;
	}
	end_transaction(pa);
}

static void
end_transaction(struct pamauth *pa)
{
	if (pa->pamh != NULL)
		pam_end(pa->pamh, pa->last_rc);
	pa->pamh = NULL;
	pa->last_rc = PAM_SUCCESS;
	pa->creds.pass = NULL;
	explicit_bzero(pa->user, sizeof(pa->user));
}

/*
 * Answer the prompts of the PAM modules: echo-off prompts get the
 * password, echo-on prompts the user name; messages are logged. The
 * responses belong to PAM afterwards (Linux-PAM wipes them on free).
 * Some modules pass no response pointer along with pure messages.
 */
static int
conv(int n, const struct pam_message **msg, struct pam_response **resp_r,
    void *appdata)
{
	const struct pam_creds *c = appdata;
	struct pam_response *resp;
	const char *answer;
	char text[200 * 4 + 8];
	int i;

	if (resp_r != NULL)
		*resp_r = NULL;
	if (n <= 0 || n > PAM_MAX_NUM_MSG)
		return PAM_CONV_ERR;
	if ((resp = calloc(n, sizeof(*resp))) == NULL)
		return PAM_BUF_ERR;
	for (i = 0; i < n; i++) {
		switch (msg[i]->msg_style) {
		case PAM_PROMPT_ECHO_OFF:
			answer = c->pass;
			break;
		case PAM_PROMPT_ECHO_ON:
			answer = c->user;
			break;
		case PAM_ERROR_MSG:
		case PAM_TEXT_INFO:
			/* May quote the client's user name: escape. */
			if (msg[i]->msg != NULL)
				log_debug("pam: module says: %s", log_escape(
				    msg[i]->msg, strlen(msg[i]->msg), 200, text,
				    sizeof(text)));
			continue;
		default:
			free_responses(resp, n);
			return PAM_CONV_ERR;
		}
		/* A prompt outside pam_authenticate gets no password. */
		if (answer == NULL || resp_r == NULL ||
		    (resp[i].resp = strdup(answer)) == NULL) {
			free_responses(resp, n);
			return answer == NULL || resp_r == NULL ?
			    PAM_CONV_ERR : PAM_BUF_ERR;
		}
	}
	if (resp_r != NULL)
		*resp_r = resp;
	else
		free_responses(resp, n);
	return PAM_SUCCESS;
}

static void
free_responses(struct pam_response *resp, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (resp[i].resp != NULL) {
			explicit_bzero(resp[i].resp, strlen(resp[i].resp));
			free(resp[i].resp);
		}
	free(resp);
}

/* Backend trouble is temporary; everything else is a refusal. */
static enum auth_result
pam_result(int rc)
{
	switch (rc) {
	case PAM_SUCCESS:
		return AUTH_OK;
	case PAM_SYSTEM_ERR:
	case PAM_BUF_ERR:
	case PAM_AUTHINFO_UNAVAIL:
	case PAM_ABORT:
		return AUTH_TEMPFAIL;
	default:
		return AUTH_FAIL;
	}
}
