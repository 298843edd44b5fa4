build-t/src/core/demo.o: src/core/demo.c include/kesu/demo.h \
 include/kesu/err.h include/kesu/case.h include/kesu/session.h \
 include/kesu/conf.h include/kesu/calendar.h include/kesu/store.h \
 include/kesu/form.h include/kesu/clock.h include/kesu/yaml.h
include/kesu/demo.h:
include/kesu/err.h:
include/kesu/case.h:
include/kesu/session.h:
include/kesu/conf.h:
include/kesu/calendar.h:
include/kesu/store.h:
include/kesu/form.h:
include/kesu/clock.h:
include/kesu/yaml.h:
