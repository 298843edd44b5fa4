/* print.h — forms and letters laid out for paper.
 *
 * Two steps. First a *document* (JSON) says what the paper says, every string
 * already sanitised (text_visible) and renderer-neutral:
 *   form:   {kind: "form", title, case, header: [line], groups: [{title,
 *            items: [{label, text}]}], footer: [line], signatures: [label],
 *            folio}                      (folio: a short line naming the paper,
 *                                          for the foot of every PDF page)
 *   letter: {kind: "letter", case, title, salutation, opening, items:
 *            [{label, text}], closing, from, date, folio}
 * Then a renderer lays it out: print_doc_text() as text here, or the PDF
 * program kesu-pdf (src/pdf/), fed the same document on a pipe.
 *
 * The layout functions are pure: they read only their arguments and return a
 * new string (caller frees). Every stored string goes through text_visible()
 * before it is placed; widths are display widths (text_width), so Chinese
 * text keeps the boxes aligned: every line of a form is exactly `width`
 * columns, box-drawing characters counting one column each (as wcwidth says;
 * a terminal that draws them wide will disagree). Long values are wrapped
 * inside their box at character boundaries. */
#ifndef KESU_PRINT_H
#define KESU_PRINT_H

#include <jansson.h>
#include "kesu/conf.h"
#include "kesu/store.h"

#define PRINT_WIDTH 78       /* columns of a printed form */
#define PRINT_MIN_WIDTH 40
#define PRINT_MAX_WIDTH 400
#define PRINT_MAX_SIGNATURES 6   /* signature boxes in one row */

/* The copy (联) a printed form is: shown in its footer. */
typedef struct print_copy {
	int no, total, round;       /* 第 no 联（共 total 联）, issued the round-th time */
	const char *holder;         /* holder department's name */
	const char *purpose;
	const char *issued_at;      /* "YYYY-MM-DD HH:MM" */
	const char *issued_by;      /* the issuer's name */
} print_copy;

typedef struct print_opts {
	int width;                  /* columns; <= 0: PRINT_WIDTH; clamped to MIN..MAX */
	const print_copy *copy;     /* the copy printed, or NULL */
	const char *mark;           /* e.g. "草稿 · 未结案": shown in the title and the footer, or NULL */
	const char *note;           /* one more footer line, or NULL */
} print_opts;

/* A form snapshot (copies_snapshot, see copies.h) laid out for paper: title,
 * case number and header, the fields in boxes grouped by their group, the
 * footer (copy number, holder and purpose, or the draft mark) and the
 * signature boxes. Every line ends with '\n'. */
char *print_form(const json_t *snap, const print_opts *o);

/* The document of that form (see above; o->width is not used). A new object. */
json_t *print_form_doc(const json_t *snap, const print_opts *o);

/* What the letter to the customer says, from the approved handling: the
 * latest event of an approval action (one with approval_amount) and what
 * actions that kept the case in the state it led to recorded afterwards
 * (the reply). Internal fields are left out: only the case number, the
 * customer, the subject, the registration date, the approval's fields other
 * than staff and departments, and the later text fields. KS_INVALID if the
 * case has no approval, or was sent back after it. *out:
 *   {case, customer, subject, registered, items: [{label, text}]}
 * Pure but for formatting the date in the business time zone. */
ks_status print_reply_data(const conf *cf, const store_case *c, const store_event *ev, size_t nev,
                           json_t **out, ks_err *err);

/* The letter laid out as text, signed by from (a department's name) on date
 * ("YYYY年MM月DD日"); lines at most width columns (<= 0: PRINT_WIDTH). */
char *print_reply(const json_t *letter, const char *from, const char *date, int width);

/* The letter's document (see above). A new object. */
json_t *print_reply_doc(const json_t *letter, const char *from, const char *date);

/* A document (form or letter) laid out as text, width columns (<= 0:
 * PRINT_WIDTH): print_form() and print_reply() are this after the doc. */
char *print_doc_text(const json_t *doc, int width);

#endif
