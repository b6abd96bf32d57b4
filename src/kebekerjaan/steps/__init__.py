"""The SOP KDI/PM/09 steps, one module each, in SOP order.

1. collect_alumni   - kumpulkan data alumni dari ekspor SIAPkerja
(later issues add steps 2-9 beside it)
"""
