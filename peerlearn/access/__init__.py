"""The one access layer: who may see and change what.

Visibility levels are defined once in :mod:`peerlearn.access.visibility`; every page and API
endpoint reaches confidential objects only through the ``access_*`` functions and
``*_visible_to`` selectors in :mod:`peerlearn.access.policies`.
"""
