/* session.h — one open data directory: its configuration, its database and
 * the person acting. Everything in core/ that acts on cases takes one. */
#ifndef KESU_SESSION_H
#define KESU_SESSION_H

#include <stdbool.h>
#include "kesu/conf.h"
#include "kesu/store.h"

typedef struct session {
	char *dir;               /* data directory */
	conf *cf;
	store *st;
	const conf_staff *me;    /* NULL until session_login() */
	/* core/case.c case_fields_of: the last case fields parsed, kept because
	 * one action looks at the same case's fields several times */
	char *fields_text;
	struct json_t *fields_json;
	/* core/search.c: events' and forms' JSON already parsed */
	struct search_cache *search_cache;
} session;

/* Open data directory dir: load and validate DIR/config (the first problem
 * and how many there are go to err; `kesu check-config` lists them all), set
 * the business time zone, open DIR/kesu.db and mirror the organisation.
 * Free with session_close(). */
ks_status session_open(const char *dir, session **out, ks_err *err);
void session_close(session *s);

/* Re-time the open clocks if the configuration changed since they were last
 * timed (or always, with force), at clock_now(). *changed counts clocks whose
 * due time moved. Call after the clock is set (--now). */
ks_status session_retime(session *s, bool force, int *changed, ks_err *err);

/* Act as login from now on. Unknown or disabled staff: KS_DENIED. */
ks_status session_login(session *s, const char *login, ks_err *err);

#endif
