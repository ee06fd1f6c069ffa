"""Pages of the coverage navigator and the dashboards."""
