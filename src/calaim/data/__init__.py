"""The input contract: reading an input folder into DuckDB, with file/row/column errors.

`calaim.data.contract` declares the contract; `calaim.data.reader.open_inputs` validates a
folder against it and registers one relation per table; problems are `calaim.data.errors`.
"""
