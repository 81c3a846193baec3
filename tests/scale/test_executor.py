"""The executors agree, and a task that raises or dies is one row with its error."""

from __future__ import annotations

import pytest

from splice.scale.executor import LocalPoolExecutor, SerialExecutor, open_executor
from splice.scale.options import ExecutorSpec, executor_spec
from tests.scale.helpers import square_or_fail


def test_serial_records_a_raising_task_and_goes_on() -> None:
    got = sorted(SerialExecutor().run(square_or_fail, [1, 2, 3, 4]))
    assert got == [(0, 1, None), (1, 4, None), (2, None, "ValueError: three is refused"),
                   (3, 16, None)]


def test_pool_matches_serial_and_survives_a_killed_worker() -> None:
    pool = LocalPoolExecutor(2)
    try:
        got = sorted(pool.run(square_or_fail, list(range(8))))
    finally:
        pool.close()
    assert pool.info.model_dump() == {"kind": "local", "address": None, "nodes": 1,
                                      "workers": 2}
    by_index = {i: (value, error) for i, value, error in got}
    assert len(by_index) == 8
    assert by_index[3] == (None, "ValueError: three is refused")
    value, error = by_index[5]
    assert value is None and error is not None and "died" in error
    assert {i: v for i, (v, _) in by_index.items() if i not in (3, 5)} == {
        0: 0, 1: 1, 2: 4, 4: 16, 6: 36, 7: 49}


def test_one_worker_runs_in_this_process() -> None:
    assert isinstance(open_executor(ExecutorSpec(kind="local", workers=1)), SerialExecutor)


@pytest.mark.parametrize("args, message", [
    (("threads", None, None), "--executor threads"),
    (("local", "127.0.0.1:6379", None), "--ray-address needs --executor ray"),
])
def test_bad_options_say_which(args: tuple, message: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(ValueError) as caught:
        executor_spec(*args)
    assert message in str(caught.value)
