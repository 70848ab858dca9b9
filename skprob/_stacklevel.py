"""The ``stacklevel`` that points a warning at the user's line."""

import sys
from pathlib import Path

import sklearn

__all__ = ["user_stacklevel"]

_PACKAGE = str(Path(__file__).parent) + "/"
# sklearn's ``_fit_context`` wraps ``fit`` and ``partial_fit`` in a function of its own.
_FIT_WRAPPER = str(Path(sklearn.__file__).parent / "base.py")


def _internal(filename):
    return filename.startswith(_PACKAGE) or filename == _FIT_WRAPPER


def user_stacklevel():
    """``stacklevel`` for a ``warnings.warn`` in the calling function: the first frame
    outside skprob and sklearn's fit wrapper.

    A fixed number breaks whenever a call path gains a frame (``fit`` and
    ``partial_fit`` reach the same warning at different depths); counting the frames
    keeps the warning at the line that called the estimator, or at the pipeline or
    search that did.
    """
    frame = sys._getframe(1)
    level = 1
    while frame is not None and _internal(frame.f_code.co_filename):
        frame = frame.f_back
        level += 1
    return level
