"""What readers see: charts, tables, offline HTML, the indicator report and the explorer."""
