"""The utilization-review desk: the queue (`/app/authorizations`) and one request per screen."""
