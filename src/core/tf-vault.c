/* tf-vault.c — to be written. */
