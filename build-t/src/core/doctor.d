build-t/src/core/doctor.o: src/core/doctor.c include/kesu/doctor.h \
 include/kesu/err.h include/kesu/audit.h include/kesu/store.h \
 include/kesu/calendar.h include/kesu/clock.h include/kesu/conf.h
include/kesu/doctor.h:
include/kesu/err.h:
include/kesu/audit.h:
include/kesu/store.h:
include/kesu/calendar.h:
include/kesu/clock.h:
include/kesu/conf.h:
