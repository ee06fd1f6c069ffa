"""FHIR input errors: what is wrong, where (the JSON path in the Bundle), and what to do."""

from __future__ import annotations

from calaim.ops.errors import Conflict, InvalidRequest


class FhirInputError(InvalidRequest):
    """A Bundle or resource that cannot be read; `field` is its JSON path (`entry[3].resource`)."""

    def __init__(self, message: str, *, field: str | None, source: str | None = None) -> None:
        where = ": ".join(part for part in (source, field) if part)
        super().__init__(f"{where}: {message}" if where else message, field=field)
        self.source = source
        self.detail = message

    def at(self, source: str | None) -> FhirInputError:
        """The same error, naming the file or request it came from."""
        if source is None or self.source is not None:
            return self
        return FhirInputError(self.detail, field=self.field, source=source)


class TaskConflict(Conflict):
    """A Task status the referral cannot reach from where it is; `field` names the Task status."""

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message)
        self.field = field


def json_path(location: tuple[object, ...]) -> str:
    """`("entry", 3, "resource", "status")` -> `entry[3].resource.status`."""
    path = ""
    for part in location:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += ("." if path else "") + str(part)
    return path or "(root)"
