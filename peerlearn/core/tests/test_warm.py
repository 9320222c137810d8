"""A web process's warm-up: every app's receiver runs, a failing one is logged and never
raised, and the search's sentence model is loaded before the first search."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from peerlearn.core.warm import web_process_started, web_warm_up


def test_the_warm_up_runs_every_receiver_and_logs_one_that_fails(
    caplog: pytest.LogCaptureFixture,
) -> None:
    ran: list[str] = []

    def fails(**kwargs: Any) -> None:
        raise RuntimeError("no model here")

    def works(**kwargs: Any) -> None:
        ran.append("works")

    web_process_started.connect(fails, dispatch_uid="test-fails")
    web_process_started.connect(works, dispatch_uid="test-works")
    try:
        with caplog.at_level(logging.INFO, logger="peerlearn.core.warm"):
            web_warm_up()
    finally:
        web_process_started.disconnect(dispatch_uid="test-fails")
        web_process_started.disconnect(dispatch_uid="test-works")
    assert ran == ["works"]
    assert (
        "warm-up test_the_warm_up_runs_every_receiver_and_logs_one_that_fails.<locals>.fails"
        " failed: RuntimeError('no model here')" in caplog.text
    )
    assert "web process warmed up in" in caplog.text


@pytest.mark.django_db
def test_the_search_model_is_loaded_before_the_first_search(monkeypatch: Any) -> None:
    from peerlearn.matching.encoders import MiniLMEncoder
    from peerlearn.matchmaking import embeddings

    monkeypatch.setattr(embeddings, "_encoders", {})  # a process that has loaded nothing
    encoder = embeddings.texts_encoder().encoder
    if not isinstance(encoder, MiniLMEncoder):
        pytest.skip("the search encoder is not all-MiniLM-L6-v2 in this install")
    assert encoder._model is None
    web_warm_up()
    assert embeddings.texts_encoder().encoder is encoder and encoder._model is not None
