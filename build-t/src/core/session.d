build-t/src/core/session.o: src/core/session.c include/kesu/session.h \
 include/kesu/conf.h include/kesu/err.h include/kesu/calendar.h \
 include/kesu/store.h include/kesu/clock.h include/kesu/deadline.h
include/kesu/session.h:
include/kesu/conf.h:
include/kesu/err.h:
include/kesu/calendar.h:
include/kesu/store.h:
include/kesu/clock.h:
include/kesu/deadline.h:
