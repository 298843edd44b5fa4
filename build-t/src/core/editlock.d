build-t/src/core/editlock.o: src/core/editlock.c include/kesu/editlock.h \
 include/kesu/session.h include/kesu/conf.h include/kesu/err.h \
 include/kesu/calendar.h include/kesu/store.h include/kesu/case.h \
 include/kesu/form.h include/kesu/clock.h include/kesu/tuiconf.h
include/kesu/editlock.h:
include/kesu/session.h:
include/kesu/conf.h:
include/kesu/err.h:
include/kesu/calendar.h:
include/kesu/store.h:
include/kesu/case.h:
include/kesu/form.h:
include/kesu/clock.h:
include/kesu/tuiconf.h:
