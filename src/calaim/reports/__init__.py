"""Reports over every layer: the coverage navigator and the dashboards."""
