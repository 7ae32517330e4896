"""A small, bounded HTTP load generator: a fixed number of threads, each with one keep-alive connection to
127.0.0.1, sending requests until a request budget or a time limit is used up, whichever comes first.

Latency is measured per request on the client (send to last byte read). A request counts as an error when
its status is not the expected one or the connection fails; failed connections are reopened.
"""

import http.client
import itertools
import threading
import time
from dataclasses import dataclass, field


@dataclass
class Result:
    name: str
    latencies: list = field(default_factory=list)  # seconds, successful requests only
    errors: int = 0
    error_samples: list = field(default_factory=list)
    elapsed: float = 0.0

    @property
    def requests(self):
        return len(self.latencies) + self.errors

    @property
    def rate(self):
        return self.requests / self.elapsed if self.elapsed else 0.0

    def percentile(self, p):
        """The p-th percentile in milliseconds (nearest rank), or None without successful requests."""
        if not self.latencies:
            return None
        ordered = sorted(self.latencies)
        rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.5)))
        return ordered[rank - 1] * 1000


def run(name, host, port, make_request, *, requests, seconds, concurrency, expect=(200,), warmup=0):
    """Send `requests` requests (or as many as fit in `seconds`) with `concurrency` threads.

    `make_request(i)` returns ``(method, path, body or None, headers)`` for the i-th request; it must be
    thread-safe. `warmup` requests are sent first, one thread, and not counted (connection set-up, the
    workers' first queries).
    """
    for i in range(warmup):
        _once(_connect(host, port), make_request(-1 - i))
    result = Result(name)
    counter = itertools.count()
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def worker():
        connection = _connect(host, port)
        local_latencies, local_errors, samples = [], 0, []
        while time.monotonic() < deadline:
            with lock:
                i = next(counter)
            if i >= requests:
                break
            started = time.perf_counter()
            try:
                status, body = _once(connection, make_request(i))
            except (OSError, http.client.HTTPException) as exc:
                connection.close()
                connection = _connect(host, port)
                status, body = None, repr(exc).encode()
            took = time.perf_counter() - started
            if status in expect:
                local_latencies.append(took)
            else:
                local_errors += 1
                if len(samples) < 3:
                    samples.append(f"{status}: {body[:300].decode('utf-8', 'replace')}")
        connection.close()
        with lock:
            result.latencies.extend(local_latencies)
            result.errors += local_errors
            result.error_samples.extend(samples[: max(0, 3 - len(result.error_samples))])

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 30)
    result.elapsed = time.perf_counter() - started
    return result


def _connect(host, port):
    return http.client.HTTPConnection(host, port, timeout=30)


def _once(connection, request):
    method, path, body, headers = request
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    data = response.read()
    if response.getheader("Connection", "").lower() == "close":
        connection.close()
    return response.status, data


def table(results):
    """The results as a Markdown table."""
    lines = [
        "| endpoint | requests | req/s | p50 ms | p95 ms | p99 ms | errors |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]

    def ms(value):
        return "–" if value is None else f"{value:.1f}"

    for r in results:
        lines.append(
            f"| {r.name} | {r.requests} | {r.rate:.0f} | {ms(r.percentile(50))} | {ms(r.percentile(95))} "
            f"| {ms(r.percentile(99))} | {r.errors} |"
        )
    return "\n".join(lines)
