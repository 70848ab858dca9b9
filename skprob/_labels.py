"""Class labels to column numbers: one lookup for classifiers and their distributions."""

import numpy as np


def find_labels(classes, labels):
    """Column of each label in ``classes`` (sorted, or in an order of their own, as an
    ordinal classifier's), and the labels not among them.

    Returns
    -------
    index : ndarray of int, of the shape of ``labels``
        Valid column numbers (an unknown label gets a neighbour's, to be refused).
    unknown : list
        The labels that are not classes, as Python objects; empty when all are.
    """
    order = np.argsort(classes, kind="stable")
    position = np.clip(np.searchsorted(classes[order], labels), 0, len(classes) - 1)
    index = order[position]
    return index, np.asarray(labels)[classes[index] != labels].tolist()
