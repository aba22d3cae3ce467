"""Imports into the book: clients, products, people and sales from CSV, Excel and Parquet.

Every import is all or nothing: a file with any bad row imports nothing and
the result lists every bad row. Clients, products and people are matched by
external key; sales lines by file hash and line key, so nothing counts twice.
"""

from kam.services.imports.common import (
    AlreadyImportedError,
    ImportResult,
    Progress,
)
from kam.services.imports.master import FIELDS, MASTER_STEPS, MasterImport, import_master, option_of
from kam.services.imports.profiles import (
    Profile,
    import_history,
    list_profiles,
    load_profile,
    save_profile,
    shipped_profiles,
)
from kam.services.imports.sales import SALES_STEPS, SalesImport, import_sales

__all__ = [
    "FIELDS",
    "MASTER_STEPS",
    "SALES_STEPS",
    "AlreadyImportedError",
    "ImportResult",
    "MasterImport",
    "Profile",
    "Progress",
    "SalesImport",
    "import_history",
    "import_master",
    "import_sales",
    "list_profiles",
    "load_profile",
    "option_of",
    "save_profile",
    "shipped_profiles",
]
