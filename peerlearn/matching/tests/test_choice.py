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


def test_auto_is_a_sentence_model_when_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    # MPNetEncoder is a MiniLMEncoder with other weights.
    assert isinstance(choice.encoder_named("auto"), MiniLMEncoder | TfidfEncoder)
    monkeypatch.setattr(minilm, "available", lambda: False)
    monkeypatch.setattr(mpnet, "available", lambda: False)
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


FRENCH = [
    "Les commerçants refusent de payer les droits de marché chaque jour",
    "Nous avons numérisé le registre foncier et réduit les litiges",
]
ENGLISH = [
    "Traders at our markets avoid paying the daily fees",
    "We digitised the land register and disputes fell by half",
]


@pytest.mark.parametrize(
    ("kind", "texts", "expected"),
    [
        ("pairs", FRENCH + ENGLISH, "multilingual"),
        ("pairs", ENGLISH * 40 + FRENCH, "multilingual"),  # 2 texts in 82: over 2 %
        ("pairs", ENGLISH * 60 + FRENCH, "mpnet"),  # 2 in 122: under 2 %
        ("pairs", ENGLISH + FRENCH[:1], "mpnet"),  # a third, but one text alone
        ("pairs", ENGLISH, "mpnet"),
        ("pairs", [], "mpnet"),
        ("groups", FRENCH, "multilingual"),  # written mostly in another language
        ("team", FRENCH, "multilingual"),
        ("groups", FRENCH + ENGLISH, "multilingual"),  # half
        ("groups", FRENCH + ENGLISH * 3, "multilingual"),  # a quarter: the groups' share
        ("groups", FRENCH + ENGLISH * 4, "mpnet"),  # a fifth: mostly English
        ("team", ENGLISH * 4 + FRENCH, "mpnet"),
        ("groups", FRENCH[:1], "mpnet"),  # one text alone
        ("groups", ENGLISH, "mpnet"),
        ("texts", FRENCH + ENGLISH, "multilingual"),  # half: over the texts' third
        ("texts", FRENCH + ENGLISH * 2, "multilingual"),  # a third
        ("texts", FRENCH + ENGLISH * 3, "minilm"),  # a quarter: searches keep the light model
        ("texts", FRENCH[:1], "minilm"),  # one text alone
        ("texts", ENGLISH, "minilm"),
    ],
)
def test_auto_chooses_the_model_for_the_task(
    monkeypatch: pytest.MonkeyPatch, kind: str, texts: list[str], expected: str
) -> None:
    monkeypatch.setattr(minilm, "available", lambda: True)
    monkeypatch.setattr(mpnet, "available", lambda: True)
    monkeypatch.setattr(multilingual, "available", lambda name=multilingual.E5_NAME: True)
    assert choice.auto_choice(kind, texts) == expected
    names = {
        "minilm": minilm.MODEL_NAME,
        "mpnet": mpnet.MODEL_NAME,
        "multilingual": multilingual.E5_NAME,
    }
    assert choice.encoder_named("auto", kind, texts).name == names[expected]
    # A named encoder is never replaced.
    assert choice.encoder_named("tfidf", kind, texts).name == "tfidf"


@pytest.mark.parametrize("kind", ["groups", "pairs", "team"])
def test_auto_matches_with_minilm_where_mpnet_is_missing(
    monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    monkeypatch.setattr(minilm, "available", lambda: True)
    monkeypatch.setattr(mpnet, "available", lambda: False)
    monkeypatch.setattr(multilingual, "available", lambda name=multilingual.E5_NAME: True)
    assert choice.auto_choice(kind, ENGLISH) == "minilm"
    monkeypatch.setattr(minilm, "available", lambda: False)
    assert choice.auto_choice(kind, ENGLISH) == "tfidf"


def test_auto_falls_back_when_the_multilingual_model_is_missing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(multilingual, "available", lambda name=multilingual.E5_NAME: False)
    monkeypatch.setattr(mpnet, "available", lambda: False)
    monkeypatch.setattr(minilm, "available", lambda: True)
    assert choice.auto_choice("pairs", FRENCH) == "minilm"
    monkeypatch.setattr(minilm, "available", lambda: False)
    assert choice.auto_choice("pairs", FRENCH) == "tfidf"
