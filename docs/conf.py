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
    "myst_parser",
]
# The results page is benchmarks/README.md itself (results.md includes it).
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
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

html_theme = "pydata_sphinx_theme"
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
}
# Pages without subpages have nothing for the left sidebar to show.
html_sidebars = {
    page: []
    for page in ("index", "install", "user_guide", "interop", "results", "development")
}
# Literal blocks without a language (the benchmark tables of the results page) are plain
# text; doctests and code blocks that name a language are highlighted as before.
highlight_language = "none"
html_title = f"skprob {release}"
exclude_patterns = ["_build"]
templates_path = ["_templates"]
