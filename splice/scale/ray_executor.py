"""Ray: the same tasks on a cluster (or a local Ray instance), one Ray task per item.

The function and its item travel through Ray's object store (cloudpickle), and so does the
result. Items name their repos by path, so a cluster's nodes need the repos on shared
storage at the same path (see docs/scale.md). A task whose worker or node is lost is retried
by Ray (max_retries); a task that raises is not retried: its error is its result.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from splice.scale.executor import Done, ExecutorInfo, _call, describe

RAY_MAX_RETRIES = 2  # re-runs of a task whose worker process or node died


class RayNotInstalled(ImportError):
    pass


def _ray() -> Any:
    try:
        import ray
    except ImportError as exc:
        raise RayNotInstalled("--executor ray needs Ray: pip install 'splice[ray]'") from exc
    return ray


class RayExecutor:
    def __init__(self, address: str | None, workers: int | None) -> None:
        ray = _ray()
        self._ray = ray
        self._started = not ray.is_initialized()
        if self._started:
            ray.init(address=address, include_dashboard=False, log_to_driver=False,
                     configure_logging=False)
        nodes = [n for n in ray.nodes() if n.get("Alive")]
        cpus = int(ray.cluster_resources().get("CPU", 1))
        self.info = ExecutorInfo(kind="ray", address=address or _gcs_address(ray),
                                 nodes=len(nodes), workers=workers or max(1, cpus))
        self._remote = ray.remote(num_cpus=1, max_retries=RAY_MAX_RETRIES,
                                  retry_exceptions=False)(_call)
        self._running: dict[Any, int] = {}

    def run(self, fn: Callable[[Any], Any], items: Sequence[Any]) -> Iterator[Done]:
        ray = self._ray
        fn_ref = ray.put(fn)
        queue = list(range(len(items)))[::-1]
        running = self._running
        while queue or running:
            while queue and len(running) < self.info.workers:
                i = queue.pop()
                running[self._remote.remote(fn_ref, items[i])] = i
            ready, _ = ray.wait(list(running), num_returns=1)
            for ref in ready:
                i = running.pop(ref)
                try:
                    value, error = ray.get(ref)
                except ray.exceptions.RayError as exc:  # worker or node lost past retries
                    yield i, None, describe(exc)
                    continue
                yield i, value, error

    def close(self) -> None:
        """Cancel what is still running (Ctrl-C on a shared cluster must not leave work
        behind), then disconnect; a Ray instance started here is stopped."""
        for ref in list(self._running):
            try:
                self._ray.cancel(ref, force=True)
            except Exception:  # already finished or its node is gone: nothing to stop
                pass
        self._running.clear()
        if self._started:
            self._ray.shutdown()


def _gcs_address(ray: Any) -> str | None:
    try:
        return str(ray.get_runtime_context().gcs_address)
    except Exception:  # older Ray: no gcs_address on the context
        return None
