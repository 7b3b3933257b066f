"""Sphinx configuration for sklearn_lnn."""

import sklearn_lnn

project = "sklearn_lnn"
author = "the sklearn_lnn developers"
release = version = sklearn_lnn.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "numpydoc",
]
autosummary_generate = True
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
templates_path = ["_templates"]
exclude_patterns = ["_build", "generated/*.examples"]
html_theme = "alabaster"
