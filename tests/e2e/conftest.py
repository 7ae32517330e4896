from tests.accounts.conftest import compiled_catalogues

__all__ = ["compiled_catalogues"]
