"""Refusals a service gives for a request it cannot carry out (besides the domain's own:
`TransitionNotAllowed`, `NotAuthorized`, `FourEyesViolation`, `SubmissionRefused`). All are
`domain.errors.Refusal`s: one sentence naming what and where, exit 2 / HTTP 4xx."""

from __future__ import annotations

from domain.errors import Conflict, InvalidInput, Refusal, Unknown


class ServiceError(Refusal):
    """A service's own refusals (the domain's are refusals too)."""


class NotFound(ServiceError, Unknown):
    pass


class InvalidRequest(ServiceError, InvalidInput):
    pass


class IdempotencyConflict(ServiceError, Conflict):
    """A key was reused with different parameters: refused, never silently replayed."""


class ConcurrentChange(ServiceError, Conflict):
    """A compare-and-set lost: another transaction moved the row first. Retry the command."""
