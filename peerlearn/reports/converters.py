"""URL converters of the open data downloads."""

from peerlearn.reports.opendata.tables import TABLES


class OpenTableConverter:
    """The name of an open data table: any other word is a 404."""

    regex = "|".join(TABLES)

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
