"""How fast the host runs this machine's CPUs, measured from inside the guest, for bench/http/run.

This virtual machine reports no steal time, yet its host can run one of its CPUs at half speed for
minutes at a time: on 2026-12-04 a CPU's probe went from 0.62 to 1.25 ms at 13:14 and stayed there
with the guest idle, while the other CPU's stayed at 0.6 ms. A load set at half of a peak measured
before such a change is then close to the whole machine, and its latency run measures a queue.

One probe process per CPU, pinned to it and scheduled SCHED_FIFO (so that no process of the guest
can delay or share its CPU), times a fixed piece of arithmetic four times a second. Each probe takes
about 0.6 ms on a full-speed CPU: 0.25% of the machine. A slower probe therefore means a slower
host (or the guest's kernel), never the benchmark's own processes. Without the right to use
SCHED_FIFO (not root, no CAP_SYS_NICE) the probes run at normal priority; they then also slow down
when the guest is busy, so `fifo` is False and bench/http/run does not act on them.

    python3 hostspeed.py --probe CPU FILE      one probe (started by HostSpeed, not by hand)
"""

import os
import statistics
import sys
import time

PROBE_INTERVAL_S = 0.25
PROBE_ITERATIONS = 20_000


def probe(cpu, path):
    os.sched_setaffinity(0, {cpu})
    try:
        os.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(50))
        priority = "fifo"
    except PermissionError:
        priority = "normal"
    with open(path, "w", buffering=1) as out:
        out.write("# cpu %d priority %s\n" % (cpu, priority))
        due = time.monotonic()
        while True:
            due += PROBE_INTERVAL_S
            pause = due - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            start = time.perf_counter()
            total = 0
            for i in range(PROBE_ITERATIONS):
                total += i * i
            out.write("%.3f %.4f\n" % (time.time(), (time.perf_counter() - start) * 1000.0))


class HostSpeed:
    """The probes of every CPU and what they saw in a window of time.

    `window(t0, t1)["capacity"]` is the sum over CPUs of 1 / (the median probe time in ms): the
    machine's speed in probes per millisecond. Two windows' capacities divided say how much faster or slower
    the host ran the second than the first, whatever the guest was doing."""

    def __init__(self, start_process, directory):
        self.paths = []
        for cpu in range(os.cpu_count()):
            path = os.path.join(directory, "host-speed-cpu%d.txt" % cpu)
            if os.path.exists(path):
                os.remove(path)  # or an old run's samples would be read before the new probe truncates the file
            start_process("host speed probe cpu%d" % cpu, [sys.executable, os.path.abspath(__file__), "--probe", str(cpu), path])
            self.paths.append(path)
        self.samples = [[] for _ in self.paths]
        self.offsets = [0 for _ in self.paths]
        self.priorities = [None for _ in self.paths]

    def _read(self):
        for cpu, path in enumerate(self.paths):
            try:
                with open(path) as f:
                    f.seek(self.offsets[cpu])
                    text = f.read()
            except OSError:
                continue
            complete = text[:text.rfind("\n") + 1]
            self.offsets[cpu] += len(complete)
            for line in complete.splitlines():
                if line.startswith("#"):
                    self.priorities[cpu] = line.split()[-1]
                else:
                    at, ms = line.split()
                    self.samples[cpu].append((float(at), float(ms)))

    @property
    def fifo(self):
        """Whether every probe got SCHED_FIFO (each says so once, in its file's first line)."""
        if not all(self.priorities):
            self._read()
        return all(p == "fifo" for p in self.priorities)

    def window(self, t0, t1):
        """{"probe_ms": median per CPU, "capacity": probes/ms} over [t0, t1], or None without samples."""
        self._read()
        medians = []
        for samples in self.samples:
            inside = [ms for at, ms in samples if t0 <= at <= t1]
            if not inside:
                return None
            medians.append(statistics.median(inside))
        return {"probe_ms": [round(m, 3) for m in medians], "capacity": round(sum(1.0 / m for m in medians), 3)}

    def wait_for_first_samples(self, timeout=5.0):
        deadline = time.time() + timeout
        while time.time() < deadline:
            self._read()
            if all(self.samples) and all(self.priorities):
                return True
            time.sleep(0.1)
        return False


if __name__ == "__main__" and len(sys.argv) == 4 and sys.argv[1] == "--probe":
    probe(int(sys.argv[2]), sys.argv[3])
