"""Helpers shared by the layout tests."""
import warnings

import normnative


def norm_with_warnings(x, o, axis):
    """normnative.norm(x, o, axis) and the sorted messages of the warnings it raised."""
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        r = normnative.norm(x, o, axis)
    return r, sorted(str(m.message) for m in w)
