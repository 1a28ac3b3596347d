"""Two analysts reach one case over OpenSSH, each key forced into the workbench with its own
analyst name (`authorized_keys` `command=`, the README's deployment recipe), in real terminals.

Needs sshd, ssh, ssh-keygen and tmux; skipped without them unless WORKBENCH_REQUIRE_SSH=1 (as
`.ci/run` sets, after installing openssh-server), which makes a missing tool a failure.
"""

from __future__ import annotations

import os
import shlex
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from workbench.model import Status
from workbench.store import Store

SSHD = shutil.which("sshd") or ("/usr/sbin/sshd" if Path("/usr/sbin/sshd").exists() else None)
MISSING = [name for name, path in (("sshd", SSHD), ("ssh", shutil.which("ssh")),
                                   ("ssh-keygen", shutil.which("ssh-keygen")), ("tmux", shutil.which("tmux")))
           if not path]
if MISSING:
    if os.environ.get("WORKBENCH_REQUIRE_SSH") == "1":
        raise RuntimeError(f"WORKBENCH_REQUIRE_SSH=1 but missing: {', '.join(MISSING)}")
    pytest.skip(f"missing {', '.join(MISSING)}", allow_module_level=True)

pytestmark = pytest.mark.tmux


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def workbench_command() -> str:
    script = Path(sys.executable).with_name("workbench")
    return shlex.join([str(script)] if script.exists() else [sys.executable, "-m", "workbench"])


@pytest.fixture
def sshd(tmp_path: Path) -> Iterator[dict]:
    """A throw-away sshd on 127.0.0.1, whose two user keys open the workbench as ana and bo."""
    home = tmp_path / "ssh"
    home.mkdir(mode=0o700)
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(home / "host")], check=True)
    case = tmp_path / "case.db"
    keys = {}
    lines = []
    for analyst in ("ana", "bo"):
        key = home / analyst
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True)
        keys[analyst] = key
        forced = f"{workbench_command()} --db {shlex.quote(str(case))} --analyst {analyst}"
        lines.append(f'command="{forced}",no-port-forwarding,no-agent-forwarding,no-X11-forwarding '
                     + (key.with_suffix(".pub")).read_text().strip())
    authorized = home / "authorized_keys"
    authorized.write_text("\n".join(lines) + "\n")
    authorized.chmod(0o600)
    port = free_port()
    config = home / "sshd_config"
    config.write_text(f"""Port {port}
ListenAddress 127.0.0.1
HostKey {home / 'host'}
AuthorizedKeysFile {authorized}
PidFile {home / 'sshd.pid'}
StrictModes no
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
AcceptEnv LANG LC_* COLORTERM
""")
    try:
        Path("/run/sshd").mkdir(exist_ok=True)  # sshd's privilege-separation directory
    except PermissionError:
        if os.environ.get("WORKBENCH_REQUIRE_SSH") == "1":
            raise
        pytest.skip("sshd needs /run/sshd, which only root can create")
    server = subprocess.Popen([SSHD, "-D", "-e", "-f", str(config)], stderr=subprocess.PIPE)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.1)
    yield {"port": port, "keys": keys, "case": case, "home": home}
    server.terminate()
    server.wait(timeout=10)


def ssh_terminal(name: str, port: int, key: Path) -> str:
    user = os.environ.get("USER") or subprocess.run(["id", "-un"], capture_output=True, text=True).stdout.strip()
    ssh = shlex.join(["ssh", "-tt", "-p", str(port), "-i", str(key), "-o", "StrictHostKeyChecking=no",
                      "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", f"{user}@127.0.0.1"])
    subprocess.run(["tmux", "-L", name, "new-session", "-d", "-s", name, "-x", "120", "-y", "40",
                    f"export TERM=xterm-256color LANG=C.UTF-8; {ssh}; echo '[exited]'; sleep 60"], check=True)
    return name


def screen(name: str) -> str:
    return subprocess.run(["tmux", "-L", name, "capture-pane", "-p", "-t", name], capture_output=True, text=True).stdout


def wait_for(name: str, text: str, timeout: float = 30) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        shown = screen(name)
        if text in shown:
            return shown
        time.sleep(0.2)
    raise AssertionError(f"{text!r} never appeared on {name}:\n{screen(name)}")


def test_two_analysts_over_ssh_see_each_others_marks(sshd: dict) -> None:
    ana = ssh_terminal(f"ssh-ana-{os.getpid()}", sshd["port"], sshd["keys"]["ana"])
    bo = ssh_terminal(f"ssh-bo-{os.getpid()}", sshd["port"], sshd["keys"]["bo"])
    try:
        wait_for(ana, "Reviewed 0/")
        wait_for(bo, "Reviewed 0/")
        assert "analyst: ana" in screen(ana) and "analyst: bo" in screen(bo)
        subprocess.run(["tmux", "-L", ana, "send-keys", "-t", ana, "d"], check=True)
        wait_for(ana, "Reviewed 1/")
        wait_for(bo, "Reviewed 1/", timeout=5)
        wait_for(bo, "ana: mark", timeout=5)
        for name in (ana, bo):
            subprocess.run(["tmux", "-L", name, "send-keys", "-t", name, "q"], check=True)
        wait_for(ana, "[exited]")
    finally:
        for name in (ana, bo):
            subprocess.run(["tmux", "-L", name, "kill-server"], capture_output=True)
    with Store(sshd["case"]) as store:
        disputed = [c for c in store.claims() if c.status is Status.DISPUTED]
        assert len(disputed) == 1 and disputed[0].analyst == "ana"
