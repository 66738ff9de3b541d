"""What labsim reads and writes on disk, and the promises about both (docs/safety.md).

:mod:`labsim.files.input` reads only regular files, within a size bound, as UTF-8 text with errors that name the
file and what is wrong with it. :mod:`labsim.files.output` writes results folders that labsim marks as its own and
single files, so that labsim never deletes or replaces a file it did not write. Every reader and writer of labsim
goes through these two modules.
"""
