"""The one access layer: who may see and change what.

Visibility levels (:mod:`.visibility`) and platform roles (:mod:`.roles`) are defined once;
:mod:`.base` knows who the viewer is and who is inside an alliance's safe space; one module
per domain holds that domain's rules (:mod:`.peers`, :mod:`.alliances`, :mod:`.initiatives`,
:mod:`.matching`). Pages, API endpoints, forms, selectors and exports reach confidential
objects only through these modules.
"""
