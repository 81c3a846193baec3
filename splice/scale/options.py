"""The one definition of `--executor`, `--ray-address` and `--workers`, shared by
`splice batch` and every `splice bench` that fans work out."""

from __future__ import annotations

from typing import Literal

import typer
from pydantic import BaseModel, Field, model_validator

ExecutorKind = Literal["local", "ray"]
EXECUTOR_KINDS: tuple[str, ...] = ("local", "ray")


class ExecutorSpec(BaseModel):
    """What the user asked for; open_executor() turns it into a running executor."""

    kind: ExecutorKind = "local"
    address: str | None = Field(None, description="Ray cluster address; None starts a local "
                                                  "Ray instance")
    workers: int | None = Field(None, ge=1, description="tasks at once; None: local 1, ray "
                                                        "every CPU of the cluster")

    @model_validator(mode="after")
    def _address_needs_ray(self) -> ExecutorSpec:
        if self.address and self.kind != "ray":
            raise ValueError("--ray-address needs --executor ray")
        return self


EXECUTOR_OPTION = typer.Option(
    "local", "--executor",
    help="Where tasks run: local (a process pool on this machine, nothing to start) or ray "
         "(a Ray cluster: --ray-address, or a local Ray instance when none is given; needs "
         "the splice[ray] extra).")
RAY_ADDRESS_OPTION = typer.Option(
    None, "--ray-address", metavar="ADDR",
    help="Join this Ray cluster (e.g. 10.0.0.5:6379 or ray://head:10001); needs --executor ray.")
WORKERS_OPTION = typer.Option(
    None, "--workers", "-w", min=1,
    help="Tasks at once: local default 1 (in this process), N > 1 is a pool of N processes; "
         "ray default is every CPU in the cluster.")


def executor_spec(executor: str, ray_address: str | None, workers: int | None) -> ExecutorSpec:
    """Validate the three options together; a ValueError says which one is wrong."""
    from pydantic import ValidationError

    if executor not in EXECUTOR_KINDS:
        raise ValueError(f"--executor {executor}: use one of {', '.join(EXECUTOR_KINDS)}")
    try:
        return ExecutorSpec(kind=executor, address=ray_address, workers=workers)  # type: ignore[arg-type]
    except ValidationError as exc:
        raise ValueError(exc.errors()[0]["msg"].removeprefix("Value error, ")) from None
