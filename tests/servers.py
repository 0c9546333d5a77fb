"""A real IMAP server for tests: Dovecot 2.3 on loopback, one instance per test session.

In:  the ``dovecot`` binary (``apt-get install dovecot-imapd``), run as root; nothing from
     /etc/dovecot is used. Users are added with ``add_user()``/``new_account()``.
Out: ``DovecotServer`` listening on 127.0.0.1 with a plain IMAP port (STARTTLS offered, LOGIN also
     allowed without TLS) and an IMAPS port, a self-signed certificate to verify TLS against
     (``ca_file``), and ``ImapAccount`` records for tests to log in with.

The recipe and the reasons for each setting are in shared/research/dovecot-test-server.md. In short:
mail is stored as ``sdbox`` with ``mail_fsync = never`` (fast), mail processes run as ``nobody``
(Dovecot refuses mail access as root), the instance directory sits directly under /tmp with mode
755 (the auth process runs as user ``dovecot`` and must reach the passwd file), the anvil auth
penalty is switched off (else a failed login delays the next one by seconds), and the hierarchy
separator is ``.``.

A test runner killed with SIGKILL leaves ``dovecot -F`` running; the next ``start()`` finds such
leftovers by their ``owner.pid`` files (the owning process is gone) and ends them.
"""

from __future__ import annotations

import contextlib
import imaplib
import itertools
import logging
import os
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)

INSTANCE_PREFIX = "inbox-bot-dovecot-"
INSTANCE_PARENT = Path("/tmp")  # not tmp_path: its 0700 parents lock out the dovecot user
START_TIMEOUT = 15.0
STOP_TIMEOUT = 10.0


def dovecot_available() -> str | None:
    """Path to the dovecot binary, or None when Dovecot is not installed."""
    found = shutil.which("dovecot")
    if found:
        return found
    for candidate in ("/usr/sbin/dovecot", "/usr/local/sbin/dovecot"):
        if os.access(candidate, os.X_OK):
            return candidate
    return None


def _doveadm_path(dovecot: str) -> str:
    found = shutil.which("doveadm")
    if found:
        return found
    # packages put doveadm in .../bin next to .../sbin/dovecot
    sibling = Path(dovecot).resolve().parent.parent / "bin" / "doveadm"
    return str(sibling)


@dataclass(frozen=True)
class ImapAccount:
    """Where and as whom a test logs in."""

    host: str
    port: int  # plain IMAP, STARTTLS offered
    ssl_port: int  # IMAPS
    ca_file: str  # self-signed certificate, usable as CA
    username: str
    password: str


def _free_ports(count: int, host: str) -> list[int]:
    socks = []
    try:
        for _ in range(count):
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.bind((host, 0))
            socks.append(sock)
        return [sock.getsockname()[1] for sock in socks]
    finally:
        for sock in socks:
            sock.close()


def _pid_alive(pid: int) -> bool:
    """True while ``pid`` runs (a zombie counts as ended: not every init reaps orphans)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    state = stat.rpartition(")")[2].split()[:1]
    return state != ["Z"]


def _read_pid(path: Path) -> int | None:
    try:
        return int(path.read_text().strip())
    except (OSError, ValueError):
        return None


def _is_our_dovecot(pid: int, conf: Path) -> bool:
    """True if ``pid`` is a dovecot master started with ``-c conf`` (guards against PID reuse)."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    return bool(cmdline) and cmdline[0].endswith(b"dovecot") and str(conf).encode() in cmdline


def _terminate(proc_pid: int, wait: float) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(proc_pid, signal.SIGTERM)
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline and _pid_alive(proc_pid):
        time.sleep(0.05)
    if _pid_alive(proc_pid):
        with contextlib.suppress(ProcessLookupError):
            os.kill(proc_pid, signal.SIGKILL)


def cleanup_stale_instances(parent: Path = INSTANCE_PARENT) -> None:
    """End dovecot processes and remove instance directories left by test runs that died."""
    for directory in parent.glob(INSTANCE_PREFIX + "*"):
        owner = _read_pid(directory / "owner.pid")
        if owner is not None and _pid_alive(owner):
            continue  # another test run that is still going
        pid = _read_pid(directory / "dovecot.pid")
        conf = directory / "dovecot.conf"
        if pid is not None and _pid_alive(pid) and _is_our_dovecot(pid, conf):
            logger.warning("ending stale dovecot (pid %d) from %s", pid, directory)
            _terminate(pid, STOP_TIMEOUT)
            # a process that is not our child cannot be waited for; it is reaped by init
        shutil.rmtree(directory, ignore_errors=True)


_OPENSSL_SELF_SIGNED = (
    "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 3650"
    " -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1"
)

_CONFIG = """\
# Dovecot 2.3 for inbox-bot tests; see shared/research/dovecot-test-server.md
instance_name = {name}
base_dir  = {dir}/run
state_dir = {dir}/state
log_path  = {dir}/dovecot.log
protocols = imap
listen    = {host}

default_login_user    = dovenull
default_internal_user = dovecot
mail_uid = nobody
mail_gid = nogroup
first_valid_uid = 1

ssl = yes
ssl_cert = <{dir}/ssl/cert.pem
ssl_key  = <{dir}/ssl/key.pem
ssl_dh   = </usr/share/dovecot/dh.pem
ssl_min_protocol = TLSv1.2
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0

passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {dir}/users/%u
}}
userdb {{
  driver = static
  args = home={dir}/mail/%u
}}
mail_location = sdbox:~/sdbox
mail_fsync = never
namespace inbox {{
  inbox = yes
  separator = .
  prefix =
  mailbox Sent {{
    special_use = \\Sent
  }}
  mailbox Trash {{
    special_use = \\Trash
  }}
  mailbox Junk {{
    special_use = \\Junk
  }}
}}

service imap-login {{
  inet_listener imap {{
    address = {host}
    port = {port}
  }}
  inet_listener imaps {{
    address = {host}
    port = {ssl_port}
    ssl = yes
  }}
  service_count = 0
  process_min_avail = 1
}}
service imap {{
  process_limit = 256
}}
protocol imap {{
  mail_max_userip_connections = 200
  imap_idle_notify_interval = 2 mins
}}
service anvil {{
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
"""


class DovecotServer:
    """Dovecot on 127.0.0.1 with free ports, in its own directory under /tmp."""

    def __init__(self, host: str = "127.0.0.1", *, extra_config: str = "") -> None:
        """``extra_config`` is appended to the configuration (e.g. ``imap_capability = ...``)."""
        binary = dovecot_available()
        if binary is None:
            raise RuntimeError("dovecot not installed: apt-get install dovecot-imapd")
        self.binary = binary
        self.doveadm_binary = _doveadm_path(binary)
        self.host = host
        self.extra_config = extra_config
        self.port = 0
        self.ssl_port = 0
        self.ca_file = ""
        self.directory = Path()
        self._proc: subprocess.Popen[bytes] | None = None
        self._counter = itertools.count(1)
        self._probe_user = ("probe@localhost", secrets.token_urlsafe(12))

    @property
    def conf(self) -> Path:
        return self.directory / "dovecot.conf"

    @property
    def log_file(self) -> Path:
        return self.directory / "dovecot.log"

    # --- lifecycle -------------------------------------------------------------------------------

    def start(self) -> DovecotServer:
        if self._proc is not None:
            raise RuntimeError("DovecotServer already started")
        cleanup_stale_instances()
        self.directory = Path(tempfile.mkdtemp(prefix=INSTANCE_PREFIX, dir=INSTANCE_PARENT))
        try:
            self._prepare_directory()
            # The free ports may be taken between probing and dovecot's bind: retry a few times.
            for attempt in range(3):
                self.port, self.ssl_port = _free_ports(2, self.host)
                self._write_config()
                if self._launch():
                    break
                logger.info("dovecot did not come up (attempt %d), retrying", attempt + 1)
            else:
                raise RuntimeError(f"dovecot failed to start; log:\n{self._log_tail()}")
        except BaseException:
            self.stop()
            raise
        logger.info(
            "dovecot on %s:%d (imaps %d) in %s", self.host, self.port, self.ssl_port, self.directory
        )
        return self

    def stop(self) -> None:
        self.stop_process()
        if self.directory != Path() and self.directory.exists():
            shutil.rmtree(self.directory, ignore_errors=True)

    def stop_process(self) -> None:
        """SIGTERM the master (SIGKILL after STOP_TIMEOUT); the mail stays on disk."""
        proc, self._proc = self._proc, None
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    def __enter__(self) -> DovecotServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _prepare_directory(self) -> None:
        d = self.directory
        d.chmod(0o755)
        for sub in ("run", "state", "mail", "ssl", "users"):
            (d / sub).mkdir()
        shutil.chown(d / "mail", "nobody", "nogroup")
        (d / "owner.pid").write_text(f"{os.getpid()}\n")
        ssl_dir = d / "ssl"
        keys = ["-keyout", str(ssl_dir / "key.pem"), "-out", str(ssl_dir / "cert.pem")]
        subprocess.run([*_OPENSSL_SELF_SIGNED.split(), *keys], check=True, capture_output=True)
        (ssl_dir / "key.pem").chmod(0o600)
        self.ca_file = str(ssl_dir / "cert.pem")
        self.add_user(*self._probe_user)  # our own login, so start() can check that LOGIN works

    def _write_config(self) -> None:
        self.conf.write_text(
            _CONFIG.format(
                name=self.directory.name,
                dir=self.directory,
                host=self.host,
                port=self.port,
                ssl_port=self.ssl_port,
            )
            + self.extra_config
        )

    def _launch(self) -> bool:
        """Start ``dovecot -F`` and wait until LOGIN works; False if it exited early."""
        output = open(self.directory / "dovecot.out", "ab")  # noqa: SIM115 (kept by Popen)
        with output:
            proc = subprocess.Popen(
                [self.binary, "-F", "-c", str(self.conf)],
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # Ctrl-C in the terminal goes to pytest only
            )
        self._proc = proc
        (self.directory / "dovecot.pid").write_text(f"{proc.pid}\n")
        deadline = time.monotonic() + START_TIMEOUT
        last_error: Exception | None = None
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                self._proc = None
                logger.info("dovecot exited with %s; log:\n%s", proc.returncode, self._log_tail())
                return False
            try:
                with imaplib.IMAP4(self.host, self.port, timeout=2) as conn:
                    conn.login(*self._probe_user)
                    conn.logout()
                return True
            except (OSError, imaplib.IMAP4.error) as exc:
                last_error = exc
                time.sleep(0.02)
        raise TimeoutError(
            f"dovecot not answering LOGIN after {START_TIMEOUT} s ({last_error}); "
            f"log:\n{self._log_tail()}"
        )

    def _log_tail(self, lines: int = 30) -> str:
        text = ""
        for name in ("dovecot.out", "dovecot.log"):
            with contextlib.suppress(OSError):
                text += (self.directory / name).read_text(errors="replace")
        return "\n".join(text.splitlines()[-lines:])

    # --- users and admin -------------------------------------------------------------------------

    def add_user(self, username: str, password: str) -> None:
        """Add a login (or change its password); a new user can log in right away.

        Each user has a one-line passwd-file of its own (``users/<name>``): Dovecot looks at a
        passwd-file at most once per second, so a user appended to one shared file would be
        unknown for up to a second, whereas a file it has never opened is read at the first login.
        Changing a password therefore waits 1.1 s, until Dovecot looks at the file again.
        """
        if not username or username.startswith(".") or any(c in username for c in ":/\r\n\0"):
            raise ValueError(f"unusable as a user name here: {username!r}")
        if not password or any(c in password for c in ":\r\n\0"):
            raise ValueError("unusable as a password in a passwd-file (':', newline or empty)")
        path = self.directory / "users" / username
        try:
            old_mtime: int | None = int(path.stat().st_mtime)
        except FileNotFoundError:
            old_mtime = None
        tmp = path.with_name(f".{username}.tmp")
        tmp.write_text(f"{username}:{{PLAIN}}{password}::::\n")
        tmp.chmod(0o644)
        if old_mtime is not None:
            # dovecot reloads when mtime (in seconds) or size changed: make sure mtime did
            mtime = max(int(time.time()), old_mtime + 1)
            os.utime(tmp, (mtime, mtime))
        tmp.replace(path)  # dovecot never sees half a file
        if old_mtime is not None:
            time.sleep(1.1)

    def new_account(self, prefix: str = "info", domain: str = "kinderrechten.nl") -> ImapAccount:
        """Add a user with a fresh unique name and random password; return its account."""
        username = f"{prefix}{next(self._counter)}-{secrets.token_hex(3)}@{domain}"
        password = secrets.token_urlsafe(16)
        self.add_user(username, password)
        return ImapAccount(
            host=self.host,
            port=self.port,
            ssl_port=self.ssl_port,
            ca_file=self.ca_file,
            username=username,
            password=password,
        )

    def doveadm(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Run ``doveadm -c CONF ARGS...`` (check=True); stdout/stderr captured as text."""
        return subprocess.run(
            [self.doveadm_binary, "-c", str(self.conf), *args],
            check=True,
            capture_output=True,
            text=True,
            timeout=60,
        )


def require(available: bool, reason: str) -> None:
    """Skip the test when a system tool is missing, but fail it in CI (CI must not pass by
    skipping): e.g. ``require(dovecot_available() is not None, "apt-get install ...")``."""
    if available:
        return
    import pytest
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)
