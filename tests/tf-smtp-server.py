#!/usr/bin/python3
"""A real SMTP server (aiosmtpd) on 127.0.0.1 for the mail tests.

Usage: tf-smtp-server.py --outdir DIR [--port N] [--tls CERT KEY | --smtps CERT KEY]
                         [--auth USER:PASSWORD] [--tarpit] [--lifetime SECONDS]

Prints "PORT n" once it listens (port 0 picks a free one). It exits when
its standard input closes (so it never outlives the test that started it),
on SIGTERM, or after --lifetime seconds, whichever comes first.

Every message is written as DIR/NNNN.eml (the bytes as received) and then
DIR/NNNN.ini, a GKeyFile the C tests read: the envelope, the headers as
Python's email package decodes them (RFC 2047, addresses), the text and HTML
parts, and checks on the raw bytes (CRLF only, longest header line).

Recipients drive faults: nobody@… is refused at RCPT with
"550 5.1.1 no such user", busy@… with "451 4.3.0 try again later", and for
slow@… the server stalls after DATA. --tarpit accepts connections and never
says a word.
"""
import argparse
import asyncio
import email
import email.policy
import os
import signal
import ssl
import sys
import warnings

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


def escape(value):
    """A GKeyFile string value (g_key_file_get_string () undoes this)."""
    value = value.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r")
    value = value.replace("\t", "\\t")
    if value.startswith(" "):
        value = "\\s" + value[1:]
    return value


def raw_checks(raw):
    head = raw.split(b"\r\n\r\n", 1)[0]
    bare_lf = raw.replace(b"\r\n", b"").count(b"\n")
    bare_cr = raw.replace(b"\r\n", b"").count(b"\r")
    lines = head.split(b"\r\n")
    # The longest physical line of the fields Twofold folds itself.
    longest = 0
    field = b""
    for line in lines:
        if not line[:1].isspace():
            field = line.split(b":", 1)[0].lower()
        if field in (b"subject", b"from", b"to"):
            longest = max(longest, len(line))
    return {
        "crlf_only": "true" if bare_lf == 0 and bare_cr == 0 else "false",
        "max_folded_line": str(longest),
        "header_ascii": "true" if all(b < 0x80 for b in head) else "false",
        "raw_subject": escape(next((line.decode("ascii", "replace") for line in lines
                                    if line.lower().startswith(b"subject:")), "")),
    }


class Handler:
    def __init__(self, outdir):
        self.outdir = outdir
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@")[0].lower()
        if local == "nobody":
            return "550 5.1.1 no such user"
        if local == "busy":
            return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if any(rcpt.lower().startswith("slow@") for rcpt in envelope.rcpt_tos):
            await asyncio.sleep(3600)
        raw = envelope.original_content or envelope.content
        self.count += 1
        base = os.path.join(self.outdir, "%04d" % self.count)
        with open(base + ".eml", "wb") as f:
            f.write(raw)
        self.write_ini(base, envelope, raw)
        return "250 2.0.0 queued as %04d" % self.count

    def write_ini(self, base, envelope, raw):
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        sender = msg["From"].addresses[0] if msg["From"] else None
        recipient = msg["To"].addresses[0] if msg["To"] else None
        text = msg.get_body(preferencelist=("plain",))
        html = msg.get_body(preferencelist=("html",))
        parts = [part.get_content_type() for part in msg.walk()]
        sections = {
            "envelope": {
                "mail_from": envelope.mail_from,
                "rcpt_tos": ";".join(envelope.rcpt_tos),
            },
            "headers": {
                "subject": str(msg["Subject"] or ""),
                "from_name": sender.display_name if sender else "",
                "from_address": sender.addr_spec if sender else "",
                "to_name": recipient.display_name if recipient else "",
                "to_address": recipient.addr_spec if recipient else "",
                "date": str(msg["Date"] or ""),
                "date_valid": "true" if msg["Date"] is not None and msg["Date"].datetime else "false",
                "message_id": str(msg["Message-ID"] or ""),
                "mime_version": str(msg["MIME-Version"] or ""),
                "content_type": msg.get_content_type(),
                "auto_submitted": str(msg["Auto-Submitted"] or ""),
                "defects": str(sum(len(part.defects) for part in msg.walk())
                               + sum(len(getattr(v, "defects", ())) for v in msg.values())),
            },
            "parts": {"types": ";".join(parts)},
            "text": {"body": text.get_content() if text else ""},
            "html": {"body": html.get_content() if html else ""},
            "checks": raw_checks(raw),
        }
        with open(base + ".tmp", "w", encoding="utf-8") as f:
            for name, values in sections.items():
                f.write("[%s]\n" % name)
                for key, value in values.items():
                    f.write("%s=%s\n" % (key, escape(value) if name != "checks" else value))
        os.rename(base + ".tmp", base + ".ini")


async def tarpit(reader, writer):
    await asyncio.sleep(3600)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--outdir")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    parser.add_argument("--smtps", nargs=2, metavar=("CERT", "KEY"))
    parser.add_argument("--auth")
    parser.add_argument("--tarpit", action="store_true")
    parser.add_argument("--lifetime", type=float, default=300)
    args = parser.parse_args()

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)

    def context(pair):
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(pair[0], pair[1])
        return ctx

    if args.tarpit:
        factory = tarpit
        server_ssl = None
    else:
        kwargs = {}
        if args.tls:
            kwargs.update(tls_context=context(args.tls), require_starttls=True)
        if args.auth:
            user, password = args.auth.split(":", 1)

            def authenticator(server, session, envelope, mechanism, auth_data):
                ok = (isinstance(auth_data, LoginPassword)
                      and auth_data.login == user.encode()
                      and auth_data.password == password.encode())
                # handled=False: aiosmtpd then answers 535 itself.
                return AuthResult(success=ok, handled=False)

            # AUTH in clear text is what the "none" tests want; no warning.
            warnings.filterwarnings("ignore", message="auth_required")
            kwargs.update(authenticator=authenticator, auth_required=True,
                          auth_require_tls=bool(args.tls or args.smtps))
        handler = Handler(args.outdir)

        def factory():
            return SMTP(handler, hostname="twofold-test", **kwargs)

        server_ssl = context(args.smtps) if args.smtps else None

    if args.tarpit:
        server = loop.run_until_complete(asyncio.start_server(
            factory, "127.0.0.1", args.port, reuse_address=True))
    else:
        server = loop.run_until_complete(loop.create_server(
            factory, "127.0.0.1", args.port, ssl=server_ssl, reuse_address=True))
    print("PORT %d" % server.sockets[0].getsockname()[1], flush=True)

    def on_stdin():
        if not os.read(sys.stdin.fileno(), 4096):
            loop.stop()

    loop.add_reader(sys.stdin.fileno(), on_stdin)
    loop.add_signal_handler(signal.SIGTERM, loop.stop)
    loop.call_later(args.lifetime, loop.stop)
    try:
        loop.run_forever()
    finally:
        server.close()
    # Connections still open (a tarpit's, a stalled DATA) must not keep us.
    os._exit(0)


if __name__ == "__main__":
    main()
