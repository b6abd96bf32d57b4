"""SOP step 9: the management report (narrative, tables, charts, nbconvert exporters)."""
