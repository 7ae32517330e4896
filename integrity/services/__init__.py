"""State changes of the integrity registers, one module per register: `pledges`, `conduct`, `declarations`,
`yearly`, `samples`, `settings`. Each function takes keyword arguments and ``actor=``, checks permission,
validates, writes and records its audit event in one transaction (see each docstring)."""
