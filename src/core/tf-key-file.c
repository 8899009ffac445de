/* tf-key-file.c — to be written. */
