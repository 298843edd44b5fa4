build-t/src/core/err.o: src/core/err.c include/kesu/err.h
include/kesu/err.h:
