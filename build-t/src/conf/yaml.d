build-t/src/conf/yaml.o: src/conf/yaml.c include/kesu/yaml.h \
 include/kesu/err.h
include/kesu/yaml.h:
include/kesu/err.h:
