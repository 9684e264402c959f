"""The people domain's services: the directory, Plt/Plh appointments, mutasi and the import.

``directory`` (employees, the org tree and the viewer's team), ``acting`` (Plt/Plh
appointments), ``moves`` (detected mutasi) and ``importer`` (the SIMPEG CSV import). Who may
read whose data stays beside the package, in ``visibility``; the recursive org queries in ``sql``.
"""
