build-t/src/core/audit.o: src/core/audit.c include/kesu/audit.h \
 include/kesu/store.h include/kesu/err.h
include/kesu/audit.h:
include/kesu/store.h:
include/kesu/err.h:
