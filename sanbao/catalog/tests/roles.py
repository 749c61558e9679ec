"""Who may do what in the catalog, spelled out independently of accounts/roles.py
so the permission tests check the table instead of copying it."""

from sanbao.accounts.roles import Role

EVERYONE = set(Role.values)
IMPORTERS = {Role.AFTERSALES_STAFF, Role.AFTERSALES_MANAGER, Role.ADMINISTRATOR}
# Outlet technicians serve walk-in consumers holding any unit: they open one by serial.
SEE_ANY_UNIT = {
    Role.AFTERSALES_STAFF,
    Role.AFTERSALES_MANAGER,
    Role.COMMERCIAL_COMMISSIONER,
    Role.CS_COMMISSIONER,
    Role.ADMINISTRATOR,
    Role.OUTLET_TECHNICIAN,
}

VALID_ROW = ["SBN000001", "PB10K", "2025-03-01", "mainland", "yes", "AG-A", "WC1"]
BAD_ROW = ["SBN000002", "PB99K", "2025-03-01", "mainland", "yes", "AG-A", "WC2"]
