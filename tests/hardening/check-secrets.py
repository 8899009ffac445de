#!/usr/bin/python3
"""Secret hygiene: no password, TOTP secret, master key or one-time code is
left where it should not be after the flows that use them.

    check-secrets.py SECRET_RUN TWOFOLD_ADMIN      (prints TAP)

1. secret-run (tests/hardening/secret-run.c) runs every flow through the
   service API and stops after each step. At each stop the process is dumped
   with gcore and the dump is searched byte by byte for every secret so far;
   at the end the store (database, -wal, -shm) and everything the program
   printed with G_MESSAGES_DEBUG=all are searched too. It runs once with a
   key file and, when a Secret Service is on the session bus (the test runs
   under tf-test-session --keyring), once with the key in the keyring.
2. twofold-admin runs the same kind of flow from the command line; its
   stdout and stderr (debug logs on) and the store are searched, and a
   `verify` waiting for its second line is dumped to show that the password
   it has read is not in its memory.

Every secret is looked for as its bytes; a TOTP secret also as the HMAC
pads GLib's GHmac derives from it (key XOR 0x36 / 0x5c, the raw key in all
but name), plain and with each 32-bit word byte-swapped, which is how
GLib's SHA-1 keeps its input block.

A finding fails the test unless KNOWN below lists it, with the reason it
cannot be avoided; nothing is skipped wholesale. Where a finding comes from
is shown as the mapping of /proc/PID/maps that holds it and the bytes around
it, which is what is needed to trace it with gdb.
"""
import json
import os
import re
import signal
import shutil
import struct
import subprocess
import sys
import tempfile
import time

SECRET_RUN = sys.argv[1]
ADMIN = sys.argv[2]
TMP = tempfile.mkdtemp(prefix="twofold-secrets-")
GCORE = shutil.which("gcore")


def sanitized(path):
    """True for a program built with AddressSanitizer (-Db_sanitize=address)."""
    with open(path, "rb") as f:
        return b"__asan_init" in f.read()


# The dumps mean nothing for such a program and cannot even be made: ASan's
# shadow memory and allocator reserve terabytes of address space, and gcore
# writes it all out (79 GB for one dump filled this machine's disk). The
# searches of the store, the logs and the output still run.
NO_DUMP = None
if GCORE is None:
    NO_DUMP = "gcore (gdb) is not installed"
elif sanitized(SECRET_RUN) or sanitized(ADMIN):
    NO_DUMP = ("built with AddressSanitizer: a core dump would hold its shadow memory "
               "(79 GB), so the build without sanitizers checks the dumps")

# Known copies that the project cannot remove, each with its reason. Every
# entry names the secret (regular expression on its name), the form, where
# (the mapping's name), and in which phases; anything else fails.
KNOWN = [
    # Empty since tf_hotp () scrubs what g_hmac_new () leaves (see SECURITY.md,
    # "Secret hygiene"). An entry looks like:
    # {"secret": r"password", "form": r"bytes", "where": r"/usr/lib/.*/libcrack\.so.*",
    #  "phase": r".*", "why": "cracklib's static buffer; no API to clear it"},
]

results = []


def check(name, cond, detail=""):
    results.append((name, bool(cond), detail))


def skip(name, reason):
    results.append((name, None, reason))


def base_env():
    env = dict(os.environ)
    # A production-like heap: gc-friendly would zero freed GSlice memory and
    # hide leftovers that a real run keeps.
    env["G_DEBUG"] = "fatal-criticals"
    env["G_MESSAGES_DEBUG"] = "all"
    env.pop("MALLOC_CHECK_", None)
    env.pop("MALLOC_PERTURB_", None)
    return env


# What is looked for.

def swap_words(data):
    """Each 32-bit word byte-reversed, as GLib's SHA-1 stores its block."""
    out = bytearray()
    for i in range(0, len(data) - len(data) % 4, 4):
        out += data[i:i + 4][::-1]
    return bytes(out)


def sha1_compress(block):
    """SHA-1's chaining value after one 64-byte block from the standard IV."""
    def rotl(x, n):
        return ((x << n) | (x >> (32 - n))) & 0xffffffff
    w = list(struct.unpack(">16I", block))
    for i in range(16, 80):
        w.append(rotl(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1))
    iv = (0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0)
    a, b, c, d, e = iv
    for i in range(80):
        if i < 20:
            f, k = (b & c) | (~b & d), 0x5A827999
        elif i < 40:
            f, k = b ^ c ^ d, 0x6ED9EBA1
        elif i < 60:
            f, k = (b & c) | (b & d) | (c & d), 0x8F1BBCDC
        else:
            f, k = b ^ c ^ d, 0xCA62C1D6
        a, b, c, d, e = (rotl(a, 5) + f + e + k + w[i]) & 0xffffffff, a, rotl(b, 30), c, d
    return [(x + y) & 0xffffffff for x, y in zip(iv, (a, b, c, d, e))]


def forms_of(name, value):
    """The byte strings that give the secret away."""
    forms = {"bytes": value}
    if re.fullmatch(r"(new-)?totp-secret", name):
        for pad_name, pad in (("hmac-ipad", 0x36), ("hmac-opad", 0x5c)):
            # A 20-byte key fills the first 20 bytes of the 64-byte pad block.
            padded = bytes(b ^ pad for b in value) + bytes([pad]) * (64 - len(value))
            forms[pad_name] = padded[:len(value)]
            forms[pad_name + "-swapped"] = swap_words(padded)[:len(value)]
            # GHmac's inner and outer SHA-1 states once the pad is hashed, as
            # GLib keeps them (five native-endian words): with them anyone can
            # compute the HMAC, hence every code, without the key.
            forms[pad_name + "-sha1-state"] = struct.pack("<5I", *sha1_compress(padded))
    return forms


def read_secrets(path):
    secrets = {}
    try:
        with open(path) as f:
            for line in f:
                name, _, hexvalue = line.rstrip("\n").partition("\t")
                if hexvalue:
                    secrets[name] = bytes.fromhex(hexvalue)
    except FileNotFoundError:
        pass
    return secrets


# Where a match is.

def read_maps(pid):
    maps = []
    with open("/proc/%d/maps" % pid) as f:
        for line in f:
            parts = line.split(None, 5)
            start, end = (int(x, 16) for x in parts[0].split("-"))
            name = parts[5].strip() if len(parts) > 5 else "[anonymous]"
            maps.append((start, end, parts[1], name))
    return maps


def core_segments(path):
    """(file offset, vaddr, size) of each PT_LOAD with contents."""
    with open(path, "rb") as f:
        head = f.read(64)
        assert head[:4] == b"\x7fELF" and head[4] == 2, "not an ELF64 core"
        phoff, = struct.unpack_from("<Q", head, 0x20)
        phentsize, phnum = struct.unpack_from("<HH", head, 0x36)
        f.seek(phoff)
        table = f.read(phentsize * phnum)
    segments = []
    for i in range(phnum):
        p_type, _, p_offset, p_vaddr, _, p_filesz, _, _ = struct.unpack_from(
            "<IIQQQQQQ", table, i * phentsize)
        if p_type == 1 and p_filesz > 0:
            segments.append((p_offset, p_vaddr, p_filesz))
    return segments


def locate(offset, segments, maps):
    for seg_off, vaddr, size in segments:
        if seg_off <= offset < seg_off + size:
            address = vaddr + offset - seg_off
            for start, end, perms, name in maps:
                if start <= address < end:
                    return address, name
            return address, "[unmapped]"
    return None, "[core notes]"


def where_in_core(offset, segments, maps):
    address, name = locate(offset, segments, maps)
    return name if address is None else "%s 0x%x" % (name, address)


def search(data, secrets):
    """[(secret, form, offset)] for every occurrence."""
    found = []
    for name, value in secrets.items():
        for form, pattern in forms_of(name, value).items():
            for m in re.finditer(re.escape(pattern), data):
                found.append((name, form, m.start()))
    return found


def known_reason(phase, name, form, where):
    for entry in KNOWN:
        if (re.fullmatch(entry["secret"], name) and re.fullmatch(entry["form"], form)
                and re.fullmatch(entry["where"], where)
                and re.fullmatch(entry.get("phase", ".*"), phase)):
            return entry["why"]
    return None


def context(data, offset, length):
    before = data[max(0, offset - 16):offset]
    after = data[offset + length:offset + length + 16]
    return "%s[…]%s" % (before.hex(), after.hex())


def report_findings(label, phase, data, secrets, where_of):
    """Checks one blob; where_of(offset) names the place of a match."""
    unexplained = []
    for name, form, offset in search(data, secrets):
        where = where_of(offset)
        length = len(forms_of(name, secrets[name])[form])
        line = "%s (%s) in %s at %s, around it %s" % (
            name, form, label, where, context(data, offset, length))
        reason = known_reason(phase, name, form, re.sub(r" 0x[0-9a-f]+$", "", where))
        if reason is None:
            unexplained.append(line)
        else:
            print("# known: %s — %s" % (line, reason))
    return unexplained


# The service, through secret-run.

def dump(pid, directory, phase):
    maps = read_maps(pid)
    prefix = os.path.join(directory, "core-" + phase)
    p = subprocess.run([GCORE, "-o", prefix, str(pid)], capture_output=True, text=True,
                       timeout=120)
    path = "%s.%d" % (prefix, pid)
    if p.returncode != 0 or not os.path.exists(path):
        raise RuntimeError("gcore failed: " + p.stdout + p.stderr)
    return path, maps


def run_service(label, keyring, plant_leak=False):
    directory = os.path.join(TMP, label)
    os.makedirs(directory)
    store = os.path.join(directory, "store", "twofold.db")
    secrets_file = os.path.join(directory, "secrets")
    cmd = [SECRET_RUN, "--store", store, "--secrets", secrets_file]
    cmd += ["--keyring"] if keyring else ["--key-file", os.path.join(directory, "key")]
    cmd += ["--plant-leak"] if plant_leak else []
    stderr_path = os.path.join(directory, "stderr")
    stdout = bytearray()
    problems = []
    phases = []
    with open(stderr_path, "wb") as err:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err, env=base_env())
        try:
            while True:
                line = proc.stdout.readline()
                if not line:
                    break
                stdout += line
                m = re.match(rb"PHASE (\S+)\n", line)
                if not m:
                    continue
                phase = m.group(1).decode()
                phases.append(phase)
                secrets = read_secrets(secrets_file)
                core, maps = dump(proc.pid, directory, phase)
                segments = core_segments(core)
                with open(core, "rb") as f:
                    data = f.read()
                problems += report_findings(
                    "the core dump after '%s'" % phase, phase, data, secrets,
                    lambda off: where_in_core(off, segments, maps))
                os.unlink(core)
                if phase == "idle":
                    break
                proc.send_signal(signal.SIGUSR1)
            # The store while it is open, as an attacker copying it would see it.
            secrets = read_secrets(secrets_file)
            for suffix in ("", "-wal", "-shm"):
                path = store + suffix
                if os.path.exists(path):
                    with open(path, "rb") as f:
                        problems += report_findings(
                            os.path.basename(path), "idle", f.read(), secrets,
                            lambda off: "offset %d" % off)
        finally:
            proc.kill()
            rest, _ = proc.communicate(timeout=30)
            stdout += rest or b""
    with open(stderr_path, "rb") as f:
        stderr = f.read()
    problems += report_findings("its stdout", "idle", bytes(stdout), secrets,
                                lambda off: "byte %d" % off)
    problems += report_findings("its stderr", "idle", stderr, secrets,
                                lambda off: "byte %d" % off)
    ran_all = bool(phases) and phases[-1] == "idle"
    check("secret-run (%s) ran every flow" % label, ran_all,
          "phases %s; stderr: %s" % (phases, stderr[-2000:].decode(errors="replace")))
    if plant_leak:
        return problems
    check("secret-run (%s): debug logs were on and captured" % label,
          b"DEBUG" in stdout + stderr, "no debug line seen")
    check("secret-run (%s): %d secrets listed" % (label, len(secrets)), len(secrets) >= 40,
          ", ".join(sorted(secrets)))
    check("secret-run (%s): no secret in core dumps, store or output" % label, not problems,
          "\n".join(problems))
    return problems


def self_test():
    """The search must find copies that are there, and say where."""
    problems = run_service("self-test", keyring=False, plant_leak=True)
    text = "\n".join(problems)
    check("self-test: a g_strdup'd password is found on the heap",
          re.search(r"^password \(bytes\) in the core dump after 'register' at \[heap\]", text,
                    re.M), text)
    check("self-test: a live GHmac's state is found as the TOTP secret's",
          re.search(r"^totp-secret \(hmac-ipad-sha1-state\) in the core dump after 'enrolment'"
                    r" at \[heap\]", text, re.M), text)
    check("self-test: nothing else is found", all(
        # g_hmac_new's XOR loop also leaves a pad in the vector registers.
        re.match(r"(password \(bytes\)|totp-secret \(hmac-[a-z0-9-]+\)) ", line)
        for line in problems), text)


# twofold-admin.

def admin(args, stdin=b"", env=None, store=None, key=None):
    cmd = [ADMIN, "--store", store, "--key-file", key] + list(args)
    p = subprocess.run(cmd, input=stdin, capture_output=True, env=env or base_env(), timeout=120)
    return p.returncode, p.stdout, p.stderr


def oathtool(secret_b32, at):
    return subprocess.run(["oathtool", "--totp", "-b", "-N", "@%d" % int(at), secret_b32],
                          capture_output=True, check=True, text=True).stdout.strip()


def policy_safe_password():
    """A random password the policy accepts. cracklib calls one with more
    than four neighbouring characters one code point apart ("ab", "98")
    "too simplistic/systematic": about one random hex string in ten."""
    while True:
        password = os.urandom(12).hex() + "-Zq"
        steps = sum(abs(ord(a) - ord(b)) == 1 for a, b in zip(password, password[1:]))
        if steps <= 3:
            return password


def run_admin():
    directory = os.path.join(TMP, "admin")
    os.makedirs(directory)
    store = os.path.join(directory, "store", "twofold.db")
    key = os.path.join(directory, "key")
    password = policy_safe_password()
    secrets = {"password": password.encode()}
    outputs = []    # (label, stdout, stderr, secrets allowed in stdout)

    def go(label, args, stdin=b"", allowed=()):
        rc, out, err = admin(args, stdin, store=store, key=key)
        outputs.append((label, out, err, allowed))
        return rc, out, err

    go("init", ["init"])
    with open(key, "rb") as f:
        master_hex = f.read().strip()
    secrets["master-key-hex"] = master_hex
    secrets["master-key"] = bytes.fromhex(master_hex.decode())
    rc, out, err = go("add", ["add", "ada", "--email", "ada@example.org", "--first-name", "Ada",
                              "--last-name", "Lovelace"], (password + "\n").encode(),
                      allowed=("totp-secret-base32",))
    m = re.search(rb"secret=([A-Z2-7]+)", out)
    check("twofold-admin add ran", rc == 0 and m, err.decode(errors="replace"))
    if not m:
        return
    b32 = m.group(1).decode()
    secrets["totp-secret-base32"] = b32.encode()
    secrets["totp-secret"] = base32_decode(b32)
    now = time.time()
    rc, out, err = go("confirm", ["confirm", "ada"], (oathtool(b32, now) + "\n").encode(),
                      allowed=(r"recovery-code-\d+",))
    # Debug lines go to stdout too (GLib's default for debug and info).
    codes = re.findall(r"^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$", out.decode(), re.M)
    check("twofold-admin confirm ran", rc == 0 and len(codes) == 10, err.decode(errors="replace"))
    for i, code in enumerate(codes):
        secrets["recovery-code-%d" % i] = code.encode()
        secrets["recovery-code-%d-canonical" % i] = code.replace("-", "").encode()
    rc, out, err = go("verify", ["verify", "ada"],
                      ("%s\n%s\n" % (password, oathtool(b32, now + 30))).encode())
    check("twofold-admin verify ran", rc == 0, err.decode(errors="replace"))
    rc, out, err = go("verify-recovery", ["verify", "ada"],
                      ("%s\n%s\n" % (password, codes[0])).encode())
    check("twofold-admin verify with a recovery code ran", rc == 0, err.decode(errors="replace"))
    rc, out, err = go("verify-wrong", ["verify", "ada"],
                      ("%s\n%s\n" % (password + "x", codes[1])).encode())
    check("twofold-admin verify with a wrong password refused", rc == 1,
          err.decode(errors="replace"))
    for cmd in (["list", "--json"], ["show", "ada"], ["audit", "--json"], ["doctor"]):
        go(" ".join(cmd), cmd)
    rc, out, err = go("reset-2fa", ["reset-2fa", "ada"], allowed=("new-totp-secret-base32",))
    m = re.search(rb"secret=([A-Z2-7]+)", out)
    if m:
        secrets["new-totp-secret-base32"] = m.group(1)
        secrets["new-totp-secret"] = base32_decode(m.group(1).decode())

    problems = []
    for label, out, err, allowed in outputs:
        for stream, data in (("stdout", out), ("stderr", err)):
            for name, form, offset in search(data, secrets):
                if stream == "stdout" and form == "bytes" and any(
                        re.fullmatch(a, name) for a in allowed):
                    continue    # What the command is for: the URI, the codes.
                problems.append("%s (%s) in the %s of twofold-admin %s" % (name, form, stream,
                                                                         label))
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(store + suffix):
            with open(store + suffix, "rb") as f:
                for name, form, offset in search(f.read(), secrets):
                    problems.append("%s (%s) in %s at %d" % (name, form,
                                                             os.path.basename(store + suffix),
                                                             offset))
    check("twofold-admin: secrets only where a command is meant to print them", not problems,
          "\n".join(problems))
    check("twofold-admin: debug logs were on", any(b"DEBUG" in o + e for _, o, e, _ in outputs))

    # A verify that has read the password and waits for the code.
    if NO_DUMP is not None:
        skip("twofold-admin verify: password not in memory while waiting", NO_DUMP)
        return
    proc = subprocess.Popen([ADMIN, "--store", store, "--key-file", key, "verify", "ada"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=base_env())
    try:
        proc.stdin.write((password + "\n").encode())
        proc.stdin.flush()
        # It has read the line once its stdin pipe is empty again.
        deadline = time.time() + 30
        while time.time() < deadline and pipe_pending(proc.pid) != 0:
            time.sleep(0.05)
        time.sleep(0.2)
        core, maps = dump(proc.pid, directory, "verify-waiting")
        segments = core_segments(core)
        with open(core, "rb") as f:
            data = f.read()
        found = report_findings("the core of a waiting verify", "verify-waiting", data,
                                {"password": secrets["password"]},
                                lambda off: where_in_core(off, segments, maps))
        os.unlink(core)
        check("twofold-admin verify: the password it read is not in its memory", not found,
              "\n".join(found))
    finally:
        proc.kill()
        proc.communicate(timeout=30)


def pipe_pending(pid):
    """Bytes waiting in the process's stdin pipe (FIONREAD via /proc)."""
    try:
        import fcntl
        import termios
        fd = os.open("/proc/%d/fd/0" % pid, os.O_RDONLY | os.O_NONBLOCK)
        try:
            buf = fcntl.ioctl(fd, termios.FIONREAD, b"\0\0\0\0")
            return struct.unpack("i", buf)[0]
        finally:
            os.close(fd)
    except OSError:
        return -1


def base32_decode(text):
    import base64
    return base64.b32decode(text + "=" * (-len(text) % 8))


def keyring_available():
    if not os.environ.get("DBUS_SESSION_BUS_ADDRESS", "").startswith("unix:path=/nonexistent") \
            and os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        p = subprocess.run(["dbus-send", "--session", "--print-reply", "--dest=org.freedesktop.DBus",
                            "/org/freedesktop/DBus", "org.freedesktop.DBus.NameHasOwner",
                            "string:org.freedesktop.secrets"], capture_output=True, text=True)
        return "boolean true" in p.stdout
    return False


def main():
    if NO_DUMP is not None:
        skip("secret-run core dumps", NO_DUMP)
    else:
        self_test()
        run_service("key-file", keyring=False)
        if keyring_available():
            run_service("keyring", keyring=True)
        else:
            skip("secret-run (keyring)", "no Secret Service on the session bus")
    run_admin()

    print("1..%d" % len(results))
    for i, (name, ok, detail) in enumerate(results, 1):
        if ok is None:
            print("ok %d - %s # SKIP %s" % (i, name, detail))
            continue
        print("%s %d - %s" % ("ok" if ok else "not ok", i, name))
        if not ok and detail:
            for line in str(detail).splitlines():
                print("#   " + line)
    shutil.rmtree(TMP, ignore_errors=True)


if __name__ == "__main__":
    main()
