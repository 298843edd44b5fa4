/* loader.h — what every configuration reader in src/conf shares (private to
 * src/conf): one diagnostic per problem as "FILE:LINE:COL: 说明", unknown
 * keys named, the common typed reads, and "read FILE if it is there".
 *
 * A reader keeps a yl for the file it reads and goes on after a problem, so
 * one run reports all of them; yl.bad says whether there was any. With
 * yl.sorted the diagnostics are held and yl_flush hands them over in file
 * order (penalty.yaml, calendars); otherwise each goes to yl.d at once. */
#ifndef KESU_CONF_LOADER_H
#define KESU_CONF_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include "kesu/conf.h"
#include "kesu/yaml.h"

typedef struct yl_held yl_held;

typedef struct yl {
	conf_diags *d;      /* where the diagnostics go */
	const char *file;   /* the file's name as shown: "tasks.yaml", "forms/monthly_report.yaml" */
	bool bad;           /* a diagnostic was made */
	bool sorted;        /* hold the diagnostics until yl_flush, then in file order */
	yl_held *held;
	size_t nheld;
} yl;

/* Append msg (taken) to d. */
void yl_add(conf_diags *d, char *msg);

/* "FILE:LINE:COL: message" at node at (1:1 when at is NULL). */
__attribute__((format(printf, 3, 4)))
void yl_diag(yl *L, const ynode *at, const char *fmt, ...);

/* With L->sorted: hand the held diagnostics to L->d, ordered by line, column
 * and then the order they were made in. Otherwise nothing to do. */
void yl_flush(yl *L);

/* Report every key of map that is not in allowed (NULL-terminated) as
 * "未知的键 K（此处可用的键：a, b）". Nothing when map is not a map. */
void yl_check_keys(yl *L, const ynode *map, const char *const *allowed);
/* The same for one key node k that is known to be unknown. */
void yl_unknown_key(yl *L, const ynode *k, const char *const *allowed);
/* The same, naming only the key: "未知的键 K". */
void yl_check_keys_short(yl *L, const ynode *map, const char *const *allowed);

/* n is of kind, else "WHAT 应为映射，实际是文本" and false. */
bool yl_want_kind(yl *L, const ynode *n, ynode_kind kind, const char *what);

/* The nonempty text under key of m (points into the tree), or NULL: absent
 * ("缺少必需的键 K" when required) or not a nonempty text ("K 应为非空文本"). */
const char *yl_text(yl *L, const ynode *m, const char *key, bool required);

/* The integer v in [lo, hi] into *out, else "KEY 应为 LO 到 HI 之间的整数" and false. */
bool yl_int(yl *L, const ynode *v, const char *key, long lo, long hi, int *out);

/* true/yes, false/no under key of map; dflt when absent or bad ("K 应为 true 或 false"). */
bool yl_bool(yl *L, const ynode *map, const char *key, bool dflt);

/* A code: one or more of a-z 0-9 _ -. */
bool yl_ident_ok(const char *s);

/* Free n strings and the array. */
void yl_free_strs(char **s, size_t n);

/* Keep a copy of name in c->files for the life of c (a conf_pos points at it). */
const char *yl_keep_name(conf *c, const char *name);

/* The values of one condition (conf_cond) from val: a text, or a list of
 * texts ("条件的值应为文本" for any other item). false, with nothing
 * reported, when val is neither: the caller says what else it allows. */
bool yl_cond_values(yl *L, const ynode *val, conf_cond *c);

/* A `when`: one map of conditions, or a list of such maps (any one of them
 * holds: conf_cond.alt). read_map(ctx, m, r, n, alt) appends the conditions
 * of map m to r[*n] (r has room for every key of every map). NULL when v is
 * NULL or neither a map nor a list (reported). */
typedef void yl_cond_map_fn(void *ctx, const ynode *m, conf_cond *r, size_t *n, int alt);
conf_cond *yl_conds(yl *L, const ynode *v, size_t *n, yl_cond_map_fn *read_map, void *ctx);

/* The tree of dir/L->file when that file is there (the caller frees it with
 * ynode_free). NULL when it is not (no diagnostic), when it is empty, or when
 * it does not parse ("FILE:LINE:COL: YAML 语法错误…", L->bad set). */
ynode *yl_load_optional(yl *L, const char *dir);

#endif
