build-t/src/conf/penconf.o: src/conf/penconf.c include/kesu/penconf.h \
 include/kesu/conf.h include/kesu/err.h include/kesu/calendar.h \
 include/kesu/yaml.h
include/kesu/penconf.h:
include/kesu/conf.h:
include/kesu/err.h:
include/kesu/calendar.h:
include/kesu/yaml.h:
