"""Comment blocks no query hit falls in are left out of the spans, as docstrings are: they
explain the code in the report's words, but a fix is rarely in them (docstrings.py)."""

from __future__ import annotations

from pathlib import Path

from splice.core.spans import Span
from splice.search import SearchRequest, search
from splice.search.docstrings import comment_blocks, unhit, without_docstrings

QUERY_PY = '''from itertools import chain


class QuerySet:
    def bulk_create(self, objs, batch_size=None, ignore_conflicts=False):
        # We currently set the primary keys on the objects when using
        # PostgreSQL via the RETURNING ID clause. It should be possible for
        # Oracle as well, but the semantics for extracting the primary keys is
        # trickier so it's not done yet.
        # Check that the parents share the same concrete model with the our
        # model to detect the inheritance pattern ConcreteGrandParent ->
        # MultiTableParent -> ProxyChild. Simply checking self.model._meta.proxy
        # would not identify that case as involving multiple tables.
        assert batch_size is None or batch_size > 0
        for parent in self.model._meta.get_parent_list():
            if parent._meta.concrete_model is not self.model._meta.concrete_model:
                raise ValueError("Can't bulk create a multi-table inherited model")
        if not objs:
            return objs
        self._for_write = True
        connection = connections[self.db]
        opts = self.model._meta
        fields = opts.concrete_fields
        objs = list(objs)
        self._prepare_for_bulk_create(objs)
        with transaction.atomic(using=self.db, savepoint=False):
            objs_with_pk, objs_without_pk = partition(lambda o: o.pk is None, objs)
            if objs_with_pk:
                returned_columns = self._batched_insert(
                    objs_with_pk, fields, batch_size, ignore_conflicts=ignore_conflicts,
                )
            if objs_without_pk:
                fields = [f for f in fields if not isinstance(f, AutoField)]
                returned_columns = self._batched_insert(
                    objs_without_pk, fields, batch_size, ignore_conflicts=ignore_conflicts,
                )
        return objs

    def _batched_insert(self, objs, fields, batch_size, ignore_conflicts=False):
        ops = connections[self.db].ops
        batch_size = (batch_size or max(ops.bulk_batch_size(fields, objs), 1))
        inserted_rows = []
        for item in [objs[i:i + batch_size] for i in range(0, len(objs), batch_size)]:
            inserted_rows.extend(self._insert(item, fields=fields, using=self.db))
        return inserted_rows
'''

REPORT = """bulk_create batch_size param overrides the compatible batch size calculation

Description

At this line: the batch_size param overrides compatible batch size calculation. This looks
like a bug as bulk_update properly picks the minimum of two:
batch_size = min(batch_size, max_batch_size) if batch_size else max_batch_size
I suggest using similar batch_size logic in bulk_create's _batched_insert.
"""


def _line(text: str) -> int:
    return QUERY_PY.splitlines().index(text) + 1


def test_comment_blocks_are_runs_of_three_comment_lines() -> None:
    lines = ["x = 1", "# one", "    # two", "# three", "y = 2", "# a", "# b", "", "#!", "#", "# c"]
    # two lines are not a block (cut, they would cost a second span's header); a blank ends one
    assert comment_blocks(lines) == [(2, 4), (9, 11)]
    assert comment_blocks(QUERY_PY.split("\n")) == [
        (_line("        # We currently set the primary keys on the objects when using"),
         _line("        # would not identify that case as involving multiple tables."))]


def test_a_comment_block_a_query_word_hits_stays() -> None:
    block = comment_blocks(QUERY_PY.split("\n"))
    span = Span(path="query.py", start_line=_line("    def bulk_create(self, objs, batch_size=None, "
                                                   "ignore_conflicts=False):"),
                end_line=_line("        return objs"))
    assert len(without_docstrings(span, unhit(block, hit_lines={span.end_line}))) == 2
    quoted = _line("        # We currently set the primary keys on the objects when using")
    assert without_docstrings(span, unhit(block, hit_lines={quoted})) == [span]


async def test_the_fix_line_fits_when_the_comment_block_is_left_out(tmp_path: Path) -> None:
    # at 400-600 tokens the whole method with its comments fills the answer and
    # _batched_insert's first line (the fix) is not shown
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "query.py").write_text(QUERY_PY)
    result = await search(SearchRequest(query=REPORT, repo=str(tmp_path), max_tokens=500))
    fix = _line("        batch_size = (batch_size or max(ops.bulk_batch_size(fields, objs), 1))")
    shown = [s for s in result.spans if s.path == "models/query.py"]
    assert any(s.start_line <= fix <= s.end_line for s in shown)
    block = comment_blocks(QUERY_PY.split("\n"))[0]
    assert not any(s.start_line <= block[0] <= s.end_line for s in shown)



KMEANS_PY = '''import numpy as np


def _validate_center_shape(X, k, centers):
    # With n_jobs > 1 every run draws its centers from its own random_state,
    # and the inertia of the best run is kept: with n_jobs=1 the runs share
    # one random_state, so the inertia when n_jobs=1 may differ slightly from
    # the inertia for n_jobs=2 with the same random_state. The n_clusters
    # centers must match X's features either way, for any n_jobs.
    if len(centers) != k:
        raise ValueError("The shape of the initial centers does not match k")
    if centers.shape[1] != X.shape[1]:
        raise ValueError("The number of features of the initial centers does not match X")


def _runs(X, k, n_init, n_jobs, random_state):
    if n_jobs == 1:
        return [_kmeans_single(X, k, random_state) for _ in range(n_init)]
    seeds = random_state.randint(np.iinfo(np.int32).max, size=n_init)
    return Parallel(n_jobs=n_jobs)(delayed(_kmeans_single)(X, k, s) for s in seeds)
'''

KMEANS_REPORT = """KMeans gives slightly different result for n_jobs=1 vs. n_jobs > 1

I noticed that KMeans gives a slightly different inertia when n_jobs=1 than when
n_jobs > 1, with the same random_state.

```python
for n_jobs in range(1, 5):
    kmeans = KMeans(n_clusters=10, random_state=2, n_jobs=n_jobs)
    kmeans.fit(X)
    print(f'(n_jobs={n_jobs}) kmeans.inertia_ = {kmeans.inertia_}')
```
"""


async def test_hits_inside_a_comment_block_count_as_in_a_docstring(tmp_path: Path) -> None:
    # a comment repeats the report's words; the code that draws the seeds per job is the bug
    (tmp_path / "cluster").mkdir()
    (tmp_path / "cluster" / "k_means_.py").write_text(KMEANS_PY)
    result = await search(SearchRequest(query=KMEANS_REPORT, repo=str(tmp_path), max_tokens=4000))
    lines = KMEANS_PY.splitlines()
    parallel = lines.index("def _runs(X, k, n_init, n_jobs, random_state):") + 1
    first = result.spans[0]
    assert first.start_line <= parallel <= first.end_line
