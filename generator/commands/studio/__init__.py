"""The editing studio of ``archive serve``: a preview server of our own that rebuilds the site as
sources change, reloads open tabs, shows problems on every page, and writes notes and registry
entries through the same functions as the command line. Nothing of it is in a built site: its
script, style and token are added only to the pages it serves."""
