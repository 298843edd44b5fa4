build-t/src/conf/calconf.o: src/conf/calconf.c include/kesu/calconf.h \
 include/kesu/calendar.h include/kesu/err.h include/kesu/conf.h \
 include/kesu/yaml.h
include/kesu/calconf.h:
include/kesu/calendar.h:
include/kesu/err.h:
include/kesu/conf.h:
include/kesu/yaml.h:
