"""Class labels to column numbers: one lookup for classifiers and their distributions."""

import numpy as np


def find_labels(classes, labels):
    """Column of each label in the sorted ``classes``, and the labels not among them.

    Returns
    -------
    index : ndarray of int, of the shape of ``labels``
        Valid column numbers (an unknown label gets a neighbour's, to be refused).
    unknown : list
        The labels that are not classes, as Python objects; empty when all are.
    """
    index = np.clip(np.searchsorted(classes, labels), 0, len(classes) - 1)
    return index, np.asarray(labels)[classes[index] != labels].tolist()
