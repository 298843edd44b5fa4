/* yaml.h — a YAML document as a tree of nodes that remember where they were.
 *
 * conf/ reads every configuration file through this, so each error can say
 * FILE:LINE:COL. Anchors and aliases are refused (configuration is meant to be
 * read by people), so the tree is a plain tree. */
#ifndef KESU_YAML_H
#define KESU_YAML_H

#include <stdbool.h>
#include <stddef.h>
#include "kesu/err.h"

typedef enum { YNODE_SCALAR, YNODE_SEQ, YNODE_MAP } ynode_kind;

typedef struct ynode ynode;
struct ynode {
	ynode_kind kind;
	int line, col;        /* 1-based position of the node's start */
	char *str;            /* scalar text (valid UTF-8), NULL otherwise */
	bool plain;           /* scalar written without quotes */
	size_t n;             /* items in a sequence, pairs in a map */
	ynode **items;        /* sequence items, or map values */
	ynode **keys;         /* map keys (scalars), NULL for sequences */
	void *arena;          /* private: the root's memory (every node, string, array) */
};

/* Parse the file at path into a tree. On a syntax error returns KS_INVALID and
 * writes "LINE:COL: message" into err (the caller adds the file name).
 * An empty file yields NULL with KS_OK. The caller frees with ynode_free(),
 * the root only: it frees the whole tree. */
ks_status ynode_load(const char *path, ynode **out, ks_err *err);
/* Same, from a string in memory (for tests). */
ks_status ynode_parse(const char *text, size_t len, ynode **out, ks_err *err);
void ynode_free(ynode *n);

/* The value under key in a map, or NULL (also NULL if map is not a map). */
ynode *ynode_get(const ynode *map, const char *key);
/* The key node of the pair whose key is key, or NULL. */
ynode *ynode_key(const ynode *map, const char *key);
/* A short Chinese name of the node's kind: "文本", "列表", "映射". */
const char *ynode_kind_name(const ynode *n);

#endif
