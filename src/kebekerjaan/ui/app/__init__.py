"""The staff app: the forms and the SOP steps as web pages without code (Voila).

`kebekerjaan aplikasi` serves one notebook, notebooks/aplikasi/app.ipynb (server.py): each
browser tab is one kernel, in which router.py shows the pages (pages.py) one at a time,
built on the same widgets as the step notebooks.
"""
