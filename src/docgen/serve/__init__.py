"""``docgen serve``: the county's web form, so that a township's clerk needs only a browser.

:mod:`.store` keeps every body's report and every version of it (SQLite),
:mod:`.setup` prepares a store from a roster and last year's reports,
:mod:`.forms` turns a report into the form's fields and back, :mod:`.pages`
builds the pages, and :mod:`.app` is the ASGI app (Starlette, run by
uvicorn: the optional extra ``docgen[serve]``).
"""
