"""The cluster path: Dask workers on loopback give the single-process labels."""

import json

import pytest

dask = pytest.importorskip("dask", reason="dask is not installed: pip install 'govspeech[dask]'")
distributed = pytest.importorskip("distributed", reason="dask.distributed is not installed")

from speeches import OTHER, SPEECH  # noqa: E402

from govspeech.predictor._dask import label_bag, label_dataframe, label_records, worker_labeller  # noqa: E402

RECORDS = [{"id": f"s{i}", "text": SPEECH if i % 3 else OTHER} for i in range(12)]


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                       dashboard_address=None)
    with cluster, distributed.Client(cluster) as c:
        yield c


def test_bag_on_a_local_cluster_equals_single_process(client, mini_model):
    import dask.bag as db

    expected = label_records(RECORDS, model=str(mini_model))
    got = label_bag(db.from_sequence(RECORDS, npartitions=4), model=str(mini_model)).compute()
    assert got == expected and len(got) == 12 * 4
    loads = client.run(lambda: worker_labeller.cache_info().misses)
    assert len(loads) == 2 and set(loads.values()) <= {0, 1}, "the model is loaded at most once per worker"


def test_dataframe_on_a_local_cluster_equals_single_process(client, mini_model):
    import dask.dataframe as dd
    import pandas as pd

    frame = dd.from_pandas(pd.DataFrame(RECORDS), npartitions=3)
    got = label_dataframe(frame, model=str(mini_model)).compute().reset_index(drop=True)
    expected = label_records(RECORDS, model=str(mini_model))
    assert got["doc_id"].tolist() == [r["doc_id"] for r in expected]
    assert got["labels"].tolist() == [";".join(r["labels"]) for r in expected]
    assert got["score_measure"].tolist() == [r["scores"]["measure"] for r in expected]
    assert json.loads(got.to_json(orient="records"))[0]["sent_id"] == 0


def test_record_metadata_is_on_every_row_and_a_clash_is_refused(mini_model):
    import dask.dataframe as dd
    import pandas as pd

    records = [{**r, "year": 2000 + i} for i, r in enumerate(RECORDS[:3])]
    rows = label_records(records, model=str(mini_model))
    assert [r["year"] for r in rows] == [2000 + int(r["doc_id"][1:]) for r in rows]
    frame = dd.from_pandas(pd.DataFrame(records), npartitions=2)
    got = label_dataframe(frame, model=str(mini_model)).compute(scheduler="sync")
    assert list(got.columns[-1:]) == ["year"] and got["year"].tolist() == [r["year"] for r in rows]
    assert got["measure"].tolist() == [int("measure" in r["labels"]) for r in rows]
    with pytest.raises(ValueError, match="field 'labels' is also an output field"):
        label_records([{"id": "x", "text": SPEECH, "labels": "goal"}], model=str(mini_model))
