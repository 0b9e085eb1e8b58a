"""Errors a service raises for a request it cannot carry out (besides the domain's own:
`TransitionNotAllowed`, `NotAuthorized`, `FourEyesViolation`). Messages name what and where."""


class ServiceError(Exception):
    """Base class: the CLI turns every one of these into one line and exit status 2."""


class NotFound(ServiceError):
    pass


class InvalidRequest(ServiceError):
    pass


class IdempotencyConflict(ServiceError):
    """A key was reused with different parameters: refused, never silently replayed."""


class ConcurrentChange(ServiceError):
    """A compare-and-set lost: another transaction moved the row first. Retry the command."""
