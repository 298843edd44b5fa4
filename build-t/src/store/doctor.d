build-t/src/store/doctor.o: src/store/doctor.c include/kesu/store.h \
 include/kesu/err.h src/store/private.h
include/kesu/store.h:
include/kesu/err.h:
src/store/private.h:
