/* tf-store-schema.h
 *
 * The account store's schema as numbered migrations; included by
 * tf-store.c only. Each migration runs in one transaction that also sets
 * PRAGMA user_version to its number. A released migration is never
 * edited: a change is a new migration, and TF_STORE_SCHEMA_VERSION grows.
 * tests/core/fixtures/store-v1.sql holds migration 1 as a database.
 */
#pragma once

#include "tf-store.h"

static const char migration_1[] =
  "CREATE TABLE meta ("
  "  key TEXT PRIMARY KEY NOT NULL,"
  "  value BLOB);"
  "CREATE TABLE users ("
  "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  username TEXT UNIQUE NOT NULL,"
  "  first_name TEXT,"
  "  last_name TEXT,"
  "  email TEXT,"
  "  email_verified_at INTEGER,"
  "  state TEXT NOT NULL DEFAULT 'pending'"
  "    CHECK (state IN ('pending', 'active', 'disabled')),"
  "  password_hash BLOB,"
  "  created_at INTEGER NOT NULL,"
  "  last_login_at INTEGER);"
  "CREATE TABLE totp ("
  "  user_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,"
  "  secret BLOB,"
  "  algorithm TEXT NOT NULL DEFAULT 'SHA1',"
  "  digits INTEGER NOT NULL DEFAULT 6,"
  "  period INTEGER NOT NULL DEFAULT 30,"
  "  last_step INTEGER,"
  "  drift_steps INTEGER NOT NULL DEFAULT 0,"
  "  confirmed_at INTEGER);"
  "CREATE TABLE recovery_codes ("
  "  id INTEGER PRIMARY KEY,"
  "  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,"
  "  hash BLOB NOT NULL,"
  "  used_at INTEGER);"
  "CREATE INDEX recovery_codes_user ON recovery_codes (user_id);"
  "CREATE TABLE reset_codes ("
  "  user_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,"
  "  hash BLOB NOT NULL,"
  "  expires_at INTEGER NOT NULL,"
  "  attempts INTEGER NOT NULL DEFAULT 0,"
  "  created_at INTEGER NOT NULL);"
  "CREATE TABLE throttle ("
  "  key TEXT PRIMARY KEY NOT NULL,"
  "  failures INTEGER NOT NULL DEFAULT 0,"
  "  next_allowed_at INTEGER NOT NULL DEFAULT 0,"
  "  window_start INTEGER NOT NULL DEFAULT 0,"
  "  window_attempts INTEGER NOT NULL DEFAULT 0);"
  "CREATE TABLE outbox ("
  "  id INTEGER PRIMARY KEY,"
  "  created_at INTEGER NOT NULL,"
  "  recipient TEXT NOT NULL,"
  "  subject TEXT NOT NULL,"
  "  body BLOB,"
  "  attempts INTEGER NOT NULL DEFAULT 0,"
  "  next_attempt_at INTEGER NOT NULL DEFAULT 0,"
  "  state TEXT NOT NULL DEFAULT 'queued',"
  "  last_error TEXT);"
  "CREATE TABLE audit ("
  "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  time INTEGER NOT NULL,"
  "  username TEXT,"
  "  event TEXT NOT NULL,"
  "  detail TEXT,"
  "  mac BLOB);";

static const char migration_2[] =
  "ALTER TABLE users ADD COLUMN failed_since_login INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE totp ADD COLUMN pending_secret BLOB;"
  "CREATE TABLE mail_log ("
  "  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,"
  "  kind TEXT NOT NULL,"
  "  sent_at INTEGER NOT NULL);"
  "CREATE INDEX mail_log_user ON mail_log (user_id, kind, sent_at);";

static const char *const migrations[TF_STORE_SCHEMA_VERSION + 1] = {
  NULL,
  migration_1,
  migration_2,
};
