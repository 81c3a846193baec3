"""Run inside a private network namespace by test_ray.py: a real two-node Ray cluster on
127.0.0.1, then splice's Ray executor, `splice batch` and `splice bench tokens` on it.
Prints one JSON object with what the test checks."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from ray.cluster_utils import Cluster
from typer.testing import CliRunner

from splice.cli import app
from splice.scale.ray_executor import RayExecutor
from tests.bench.tokens_fixture import header_task, make_repo, miss_task, write_tasks
from tests.scale.helpers import batch_args, batch_setup, square_or_fail


def main(work: Path) -> dict:  # type: ignore[type-arg]
    started = time.perf_counter()
    cluster = Cluster(initialize_head=True,
                      head_node_args={"num_cpus": 1, "include_dashboard": False})
    cluster.add_node(num_cpus=1)
    cluster.wait_for_nodes()
    report: dict = {"cluster_s": round(time.perf_counter() - started, 2),  # type: ignore[type-arg]
                    "address": cluster.address}
    try:
        executor = RayExecutor(cluster.address, None)
        report["info"] = executor.info.model_dump()
        report["faults"] = sorted(executor.run(square_or_fail, list(range(7))))
        executor.close()

        paths = batch_setup(work / "batch")
        result = CliRunner().invoke(app, batch_args(paths, work / "batch" / "out", "--executor",
                                                    "ray", "--ray-address", cluster.address))
        report["batch_exit"] = result.exit_code
        report["batch"] = json.loads(result.stdout)

        make_repo(work / "tok" / "repos" / "local__fixture")
        tasks = write_tasks(work / "tok" / "tasks.jsonl", header_task(), miss_task())
        result = CliRunner().invoke(app, ["bench", "tokens", "--tasks", str(tasks), "--repos",
                                          str(work / "tok" / "repos"), "--json", "--out",
                                          str(work / "tok" / "out"), "--executor", "ray",
                                          "--ray-address", cluster.address])
        report["tokens_exit"] = result.exit_code
        report["tokens"] = json.loads(result.stdout)
    finally:
        cluster.shutdown()
    return report


if __name__ == "__main__":
    print("RESULT " + json.dumps(main(Path(sys.argv[1]))), flush=True)
