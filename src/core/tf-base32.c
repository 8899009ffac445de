/* tf-base32.c — to be written. */
#include "tf-base32.h"
