"""Which of scikit-learn's estimator checks run at a capped training budget, and why.

Shared by the check suites of ``test_common.py`` (every public estimator at its
defaults), ``test_distribution_regressor.py`` and ``test_count_families.py`` (the other
families at a shorter budget).
"""

from sklearn.base import clone

#: Checks whose verdict cannot depend on how long a fit trains: they test what a fit
#: accepts (containers, sparse formats, dtypes, signs, sample-weight containers), what it
#: sets (fitted state, ``n_features_in_``, parameters left alone), and that two routes to
#: the same model agree (pickling, pipelines, a 2-D or integer ``y``, subsets and order of
#: rows, the same seed twice), not what it learns. Like scikit-learn's own suite, which
#: caps ``max_iter`` for its checks, they run with a capped ``max_epochs``: every "auto"
#: rule (batch size, validation split, patience, weight decay, precision) still resolves
#: as at the defaults. At the default budget their data (noise targets, 80 to 200 rows)
#: train until the patience of 1,000 steps runs out: the first 54 of them took 181 s in
#: one process, against 24 s capped. Every other check, those of what training reaches
#: (``check_regressors_train``, ``check_classifiers_train``, ``check_classifiers_classes``)
#: and the sample-weight equivalences (whose stopping decision is part of what they
#: compare) among them, runs on the estimator as the suite gives it.
BUDGET_INDEPENDENT_CHECKS = {
    "check_regressor_data_not_an_array",
    "check_classifier_data_not_an_array",
    "check_estimator_sparse_array",
    "check_estimator_sparse_matrix",
    "check_estimator_sparse_tag",
    "check_fit_idempotent",
    "check_positive_only_tag_during_fit",
    "check_n_features_in",
    "check_n_features_in_after_fitting",
    "check_fit_check_is_fitted",
    "check_estimators_dtypes",
    "check_dtype_object",
    "check_estimators_nan_inf",
    "check_fit_score_takes_y",
    "check_estimators_fit_returns_self",
    "check_dont_overwrite_parameters",
    "check_estimators_overwrite_params",
    "check_dict_unchanged",
    "check_regressors_no_decision_function",
    "check_fit2d_predict1d",
    "check_fit2d_1sample",
    "check_fit2d_1feature",
    "check_f_contiguous_array_estimator",
    "check_readonly_memmap_input",
    "check_sample_weights_list",
    "check_sample_weights_pandas_series",
    "check_sample_weights_not_an_array",
    "check_sample_weights_shape",
    "check_sample_weights_not_overwritten",
    "check_classifiers_one_label_sample_weights",
    "check_estimators_pickle",
    "check_pipeline_consistency",
    "check_supervised_y_2d",
    "check_regressors_int",
    "check_methods_subset_invariance",
    "check_methods_sample_order_invariance",
}
#: ``check_classifiers_train`` and ``check_regressors_train`` run three times: on their
#: data, on a read-only memory map of the same data, and on a read-only float32 copy. The
#: first checks what the default fit reaches. The other two check routes into the same
#: training, each at the capped budget: a read-only memory map is accepted, and float32
#: data train in float32 (``compute_dtype="auto"``) and still reach sklearn's bar. At
#: the default budget the float32 copy took 34 s of the suite's summed time, a third of
#: these checks'; the default budget's float32 fits are the examples' and the UCI
#: benchmark's (data of 512 rows and more train in float32).
CAPPED_VARIANTS = {
    name: [{"readonly_memmap": True}, {"readonly_memmap": True, "X_dtype": "float32"}]
    for name in ("check_classifiers_train", "check_regressors_train")
}
CAPPED_MAX_EPOCHS = 20
#: The budget of the checks of the families beyond each estimator's default (which
#: test_common checks at the default budget): they share its training code.
CHECK_EPOCHS = 50


def check_variant(check):
    """The name and keyword arguments of a check as ``parametrize_with_checks`` yields
    it (often a partial)."""
    return getattr(check, "func", check).__name__, getattr(check, "keywords", {})


def runs_capped(check):
    """Whether ``check`` is one whose verdict a capped budget leaves as it is."""
    name, keywords = check_variant(check)
    return name in BUDGET_INDEPENDENT_CHECKS or keywords in CAPPED_VARIANTS.get(name, [])


def estimator_for(check, estimator):
    """The estimator ``check`` runs on: a capped copy where the budget cannot change its
    verdict, else ``estimator`` itself. A copy, since ``parametrize_with_checks`` hands
    one instance to every check of its class."""
    if runs_capped(check):
        return clone(estimator).set_params(max_epochs=CAPPED_MAX_EPOCHS)
    return estimator
