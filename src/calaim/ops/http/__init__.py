"""The REST API's shared kit: dependencies, errors, pagination, routing, transactions and
middleware that every domain's router uses. The app that assembles the routers lives in
`calaim.ops.server`, so a router never imports the assembly that imports it (see docs/api.md).
"""
