"""The ``peerlearn`` console command: the operator's jobs in one place."""
