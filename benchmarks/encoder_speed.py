"""Load time, encoding speed and peak memory of each sentence encoder, each in a fresh process.

    python benchmarks/encoder_speed.py                       # every installed model
    python benchmarks/encoder_speed.py --encoder mpnet --texts 200 --mpnet-folder DIR

The texts are ~40-word paragraphs stitched from the labelled English pairs (as the
``throughput`` section of benchmarks/matching.py makes them), encoded in one call after the
model is loaded. Peak memory is the process's maximum resident set, model and all. Nothing
here asserts a time: the figures are for reading and for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from matching import _paragraphs

from peerlearn.matching import minilm, mpnet, multilingual
from peerlearn.matching.encoders import Encoder, MiniLMEncoder, MPNetEncoder
from peerlearn.matching.multilingual import MultilingualEncoder

LABELS = {
    "minilm": "all-MiniLM-L6-v2",
    "mpnet": "all-mpnet-base-v2",
    "e5": multilingual.E5_NAME,
    "use": multilingual.USE_NAME,
}


def measure(name: str, count: int, mpnet_folder: Path | None) -> dict[str, Any]:
    """One encoder's figures, measured in this process."""
    started = time.perf_counter()
    enc: Encoder
    if name == "minilm":
        enc = MiniLMEncoder()
    elif name == "mpnet":
        enc = MPNetEncoder(folder=mpnet_folder)
    else:
        enc = MultilingualEncoder(LABELS[name])
    enc.encode(["load the weights"])
    loading = time.perf_counter() - started
    texts = _paragraphs(count)
    started = time.perf_counter()
    enc.encode(texts)
    seconds = time.perf_counter() - started
    return {
        "encoder": LABELS[name],
        "load seconds": round(loading, 1),
        "texts": count,
        "texts per second": round(count / seconds, 1),
        "peak memory MB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--encoder", action="append", choices=sorted(LABELS), default=[])
    parser.add_argument("--texts", type=int, default=200)
    parser.add_argument("--mpnet-folder", type=Path)
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(measure(args.encoder[0], args.texts, args.mpnet_folder)))
        return 0
    names = args.encoder or [
        n
        for n, ok in (
            ("minilm", minilm.available()),
            ("mpnet", mpnet.available() or args.mpnet_folder is not None),
            ("e5", multilingual.available(multilingual.E5_NAME)),
            ("use", multilingual.available(multilingual.USE_NAME)),
        )
        if ok
    ]
    rows = []
    for name in names:
        command = [sys.executable, __file__, "--one", "--encoder", name, "--texts", str(args.texts)]
        if args.mpnet_folder is not None:
            command += ["--mpnet-folder", str(args.mpnet_folder)]
        done = subprocess.run(command, check=True, capture_output=True, text=True)
        rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
        print(rows[-1], file=sys.stderr, flush=True)
    if rows:
        keys = list(rows[0])
        print("| " + " | ".join(keys) + " |\n|" + "---|" * len(keys))
        for row in rows:
            print("| " + " | ".join(str(row[k]) for k in keys) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
