from peerlearn.activities.tests.world import aworld  # noqa: F401 - the shared fixture
