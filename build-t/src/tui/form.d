build-t/src/tui/form.o: src/tui/form.c include/kesu/tui.h \
 include/kesu/session.h include/kesu/conf.h include/kesu/err.h \
 include/kesu/calendar.h include/kesu/store.h include/kesu/form.h \
 include/kesu/keymap.h include/kesu/text.h
include/kesu/tui.h:
include/kesu/session.h:
include/kesu/conf.h:
include/kesu/err.h:
include/kesu/calendar.h:
include/kesu/store.h:
include/kesu/form.h:
include/kesu/keymap.h:
include/kesu/text.h:
