/* tuiconf.h — tui.yaml, the terminal interface's settings in a data
 * directory's config/ (optional; docs/config.md):
 *
 *   edit_lock_minutes: 10      # how long "正在由 X 编辑" lasts (0 or absent: no lock)
 *   keys:                      # requests (keymap.h) and the keys that replace their defaults
 *     search: ["/", F3]
 *     move-down: [j, Down, Ctrl-N]
 *     new: []                  # unbound
 *
 * A key listed here is taken away from every request not listed. Unknown
 * requests, unknown key names, a key listed twice (for one request or two)
 * and more keys than a request may hold are errors, each FILE:LINE:COL. */
#ifndef KESU_TUICONF_H
#define KESU_TUICONF_H

#include "kesu/conf.h"

typedef struct tuiconf_bind {
	char *req;           /* request name, e.g. "move-down" */
	char **keys;         /* key names as written (checked), e.g. "j", "Down" */
	size_t nkeys;
	conf_pos pos;
} tuiconf_bind;

typedef struct tuiconf {
	tuiconf_bind *binds;
	size_t nbinds;
	long edit_lock_minutes;   /* 0: no advisory edit lock */
} tuiconf;

/* What a key name stands for: kind CHAR (value: the ASCII code, Ctrl-X
 * included), FN (value: 1..12), or NAMED (value: the index of the first
 * entry of TUI_KEYNAME_LIST with that name). */
typedef enum { TUIKEY_BAD, TUIKEY_CHAR, TUIKEY_FN, TUIKEY_NAMED } tuikey_kind;
tuikey_kind tuiconf_key_parse(const char *name, int *value);

/* Load DIR/tui.yaml of c (if there is one) into c->tui; problems go to d. */
void conf_load_tui(conf *c, conf_diags *d);
void tuiconf_free(tuiconf *t);

/* The edit lock's lifetime in seconds (0: none) of c. */
long conf_edit_lock_seconds(const conf *c);

#endif
