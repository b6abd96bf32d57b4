"""The nine steps of SOP KDI/PM/09, in SOP order, each under one name.

1. alumni                 kumpulkan data alumni dari ekspor SIAPkerja
2. vacancies.gather       himpun lowongan kerja
3. vacancies.share        bagikan lowongan (daftar kirim WA, Instagram, poster)
4. outreach.invite        undang alumni ke survei (1, 3, 6 bulan)
5. outreach.remind        ingatkan yang belum menjawab (dan laporan kirim aplikasi blast)
6. answers.manual         alumni mengisi status (formulir, atau dicatat petugas)
7. answers.collect        kumpulkan jawaban survei (formulir, WhatsApp, tinjauan)
8. recap                  rekap alumni bekerja dan berwirausaha
9. report                 laporan hasil survei (PDF untuk pimpinan, data untuk SMILe)
"""
