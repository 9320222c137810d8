"""URL converters."""


class StatementKindConverter:
    regex = "challenges|experiences"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class AuthorisationActionConverter:
    """``grant``, ``decline`` or ``revoke``: any other word is a 404, not an error page."""

    regex = "grant|decline|revoke"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
