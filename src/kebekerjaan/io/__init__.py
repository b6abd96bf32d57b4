"""Files in and out, and the values in them: reading spreadsheets and exports (tables,
headers, normalize, intake, schemas), writing Excel and blast lists (excel, blast), message
templates, region codes, personal-data masking and Indonesian number formatting.
"""
