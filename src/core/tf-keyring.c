/* tf-keyring.c — to be written. */
