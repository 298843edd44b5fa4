build-t/src/core/penalty_bonus.o: src/core/penalty_bonus.c \
 include/kesu/penalty.h include/kesu/conf.h include/kesu/err.h \
 include/kesu/calendar.h include/kesu/penconf.h include/kesu/session.h \
 include/kesu/store.h include/kesu/clock.h include/kesu/text.h
include/kesu/penalty.h:
include/kesu/conf.h:
include/kesu/err.h:
include/kesu/calendar.h:
include/kesu/penconf.h:
include/kesu/session.h:
include/kesu/store.h:
include/kesu/clock.h:
include/kesu/text.h:
