"""Project tools that are not part of the installed ``newsdesk`` package (``make_sample``: the sample's generator)."""
