"""The staff app: the forms and the SOP steps as web pages without code (Voila).

`kebekerjaan aplikasi` serves notebooks/aplikasi/*.ipynb (server.py); each page is a
thin notebook calling pages.show_page, built on the same widgets as the step notebooks.
"""
