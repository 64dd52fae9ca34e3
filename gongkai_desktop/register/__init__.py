"""The register of applications (依申请公开登记台账) → the 表三 it implies."""

from .ledger import LedgerError, LedgerResult, Mapping, changes_for, compare, count, load_map  # noqa: F401
