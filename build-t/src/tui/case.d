build-t/src/tui/case.o: src/tui/case.c include/kesu/tui.h \
 include/kesu/session.h include/kesu/conf.h include/kesu/err.h \
 include/kesu/calendar.h include/kesu/store.h include/kesu/form.h \
 include/kesu/keymap.h include/kesu/case.h include/kesu/clock.h \
 include/kesu/deadline.h include/kesu/editlock.h include/kesu/penalty.h \
 include/kesu/penconf.h include/kesu/text.h
include/kesu/tui.h:
include/kesu/session.h:
include/kesu/conf.h:
include/kesu/err.h:
include/kesu/calendar.h:
include/kesu/store.h:
include/kesu/form.h:
include/kesu/keymap.h:
include/kesu/case.h:
include/kesu/clock.h:
include/kesu/deadline.h:
include/kesu/editlock.h:
include/kesu/penalty.h:
include/kesu/penconf.h:
include/kesu/text.h:
