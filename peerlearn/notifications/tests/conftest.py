# The matching tests' market of peers (and their TF-IDF encoder), for proposals to answer.
from peerlearn.matchmaking.tests.conftest import market, tfidf_encoder  # noqa: F401
