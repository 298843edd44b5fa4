build-t/src/core/paper.o: src/core/paper.c include/kesu/paper.h \
 include/kesu/session.h include/kesu/conf.h include/kesu/err.h \
 include/kesu/calendar.h include/kesu/store.h include/kesu/case.h \
 include/kesu/form.h
include/kesu/paper.h:
include/kesu/session.h:
include/kesu/conf.h:
include/kesu/err.h:
include/kesu/calendar.h:
include/kesu/store.h:
include/kesu/case.h:
include/kesu/form.h:
