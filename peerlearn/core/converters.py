"""URL converters."""


class StatementKindConverter:
    regex = "challenges|experiences"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
