"""The whole published ledger as a Frictionless Data Package (SPEC §10), written as it streams.

`tables` says what each CSV holds (rows straight from the database, a chunk at a time),
`descriptor` writes datapackage.json with a Table Schema per table, and `writing` puts them
into a zip (or a folder) a file at a time, hashing every file on the way.
"""
