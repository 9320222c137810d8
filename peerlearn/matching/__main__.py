"""``python -m peerlearn.matching groups|pairs|team ...``, the same as ``peerlearn match``."""

import sys

from peerlearn.matching.cli import main

sys.exit(main())
