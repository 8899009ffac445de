#!/usr/bin/python3
"""Faults while twofold-admin works: each must leave a consistent store and
say clearly what is wrong.

    test-faults.py TWOFOLD_ADMIN      (prints TAP)

- The keyring going away between two commands (needs a Secret Service on the
  session bus: run under tests/tf-test-session --keyring): the next command
  exits 3 saying the keyring is unavailable; once it is back, everything is
  there.
- The store's file system made read-only (a tmpfs remounted ro; as root,
  file modes do not stop writes): a write exits 3 with a clear message, and
  nothing is lost.
- A full disk (a 2 MiB tmpfs, nearly filled): adding users ends with exit 3
  and an I/O message; the store passes integrity_check and keeps every user
  acknowledged before, each with its audit entry, and the add that failed
  left both its account and its entry, or neither.
- SIGKILL during every kind of write (add, confirm, verify, disable, enable,
  unlock, reset-2fa, delete — each also appends to the audit log), 20 times
  each at random moments: after each, integrity_check passes, the audit chain
  verifies, every change a command acknowledged (exit 0) is there, and (for
  add, confirm, verify and delete, whose result tells) the change is on disk
  exactly when its audit entry is.

Mounts need root; the script runs itself in a private mount namespace
(unshare), so they vanish with it whatever happens, and unmounts them itself
as well. Without root the mount cases are skipped.
"""
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

ADMIN = os.path.abspath(sys.argv[1])
PASSWORD = "correct horse battery staple"
KILLS = int(os.environ.get("TF_FAULT_KILLS", "20"))
results = []
mounts = []


def check(name, cond, detail=""):
    results.append((name, bool(cond), detail))


def skip(name, reason):
    results.append((name, None, reason))


def admin(args, stdin="", store=None, key=None, timeout=120):
    cmd = [ADMIN]
    if store:
        cmd += ["--store", store]
    if key:
        cmd += ["--key-file", key]
    p = subprocess.run(cmd + list(args), input=stdin.encode(), capture_output=True,
                       timeout=timeout)
    return p.returncode, p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace")


def one_line(err):
    lines = [l for l in err.splitlines() if l.strip()]
    return len(lines) == 1 and lines[0].startswith("twofold-admin: ")


def no_glib_noise(err):
    return not re.search(r"\b(CRITICAL|WARNING)\b", err)


def users(store, key):
    rc, out, err = admin(["list", "--json"], store=store, key=key)
    lines = [l for l in out.splitlines() if l.startswith("[")]
    if rc != 0 or not lines:
        return None
    return {u["username"]: u for u in json.loads(lines[0])}


def integrity(store):
    p = subprocess.run(["sqlite3", store, "PRAGMA integrity_check;"], capture_output=True,
                       text=True, timeout=60)
    return p.stdout.strip() == "ok", p.stdout + p.stderr


def audit_ok(store, key):
    rc, out, err = admin(["audit", "--verify"], store=store, key=key)
    return rc == 0, err


def audit_entries(store, key):
    rc, out, err = admin(["audit", "--json"], store=store, key=key)
    lines = [l for l in out.splitlines() if l.startswith("[")]
    return json.loads(lines[0]) if rc == 0 and lines else None


def has_entry(entries, event, user):
    return any(e["event"] == event and e["user"] == user for e in entries)


def add(store, key, name):
    rc, out, err = admin(["add", name, "--email", "%s@example.org" % name, "--first-name", "F",
                          "--last-name", "L"], PASSWORD + "\n", store=store, key=key)
    m = re.search(r"secret=([A-Z2-7]+)", out)
    return rc, (m.group(1) if m else None), err


def oathtool(secret, at):
    return subprocess.run(["oathtool", "--totp", "-b", "-N", "@%d" % int(at), secret],
                          capture_output=True, check=True, text=True).stdout.strip()


def mount_tmpfs(path, size):
    os.makedirs(path, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=%s,mode=0700" % size, "tmpfs", path],
                   check=True, capture_output=True)
    mounts.append(path)


def umount_all():
    for path in reversed(mounts):
        subprocess.run(["umount", "-l", path], capture_output=True)
    mounts.clear()


# The keyring.

def secret_service_pid():
    p = subprocess.run(["dbus-send", "--session", "--print-reply", "--dest=org.freedesktop.DBus",
                        "/org/freedesktop/DBus", "org.freedesktop.DBus.GetConnectionUnixProcessID",
                        "string:org.freedesktop.secrets"], capture_output=True, text=True)
    m = re.search(r"uint32 (\d+)", p.stdout)
    return int(m.group(1)) if m else None


def keyring_cases(tmp):
    pid = secret_service_pid() if os.environ.get("DBUS_SESSION_BUS_ADDRESS", "").startswith(
        "unix:") and "nonexistent" not in os.environ["DBUS_SESSION_BUS_ADDRESS"] else None
    if pid is None:
        skip("keyring disappearing between commands", "no Secret Service on the session bus")
        return
    store = os.path.join(tmp, "keyring-store", "twofold.db")
    rc, out, err = admin(["init"], store=store)
    check("keyring: init keeps the key in the keyring", rc == 0, err)
    rc, secret, err = add(store, None, "kira")
    check("keyring: add works", rc == 0, err)
    # This test's own daemon (tf-test-session started it on this private bus).
    os.kill(pid, signal.SIGTERM)
    deadline = time.time() + 10
    while time.time() < deadline and os.path.exists("/proc/%d" % pid):
        time.sleep(0.05)
    rc, out, err = admin(["list"], store=store)
    check("keyring gone: the next command exits 3", rc == 3, "exit %d: %s" % (rc, err))
    check("keyring gone: one clear line about the keyring",
          one_line(err) and re.search(r"keyring", err, re.I), err)
    rc, secret2, err = add(store, None, "kim")
    check("keyring gone: a write exits 3 too, and adds nothing", rc == 3, err)
    # Back, unlocked with the same password, as after logging in again.
    p = subprocess.run(["gnome-keyring-daemon", "--unlock", "--components=secrets"],
                       input=b"ci-password", capture_output=True, timeout=30,
                       env=dict(os.environ, G_DEBUG=""))
    for line in p.stdout.decode().splitlines():
        name, _, value = line.partition("=")
        if name:
            os.environ[name] = value
    deadline = time.time() + 10
    while time.time() < deadline and secret_service_pid() is None:
        time.sleep(0.1)
    found = users(store, None)
    check("keyring back: the store opens again with nothing lost",
          found is not None and set(found) == {"kira"}, str(found))
    check("keyring back: audit chain intact", audit_ok(store, None)[0])


# A read-only file system.

def read_only_cases(tmp):
    mnt = os.path.join(tmp, "ro")
    mount_tmpfs(mnt, "16m")
    store = os.path.join(mnt, "store", "twofold.db")
    key = os.path.join(tmp, "ro-key")
    admin(["init"], store=store, key=key)
    rc, secret, err = add(store, key, "rosa")
    check("read-only: set-up", rc == 0, err)
    before = users(store, key)
    subprocess.run(["mount", "-o", "remount,ro", mnt], check=True, capture_output=True)
    rc, out, err = admin(["add", "rolf", "--email", "r@example.org", "--first-name", "R",
                          "--last-name", "F"], PASSWORD + "\n", store=store, key=key)
    check("read-only: add exits 3", rc == 3, "exit %d: %s" % (rc, err))
    check("read-only: one clear line (read-only / could not be written)",
          one_line(err) and re.search(r"read-only|readonly|could not be (read or )?written|"
                                      r"could not be opened", err, re.I) and no_glib_noise(err),
          err)
    for cmd in (["disable", "rosa"], ["delete", "rosa"], ["unlock", "rosa"]):
        rc, out, err = admin(cmd, store=store, key=key)
        check("read-only: %s exits 3 with one line" % cmd[0], rc == 3 and one_line(err),
              "exit %d: %s" % (rc, err))
    rc, out, err = admin(["verify", "rosa"], "%s\n123456\n" % PASSWORD, store=store, key=key)
    check("read-only: verify refuses (exit 1 or 3), never accepts", rc in (1, 3) and
          no_glib_noise(err), "exit %d: %s" % (rc, err))
    subprocess.run(["mount", "-o", "remount,rw", mnt], check=True, capture_output=True)
    ok, report = integrity(store)
    check("read-only, then writable again: integrity_check ok", ok, report)
    after = users(store, key)
    check("read-only, then writable again: the store is as before",
          after is not None and set(after) == set(before) and
          after["rosa"]["state"] == before["rosa"]["state"], "%s / %s" % (before, after))
    check("read-only: audit chain intact", audit_ok(store, key)[0])
    rc, secret, err = add(store, key, "rolf")
    check("read-only, then writable again: writes work", rc == 0, err)


# A full disk.

def disk_full_cases(tmp):
    mnt = os.path.join(tmp, "full")
    mount_tmpfs(mnt, "2m")
    store = os.path.join(mnt, "store", "twofold.db")
    key = os.path.join(tmp, "full-key")
    rc, out, err = admin(["init"], store=store, key=key)
    check("disk full: set-up", rc == 0, err)
    # Leave about 256 KiB: room for the -shm, the WAL and some users, then the wall.
    st = os.statvfs(mnt)
    free = st.f_bavail * st.f_frsize
    filler = os.path.join(mnt, "filler")
    with open(filler, "wb") as f:
        f.write(b"\0" * max(0, free - 256 * 1024))
    acknowledged = []
    failure = None
    for i in range(200):
        name = "full%03d" % i
        rc, secret, err = add(store, key, name)
        if rc == 0:
            acknowledged.append(name)
            continue
        failure = (rc, err)
        break
    failed_name = name
    check("disk full: adding users finally fails", failure is not None and acknowledged,
          "%d added, failure %s" % (len(acknowledged), failure))
    if failure is None:
        return
    rc, err = failure
    check("disk full: it exits 3", rc == 3, "exit %d: %s" % (rc, err))
    check("disk full: one line naming the problem (full / space / I/O)",
          one_line(err) and re.search(r"full|space|could not be (read or )?written", err, re.I)
          and no_glib_noise(err), err)
    rc, out, err = admin(["list"], store=store, key=key)
    check("disk full: list still answers cleanly (exit 0, or 3 with one line)",
          rc == 0 or (rc == 3 and one_line(err)), "exit %d: %s" % (rc, err))
    os.unlink(filler)
    ok, report = integrity(store)
    check("disk full, then freed: integrity_check ok", ok, report)
    found = users(store, key) or {}
    missing = [n for n in acknowledged if n not in found]
    check("disk full, then freed: every acknowledged user is there (%d)" % len(acknowledged),
          not missing, "missing %s" % missing)
    ok, err = audit_ok(store, key)
    check("disk full, then freed: audit chain intact", ok, err)
    rc, out, err = admin(["audit", "--json"], store=store, key=key)
    lines = [l for l in out.splitlines() if l.startswith("[")]
    audited = {e["user"] for e in json.loads(lines[0]) if e["event"] == "admin.add"} \
        if lines else set()
    check("disk full, then freed: the audit log lists", bool(lines), "exit %d: %s" % (rc, err))
    unaudited = [n for n in acknowledged if n not in audited]
    check("disk full: every acknowledged add is in the audit log", not unaudited,
          "added but not audited: %s" % unaudited)
    # The add that hit the wall: its account and its entry commit together.
    check("disk full: the failed add left its account and its entry, or neither",
          (failed_name in found) == (failed_name in audited),
          "%s: account %s, entry %s" % (failed_name, failed_name in found,
                                        failed_name in audited))
    strays = sorted(set(found) ^ audited)
    check("disk full: every account has its admin.add entry and every entry its account",
          not strays, "unmatched: %s" % strays)
    # Still a working store: the next change and its entry land together.
    rc, secret, err = add(store, key, "afterwards")
    ok, err2 = audit_ok(store, key)
    check("disk full, then freed: the next add works and the chain verifies",
          rc == 0 and ok, "exit %d: %s %s" % (rc, err, err2))


# SIGKILL at random moments.

def run_killed(args, stdin, store, key, delay):
    """Starts twofold-admin, kills it after delay s; (exit status, stderr)."""
    with tempfile.TemporaryFile() as fin, tempfile.TemporaryFile() as fout, \
            tempfile.TemporaryFile() as ferr:
        fin.write(stdin.encode())
        fin.seek(0)
        p = subprocess.Popen([ADMIN, "--store", store, "--key-file", key] + args,
                             stdin=fin, stdout=fout, stderr=ferr)
        time.sleep(delay)
        try:
            p.send_signal(signal.SIGKILL)
        except ProcessLookupError:
            pass
        p.wait(timeout=60)
        fout.seek(0)
        ferr.seek(0)
        return (p.returncode, fout.read().decode(errors="replace"),
                ferr.read().decode(errors="replace"))


def timed(args, stdin, store, key):
    start = time.time()
    admin(args, stdin, store=store, key=key)
    return time.time() - start


def kill_cases(tmp):
    store = os.path.join(tmp, "kill", "twofold.db")
    key = os.path.join(tmp, "kill-key")
    admin(["init"], store=store, key=key)
    rng = random.Random(int(os.environ.get("TF_FAULT_SEED", "0")) or None)
    secrets = {}
    problems = {}
    counts = {}

    # How long each kind takes, so the kill lands anywhere in it.
    rc, secret, err = add(store, key, "probe")
    duration = {
        "add": timed(["add", "probe2", "--email", "p@example.org", "--first-name", "P",
                      "--last-name", "P"], PASSWORD + "\n", store, key),
        "confirm": timed(["confirm", "probe"], oathtool(secret, time.time()) + "\n", store, key),
        "verify": timed(["verify", "probe"], "%s\n%s\n" % (PASSWORD,
                                                         oathtool(secret, time.time() + 30)),
                        store, key),
        "disable": timed(["disable", "probe"], "", store, key),
    }
    for kind in ("enable", "unlock", "reset-2fa", "delete"):
        duration[kind] = duration["disable"]

    def after_each(kind, i, rc, err, expect, together):
        counts[kind] = counts.get(kind, 0) + 1
        issues = []
        if rc not in (0, 1, -signal.SIGKILL):
            issues.append("exit %d: %s" % (rc, err.strip()))
        ok, report = integrity(store)
        if not ok:
            issues.append("integrity: " + report)
        ok, report = audit_ok(store, key)
        if not ok:
            issues.append("audit --verify: " + report.strip())
        if rc == 0:
            found = users(store, key) or {}
            why = expect(found)
            if why:
                issues.append("acknowledged but not there: " + why)
        if together:
            entries = audit_entries(store, key)
            why = "no audit log" if entries is None else together(users(store, key) or {}, entries)
            if why:
                issues.append("change and audit entry apart: " + why)
        if issues:
            problems.setdefault(kind, []).append("#%d (exit %d): %s" % (i, rc, "; ".join(issues)))

    def kill(kind, args, stdin, expect, i, together=None):
        delay = rng.uniform(0, duration[kind] * 1.2)
        rc, out, err = run_killed(args, stdin, store, key, delay)
        after_each(kind, i, rc, err, expect, together)
        return rc, out

    def both_or_neither(done, event, name):
        """Whatever the kill hit: the change is there exactly when its entry is."""
        return lambda u, e: None if done(u) == has_entry(e, event, name) else \
            "%s: change %s, %s entry %s" % (name, done(u), event, has_entry(e, event, name))

    names = ["k%02d" % i for i in range(KILLS)]
    for i, name in enumerate(names):
        rc, out = kill("add", ["add", name, "--email", "%s@example.org" % name,
                               "--first-name", "K", "--last-name", "K"], PASSWORD + "\n",
                       lambda u, n=name: None if n in u else n + " missing", i,
                       both_or_neither(lambda u, n=name: n in u, "admin.add", name))
        m = re.search(r"secret=([A-Z2-7]+)", out)
        if rc == 0 and m:
            secrets[name] = m.group(1)
    # The next kinds need every account: add the ones killed before their
    # commit; those cut short after it exist without a printed secret, and
    # reset-2fa gives them one.
    for name in names:
        if name not in secrets and name not in (users(store, key) or {}):
            rc, secret, err = add(store, key, name)
            if secret:
                secrets[name] = secret
        if name not in secrets and name in (users(store, key) or {}):
            rc, out, err = admin(["reset-2fa", name], store=store, key=key)
            m = re.search(r"secret=([A-Z2-7]+)", out)
            if m:
                secrets[name] = m.group(1)
    now = time.time()
    for i, name in enumerate(n for n in names if n in secrets):
        kill("confirm", ["confirm", name], oathtool(secrets[name], now) + "\n",
             lambda u, n=name: None if u.get(n, {}).get("state") == "active" else n, i,
             both_or_neither(lambda u, n=name: u.get(n, {}).get("state") == "active",
                             "enrolment.confirmed", name))
    for i, name in enumerate(n for n in names if n in secrets):
        kill("verify", ["verify", name], "%s\n%s\n" % (PASSWORD, oathtool(secrets[name], now + 30)),
             lambda u, n=name: None if u.get(n, {}).get("last_login_at") else n, i,
             both_or_neither(lambda u, n=name: bool(u.get(n, {}).get("last_login_at")),
                             "login.success", name))
    # reset-2fa sends an account back to pending, except a disabled one
    # (an earlier kill may have left it so); enable makes it active or, when
    # never confirmed, pending; unlock changes no state.
    for kind, states in (("disable", {"disabled"}), ("enable", {"active", "pending"}),
                         ("unlock", None), ("reset-2fa", {"pending", "disabled"}),
                         ("delete", "gone")):
        for i, name in enumerate(names):
            together = None
            if states == "gone":
                expect = lambda u, n=name: None if n not in u else n + " still there"
                together = both_or_neither(lambda u, n=name: n not in u, "admin.delete", name)
            elif states is None:
                expect = lambda u, n=name: None if n in u else n + " missing"
            else:
                expect = lambda u, n=name, s=states: None if u.get(n, {}).get("state") in s \
                    else "%s is %s" % (n, u.get(n, {}).get("state"))
            kill(kind, [kind, name], "", expect, i, together)
    for kind in ("add", "confirm", "verify", "disable", "enable", "unlock", "reset-2fa", "delete"):
        check("SIGKILL during %s (%d runs): store intact, audit chain intact, acknowledged "
              "changes kept%s" % (kind, counts.get(kind, 0),
                                  ", change and entry together"
                                  if kind in ("add", "confirm", "verify", "delete") else ""),
              counts.get(kind, 0) > 0 and kind not in problems,
              "\n".join(problems.get(kind, [])) or "no runs")


def main():
    if os.geteuid() == 0 and os.environ.get("TF_FAULTS_NAMESPACE") != "1" and shutil.which("unshare"):
        # Mounts made inside vanish with the namespace, whatever happens.
        env = dict(os.environ, TF_FAULTS_NAMESPACE="1")
        os.execvpe("unshare", ["unshare", "--mount", "--propagation", "private",
                               sys.executable] + sys.argv, env)
    tmp = tempfile.mkdtemp(prefix="twofold-faults-")
    try:
        keyring_cases(tmp)
        if os.geteuid() == 0:
            try:
                read_only_cases(tmp)
                disk_full_cases(tmp)
            finally:
                umount_all()
        else:
            skip("read-only file system", "mounting needs root")
            skip("disk full", "mounting needs root")
        kill_cases(tmp)
    finally:
        umount_all()
        shutil.rmtree(tmp, ignore_errors=True)

    print("1..%d" % len(results))
    for i, (name, ok, detail) in enumerate(results, 1):
        if ok is None:
            print("ok %d - %s # SKIP %s" % (i, name, detail))
            continue
        print("%s %d - %s" % ("ok" if ok else "not ok", i, name))
        if not ok and detail:
            for line in str(detail).splitlines()[:30]:
                print("#   " + line)


if __name__ == "__main__":
    main()
