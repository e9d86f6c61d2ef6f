"""Python's concurrent.futures.ProcessPoolExecutor with the same tiny job as the ProcessThroughput and
ProcessRoundTrip benchmarks (x * 2), on a warm pool, on the same machine. Prints per-job time for the
throughput run (2 000 jobs in flight, one worker per core) and p50/p99 of a sequential round trip."""
import os
import statistics
import time
from concurrent.futures import ProcessPoolExecutor


def twice(x):
    return x * 2


def main():
    jobs = 2000
    rounds = 10
    with ProcessPoolExecutor(max_workers=os.cpu_count()) as pool:
        list(pool.map(twice, range(100)))  # warm: every worker started
        per_job = []
        for _ in range(rounds):
            start = time.perf_counter()
            futures = [pool.submit(twice, i) for i in range(jobs)]
            results = [f.result() for f in futures]
            per_job.append((time.perf_counter() - start) / jobs * 1e6)
            assert results == [i * 2 for i in range(jobs)]
        chunked = []
        for _ in range(rounds):
            start = time.perf_counter()
            results = list(pool.map(twice, range(jobs), chunksize=100))
            chunked.append((time.perf_counter() - start) / jobs * 1e6)
            assert results == [i * 2 for i in range(jobs)]
    print(f"// python ProcessPoolExecutor throughput: {statistics.mean(per_job):.1f} us per job "
          f"(mean of {rounds} rounds of {jobs}, {os.cpu_count()} workers)")
    print(f"// python ProcessPoolExecutor map(chunksize=100): {statistics.mean(chunked):.2f} us per job "
          f"(mean of {rounds} rounds of {jobs}; ProcessExecutor.MapAsync with chunkSize 100 is its counterpart)")

    with ProcessPoolExecutor(max_workers=1) as pool:
        pool.submit(twice, 0).result()
        latencies = []
        for i in range(5000):
            start = time.perf_counter()
            pool.submit(twice, i).result()
            latencies.append((time.perf_counter() - start) * 1e6)
    latencies.sort()
    print(f"// python ProcessPoolExecutor round trip: p50 {latencies[len(latencies) // 2]:.1f} us, "
          f"p99 {latencies[int(len(latencies) * 0.99)]:.1f} us over {len(latencies)} jobs")


if __name__ == "__main__":
    main()
