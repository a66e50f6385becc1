#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Coffer against KeePassXC (keepassxc-cli), pass and gopass, side by side on one machine.

Run through bench/peers/run (it installs the peers and builds Coffer's release build first). Every tool
lives in a throwaway HOME/GNUPGHOME/PASSWORD_STORE_DIR under one temporary folder, removed at the end.
Each operation is one or more new processes, timed from spawn to exit (wall), with the CPU time (user +
system) of the process tree from wait4(), and its peak RSS from one more run under GNU time (see RSS_FILE).
Repeated operations report the median. Coffer is measured twice: each command unlocking the vault itself, and
the same reads answered by `coffer-cli agent start` ("Coffer (agent)"). After the peers, a 100k-secret vault:
the CLI, and the desktop app in Xvfb driven by xdotool (gui_scale). The report: bench/peers/report.py.
"""
import argparse
import base64
import json
import os
import platform
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PASSWORD = b"correct horse battery staple bench"
GPG_PASSPHRASE = b"bench gpg passphrase"
EMAIL = "bench@coffer.invalid"


class Failure(Exception):
    pass


# The peak RSS of a process comes from GNU time's report on its child. wait4's own ru_maxrss would not do: a
# child spawned from this Python process starts with Python's peak (the kernel carries the high-water mark
# across fork or vfork and exec), so every tool would show at least this script's size. GNU time costs a
# process of its own, so it wraps only the runs that measure() marks (RSS_RUN), not the timed ones.
RSS_FILE = Path(tempfile.mkstemp(prefix="coffer-peers-rss.")[1])
RSS_RUN = False


def run(argv, *, env, stdin=b"", cwd=None, check=True):
    """Runs argv (a list, or a string for bash -c) to completion: (wall s, cpu s, peak RSS KiB or 0, stdout)."""
    if isinstance(argv, str):
        argv = ["bash", "-c", argv]
    if RSS_RUN:
        argv = ["/usr/bin/time", "-q", "-f", "%M", "-o", str(RSS_FILE), *argv]
    start = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    # communicate() must not wait() itself: wait4 is what gives the rusage of this child's tree.
    out_chunks, err_chunks = [], []
    import threading

    def pump(stream, sink):
        sink.append(stream.read())

    threads = [threading.Thread(target=pump, args=(proc.stdout, out_chunks)),
               threading.Thread(target=pump, args=(proc.stderr, err_chunks))]
    for t in threads:
        t.start()
    try:
        proc.stdin.write(stdin)
        proc.stdin.close()
    except BrokenPipeError:
        pass
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    for t in threads:
        t.join()
    out, err = out_chunks[0], err_chunks[0]
    rss = int(RSS_FILE.read_text().split()[-1]) if RSS_RUN else 0
    if check and proc.returncode != 0:
        shown = argv if len(" ".join(map(str, argv))) < 300 else argv[:3]
        raise Failure(f"{shown} exited {proc.returncode}: {err.decode(errors='replace')[-800:]}")
    return wall, usage.ru_utime + usage.ru_stime, rss, out


def measure(fn, repeats):
    """Calls fn() `repeats` times; each returns (wall, cpu, rss). Median wall, median cpu, and the peak RSS of
    one more call through GNU time (the only run when repeats is 1: a bulk create or a sync is not repeated)."""
    global RSS_RUN
    samples = [fn() for _ in range(repeats - 1)]
    RSS_RUN = True
    try:
        wrapped = fn()
    finally:
        RSS_RUN = False
    if repeats == 1:
        samples = [wrapped]
    else:
        samples.append(fn())
    return {
        "wall": statistics.median(s[0] for s in samples),
        "cpu": statistics.median(s[1] for s in samples),
        "rss": wrapped[2],
        "repeats": repeats,
        "walls": [round(s[0], 4) for s in samples],
    }


def value(i):
    return "v" + base64.b32encode(secrets.token_bytes(20)).decode().lower()  # 33 chars, a token


def name(i):
    return f"SECRET_{i:06d}"


class Bench:
    def __init__(self, args):
        self.args = args
        self.root = Path(tempfile.mkdtemp(prefix="coffer-peers."))
        os.chmod(self.root, 0o700)
        self.cli = Path(args.build) / "app/coffer-cli/coffer-cli"
        self.server = Path(args.build) / "app/coffer-server/coffer-server"
        self.results = {}  # profile -> N -> tool -> op -> measurement
        self.how = {}
        self.notes = []
        self.server_proc = None
        self.agents = []

    # ----- environment -----
    def home(self, tag):
        home = self.root / tag
        (home / "gnupg").mkdir(parents=True, exist_ok=True)
        os.chmod(home / "gnupg", 0o700)
        env = {
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "HOME": str(home),
            "GNUPGHOME": str(home / "gnupg"),
            "PASSWORD_STORE_DIR": str(home / "store"),
            "USER": "bench",
            "LANG": "C.UTF-8",
            "TMPDIR": str(home),
            "GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": EMAIL,
            "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": EMAIL,
            "XDG_RUNTIME_DIR": str(home),
            "QT_QPA_PLATFORM": "offscreen",
        }
        return home, env

    def record(self, profile, n, tool, op, m, how=None):
        self.results.setdefault(profile, {}).setdefault(str(n), {}).setdefault(tool, {})[op] = m
        if how:
            self.how[(tool, op)] = how
        cell = f"{m['wall'] * 1000:9.1f} ms" if m else "      n/a"
        print(f"  [{profile} N={n}] {tool:9} {op:9} {cell}", flush=True)

    # ----- the secrets -----
    def dataset(self, n):
        main = [(name(i), value(i)) for i in range(n)]
        export = [(f"EXPORT_{i:03d}", value(i)) for i in range(self.args.keys)]
        return main, export

    # ----- Coffer -----
    def coffer(self, env, vault, *args, stdin=b"", check=True):
        return run([str(self.cli), "--vault", str(vault), "--password-file", str(self.pwfile), *args],
                   env=env, stdin=stdin, check=check)

    def coffer_kdf_ms(self, env, passes, memory):
        """Coffer's unlock cost at this KDF setting: `info` on an empty vault minus a process that opens none.
        CPU time, not wall: on a shared machine the wall time is mostly waiting for a core. gpg (pass, gopass)
        calibrates its S2K to this many milliseconds of wall time under the same load, so it costs at most what
        Coffer's KDF does (the comparison leans against Coffer); KeePassXC gets Coffer's Argon2id parameters
        themselves (keepassxc_argon2)."""
        vault = self.root / f"kdf-{passes}-{memory}.coffer"
        self.coffer(env, vault, "init", "--kdf-passes", str(passes), "--kdf-memory", str(memory))
        info = measure(lambda: self.coffer(env, vault, "info")[:3], 5)
        bare = measure(lambda: run([str(self.cli), "--version"], env=env)[:3], 5)
        self.kdf_wall[(passes, memory)] = (info["wall"] - bare["wall"]) * 1000
        return max(1.0, (info["cpu"] - bare["cpu"]) * 1000)

    def bench_coffer(self, profile, n, data, kdf):
        main, export = data
        home, env = self.home(f"{profile}-{n}-coffer")
        vault = home / "alice.coffer"
        passes, memory = kdf
        self.coffer(env, vault, "init", "--kdf-passes", str(passes), "--kdf-memory", str(memory))
        self.coffer(env, vault, "project", "add", "bench")
        self.coffer(env, vault, "env", "add", "bench/main", "--unprotected")
        self.coffer(env, vault, "env", "add", "bench/export", "--unprotected")
        dotenv = home / "main.env"
        dotenv.write_text("".join(f"{k}={v}\n" for k, v in main))
        (home / "export-in.env").write_text("".join(f"{k}={v}\n" for k, v in export))
        self.coffer(env, vault, "import", "bench/export", str(home / "export-in.env"))
        if self.wants("bulk", profile):
            m = measure(lambda: self.coffer(env, vault, "import", "bench/main", str(dotenv))[:3], 1)
            self.record(profile, n, "coffer", "bulk", m, "`coffer-cli import bench/main main.env` (one process, one transaction)")
        else:
            self.coffer(env, vault, "import", "bench/main", str(dotenv))
        target = main[n // 2][0]
        out = self.coffer(env, vault, "get", f"bench/main/{target}")[3]
        assert out.decode() == dict(main)[target], "coffer get returned the wrong value"
        self.record(profile, n, "coffer", "read", measure(
            lambda: self.coffer(env, vault, "get", f"bench/main/{target}")[:3], self.args.repeats),
            "`coffer-cli get bench/main/NAME`")
        out = self.coffer(env, vault, "ls", "bench/main")[3]
        lines = out.count(b"\n")
        assert lines == n + 1, f"coffer ls listed {lines} lines"
        self.record(profile, n, "coffer", "list", measure(
            lambda: self.coffer(env, vault, "ls", "bench/main")[:3], self.args.repeats),
            "`coffer-cli ls bench/main` (name, version, date, author, tags of each)")
        needle = target[-5:]
        cmd = f"'{self.cli}' --vault '{vault}' --password-file '{self.pwfile}' ls bench/main | grep -F {needle}"
        out = run(cmd, env=env)[3]
        assert target.encode() in out
        self.record(profile, n, "coffer", "search", measure(lambda: run(cmd, env=env)[:3], self.args.repeats),
                    "`coffer-cli ls bench/main | grep PART` (the CLI has no search command; the app searches as you type)")
        outfile = home / "out.env"
        out_m = measure(lambda: self.coffer(env, vault, "export", "bench/export", "-o", str(outfile))[:3],
                        self.args.repeats)
        assert outfile.read_text().count("\n") == len(export)
        self.record(profile, n, "coffer", "export", out_m, "`coffer-cli export bench/export -o out.env`")
        self.bench_coffer_agent(profile, n, env, vault, main, export)
        if self.wants("sync", profile):
            self.sync_coffer(profile, n, home, env, vault, main)

    def bench_coffer_agent(self, profile, n, env, vault, main, export):
        """The same reads while `coffer-cli agent start` holds the vault open (docs/agent.md): no KDF per command.
        The commands get no password file and an empty stdin, so only the agent can answer them. Writes (bulk
        create, sync) are not agent operations: n/a."""
        self.coffer(env, vault, "agent", "start")
        bare = [str(self.cli), "--vault", str(vault)]
        try:
            target = main[n // 2][0]
            get = bare + ["get", f"bench/main/{target}"]
            assert run(get, env=env)[3].decode() == dict(main)[target], "coffer get (agent) returned the wrong value"
            self.record(profile, n, "coffer_agent", "read", measure(lambda: run(get, env=env)[:3], self.args.repeats),
                        "`coffer-cli get bench/main/NAME` answered by the agent (the static front end, no Qt)")
            ls = bare + ["ls", "bench/main"]
            assert run(ls, env=env)[3].count(b"\n") == n + 1
            self.record(profile, n, "coffer_agent", "list", measure(lambda: run(ls, env=env)[:3], self.args.repeats),
                        "`coffer-cli ls bench/main` answered by the agent (the static front end, no Qt)")
            cmd = f"'{self.cli}' --vault '{vault}' ls bench/main | grep -F {target[-5:]}"
            assert target.encode() in run(cmd, env=env)[3]
            self.record(profile, n, "coffer_agent", "search", measure(lambda: run(cmd, env=env)[:3],
                                                                      self.args.repeats),
                        "`coffer-cli ls bench/main | grep PART` answered by the agent (the static front end)")
            outfile = Path(env["HOME"]) / "out-agent.env"
            exp = bare + ["export", "bench/export", "-o", str(outfile)]
            self.record(profile, n, "coffer_agent", "export", measure(lambda: run(exp, env=env)[:3],
                                                                      self.args.repeats),
                        "`coffer-cli export bench/export -o out.env` answered by the agent")
            assert outfile.read_text().count("\n") == len(export)
            served = run(bare + ["agent", "status"], env=env)[3].decode()
            assert "served" in served, served
        finally:
            run(bare + ["lock"], env=env, check=False)
        if self.wants("bulk", profile):
            self.record(profile, n, "coffer_agent", "bulk", None,
                        "not an agent operation: writes unlock the vault themselves")
        if self.wants("sync", profile):
            self.record(profile, n, "coffer_agent", "sync", None, "not an agent operation (issue 10 serves reads)")
            self.record(profile, n, "coffer_agent", "sync_e2e", None)

    def start_server(self):
        if self.server_proc:
            return self.server_address
        work = self.root / "server"
        work.mkdir()
        conf = work / "server.conf"
        conf.write_text("rate_limit_per_second = 1000000\nrate_limit_burst = 1000000\n")
        self.server_db = f"sqlite:{work}/server.db"
        env = {"PATH": "/usr/bin:/bin", "HOME": str(work)}
        run([str(self.server), "migrate", "--database", self.server_db], env=env)
        # The codes are made before the server holds the database (one SQLite user at a time), one per team.
        self.codes = []
        for i in range(len(self.args.sizes)):
            code = work / f"code{i}"
            code.write_bytes(run([str(self.server), "team-code", "--database", self.server_db], env=env)[3])
            os.chmod(code, 0o600)
            self.codes.append(code)
        out = open(work / "out", "wb")
        self.server_proc = subprocess.Popen([str(self.server), "serve", "--config", str(conf), "--listen",
                                             "127.0.0.1:0", "--database", self.server_db], env=env, stdout=out,
                                            stderr=subprocess.DEVNULL)
        for _ in range(300):
            text = (work / "out").read_text()
            if "\n" in text:
                break
            time.sleep(0.1)
        line = text.split("\n")[0]
        if not line.startswith("listening on "):
            raise Failure(f"coffer-server did not start: {line!r}")
        self.server_address = line[len("listening on "):]
        return self.server_address

    def team_code(self):
        return self.codes.pop(0)

    def sync_coffer(self, profile, n, home, env, vault, main):
        address = self.start_server()
        url = f"http://{address}"
        code = self.team_code()
        self.coffer(env, vault, "team", "create", "--server", url, "--name", f"bench{n}{profile}",
                    "--display-name", "alice", "--code-file", str(code))
        self.coffer(env, vault, "team", "share", "bench")
        invite = home / "invite"
        invite.write_bytes(self.coffer(env, vault, "team", "invite")[3].strip())
        os.chmod(invite, 0o600)
        bob = home / "bob.coffer"
        passes, memory = self.kdf[profile]
        self.coffer(env, bob, "init", "--kdf-passes", str(passes), "--kdf-memory", str(memory))
        self.coffer(env, bob, "team", "join", "--code-file", str(invite), "--display-name", "bob")
        self.coffer(env, vault, "team", "confirm", "bob", "--skip-verification")
        self.coffer(env, vault, "grant", "bob", "bench/main", "--role", "write")
        self.coffer(env, bob, "sync")  # bob's first pull of the N secrets: setup, not timed
        changes = home / "changes.env"
        changed = {k: value(0) for k, _ in main[:self.args.changes]}
        changes.write_text("".join(f"{k}={v}\n" for k, v in changed.items()))
        edit = measure(lambda: self.coffer(env, vault, "import", "bench/main", str(changes))[:3], 1)
        push = measure(lambda: self.coffer(env, vault, "sync")[:3], 1)
        pull = measure(lambda: self.coffer(env, bob, "sync")[:3], 1)
        got = self.coffer(env, bob, "get", f"bench/main/{main[7][0]}")[3].decode()
        assert got == changed[main[7][0]], "bob did not receive the change"
        self.record_sync(profile, n, "coffer", edit, push, pull,
                         "alice `coffer-cli import` of 100 changed values; `coffer-cli sync` (alice: push); `coffer-cli sync` (bob: pull), through a local coffer-server (SQLite, loopback)")

    def record_sync(self, profile, n, tool, edit, push, pull, how):
        both = {"wall": push["wall"] + pull["wall"], "cpu": push["cpu"] + pull["cpu"],
                "rss": max(push["rss"], pull["rss"]), "repeats": 1,
                "parts": {"edit": edit["wall"], "push": push["wall"], "pull": pull["wall"]}}
        e2e = dict(both)
        e2e["wall"] += edit["wall"]
        e2e["cpu"] += edit["cpu"]
        e2e["reused"] = edit.get("reused", False)
        self.record(profile, n, tool, "sync", both, how)
        self.record(profile, n, tool, "sync_e2e", e2e)

    # ----- KeePassXC -----
    def bench_keepassxc(self, profile, n, data, decryption_ms):
        main, export = data
        home, env = self.home(f"{profile}-{n}-keepassxc")
        db = home / "bench.kdbx"
        xml = home / "bench.xml"

        def uuid():
            return base64.b64encode(secrets.token_bytes(16)).decode()

        def group(gname, items):
            entries = "".join(
                f"<Entry><UUID>{uuid()}</UUID><String><Key>Title</Key><Value>{k}</Value></String>"
                f"<String><Key>Password</Key><Value ProtectInMemory=\"True\">{v}</Value></String></Entry>"
                for k, v in items)
            return f"<Group><UUID>{uuid()}</UUID><Name>{gname}</Name>{entries}</Group>"

        xml.write_text('<?xml version="1.0" encoding="utf-8" standalone="yes"?><KeePassFile><Meta>'
                       f'<Generator>bench</Generator></Meta><Root><Group><UUID>{uuid()}</UUID><Name>Root</Name>'
                       f"{group('main', main)}{group('export', export)}</Group></Root></KeePassFile>")
        kdf = ["-t", str(int(decryption_ms))] if decryption_ms else []
        pw = PASSWORD + b"\n"
        m = measure(lambda: run(["keepassxc-cli", "import", "-q", "-p", *kdf, str(xml), str(db)], env=env,
                                stdin=pw + pw)[:3], 1)
        if self.wants("bulk", profile):
            self.record(profile, n, "keepassxc", "bulk", m,
                        "`keepassxc-cli import -p -t MS bench.xml bench.kdbx` (KeePass XML; N + 100 entries; AES-KDF "
                        "calibrated to Coffer's unlock time, its calibration included; then, not timed, moved into a "
                        "KDBX 4 database with Coffer's Argon2id parameters: see `keepassxc_argon2`)")
        if profile == "equal":
            self.keepassxc_argon2(env, home, db)
        info = run(["keepassxc-cli", "db-info", "-q", str(db)], env=env, stdin=pw)[3].decode()
        self.keepassxc_kdf[profile] = next((l for l in info.splitlines() if l.startswith("KDF")), "?")
        target = main[n // 2][0]
        show = ["keepassxc-cli", "show", "-q", "-s", "-a", "Password", str(db), f"main/{target}"]
        assert run(show, env=env, stdin=pw)[3].decode().strip() == dict(main)[target]
        self.record(profile, n, "keepassxc", "read", measure(lambda: run(show, env=env, stdin=pw)[:3],
                                                             self.args.repeats),
                    "`keepassxc-cli show -s -a Password bench.kdbx main/NAME`")
        ls = ["keepassxc-cli", "ls", "-q", "-R", "-f", str(db)]
        assert run(ls, env=env, stdin=pw)[3].count(b"\n") >= n
        self.record(profile, n, "keepassxc", "list", measure(lambda: run(ls, env=env, stdin=pw)[:3],
                                                             self.args.repeats),
                    "`keepassxc-cli ls -R -f bench.kdbx` (names only)")
        search = ["keepassxc-cli", "search", "-q", str(db), target[-5:]]
        assert target.encode() in run(search, env=env, stdin=pw)[3]
        self.record(profile, n, "keepassxc", "search", measure(lambda: run(search, env=env, stdin=pw)[:3],
                                                               self.args.repeats),
                    "`keepassxc-cli search bench.kdbx PART`")
        outfile = home / "out.env"
        # No .env export: CSV of the whole database to a pipe, the export group turned into NAME=value.
        cmd = (f"keepassxc-cli export -q -f csv '{db}' | awk -F'\",\"' '$1 == \"\\\"Root/export\" "
               f"{{ print $2 \"=\" $4 }}' > '{outfile}'")
        self.record(profile, n, "keepassxc", "export", measure(lambda: run(cmd, env=env, stdin=pw)[:3],
                                                               self.args.repeats),
                    "no .env export: `keepassxc-cli export -f csv` (the whole database) piped to awk")
        lines = outfile.read_text().splitlines()
        assert len(lines) == len(export) and lines[0] == f"{export[0][0]}={export[0][1]}", lines[:2]
        if self.wants("sync", profile):
            self.record(profile, n, "keepassxc", "sync", None,
                        "no team sync: a shared .kdbx file on a file share, `keepassxc-cli merge` on conflicts")
            self.record(profile, n, "keepassxc", "sync_e2e", None)

    def keepassxc_argon2(self, env, home, db):
        """Replaces db by a KDBX 4 database with the same entries and Coffer's Argon2id parameters (passes, memory,
        1 lane). keepassxc-cli 2.7 sets no KDF parameter but a decryption time, and its import writes KDBX 3.1 with
        AES-KDF. So pykeepass (Debian's python3-pykeepass) writes an empty KDBX 4 database with those parameters
        and fresh seeds, and `keepassxc-cli merge` copies the imported entries into it: KeePassXC writes the
        file that is measured."""
        from pykeepass import create_database  # Debian's python3-pykeepass; bench/peers/run installs it
        from pykeepass.kdbx_parsing.kdbx4 import kdf_uuids

        passes, memory = self.kdf["equal"]
        target = home / "argon2.kdbx"
        kp = create_database(str(target), password=PASSWORD.decode())
        header = kp.kdbx.header.value.dynamic_header
        kdf = header.kdf_parameters.data.dict
        kdf["$UUID"].value = kdf_uuids["argon2id"]
        kdf["I"].value = passes
        kdf["M"].value = memory * 1024 * 1024
        kdf["P"].value = 1
        kdf["S"].value = secrets.token_bytes(32)  # the template's salt and seeds are fixed: never reuse them
        header.master_seed.data = secrets.token_bytes(32)
        header.encryption_iv.data = secrets.token_bytes(16)
        del kp.kdbx.header["data"]  # else the template's header bytes are written back unchanged
        kp.root_group.name = "Root"
        kp.save()
        pw = PASSWORD + b"\n"
        run(["keepassxc-cli", "merge", "-q", str(target), str(db)], env=env, stdin=pw + pw)
        os.replace(target, db)

    # ----- pass and gopass -----
    def gpg_home(self, profile, n, tool, calibration_ms):
        home, env = self.home(f"{profile}-{n}-{tool}")
        gnupg = Path(env["GNUPGHOME"])
        conf = "allow-preset-passphrase\n"
        if calibration_ms:
            conf += f"s2k-calibration {int(calibration_ms)}\n"
        (gnupg / "gpg-agent.conf").write_text(conf)
        params = home / "key-params"
        params.write_text("Key-Type: EDDSA\nKey-Curve: ed25519\nSubkey-Type: ECDH\nSubkey-Curve: cv25519\n"
                          f"Name-Real: Bench\nName-Email: {EMAIL}\nExpire-Date: 0\n"
                          f"Passphrase: {GPG_PASSPHRASE.decode()}\n%commit\n")
        run(["gpg", "--batch", "--pinentry-mode", "loopback", "--gen-key", str(params)], env=env)
        self.agents.append(env)
        self.preset(env)
        return home, env

    def preset(self, env):
        """The passphrase goes into gpg-agent's cache (what a user's first unlock does), for every keygrip."""
        out = run(["gpg", "--list-secret-keys", "--with-keygrip", "--with-colons"], env=env)[3].decode()
        for line in out.splitlines():
            if line.startswith("grp:"):
                grip = line.split(":")[9]
                run(["/usr/lib/gnupg/gpg-preset-passphrase", "--preset", grip], env=env,
                    stdin=GPG_PASSPHRASE + b"\n")

    def s2k_count(self, env):
        """The S2K iteration count protecting the secret key, from the agent's key file."""
        import re
        for f in (Path(env["GNUPGHOME"]) / "private-keys-v1.d").glob("*.key"):
            found = re.search(rb'\(sha1\s+#[0-9A-Fa-f]+#\s+"(\d+)"\)', f.read_bytes())
            if found:
                return int(found.group(1))
        return None

    def agent_cpu(self, env):
        """CPU seconds the gpg-agent of this GNUPGHOME used so far (it runs the S2K of every decryption)."""
        home = env["GNUPGHOME"].encode()
        for pid in os.listdir("/proc"):
            if not pid.isdigit():
                continue
            try:
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
                if not cmdline[0].endswith(b"gpg-agent") or home not in cmdline:
                    continue
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
            except (OSError, IndexError, ValueError):
                continue
        return 0.0

    def with_agent(self, env, fn):
        """fn() -> (wall, cpu, rss), with the agent's CPU added to the process tree's."""
        before = self.agent_cpu(env)
        wall, cpu, rss = fn()
        return wall, cpu + self.agent_cpu(env) - before, rss

    def fill_store(self, env, store, items, tool):
        """Encrypts items straight with gpg --multifile into the store (setup, not timed)."""
        plain = Path(env["HOME"]) / "plain"
        for sub, k, v in items:
            d = plain / sub
            d.mkdir(parents=True, exist_ok=True)
            (d / k).write_text(v + "\n")
        files = [str(plain / sub / k) for sub, k, _ in items]
        for i in range(0, len(files), 2000):
            run(["gpg", "--batch", "--yes", "--quiet", "--compress-algo=none", "-r", EMAIL, "--multifile",
                 "--encrypt", *files[i:i + 2000]], env=env)
        for sub, k, _ in items:
            d = store / sub
            d.mkdir(parents=True, exist_ok=True)
            os.replace(plain / sub / f"{k}.gpg", d / f"{k}.gpg")
        shutil.rmtree(plain)

    def insert(self, tool, env, path, val):
        if tool == "pass":
            return run(["pass", "insert", "-m", "-f", path], env=env, stdin=val.encode() + b"\n")[:3]
        # aviau/gopass reads a password only from a terminal; its multiline mode takes it from $EDITOR.
        vfile = Path(env["HOME"]) / "value"
        vfile.write_text(val + "\n")
        return run(["gopass", "insert", "-m", "-f", path], env={**env, "EDITOR": str(self.editor),
                                                               "BENCH_VALUE": str(vfile)})[:3]

    def bench_gpgstore(self, tool, profile, n, data, calibration_ms):
        main, export = data
        home, env = self.gpg_home(profile, n, tool, calibration_ms)
        self.s2k[profile] = self.s2k_count(env)
        store = Path(env["PASSWORD_STORE_DIR"])
        run([tool, "init", EMAIL], env=env)
        run(["git", "init", "-q", "--bare", str(home / "remote.git")], env=env)
        # aviau/gopass 1.5 does not create a secret's folder (gpg fails with "No such file or directory").
        (store / "main").mkdir(parents=True, exist_ok=True)
        (store / "export").mkdir(parents=True, exist_ok=True)
        sample = min(n, self.args.sample)
        if self.wants("bulk", profile):
            # The loop runs without git (one commit at the end is the fastest honest way); `sample` inserts
            # are timed, the rest are encrypted straight with gpg (same files), and the loop is extrapolated.
            walls, cpus, rss = [], [], 0
            for k, v in main[:sample]:
                one = measure(lambda: self.insert(tool, env, f"main/{k}", v), 1)
                walls.append(one["wall"])
                cpus.append(one["cpu"])
                rss = max(rss, one["rss"])
            self.fill_store(env, store, [("main", k, v) for k, v in main[sample:]], tool)
            self.fill_store(env, store, [("export", k, v) for k, v in export], tool)
            commit = measure(lambda: run("git init -q && git add -A && git commit -q -m 'bulk'", env=env,
                                         cwd=store)[:3], 1)
            per = sum(walls) / sample
            m = {"wall": per * n + commit["wall"], "cpu": sum(cpus) / sample * n + commit["cpu"], "rss": rss,
                 "repeats": 1, "sampled": sample, "per_insert": per, "commit": commit["wall"],
                 "extrapolated": sample < n}
            how = (f"`{tool} insert -m` loop, one process per secret, then one `git add -A && git commit`"
                   + (" (aviau/gopass: the value through $EDITOR)" if tool == "gopass" else ""))
            self.record(profile, n, tool, "bulk", m, how)
        else:
            self.fill_store(env, store, [("main", k, v) for k, v in main] + [("export", k, v) for k, v in export],
                            tool)
            run("git init -q && git add -A && git commit -q -m 'bulk'", env=env, cwd=store)
        target = main[n // 2][0]
        show = [tool, "show", f"main/{target}"]
        assert run(show, env=env)[3].decode().strip() == dict(main)[target]
        self.record(profile, n, tool, "read", measure(lambda: self.with_agent(env, lambda: run(show, env=env)[:3]),
                                                      self.args.repeats),
                    f"`{tool} show main/NAME` (gpg-agent holds the passphrase; the key's S2K runs per decryption)")
        ls = [tool, "ls"]
        assert run(ls, env=env)[3].count(b"\n") >= n
        self.record(profile, n, tool, "list", measure(lambda: run(ls, env=env)[:3], self.args.repeats),
                    f"`{tool} ls` (a `tree` of the store's file names, which are not encrypted)")
        find = [tool, "find", target[-5:]]
        assert target.encode() in run(find, env=env)[3]
        self.record(profile, n, tool, "search", measure(lambda: run(find, env=env)[:3], self.args.repeats),
                    f"`{tool} find PART` (file names)")
        outfile = home / "out.env"
        cmd = (f"cd \"$PASSWORD_STORE_DIR/export\" && for f in *.gpg; do k=${{f%.gpg}}; "
               f"printf '%s=%s\\n' \"$k\" \"$({tool} show export/$k)\"; done > '{outfile}'")
        key = (profile, tool, "export")
        if profile != "equal":
            self.record(profile, n, tool, "export", None)
        elif key in self.once:
            # 100 decryptions whatever N is (the loop reads the export folder's 100 files): measured once per
            # profile, at the first N, to keep the run within its time (each costs a process and an S2K).
            self.record(profile, n, tool, "export", dict(self.once[key], reused=True))
        else:
            self.once[key] = measure(lambda: self.with_agent(env, lambda: run(cmd, env=env)[:3]), 1)
            self.record(profile, n, tool, "export", self.once[key],
                        f"no .env export: a shell loop of 100 `{tool} show` into NAME=value lines")
            lines = outfile.read_text().splitlines()
            assert len(lines) == len(export) and lines[0] == f"{export[0][0]}={export[0][1]}", lines[:2]
        if self.wants("sync", profile):
            self.sync_gpgstore(tool, profile, n, home, env, main)

    def sync_gpgstore(self, tool, profile, n, home, env, main):
        store = Path(env["PASSWORD_STORE_DIR"])
        remote = home / "remote.git"
        run(["git", "remote", "add", "origin", str(remote)], env=env, cwd=store)
        run(["git", "push", "-q", "-u", "origin", "HEAD:main"], env=env, cwd=store)
        bob = {**env, "PASSWORD_STORE_DIR": str(home / "bob-store")}
        run(["git", "clone", "-q", "-b", "main", str(remote), bob["PASSWORD_STORE_DIR"]], env=env)
        # The changes: each `insert` in a git store commits (that is how pass and gopass record history). The
        # 100 inserts are timed at the first N; at the next N the same 100 commits are made straight with gpg
        # and git (not timed) and the edit time of the first N is reused: inserting does not depend on N.
        changed = {k: value(0) for k, _ in main[:self.args.changes]}
        key = (profile, tool, "edit")
        if key not in self.once:
            walls, cpus = [], []
            for k, v in changed.items():
                w, c, _ = self.insert(tool, env, f"main/{k}", v)
                walls.append(w)
                cpus.append(c)
            self.once[key] = {"wall": sum(walls), "cpu": sum(cpus), "rss": 0}
            edit = self.once[key]
        else:
            self.fill_store(env, store, [("main", k, v) for k, v in changed.items()], tool)
            # one commit per change, as the inserts would make
            script = "".join(f"git add main/{k}.gpg && git commit -q -m 'Edit {k}' && " for k in changed) + "true"
            run(script, env=env, cwd=store)
            edit = dict(self.once[key], reused=True)
        commits = run(["git", "rev-list", "--count", "HEAD"], env=env, cwd=store)[3].decode().strip()
        push = measure(lambda: run([tool, "git", "push", "-q", "origin", "HEAD:main"], env=env)[:3], 1)
        pull = measure(lambda: run([tool, "git", "pull", "-q", "--ff-only", "origin", "main"], env=bob)[:3], 1)
        got = run([tool, "show", f"main/{main[7][0]}"], env=bob)[3].decode().strip()
        assert got == changed[main[7][0]], f"{tool}: bob did not receive the change ({commits} commits)"
        self.record_sync(profile, n, tool, edit, push, pull,
                         f"100 `{tool} insert -f` (one git commit each); `{tool} git push`; bob: `{tool} git pull`, through a local bare git remote")

    # ----- orchestration -----
    def wants(self, op, profile):
        return profile == "equal" or op not in ("bulk", "sync")

    def run_all(self):
        self.pwfile = self.root / "password"
        self.pwfile.write_bytes(PASSWORD)
        os.chmod(self.pwfile, 0o600)
        self.editor = self.root / "editor"
        self.editor.write_text('#!/bin/sh\ncat "$BENCH_VALUE" > "$1"\n')
        os.chmod(self.editor, 0o700)
        _, env = self.home("calibrate")
        eq = (self.args.kdf_passes, self.args.kdf_memory)
        self.kdf = {"equal": eq, "defaults": (3, 256)}
        self.kdf_wall = {}
        self.kdf_ms = {p: self.coffer_kdf_ms(env, *k) for p, k in self.kdf.items()}
        print(f"Coffer unlock cost: equal profile {eq} -> {self.kdf_ms['equal']:.0f} ms; "
              f"defaults (3, 256) -> {self.kdf_ms['defaults']:.0f} ms", flush=True)
        self.keepassxc_kdf, self.s2k, self.once = {}, {}, {}
        profiles = [("equal", self.args.sizes)]
        if not self.args.quick:
            profiles.append(("defaults", [self.args.sizes[0]]))
        for profile, sizes in profiles:
            for n in sizes:
                print(f"== profile {profile}, N = {n} (load {os.getloadavg()[0]:.1f})", flush=True)
                data = self.dataset(n)
                target = self.kdf_ms[profile] if profile == "equal" else None
                self.bench_coffer(profile, n, data, self.kdf[profile])
                self.bench_keepassxc(profile, n, data, target)
                self.bench_gpgstore("pass", profile, n, data, target)
                self.bench_gpgstore("gopass", profile, n, data, target)
                self.stop_agents()
        if not self.args.no_scale:
            self.scale()

    def scale(self):
        """A 100k-secret Coffer vault from the CLI: 10 environments of 10k."""
        home, env = self.home("scale")
        vault = home / "big.coffer"
        total = self.args.scale
        per = total // 10
        passes, memory = self.kdf["equal"]
        self.coffer(env, vault, "init", "--kdf-passes", str(passes), "--kdf-memory", str(memory))
        self.coffer(env, vault, "project", "add", "big")
        walls, cpus, rss = [], [], 0
        for e in range(10):
            self.coffer(env, vault, "env", "add", f"big/e{e}", "--unprotected")
            f = home / f"e{e}.env"
            f.write_text("".join(f"{name(i)}={value(i)}\n" for i in range(e * per, (e + 1) * per)))
            one = measure(lambda: self.coffer(env, vault, "import", f"big/e{e}", str(f))[:3], 1)
            walls.append(one["wall"])
            cpus.append(one["cpu"])
            rss = max(rss, one["rss"])
        scale = {"secrets": total, "import_wall": sum(walls), "import_cpu": sum(cpus), "import_rss": rss,
                 "kdf_ms": self.kdf_ms["equal"]}
        # An empty vault at the same KDF gives what opening costs beyond it.
        small = home / "small.coffer"
        self.coffer(env, small, "init", "--kdf-passes", str(passes), "--kdf-memory", str(memory))
        self.coffer(env, small, "project", "add", "big")
        self.coffer(env, small, "env", "add", "big/e0", "--unprotected")
        r = self.args.repeats
        scale["small_projects"] = measure(lambda: self.coffer(env, small, "ls", "big")[:3], r)
        scale["projects"] = measure(lambda: self.coffer(env, vault, "ls", "big")[:3], r)
        scale["info"] = measure(lambda: self.coffer(env, vault, "info")[:3], r)
        scale["open_env"] = measure(lambda: self.coffer(env, vault, "ls", "big/e5")[:3], r)
        target = name(5 * per + 17)
        scale["get"] = measure(lambda: self.coffer(env, vault, "get", f"big/e5/{target}")[:3], r)
        cmd = f"'{self.cli}' --vault '{vault}' --password-file '{self.pwfile}' ls big/e5 | grep -F {target[-5:]}"
        scale["search"] = measure(lambda: run(cmd, env=env)[:3], r)
        scale["export"] = measure(lambda: self.coffer(env, vault, "export", "big/e5", "-o",
                                                      str(home / "e5.env"))[:3], r)
        if self.args.gui:
            scale["gui"] = self.gui_scale(env, vault, name(5 * per)[:-(len(str(per)) - 1)])
        self.results["scale"] = scale
        print(f"  scale: {json.dumps({k: v.get('wall', '...') if isinstance(v, dict) else v for k, v in scale.items()})}",
              flush=True)

    def gui_scale(self, env, vault, query):
        """The desktop app (`coffer`, the release build) on the 100k vault, in a real X server (Xvfb) driven with
        xdotool as a user would: type the password, search for `query` (the names of one environment: "SECRET_05",
        10k of the 100k), Enter opens the first match's environment of 10k. After each step the app is left until
        it is idle (its CPU time stops growing); the figures are its CPU time, its resident set then and its peak
        (VmHWM), read from /proc, and a screenshot at the end."""
        app = Path(self.args.build) / "app/coffer/coffer"
        display = next(f":{d}" for d in range(90, 200) if not Path(f"/tmp/.X11-unix/X{d}").exists())
        xvfb = subprocess.Popen(["Xvfb", display, "-screen", "0", "1600x1000x24", "-nolisten", "tcp"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        genv = {k: v for k, v in env.items() if k != "QT_QPA_PLATFORM"}
        genv["DISPLAY"] = display
        proc = None
        try:
            for _ in range(100):
                if Path(f"/tmp/.X11-unix/X{display[1:]}").exists():
                    break
                time.sleep(0.1)
            proc = subprocess.Popen([str(app), str(vault)], env=genv, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL)

            def xdo(*argv):
                return run(["xdotool", *argv], env=genv)[3].decode().split()

            def status():
                fields = {}
                for line in Path(f"/proc/{proc.pid}/status").read_text().splitlines():
                    key, _, val = line.partition(":")
                    fields[key] = val.strip()
                stat = Path(f"/proc/{proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
                ticks = os.sysconf("SC_CLK_TCK")
                return {"rss": int(fields["VmRSS"].split()[0]), "hwm": int(fields["VmHWM"].split()[0]),
                        "cpu": (int(stat[11]) + int(stat[12])) / ticks}

            def idle(started):
                """Waits until the app's CPU time stops growing for 1 s; returns its status and the wall time from
                `started` to the last CPU tick."""
                last, last_change = status(), time.perf_counter()
                while time.perf_counter() - last_change < 1.0:
                    time.sleep(0.05)
                    now = status()
                    if now["cpu"] != last["cpu"]:
                        last, last_change = now, time.perf_counter()
                return dict(last, wall=last_change - started)

            window = xdo("search", "--sync", "--onlyvisible", "--name", "Coffer")[0]
            xdo("windowfocus", "--sync", window)
            start = idle(time.perf_counter())
            xdo("type", "--delay", "0", "--file", str(self.pwfile))
            t0 = time.perf_counter()
            xdo("key", "Return")
            served = [str(self.cli), "--vault", str(vault), "agent", "status"]
            while run(served, env=env, check=False)[3] == b"":  # the app serves coffer-cli once unlocked
                if proc.poll() is not None or time.perf_counter() - t0 > 300:
                    raise Failure("the desktop app did not unlock the 100k vault")
                time.sleep(0.02)
            unlocked_at = time.perf_counter() - t0
            unlocked = idle(t0)
            xdo("key", "ctrl+f")
            t1 = time.perf_counter()
            xdo("type", "--delay", "50", query)
            searched = idle(t1)
            t2 = time.perf_counter()
            xdo("key", "Return")
            opened = idle(t2)
            shot = Path(self.args.out) / "gui-100k.png"
            shot.parent.mkdir(parents=True, exist_ok=True)
            run(["import", "-display", display, "-window", window, str(shot)], env=genv, check=False)
            result = {"started": start, "unlock_served": unlocked_at, "unlocked": unlocked, "searched": searched,
                      "opened": opened, "peak_rss": status()["hwm"], "display": "Xvfb 1600x1000", "query": query}
            print(f"  gui: {json.dumps(result)}", flush=True)
            return result
        finally:
            if proc:
                proc.terminate()
                proc.wait()
            xvfb.terminate()
            xvfb.wait()

    def stop_agents(self):
        for env in self.agents:
            subprocess.run(["gpgconf", "--kill", "gpg-agent"], env=env, check=False)
        self.agents = []

    def close(self):
        self.stop_agents()
        if self.server_proc:
            self.server_proc.terminate()
            self.server_proc.wait()
        if not self.args.keep:
            shutil.rmtree(self.root, ignore_errors=True)
        else:
            print(f"kept {self.root}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--sample", type=int, default=30, help="pass/gopass inserts timed per bulk create")
    ap.add_argument("--kdf-passes", type=int, default=2)
    ap.add_argument("--kdf-memory", type=int, default=64)
    ap.add_argument("--scale", type=int, default=100_000)
    ap.add_argument("--keys", type=int, default=100, help="keys in the exported environment")
    ap.add_argument("--changes", type=int, default=100, help="secrets changed before a team sync")
    ap.add_argument("--no-scale", action="store_true")
    ap.add_argument("--gui", action=argparse.BooleanOptionalAction, default=True,
                    help="measure the desktop app on the 100k vault too (Xvfb and xdotool)")
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    args.sizes = [int(s) for s in args.sizes.split(",")]
    bench = Bench(args)
    started = time.time()
    load_before = os.getloadavg()
    try:
        bench.run_all()
    finally:
        bench.close()
        RSS_FILE.unlink(missing_ok=True)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    meta = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(started)),
        "seconds": round(time.time() - started),
        "load_before": load_before, "load_after": os.getloadavg(),
        "machine": f"{platform.system()} {platform.release()}, {os.cpu_count()} cores, "
                   + next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?"),
        "kdf": {p: {"passes": k[0], "memoryMiB": k[1], "cpu_ms": round(bench.kdf_ms[p]),
                    "wall_ms": round(bench.kdf_wall[k])} for p, k in bench.kdf.items()},
        "keepassxc_kdf": bench.keepassxc_kdf, "gpg_s2k_count": bench.s2k,
        "versions": versions(),
        "how": {f"{t}/{o}": h for (t, o), h in bench.how.items()},
        "args": vars(args),
    }
    (out / "peers.json").write_text(json.dumps({"meta": meta, "results": bench.results}, indent=1))
    print(f"done in {meta['seconds']} s; {out / 'peers.json'}")


def versions():
    def first(argv):
        try:
            return subprocess.run(argv, capture_output=True, text=True).stdout.strip().splitlines()[0]
        except Exception:  # a missing tool shows as "?"
            return "?"

    def deb(pkg):
        return first(["dpkg-query", "-W", "-f=${Version}", pkg])

    return {"keepassxc": deb("keepassxc"), "pass": deb("pass"), "gopass": deb("gopass") + " (aviau/gopass)",
            "gnupg": deb("gnupg"), "git": deb("git")}


if __name__ == "__main__":
    sys.exit(main())
