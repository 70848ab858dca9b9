"""Sphinx configuration: numpydoc API reference, user guide, sphinx-gallery examples."""

import skprob

project = "skprob"
author = "skprob developers"
copyright = "2026, skprob developers"  # noqa: A001
release = skprob.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
]
autosummary_generate = True
autodoc_default_options = {"members": False, "inherited-members": False}
# Members are listed in the API tables; numpydoc's own member lists would repeat them.
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False

sphinx_gallery_conf = {
    "examples_dirs": "../examples",
    "gallery_dirs": "auto_examples",
    # Run every script: the plot_ examples and the quickstart.
    "filename_pattern": r"/(plot_|quickstart)",
    "within_subsection_order": "FileNameSortKey",
    "download_all_examples": False,
    "remove_config_comments": True,
}

html_theme = "alabaster"
html_title = f"skprob {release}"
exclude_patterns = ["_build"]
templates_path = ["_templates"]
