"""The REST API's assembly: the FastAPI app over every domain's router, its workers and the
demo server (see docs/api.md). Only the composition root (`calaim.app`, the CLI) imports this
package; domain routers use the shared kit in `calaim.ops.http` and never this one.
"""
