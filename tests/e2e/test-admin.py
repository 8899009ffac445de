#!/usr/bin/python3
"""twofold-admin end to end: a real store and key file, codes from oathtool.

Prints TAP. Usage: test-admin.py PATH/TO/twofold-admin
"""
import json
import os
import re
import shlex
import sqlite3
import stat
import subprocess
import sys
import tempfile
import time

ADMIN = sys.argv[1]
# build-aux/run-valgrind runs every twofold-admin under memcheck through this.
WRAPPER = shlex.split(os.environ.get("TF_ADMIN_WRAPPER", ""))
TMP = tempfile.mkdtemp(prefix="twofold-admin-")
STORE = os.path.join(TMP, "store", "twofold.db")
KEY = os.path.join(TMP, "key")
PASSWORD = "correct horse battery staple"
results = []


def run(*args, stdin="", env=None, store=STORE, key=KEY, native=False):
    """native: without TF_ADMIN_WRAPPER, for steps that race a clock."""
    cmd = ([] if native else WRAPPER) + [ADMIN]
    if store:
        cmd += ["--store", store]
    if key:
        cmd += ["--key-file", key]
    cmd += list(args)
    full_env = dict(os.environ)
    full_env.update(env or {})
    p = subprocess.run(cmd, input=stdin.encode() if isinstance(stdin, str) else stdin,
                       capture_output=True, env=full_env, timeout=600 if WRAPPER else 60)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def oathtool(secret, at=None):
    at = int(time.time()) if at is None else int(at)
    return subprocess.run(["oathtool", "--totp", "-b", "-N", "@%d" % at, secret],
                          capture_output=True, check=True, text=True).stdout.strip()


def check(name, cond, detail=""):
    results.append((name, bool(cond), detail))


def one_line_error(err):
    lines = err.strip().splitlines()
    return len(lines) == 1 and lines[0].startswith("twofold-admin: ")


def secret_of(uri):
    return re.search(r"[?&]secret=([A-Z2-7]+)", uri).group(1)


# init
rc, out, err = run("init")
check("init creates the store", rc == 0 and os.path.exists(STORE), err)
mode = stat.S_IMODE(os.stat(KEY).st_mode)
check("init creates the key file 0600", mode == 0o600, oct(mode))
check("store directory is 0700", stat.S_IMODE(os.stat(os.path.dirname(STORE)).st_mode) == 0o700)
rc, out, err = run("init")
check("init again keeps the store", rc == 0, err)

# usage errors
rc, out, err = run("frobnicate")
check("unknown command exits 2 with one line", rc == 2 and one_line_error(err), err)
rc, out, err = run("show")
check("missing argument exits 2", rc == 2 and one_line_error(err), err)
rc, out, err = run("add", "alice", "--email", "a@example.org")
check("add without names exits 2", rc == 2 and one_line_error(err), err)
for cmd in ["init", "add", "confirm", "verify", "list", "show", "disable", "enable",
            "unlock", "delete", "reset-2fa", "audit", "doctor"]:
    rc, out, err = run(cmd, "--help")
    check("%s --help" % cmd, rc == 0 and "Usage:" in out, err)

# bad input
rc, out, err = run("add", "alice", "--email", "a@example.org\r\nBcc: x@example.org",
                   "--first-name", "Alice", "--last-name", "Liddell", stdin=PASSWORD + "\n")
check("CR/LF in e-mail refused with exit 2", rc == 2 and one_line_error(err), err)
rc, out, err = run("add", "a" * 100000, "--email", "a@example.org",
                   "--first-name", "A", "--last-name", "B", stdin=PASSWORD + "\n")
check("100 kB username (the longest argument Linux passes) refused with exit 2", rc == 2 and one_line_error(err), err)
rc, out, err = run("add", "alice", "--email", "a@example.org", "--first-name", "Alice",
                   "--last-name", "Liddell", stdin="short\n")
check("weak password refused with exit 2", rc == 2 and one_line_error(err), err)
rc, out, err = run("add", "alice", "--email", "a@example.org", "--first-name", "Alice",
                   "--last-name", "Liddell", stdin=b"correct horse\x00battery staple\n")
check("NUL in password refused with exit 2", rc == 2 and one_line_error(err), err)
rc, out, err = run("list")
check("nothing stored by refused adds", rc == 0 and out == "", out)

# add + confirm
rc, out, err = run("add", "Alice", "--email", "alice@example.org", "--first-name", "Alice",
                   "--last-name", "Liddell", "--qr", stdin=PASSWORD + "\n")
uri = out.splitlines()[0] if out else ""
check("add prints the otpauth URI", rc == 0 and uri.startswith("otpauth://totp/Twofold:alice?"), err)
check("add --qr draws half blocks", "\u2588" in out or "\u2580" in out)
secret = secret_of(uri)
rc, out, err = run("add", "ALICE", "--email", "b@example.org", "--first-name", "B",
                   "--last-name", "C", stdin=PASSWORD + "\n")
check("duplicate username exits 2", rc == 2 and one_line_error(err), err)

rc, out, err = run("list", "--json")
users = json.loads(out)
check("list --json shows alice pending", rc == 0 and users[0]["username"] == "alice"
      and users[0]["state"] == "pending", out)

rc, out, err = run("confirm", "alice", stdin="000000\n")
check("confirm with a wrong code exits 1", rc == 1 and one_line_error(err), err)
now = time.time()
rc, out, err = run("confirm", "alice", stdin=oathtool(secret, now) + "\n")
codes = out.split()
check("confirm prints 10 recovery codes", rc == 0 and len(codes) == 10, err + out)

# verify
code_next = oathtool(secret, now + 30)
rc, out, err = run("verify", "alice", stdin="%s\n%s\n" % (PASSWORD, code_next))
check("verify accepts password + code", rc == 0, err)
rc, out, err = run("verify", "alice", stdin="%s\n%s\n" % (PASSWORD, code_next))
check("verify refuses a replayed code", rc == 1 and one_line_error(err), err)
rc, out, err = run("verify", "alice", stdin="%s\n%s\n" % ("wrong password!!", codes[0]))
check("verify refuses a wrong password", rc == 1, err)
rc, out, err = run("verify", "nobody", stdin="%s\n%s\n" % (PASSWORD, codes[0]))
check("verify refuses an unknown user the same way", rc == 1 and err.strip().endswith(
    "Invalid username, password or code."), err)
rc, out, err = run("verify", "alice", stdin="%s\n%s\n" % (PASSWORD, codes[0]))
check("verify accepts a recovery code", rc == 0, err)
rc, out, err = run("verify", "alice", stdin="%s\n%s\n" % (PASSWORD, codes[0]))
check("a recovery code works once", rc == 1, err)

# PAM convention on a second account, so its steps are fresh.
rc, out, err = run("add", "bob", "--email", "bob@example.org", "--first-name", "Bob",
                   "--last-name", "Builder", stdin=PASSWORD + "\n")
bob = secret_of(out)
# The clock again: under TF_ADMIN_WRAPPER (valgrind) the runs above take minutes.
now = time.time()
run("confirm", "bob", stdin=oathtool(bob, now) + "\n")
authtok = (PASSWORD + oathtool(bob, now + 30)).encode() + b"\0"
rc, out, err = run("verify", "--pam", stdin=authtok, env={"PAM_USER": "bob"})
check("verify --pam accepts password+code", rc == 0, err)
rc, out, err = run("verify", "--pam", stdin=authtok, env={"PAM_USER": "bob"})
check("verify --pam refuses the replay", rc == 1, err)

# show, disable, enable, unlock, reset-2fa, delete
rc, out, err = run("show", "alice", "--json")
info = json.loads(out) if rc == 0 else {}
check("show --json", info.get("state") == "active" and info.get("recovery_codes_left") == 9
      and info.get("last_login_at") is not None, out + err)
rc, out, err = run("disable", "alice")
check("disable", rc == 0, err)
rc, out, err = run("verify", "alice", stdin="%s\n%s\n" % (PASSWORD, codes[1]))
check("a disabled account is refused", rc == 1, err)
rc, out, err = run("enable", "alice")
check("enable", rc == 0, err)
# Natively: the first delay is 30 s, and under memcheck on a loaded machine
# one run can take longer, so the delay would be over before the check.
for i in range(7):
    run("verify", "alice", stdin="%s\n%s\n" % ("wrong password!!", "000000"), native=True)
rc, out, err = run("verify", "alice", stdin="%s\n%s\n" % (PASSWORD, codes[1]), native=True)
check("throttled after repeated failures", rc == 1 and "Try again" in err, err)
rc, out, err = run("show", "alice", native=True)
check("show tells the throttle", "Throttled until" in out, out)
rc, out, err = run("unlock", "alice")
check("unlock", rc == 0, err)
rc, out, err = run("verify", "alice", stdin="%s\n%s\n" % (PASSWORD, codes[1]),
                   env={"TWOFOLD_SEAT": "another-seat"})
check("unlocked account logs in", rc == 0, err)
rc, out, err = run("reset-2fa", "alice")
check("reset-2fa prints a new URI", rc == 0 and secret_of(out) != secret, err)
rc, out, err = run("show", "alice", "--json")
check("reset-2fa puts the account back to pending", json.loads(out)["state"] == "pending")
rc, out, err = run("delete", "alice")
check("delete", rc == 0, err)
rc, out, err = run("show", "alice")
check("show of a deleted account exits 1", rc == 1 and one_line_error(err), err)

# audit
rc, out, err = run("audit", "--json")
events = [e["event"] for e in json.loads(out)] if rc == 0 else []
check("audit lists admin actions and logins", "admin.add" in events and "login.success" in events
      and "admin.delete" in events, out)
rc, out, err = run("audit", "--verify")
check("audit --verify on an intact log", rc == 0, err)

# doctor
rc, out, err = run("doctor")
check("doctor passes on a healthy store", rc == 0, out + err)

db = sqlite3.connect(STORE)
db.execute("UPDATE audit SET detail = 'edited' WHERE id = (SELECT MIN(id) FROM audit)")
db.commit()
db.close()
rc, out, err = run("audit", "--verify")
check("audit --verify exits 3 on an edited log", rc == 3 and one_line_error(err), err)

os.chmod(STORE, 0o644)
rc, out, err = run("doctor")
check("doctor exits 3 on loose permissions", rc == 3, out + err)

# environment problems
rc, out, err = run("list", store=os.path.join(TMP, "missing.db"))
check("a missing store exits 3", rc == 3 and one_line_error(err), err)
empty = os.path.join(TMP, "empty", "twofold.db")
os.makedirs(os.path.dirname(empty), mode=0o700)
open(empty, "wb").close()
os.chmod(empty, 0o600)
rc, out, err = run("list", store=empty)
check("a zero-length store is damaged: exit 3", rc == 3 and one_line_error(err), err)
check("and it is left as it was", os.path.getsize(empty) == 0)
os.chmod(KEY, 0o644)
rc, out, err = run("list")
check("a key file readable by others exits 3", rc == 3 and one_line_error(err), err)

print("1..%d" % len(results))
for i, (name, ok, detail) in enumerate(results, 1):
    print("%s %d - %s" % ("ok" if ok else "not ok", i, name))
    if not ok and detail:
        for line in str(detail).strip().splitlines()[:10]:
            print("# " + line)
sys.exit(0 if all(ok for _, ok, _ in results) else 1)
