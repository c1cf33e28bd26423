"""Micro-batches: requests queue on the event loop; one runner takes up to max_size (waiting max_wait for more) and infers in a thread."""
import asyncio
from concurrent.futures import Executor
from typing import Callable

import numpy as np


class MicroBatcher:
    """Collect single inputs into batches for `run` (a blocking function of a stacked NHWC batch), one batch at a time."""

    def __init__(self, run: Callable[[np.ndarray], np.ndarray], executor: Executor, max_size: int = 4, max_wait_s: float = 0.002):
        self._run = run
        self._executor = executor
        self._max_size = max_size
        self._max_wait_s = max_wait_s
        self._queue: asyncio.Queue[tuple[np.ndarray, asyncio.Future]] = asyncio.Queue()
        self._task: asyncio.Task | None = None

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._loop())

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()

    async def infer(self, pixels: np.ndarray) -> np.ndarray:
        """The model's output row for one input."""
        future = asyncio.get_running_loop().create_future()
        await self._queue.put((pixels, future))
        return await future

    async def _collect(self) -> list[tuple[np.ndarray, asyncio.Future]]:
        batch = [await self._queue.get()]
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self._max_wait_s
        while len(batch) < self._max_size:
            if not self._queue.empty():
                batch.append(self._queue.get_nowait())
                continue
            remaining = deadline - loop.time()
            if remaining <= 0:
                break
            try:
                batch.append(await asyncio.wait_for(self._queue.get(), remaining))
            except asyncio.TimeoutError:
                break
        return batch

    async def _loop(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            batch = await self._collect()
            try:
                outputs = await loop.run_in_executor(self._executor, self._run, np.stack([pixels for pixels, _ in batch]))
                for (_, future), row in zip(batch, outputs):
                    if not future.done():
                        future.set_result(row)
            except Exception as error:  # one failed batch fails its requests, not the runner
                for _, future in batch:
                    if not future.done():
                        future.set_exception(error)
