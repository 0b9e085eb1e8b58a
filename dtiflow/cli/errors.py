"""Errors a person caused (a bad argument, an unknown id): shown as one line, exit 2."""


class UserError(Exception):
    pass
