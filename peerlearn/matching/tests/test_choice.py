"""Encoders by name: one table for the command line and the platform's setting."""

from __future__ import annotations

from pathlib import Path

import pytest

from peerlearn.matching import choice, minilm, mpnet, multilingual
from peerlearn.matching.cli import _UsageError, build_parser
from peerlearn.matching.encoders import MiniLMEncoder, TfidfEncoder


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("auto", "auto"),
        ("", "auto"),
        ("MiniLM", "minilm"),
        ("model", "minilm"),
        ("all-MiniLM-L6-v2", "minilm"),
        ("all-mpnet-base-v2", "mpnet"),
        ("multilingual-e5-small", "multilingual"),
        ("use-multilingual-v3", "use-multilingual"),
        (" tfidf ", "tfidf"),
        ("multilingal", None),
        ("e5", None),
    ],
)
def test_every_name_stands_for_one_choice(name: str, expected: str | None) -> None:
    assert choice.canonical(name) == expected
    assert (choice.name_problem(name) is None) == (expected is not None)


@pytest.mark.parametrize(
    ("name", "model"),
    [
        ("minilm", minilm.MODEL_NAME),
        ("model", minilm.MODEL_NAME),
        ("mpnet", mpnet.MODEL_NAME),
        ("multilingual", multilingual.E5_NAME),
        ("use-multilingual", multilingual.USE_NAME),
        ("tfidf", "tfidf"),
    ],
)
def test_each_choice_builds_its_encoder_without_loading_weights(name: str, model: str) -> None:
    assert choice.encoder_named(name).name == model


def test_auto_is_the_sentence_model_when_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    assert isinstance(choice.encoder_named("auto"), MiniLMEncoder | TfidfEncoder)
    monkeypatch.setattr(minilm, "available", lambda: False)
    assert isinstance(choice.encoder_named("auto"), TfidfEncoder)


def test_a_folder_is_a_sentence_model_of_its_own(tmp_path: Path) -> None:
    folder = tmp_path / "my-model"
    folder.mkdir()
    encoder = choice.encoder_named(str(folder))
    assert isinstance(encoder, MiniLMEncoder) and encoder.name == "my-model"
    assert choice.name_problem(str(folder)) is None


def test_an_unknown_name_is_refused_with_the_choices() -> None:
    with pytest.raises(ValueError, match="use auto, minilm, mpnet, multilingual") as caught:
        choice.encoder_named("multilingal")
    assert "'multilingal' names no encoder" in str(caught.value)


def test_a_missing_model_names_its_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(mpnet, "available", lambda: False)
    problem = choice.missing_model("all-mpnet-base-v2")
    assert problem is not None and "make install-mpnet" in problem
    # auto falls back to TF-IDF, and TF-IDF needs nothing: neither can be missing.
    monkeypatch.setattr(minilm, "available", lambda: False)
    assert choice.missing_model("auto") is None
    assert choice.missing_model("tfidf") is None


def test_the_command_line_accepts_the_settings_names() -> None:
    parser = build_parser()
    for name in choice.CHOICES:
        args = parser.parse_args(["groups", "in.json", "--out", "out.json", "--encoder", name])
        assert args.encoder == name
    with pytest.raises(_UsageError, match="'e5' names no encoder: use auto, minilm"):
        parser.parse_args(["groups", "in.json", "--out", "out.json", "--encoder", "e5"])
