"""Real mail servers for the tests: an SMTP sink and a private Dovecot (IMAP and POP3).

The helpdesk's mail code is tested against servers that speak the real protocols, so what
passes here is what a real server accepts. `SMTPSink` is aiosmtpd in a background thread;
`Dovecot` runs Debian's dovecot binary with a config of its own in a temporary directory,
on free loopback ports, never the system's service or its ports. Plain Python, no Django.
"""

import asyncio
import contextlib
import ctypes
import email
import email.policy
import errno
import grp
import imaplib
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

from aiosmtpd.controller import Controller

HOST = "127.0.0.1"
DOVECOT_BINARY = "/usr/sbin/dovecot"
_PR_SET_CHILD_SUBREAPER = 36  # from <linux/prctl.h>


def free_port(host: str = HOST) -> int:
    """A port nobody listens on right now (the caller binds it soon after)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def _parse(raw: bytes) -> EmailMessage:
    return email.message_from_bytes(raw, policy=email.policy.default)


# --- SMTP ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ReceivedMessage:
    """One message as the SMTP sink received it."""

    sender: str  # the envelope's MAIL FROM; "<>" for a null sender
    recipients: tuple[str, ...]  # the envelope's accepted RCPT TO addresses, in order
    raw: bytes  # the DATA exactly as sent, dot-unstuffed
    message: EmailMessage


@dataclass(frozen=True)
class _Refusal:
    stage: str
    reply: str


class _SinkHandler:
    """aiosmtpd's hooks: accept or refuse each stage, record each message."""

    def __init__(self, sink: "SMTPSink") -> None:
        self.sink = sink

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if refusal := self.sink._refusal_at("MAIL"):
            return refusal
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.sink._holding:
            self.sink.waiting += 1
            self.sink.held.set()
            while self.sink._holding:
                await asyncio.sleep(0.05)
            self.sink.waiting -= 1
        if refusal := self.sink._refusal_at("RCPT"):
            return refusal
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if refusal := self.sink._refusal_at("DATA"):
            return refusal
        raw = envelope.original_content
        self.sink._record(
            ReceivedMessage(
                sender=envelope.mail_from,
                recipients=tuple(envelope.rcpt_tos),
                raw=raw,
                message=_parse(raw),
            )
        )
        return "250 OK"


class SMTPSink:
    """An SMTP server on loopback that keeps every message it accepts.

    `stop()` closes the listening socket (clients get "connection refused") and `start()`
    opens it again on the same port, to test outages. `refuse()` makes it answer MAIL, RCPT
    or DATA with an error reply until `accept()`. `hold()` keeps each client waiting at RCPT
    (before anything is delivered) until `release()`, and sets `held` when one waits: a
    sender caught in the middle. Received messages survive a restart.
    """

    STAGES = ("MAIL", "RCPT", "DATA")

    def __init__(self, host: str = HOST) -> None:
        self.host = host
        self.port: int | None = None
        self._controller: Controller | None = None
        self._received: list[ReceivedMessage] = []
        self._refusal: _Refusal | None = None
        self._changed = threading.Condition()
        self._holding = False
        self.held = threading.Event()
        self.waiting = 0  # clients held at RCPT now

    def __enter__(self) -> "SMTPSink":
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    @property
    def is_running(self) -> bool:
        return self._controller is not None

    def start(self) -> "SMTPSink":
        """Listen (again): on a free port the first time, on the same port after that."""
        if self._controller is not None:
            return self
        # A free port can be taken between the probe and the bind: pick again, once only.
        attempts = 3 if self.port is None else 1
        for attempt in range(attempts):
            port = free_port(self.host) if self.port is None else self.port
            controller = Controller(
                _SinkHandler(self),
                hostname=self.host,
                port=port,
                # Not socket.getfqdn(), which may wait for DNS.
                server_hostname="smtp-sink.test",
                ready_timeout=5.0,
            )
            try:
                controller.start()
            except OSError as error:
                if error.errno != errno.EADDRINUSE or attempt == attempts - 1:
                    raise
                continue
            self._controller, self.port = controller, port
            return self
        raise AssertionError("unreachable")

    def stop(self) -> None:
        """Close the listening socket and every open connection; keep what was received."""
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    @property
    def messages(self) -> list[ReceivedMessage]:
        """What has arrived so far, oldest first (a copy)."""
        with self._changed:
            return list(self._received)

    def wait_for(self, count: int = 1, timeout: float = 5.0) -> list[ReceivedMessage]:
        """Return the messages once at least `count` have arrived; TimeoutError if not."""
        with self._changed:
            if not self._changed.wait_for(lambda: len(self._received) >= count, timeout):
                raise TimeoutError(
                    f"SMTP sink on port {self.port} received {len(self._received)} "
                    f"message(s) in {timeout} s, expected {count}"
                )
            return list(self._received)

    def clear(self) -> None:
        with self._changed:
            self._received.clear()

    def refuse(self, code: int = 451, text: str = "4.3.0 Try again later", at: str = "RCPT"):
        """Answer every `at` command (MAIL, RCPT or DATA) with `code text` until accept()."""
        if not 400 <= code <= 599:
            raise ValueError(f"a refusal needs a 4xx or 5xx code, not {code}")
        if at not in self.STAGES:
            raise ValueError(f"at must be one of {', '.join(self.STAGES)}, not {at!r}")
        with self._changed:
            self._refusal = _Refusal(stage=at, reply=f"{code} {text}")

    def hold(self) -> None:
        """Keep every client waiting at RCPT from now on, until release()."""
        self.held.clear()
        self._holding = True

    def release(self) -> None:
        self._holding = False

    def accept(self) -> None:
        with self._changed:
            self._refusal = None

    def _refusal_at(self, stage: str) -> str | None:
        with self._changed:
            refusal = self._refusal
        return refusal.reply if refusal and refusal.stage == stage else None

    def _record(self, message: ReceivedMessage) -> None:
        with self._changed:
            self._received.append(message)
            self._changed.notify_all()


# --- Dovecot ------------------------------------------------------------------------


class DovecotError(RuntimeError):
    """Dovecot did not start (the message ends with its log's tail) or refused a request."""


@dataclass(frozen=True)
class StoredMessage:
    """One message in a Dovecot mailbox, as IMAP reports it."""

    uid: int
    flags: frozenset[str]  # e.g. {"\\Seen"}; \Recent is left out, it depends on who looked
    raw: bytes
    message: EmailMessage


_CONFIG = """\
# Generated for one test run; see tests/mailservers.py.
instance_name = {instance}
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap pop3
listen = {host}
{unprivileged}
ssl = yes
ssl_cert = <{root}/cert.pem
ssl_key = <{root}/key.pem
# Loopback only, so plain passwords without TLS are fine; TLS is on offer all the same.
disable_plaintext_auth = no
auth_mechanisms = plain login
# A wrong password is answered at once, not after the default two seconds.
auth_failure_delay = 0
mail_location = maildir:~/Maildir
mail_fsync = never

namespace inbox {{
  inbox = yes
  separator = /
}}

# A file per user: Dovecot looks at a passwd-file's changes at most once a second, so a
# user added to a shared file just after a login elsewhere would be unknown for a while.
passdb {{
  driver = passwd-file
  args = {root}/users/%u
}}
userdb {{
  driver = passwd-file
  args = {root}/users/%u
}}

# Nor do the next logins from 127.0.0.1 wait seconds for it (the auth penalty, which is
# off when the auth process cannot open this socket).
service anvil {{
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
service imap-login {{
  {login_chroot}
  inet_listener imap {{
    port = {imap_port}
  }}
  inet_listener imaps {{
    port = {imaps_port}
    ssl = yes
  }}
}}
service pop3-login {{
  {login_chroot}
  inet_listener pop3 {{
    port = {pop3_port}
  }}
  inet_listener pop3s {{
    port = {pop3s_port}
    ssl = yes
  }}
}}
"""


class Dovecot:
    """A private Dovecot: IMAP, IMAPS, POP3 and POP3S on free loopback ports.

    Everything lives in a temporary directory: the generated config, a throwaway
    self-signed certificate (`cafile`), a passwd-file per user with a plain password
    (`add_user`), the users' maildirs and the log. The plain ports offer STARTTLS/STLS too.

    As root, Dovecot refuses to give a mailbox to UID 0, so the users get nobody's uid
    and gid, and their mail directory belongs to it; Dovecot's own processes run as the
    `dovecot` and `dovenull` users that Debian's package creates. As any other user,
    everything runs as that user.
    """

    def __init__(self, binary: str | None = None, host: str = HOST) -> None:
        # `make test` passes DOVECOT, as it passes CHROMIUM to the browser tests.
        self.binary = binary or os.environ.get("DOVECOT", DOVECOT_BINARY)
        self.host = host
        self.directory: Path | None = None
        self.imap_port = self.imaps_port = self.pop3_port = self.pop3s_port = 0
        self._process: subprocess.Popen | None = None
        self._users: dict[str, str] = {}
        self._account = pwd.getpwnam("nobody") if os.geteuid() == 0 else pwd.getpwuid(os.geteuid())

    def __enter__(self) -> "Dovecot":
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    @property
    def cafile(self) -> str:
        """The certificate the TLS ports present; trust it to verify them."""
        return str(self._path("cert.pem"))

    @property
    def pid(self) -> int | None:
        """The master process's id, which is also its process group's."""
        return self._process.pid if self._process else None

    @property
    def log_path(self) -> Path:
        return self._path("dovecot.log")

    def ssl_context(self) -> ssl.SSLContext:
        """A client context that verifies this server against `cafile` (and its name)."""
        return ssl.create_default_context(cafile=self.cafile)

    def start(self, timeout: float = 10.0) -> "Dovecot":
        """Start Dovecot and return once every port answers; DovecotError if it does not."""
        if self._process is not None:
            return self
        if not os.access(self.binary, os.X_OK):
            raise DovecotError(
                f"no dovecot binary at {self.binary}; `make test` installs it "
                "(Debian's dovecot-imapd and dovecot-pop3d)"
            )
        self.directory = Path(tempfile.mkdtemp(prefix="dovecot-"))
        try:
            self._prepare()
            # The free ports may be taken before Dovecot binds them: try afresh, twice.
            for attempt in range(3):
                try:
                    self._launch(timeout)
                    return self
                except DovecotError as error:
                    if "Address already in use" not in str(error) or attempt == 2:
                        raise
        except BaseException:
            self.stop()
            raise
        raise AssertionError("unreachable")

    def stop(self) -> None:
        """Stop Dovecot and every process it started, and delete its directory."""
        if self._process is not None:
            self._terminate(self._process)
            self._process = None
        if self.directory is not None:
            shutil.rmtree(self.directory, ignore_errors=True)
            self.directory = None
        self._users.clear()

    def add_user(self, name: str, password: str) -> None:
        """Create a mail account; its maildir appears on first use."""
        for field in (name, password):
            if not field or any(c in field for c in ":/\n\r"):
                raise ValueError(f"not usable in a passwd-file: {field!r}")
        if name != name.lower():
            raise ValueError(f"Dovecot lowercases user names at login; use {name.lower()!r}")
        if name in self._users:
            raise ValueError(f"user {name} exists already")
        home = self._path("mail", name)
        uid, gid = self._account.pw_uid, self._account.pw_gid
        entry = self._path("users", name)
        entry.write_text(f"{name}:{{PLAIN}}{password}:{uid}:{gid}::{home}::\n")
        entry.chmod(0o644)
        self._users[name] = password

    def deliver(
        self, user: str, raw: bytes, folder: str = "INBOX", flags: tuple[str, ...] = ()
    ) -> int:
        """Put a message into a user's folder (created if missing); return its IMAP UID."""
        with self.imap(user) as imap:
            if folder.upper() != "INBOX":
                imap.create(_quote(folder))  # "already exists" is fine
            flag_list = f"({' '.join(flags)})" if flags else None
            status, data = imap.append(_quote(folder), flag_list, None, raw)
            _check(status, data, f"APPEND to {folder}")
        match = re.search(rb"APPENDUID \d+ (\d+)", data[0] or b"")
        if match is None:
            raise DovecotError(f"APPEND gave no UID: {data!r}")
        return int(match.group(1))

    def messages(self, user: str, folder: str = "INBOX") -> list[StoredMessage]:
        """The messages in a user's folder, by UID, without marking them \\Seen."""
        with self.imap(user) as imap:
            status, data = imap.select(_quote(folder), readonly=True)
            _check(status, data, f"SELECT {folder}")
            if int(data[0]) == 0:
                return []
            status, data = imap.uid("FETCH", "1:*", "(UID FLAGS BODY.PEEK[])")
            _check(status, data, f"FETCH in {folder}")
        found = []
        for item in data:
            if not isinstance(item, tuple):
                continue  # the closing b")" of each message
            header, raw = item
            uid = int(re.search(rb"UID (\d+)", header).group(1))
            flags = frozenset(f.decode() for f in imaplib.ParseFlags(header)) - {"\\Recent"}
            found.append(StoredMessage(uid=uid, flags=flags, raw=raw, message=_parse(raw)))
        return sorted(found, key=lambda m: m.uid)

    @contextlib.contextmanager
    def imap(self, user: str) -> Iterator[imaplib.IMAP4]:
        """An IMAP connection logged in as `user` (plain, on loopback), logged out after."""
        if self.directory is None:
            raise DovecotError("Dovecot is not running")
        connection = imaplib.IMAP4(self.host, self.imap_port, timeout=10)
        try:
            connection.login(user, self._users[user])
            yield connection
        finally:
            with contextlib.suppress(imaplib.IMAP4.error, OSError):
                connection.logout()

    def log_tail(self, lines: int = 20) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])

    # --- start-up ---

    def _path(self, *parts: str) -> Path:
        if self.directory is None:
            raise DovecotError("Dovecot is not running")
        return self.directory.joinpath(*parts)

    def _prepare(self) -> None:
        # Dovecot's auth process (user `dovecot`) reads the passwd-file, and the mail
        # processes (the users' uid) reach their maildirs: both go through this directory.
        self.directory.chmod(0o755)
        mail = self._path("mail")
        mail.mkdir()
        os.chown(mail, self._account.pw_uid, self._account.pw_gid)
        self._path("users").mkdir(mode=0o755)
        self._make_certificate()

    def _make_certificate(self) -> None:
        # Python 3.13 verifies strictly (VERIFY_X509_STRICT): a certificate that is its own
        # CA needs these extensions, or clients reject it even with it as the cafile.
        openssl = shutil.which("openssl")
        if openssl is None:
            raise DovecotError("the openssl command is needed to make a test certificate")
        subprocess.run(  # noqa: S603 (fixed arguments)
            [
                openssl, "req", "-x509", "-nodes", "-days", "2",
                "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                "-subj", "/CN=localhost",
                "-addext", f"subjectAltName=DNS:localhost,IP:{self.host}",
                "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,digitalSignature,keyCertSign",
                "-addext", "extendedKeyUsage=serverAuth",
                "-keyout", str(self._path("key.pem")),
                "-out", str(self._path("cert.pem")),
            ],
            check=True, capture_output=True, timeout=30,
        )  # fmt: skip

    def _write_config(self) -> Path:
        self.imap_port, self.imaps_port, self.pop3_port, self.pop3s_port = (
            free_port(self.host) for _ in range(4)
        )
        if os.geteuid() == 0:
            unprivileged = login_chroot = ""
        else:
            # Without root, Dovecot cannot switch users or chroot its login processes.
            name = self._account.pw_name
            unprivileged = (
                f"default_login_user = {name}\n"
                f"default_internal_user = {name}\n"
                f"default_internal_group = {grp.getgrgid(self._account.pw_gid).gr_name}"
            )
            login_chroot = "chroot ="
        config = self._path("dovecot.conf")
        config.write_text(
            _CONFIG.format(
                instance=f"test-{secrets.token_hex(4)}",
                root=self.directory,
                host=self.host,
                unprivileged=unprivileged,
                login_chroot=login_chroot,
                imap_port=self.imap_port,
                imaps_port=self.imaps_port,
                pop3_port=self.pop3_port,
                pop3s_port=self.pop3s_port,
            )
        )
        return config

    def _launch(self, timeout: float) -> None:
        config = self._write_config()
        # Errors before Dovecot opens its log (a bad config) go to stderr: same file.
        with self.log_path.open("ab") as log:
            self._process = subprocess.Popen(  # noqa: S603 (the dovecot binary we were given)
                [self.binary, "-F", "-c", str(config)],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                # Its own process group, so stop() can reach any child left behind.
                start_new_session=True,
            )
        try:
            self._wait_until_ready(timeout)
        except DovecotError:
            self._terminate(self._process)
            self._process = None
            raise

    def _wait_until_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        pending = [self.imap_port, self.imaps_port, self.pop3_port, self.pop3s_port]
        while pending:
            if self._process.poll() is not None:
                raise DovecotError(
                    f"dovecot exited with status {self._process.returncode} at start-up; "
                    f"its log ends:\n{self.log_tail()}"
                )
            if time.monotonic() > deadline:
                raise DovecotError(
                    f"dovecot did not answer on port {pending[0]} within {timeout} s; "
                    f"its log ends:\n{self.log_tail()}"
                )
            if self._answers(pending[0]):
                pending.pop(0)
            else:
                time.sleep(0.01)

    def _answers(self, port: int) -> bool:
        try:
            with socket.create_connection((self.host, port), timeout=1) as connection:
                if port not in (self.imap_port, self.pop3_port):
                    return True  # a TLS port: accepting the connection is enough
                # A greeting means the login process is up, not only the listener.
                return connection.recv(64).startswith((b"* OK", b"+OK"))
        except OSError:
            return False

    @staticmethod
    def _terminate(process: subprocess.Popen) -> None:
        # Killed at once, master and children: Dovecot's own stop (SIGTERM) takes a second,
        # ten more while a client is logged in, and its master exits before some children.
        # Children that outlive the master would be left for init to reap, so for these
        # milliseconds this process adopts orphans (a child subreaper) and reaps them.
        group = process.pid
        adopting = _adopt_orphans(True)
        try:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(group, signal.SIGKILL)
            process.wait()
            not_ours: set[int] = set()
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline:
                members = [m for m in _group_members(group) if m[0] not in not_ours]
                if not members:
                    break
                for pid, state in members:
                    if state == "Z":
                        try:
                            os.waitpid(pid, os.WNOHANG)
                        except ChildProcessError:
                            not_ours.add(pid)  # init's to reap, and dead already
                time.sleep(0.005)
        finally:
            if adopting:
                _adopt_orphans(False)


def _group_members(group: int) -> list[tuple[int, str]]:
    """(pid, state) of each process in a process group, zombies ("Z") included."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            # "pid (comm) state ppid pgrp ...", where comm may hold spaces and parentheses.
            fields = stat.read_text().rpartition(")")[2].split()
            if int(fields[2]) == group:
                members.append((int(stat.parent.name), fields[0]))
    return members


def _adopt_orphans(adopt: bool) -> bool:
    """Make this process the reaper of its descendants' orphans (Linux), or stop it."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(_PR_SET_CHILD_SUBREAPER, int(adopt), 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _quote(mailbox: str) -> str:
    return '"' + mailbox.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _check(status: str, data: list, what: str) -> None:
    if status != "OK":
        raise DovecotError(f"{what} failed: {status} {data!r}")
