/* tf-password.c — to be written. */
#include "tf-password.h"
