"""Load for arcs serve: SESSIONS concurrent sessions, each logged in as its
own analyst, run a mix of reads (case list, search, case page) and writes
(add a subject, add an asset, on the session's own case) for DURATION
seconds or MAX_REQUESTS requests in all, whichever comes first; then the
same reads and writes done by `arcs` commands, one after another.

Environment (set by bench/web/run.sh): WEB (base URL, loopback only),
SERVER_PID, SESSIONS, DURATION, MAX_REQUESTS, USERS_FILE ("name password"
lines), CASES_FILE (case refs, one a line), ARCS_BIN, CLI_RUNS, THINK_MS.
Prints a Markdown report on stdout."""
import http.client
import os
import random
import re
import subprocess
import sys
import threading
import time
import urllib.parse

WEB = urllib.parse.urlsplit(os.environ["WEB"])
if WEB.hostname not in ("127.0.0.1", "::1", "localhost"):
    sys.exit("load: WEB must be a loopback address, not %s" % WEB.hostname)
HOST, PORT = WEB.hostname, WEB.port
PID = int(os.environ["SERVER_PID"])
SESSIONS = int(os.environ.get("SESSIONS", "50"))
DURATION = float(os.environ.get("DURATION", "60"))
MAX_REQUESTS = int(os.environ.get("MAX_REQUESTS", "500000"))
CLI_RUNS = int(os.environ.get("CLI_RUNS", "30"))
# a pause between one session's requests, uniform in [0, 2 * THINK_MS] ms
# (0: none, each session sends its next request as soon as it has the answer)
THINK = float(os.environ.get("THINK_MS", "0")) / 1000.0
USERS = [l.split() for l in open(os.environ["USERS_FILE"]) if l.strip()]
CASES = [l.strip() for l in open(os.environ["CASES_FILE"]) if l.strip()]
QUERIES = ["ARC-2021", "ARC-20", "bank", "villa", "Ltd", "KZ", "Almaty", "Dubai",
           "account", "nosuchthing"]
# kind -> weight: reads dominate, as in an office's day
MIX = [("list", 30), ("search", 25), ("case", 30), ("subject", 8), ("asset", 7)]
READS = ("list", "search", "case")
CSRF = re.compile(rb'name="csrf" value="([0-9a-f]+)"')

lock = threading.Lock()
lat = {k: [] for k, _ in MIX}
errors = {k: 0 for k, _ in MIX}
err_samples = []
count = 0
stop_at = 0.0


def rss_kb():
    with open("/proc/%d/status" % PID) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return -1


class Session:
    def __init__(self, user, password, n):
        self.c = http.client.HTTPConnection(HOST, PORT, timeout=30)
        self.cookie = ""
        self.n = n
        self.writes = 0
        st, hdrs, _ = self.req("POST", "/login", {"user": user, "password": password})
        if st != 303:
            raise RuntimeError("login of %s: HTTP %d" % (user, st))
        self.cookie = hdrs.get("set-cookie", "").split(";")[0]
        st, _, body = self.req("GET", "/cases/new")
        m = CSRF.search(body)
        if st != 200 or not m:
            raise RuntimeError("no csrf for %s (HTTP %d)" % (user, st))
        self.csrf = m.group(1).decode()
        self.ref = "BW-%04d-%d" % (n, os.getpid())
        st, _, _ = self.req("POST", "/cases", {
            "csrf": self.csrf, "ref": self.ref, "title": "Bench case %d" % n,
            "route": "criminal", "offence": "embezzlement", "opened": "2024-01-15",
            "jurisdiction": "victim:KZ"})
        if st != 303:
            raise RuntimeError("case %s: HTTP %d" % (self.ref, st))

    def req(self, method, path, form=None):
        headers = {"Cookie": self.cookie} if self.cookie else {}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (0, 1):
            try:
                self.c.request(method, path, body=body, headers=headers)
                r = self.c.getresponse()
                data = r.read()
                return r.status, {k.lower(): v for k, v in r.getheaders()}, data
            except (http.client.HTTPException, OSError):
                self.c.close()
                self.c = http.client.HTTPConnection(HOST, PORT, timeout=30)
                if attempt:
                    raise

    def one(self, kind):
        self.writes += kind in ("subject", "asset")
        w = self.writes
        if kind == "list":
            return self.req("GET", "/cases")[0], 200
        if kind == "search":
            q = urllib.parse.quote(random.choice(QUERIES))
            return self.req("GET", "/cases?q=" + q)[0], 200
        if kind == "case":
            return self.req("GET", "/cases/" + random.choice(CASES))[0], 200
        if kind == "subject":
            return self.req("POST", "/cases/%s/subjects" % self.ref, {
                "csrf": self.csrf, "name": "Bench person %d-%d" % (self.n, w),
                "kind": "person", "role": "defendant", "country": "KZ"})[0], 303
        return self.req("POST", "/cases/%s/assets" % self.ref, {
            "csrf": self.csrf, "kind": "bank_account", "desc": "Bench account %d-%d" % (self.n, w),
            "country": "AT", "identifiers": "AT%018d" % (self.n * 100000 + w),
            "value": "125000.00", "currency": "EUR", "valued_on": "2024-01-15"})[0], 303


def worker(s, rng):
    global count
    kinds = [k for k, w in MIX for _ in range(w)]
    while True:
        if THINK:
            time.sleep(rng.uniform(0, 2 * THINK))
        with lock:
            if count >= MAX_REQUESTS or time.monotonic() >= stop_at:
                return
            count += 1
        kind = rng.choice(kinds)
        t0 = time.perf_counter()
        try:
            st, want = s.one(kind)
        except Exception as e:  # noqa: BLE001 - counted and shown
            st, want = -1, 0
            if len(err_samples) < 5:
                err_samples.append("%s: %r" % (kind, e))
        dt = time.perf_counter() - t0
        with lock:
            if st == want:
                lat[kind].append(dt)
            else:
                errors[kind] += 1
                if len(err_samples) < 5 and st != -1:
                    err_samples.append("%s: HTTP %d" % (kind, st))


def pct(xs, p):
    if not xs:
        return float("nan")
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100.0 * (len(xs) - 1))))]


def ms(x):
    return "%.1f" % (x * 1000)


def cli(args):
    env = dict(os.environ)
    t0 = time.perf_counter()
    r = subprocess.run([os.environ["ARCS_BIN"]] + args, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, env=env)
    dt = time.perf_counter() - t0
    if r.returncode != 0:
        raise SystemExit("load: arcs %s failed: %s" % (" ".join(args), r.stderr.decode()))
    return dt


def main():
    global stop_at
    if len(USERS) < SESSIONS:
        sys.exit("load: %d users for %d sessions" % (len(USERS), SESSIONS))
    t0 = time.monotonic()
    sessions = [Session(u, p, i) for i, (u, p) in enumerate(USERS[:SESSIONS])]
    setup = time.monotonic() - t0
    rss = [("start (after %d logins)" % SESSIONS, rss_kb())]
    load0 = open("/proc/loadavg").read().split()[:3]
    stop_at = time.monotonic() + DURATION
    ths = [threading.Thread(target=worker, args=(s, random.Random(i)))
           for i, s in enumerate(sessions)]
    start = time.monotonic()
    for t in ths:
        t.start()
    # RSS every tenth of the run; shown at its start, middle and end
    samples = []
    for i in range(10):
        time.sleep(DURATION / 10)
        samples.append(rss_kb())
        if i == 4:
            rss.append(("middle", samples[-1]))
    for t in ths:
        t.join()
    elapsed = time.monotonic() - start
    rss.append(("end", rss_kb()))
    load1 = open("/proc/loadavg").read().split()[:3]

    # the same work by arcs commands, one after another, in the same run
    clat = {"case list": [], "case list --search": [], "case show": [], "subject add": []}
    for i in range(CLI_RUNS):
        clat["case list"].append(cli(["case", "list"]))
        clat["case list --search"].append(cli(["case", "list", "--search", random.choice(QUERIES)]))
        clat["case show"].append(cli(["case", "show", random.choice(CASES)]))
        clat["subject add"].append(cli(["subject", "add", sessions[0].ref, "--name",
                                        "CLI person %d" % i, "--kind", "person",
                                        "--role", "defendant", "--country", "KZ"]))
    rss.append(("after the arcs commands", rss_kb()))

    total = sum(len(v) for v in lat.values())
    print("%d sessions, think time %s, %.1f s (%d requests of at most %d), setup %.1f s "
          "(%d logins and cases); load average %s before, %s after; %d cores"
          % (SESSIONS, "0-%d ms" % (2 * THINK * 1000) if THINK else "none", elapsed, count,
             MAX_REQUESTS, setup, SESSIONS,
             "/".join(load0), "/".join(load1), os.cpu_count()))
    print()
    print("| kind | requests | errors | p50 ms | p99 ms | max ms |")
    print("|---|---:|---:|---:|---:|---:|")
    names = {"list": "GET /cases (list)", "search": "GET /cases?q= (search)",
             "case": "GET /cases/{ref} (case page)", "subject": "POST subject (write)",
             "asset": "POST asset (write)"}
    for k, _ in MIX:
        v = lat[k]
        print("| %s | %d | %d | %s | %s | %s |" % (names[k], len(v), errors[k], ms(pct(v, 50)),
                                                  ms(pct(v, 99)), ms(max(v) if v else 0)))
    r = [x for k in READS for x in lat[k]]
    w = [x for k in ("subject", "asset") for x in lat[k]]
    print("| all reads | %d | | %s | %s | |" % (len(r), ms(pct(r, 50)), ms(pct(r, 99))))
    print("| all writes | %d | | %s | %s | |" % (len(w), ms(pct(w, 50)), ms(pct(w, 99))))
    print()
    print("Throughput: %.0f requests/s (%.0f reads/s, %.0f writes/s)."
          % (total / elapsed, len(r) / elapsed, len(w) / elapsed))
    print()
    print("The same by `arcs` commands (%d runs each, one at a time, after the load; "
          "each a process with its own connection):" % CLI_RUNS)
    print()
    print("| command | p50 ms | p99 ms |")
    print("|---|---:|---:|")
    for k, v in clat.items():
        print("| arcs %s | %s | %s |" % (k, ms(pct(v, 50)), ms(pct(v, 99))))
    print()
    print("Server RSS (VmRSS): " + ", ".join("%s %.1f MB" % (n, kb / 1024) for n, kb in rss))
    print()
    print("RSS at each tenth of the run, MB: " + " ".join("%.1f" % (kb / 1024) for kb in samples))
    if err_samples:
        print()
        print("First errors: " + "; ".join(err_samples))


main()
