/* fuzz_conf.c — the configuration loader on hostile YAML.
 *
 * The first byte of the input chooses one file of a data directory's config/
 * (the manufacturing preset, preset.h); the rest replaces that file and the
 * whole directory is loaded with conf_load, so the fuzzed text meets the
 * parser, the type checks and the cross-checks against the other, valid
 * files.  Whatever the input, conf_load must return KS_OK with a conf or an
 * error with at least one "FILE:LINE:COL: message" diagnostic, without
 * crashing, leaking or reading out of bounds.  The same bytes also go through
 * ynode_parse directly. */
#include <assert.h>
#include <stdint.h>
#include "kesu/conf.h"
#include "kesu/yaml.h"
#include "preset.h"

static const char *confdir;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc; (void)argv;
	confdir = preset_setup();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	size_t which = data[0] % PRESET_NFILES;
	const char *text = (const char *)data + 1;
	size_t len = size - 1;

	ynode *root = NULL;
	ks_err e;
	if (ynode_parse(text, len, &root, &e) == KS_OK)
		ynode_free(root);
	else
		assert(e.msg[0]);

	char path[4096];
	snprintf(path, sizeof path, "%s/%s", confdir, preset_files[which][0]);
	spit(path, text, len);
	conf *c = NULL;
	conf_diags d = {0};
	ks_status rc = conf_load(confdir, &c, &d);
	if (rc == KS_OK) {
		assert(c != NULL);
		conf_free(c);
	} else {
		assert(c == NULL && d.n > 0);
		for (size_t i = 0; i < d.n; i++)
			assert(strstr(d.msgs[i], ":") != NULL);
	}
	conf_diags_free(&d);
	spit(path, preset_text[which], preset_len[which]);
	return 0;
}
