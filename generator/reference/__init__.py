"""The generated parts of the docs: reference tables from the models and the
export, every command's help, and the scoring page's worked example.
"""
