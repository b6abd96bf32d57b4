"""(Re)generate the labelled corpus of WhatsApp group replies: src/kebekerjaan/data/wa_corpus.csv.

Usage:
    python scripts/make_wa_corpus.py

Every reply is synthetic, written for this project: hand-written seed phrases (one
template family each) filled with employers, trades, places and campuses of Sulawesi
Tenggara and beyond, then perturbed the way people type on a phone (abbreviations,
typos, lower case, emoji, a "pak"/"kak" tacked on, Kendari particles such as "mi",
"ji", "pi", "kodong"). Output is deterministic.

Columns: text, label, family, split. `label` is a status code of data/kuesioner.toml
or one of the non-status kinds in NON_STATUS. The held-out split ("uji", about 25 %)
takes whole template families, so no test reply is a near-duplicate of a training one.
"""

# Seed phrases are kept whole, as alumni write them.
# ruff: noqa: E501
from __future__ import annotations

import csv
import hashlib
import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "kebekerjaan" / "data" / "wa_corpus.csv"
VARIANTS = 7  # replies drawn from each family (fewer when the family has few fillings)
TEST_SHARE = 0.25
SEED = 20261201

NON_STATUS = ("menolak", "obrolan", "pertanyaan", "lowongan", "pengumuman", "orang_lain")

SLOTS = {
    "pt": ["PT VDNI", "PT Virtue Dragon Nickel Industry", "PT OSS Morosi", "PT Antam Pomalaa",
           "PT Vale Indonesia", "PT Ceria Nugraha Indotama", "Indomaret Poasia", "Alfamart Anduonohu",
           "Hotel Claro Kendari", "Hotel Zahra", "bengkel Yamaha Wua-Wua", "dealer Honda Mandonga",
           "CV Anoa Teknik", "PT Gerbang Multi Sejahtera", "Bank Sultra", "RS Bahteramas",
           "Lippo Plaza Kendari", "PT Hadji Kalla", "Toyota Kendari", "PT Bumi Sarana Utama",
           "Koperasi Mekar Jaya", "PT Wijaya Karya", "konter Sinar Cell", "PT IMIP Morowali",
           "PT Kalla Toyota", "Hypermart Kendari", "PT PLN ULP Kolaka", "PT Tiran Indonesia",
           "bengkel Suzuki Baruga", "PT Pelni Baubau", "Kafe Kopi Titik Temu", "PT Sumber Alfaria",
           "puskesmas Puuwatu", "kantor desa", "PT Modern Cahaya", "CV Mitra Las Raha"],
    "posisi": ["operator", "kasir", "admin", "helper", "welder", "mekanik", "teknisi listrik",
               "barista", "waiter", "cleaning service", "security", "driver", "staf gudang",
               "tukang las", "operator excavator", "operator forklift", "admin gudang", "SPG",
               "juru masak", "housekeeping", "teknisi AC", "front office", "checker", "rigger"],
    "kota": ["Kendari", "Kolaka", "Konawe", "Morosi", "Pomalaa", "Baubau", "Raha", "Unaaha",
             "Bombana", "Wakatobi", "Konsel", "Makassar", "Morowali", "Batam", "Kolut", "Andoolo"],
    "usaha": ["bengkel motor", "warung makan", "jahitan", "laundry", "konter pulsa", "salon",
              "pangkas rambut", "las kecil-kecilan", "servis HP", "cuci motor", "katering",
              "sablon kaos", "percetakan", "ternak ayam", "warkop", "bengkel las", "servis AC",
              "rias pengantin", "kios sembako", "budidaya rumput laut"],
    "jual": ["pulsa sama token listrik", "kue kering", "baju online", "ikan asin", "sayur keliling",
             "bensin eceran", "es teh", "gorengan", "cakar (pakaian bekas)", "sembako", "aksesoris HP",
             "nasi kuning", "jalangkote", "kasuami", "kopi bubuk", "frozen food", "madu hutan",
             "kerajinan anyaman", "tenun Buton", "skincare"],
    "kampus": ["UHO", "Universitas Halu Oleo", "USN Kolaka", "UM Kendari", "IAIN Kendari",
               "Poltekkes Kendari", "Unsultra", "UNM Makassar", "Politeknik Kendari", "STIKES Mandala Waluya",
               "Universitas Terbuka", "UMB Buton", "Unhas"],
    "latih": ["pelatihan lanjutan di BPVP Makassar", "kursus bahasa Jepang", "LPK persiapan magang Jepang",
              "pelatihan operator alat berat", "BLK Kendari kejuruan las", "pelatihan barista",
              "kursus komputer", "pelatihan di BBPVP Serang", "program magang ke Jepang (pelatihan pra-keberangkatan)",
              "kursus menjahit lanjutan", "pelatihan K3 umum"],
    "sapa": ["pak", "bu", "kak", "min", "bapak", "ibu", "kakak", "bang", "", "", ""],
    "emo": ["", "", "", "🙏", "😊", "🙏🙏", "😅", "👍", "💪", "😁", "🥲", "🤲", "😭", "🙂"],
    "waktu": ["sejak bulan lalu", "sudah 2 bulan", "dari Oktober", "baru seminggu", "sudah 3 bulanan",
              "dari awal tahun", "mulai kemarin", "sejak lulus pelatihan"],
    "hari": ["senin depan", "minggu depan", "bulan depan", "tanggal 5 nanti", "besok lusa", "awal bulan"],
    "sebab": ["hamil", "baru melahirkan", "urus anak yang masih kecil", "sakit", "merawat orang tua yang sakit",
              "habis operasi", "ikut suami pindah tugas", "baru menikah dan jadi ibu rumah tangga"],
}

# label -> seed phrases (one template family each). {slot} is filled from SLOTS.
SEEDS: dict[str, list[str]] = {
    "bekerja": [
        "Alhamdulillah sudah kerja di {pt} {sapa} {emo}",
        "sy skrg kerja di {pt} bagian {posisi}",
        "alhamdulillah diterima kerja di {pt} {sapa}, terima kasih BPVP {emo}",
        "sekarang jadi {posisi} di {pt}",
        "saya {posisi} di {pt} {waktu}",
        "kerja mi sa di {pt} {sapa}",
        "sudah mi kerja di {kota}, di {pt}",
        "insyaallah {hari} mulai masuk kerja di {pt} {emo}",
        "baru dapat panggilan kerja, mulai {hari} di {pt}",
        "Alhamdulillah sdh kerja {sapa}, di {pt}. Kalau ada info loker yg lebih bagus share di sini ya?",
        "sudah kerja di {pt} {sapa}, tapi mau tanya sertifikatnya kapan bisa diambil?",
        "masuk kerja mi {waktu} di {pt}",
        "lagi kontrak di {pt} sebagai {posisi}",
        "ikut proyek di {kota} jadi {posisi}, gajinya lumayan {emo}",
        "sy diterima jadi {posisi} di {pt}, baru tanda tangan kontrak",
        "alhamdulillah sdh ditempatkan di {pt} {kota}",
        "kerja di tambang {kota} {sapa}, jadi {posisi}",
        "Sekarang sa di {pt} mi, {posisi}",
        "lagi kerja ini kak, nanti sy isi formnya. Kerja di {pt}",
        "Saya sudah bekerja di {pt} sebagai {posisi} {waktu}",
        "dpt kerja di {pt} alhamdulillah {emo}",
        "jadi karyawan tetap di {pt} {sapa}",
        "bantu-bantu di {pt} sebagai {posisi}, digaji bulanan",
        "kerja ikut orang di {usaha} dekat rumah {sapa}",
        "honor di {pt} {sapa} {emo}",
        "sudah lolos dan mulai kerja di {pt} {waktu}",
        "alhamdulillah keterima jadi {posisi}, penempatan {kota}",
        "lagi di site {kota} {sapa}, kerja {posisi} di {pt}",
        "sy kerja kak, {posisi} di {pt}. ada info pelatihan lanjutan kah?",
        "iye pak, sudah kerja {waktu}, di {pt}",
        "wis kerja mas, nang {pt} {kota}",
        "gue udah kerja kak di {pt} jadi {posisi}",
        "Nama sy Rini, angkatan 2, sudah bekerja di {pt}",
        "alhamdulillah ilmu las dari BPVP kepake, skrg {posisi} di {pt}",
        "kerja shift malam di {pt} {emo}",
        "baru masuk training karyawan baru di {pt}, sudah tanda tangan kontrak kerja",
    ],
    "wirausaha": [
        "buka usaha {usaha} sendiri di rumah {sapa} {emo}",
        "alhamdulillah sekarang jualan {jual} {sapa}",
        "sy jual {jual} di rumah",
        "usaha sendiri {sapa}, {usaha}",
        "sekarang buka {usaha} kecil-kecilan di {kota}",
        "jualan online {jual} lewat tiktok {emo}",
        "bikin {jual} terus dititip di warung-warung",
        "terima pesanan {jual} {sapa}, lumayan buat tambah-tambah",
        "sa buka {usaha} mi di kampung {sapa}",
        "alhamdulillah sdh punya {usaha} sendiri, ada 2 karyawan",
        "usaha {usaha} dengan modal dari pelatihan kemarin {emo}",
        "buka jasa {usaha} di rumah, ada yang mau pakai? {emo}",
        "merintis {usaha} di {kota}",
        "saya wirausaha {sapa}, {usaha}",
        "dagang {jual} di pasar {kota}",
        "terima jahitan baju di rumah {sapa}",
        "bikin usaha {usaha} bareng teman",
        "lagi jalani bisnis {usaha} {waktu}",
        "terima servis motor panggilan di sekitar {kota}",
        "buka lapak {jual} di depan rumah",
        "wiraswasta {sapa}, buka {usaha}",
        "Alhamdulillah {usaha} saya sudah jalan {waktu}, mohon doanya {emo}",
        "sekarang ternak ayam petelur di kampung",
        "jadi reseller {jual} kak",
        "jual {jual} keliling pakai motor",
        "sy usaha sendiri mi, {usaha}. kalau ada pelatihan kewirausahaan info ya pak?",
        "buka warung kopi kecil2an di {kota} {emo}",
        "punya {usaha} sendiri sekarang, pelanggan mulai banyak",
        "produksi {jual} rumahan, dijual ke toko-toko",
        "terima orderan las pagar dan teralis {sapa}",
        "buka usaha potong rambut di rumah {sapa}",
        "jd tukang servis hp sendiri di rumah",
    ],
    "mencari": [
        "masih cari kerja {sapa} {emo}",
        "blm kerja {sapa}, masih nyari",
        "belum dapat kerja {sapa} {emo}",
        "masih nganggur {sapa} {emo}",
        "masih di rumah saja, belum ada kerjaan",
        "belum pi dapat kerja {sapa}, kodong",
        "nda ada pi kerjaan {sapa}",
        "masih rebahan kak, belum ada panggilan {emo}",
        "sudah masukkan lamaran ke {pt} tapi belum ada panggilan",
        "lagi tunggu panggilan interview dari {pt}",
        "sy masih cari kerja pak, ada info loker di {kota}?",
        "belum kerja kak, kalau ada lowongan {posisi} kabari ya?",
        "masih pengangguran {emo}",
        "kontrak di {pt} sudah habis, sekarang cari kerja lagi",
        "sudah resign dari {pt}, lagi cari yang baru",
        "kena PHK dari {pt}, sekarang masih cari kerja",
        "masih melamar sana sini {sapa}",
        "belum ada kegiatan {sapa}, masih cari-cari kerja",
        "gabut di rumah, belum dapat kerjaan",
        "masih nunggu pengumuman tes di {pt} {emo}",
        "belum kerja pak, masih tunggu panggilan",
        "blum ada yang terima {sapa}, sudah kirim lamaran ke mana-mana",
        "masih cari kerja sesuai kejuruan {sapa}",
        "durung kerjo mas, isih golek",
        "nganggur ji sa ini {sapa}",
        "lagi butuh kerjaan {sapa}, apa saja yang penting halal",
        "sudah 3 kali tes tapi belum lulus, masih berusaha cari {emo}",
        "Belum bekerja, sedang mencari pekerjaan",
        "sementara masih menganggur, tapi aktif melamar",
        "tidak kerja lagi di {pt}, sekarang lagi cari",
        "masih santai di rumah kak, belum ada panggilan kerja",
        "belum dapat kerja yg cocok, masih cari di {kota}",
        "sy masih jobless kak {emo}",
    ],
    "belum_memungkinkan": [
        "lagi {sebab}, belum bisa kerja dulu {sapa}",
        "belum bisa kerja {sapa}, masih {sebab}",
        "sy ibu rumah tangga sekarang {sapa}, belum kerja {emo}",
        "fokus urus anak dulu kak, nanti kalau sudah besar baru cari kerja",
        "belum memungkinkan kerja {sapa}, {sebab}",
        "lagi sakit {sapa}, jadi belum kerja dulu",
        "masih masa pemulihan habis kecelakaan, belum bisa kerja",
        "sementara di rumah jaga orang tua yang sakit {sapa}",
        "ikut suami ke {kota}, belum bisa kerja dulu",
        "baru lahiran {sapa}, jadi istirahat dulu {emo}",
        "hamil tua kak, cuti dulu dari cari kerja",
        "sakit-sakitan terus {sapa}, belum sanggup kerja",
        "lagi dirawat di rumah sakit, doakan cepat sembuh {emo}",
        "belum dulu {sapa}, masih {sebab}",
        "tidak cari kerja dulu kak, {sebab}",
        "sementara jadi IRT dulu {sapa}",
        "belum bisa kerja jauh, harus jaga adik-adik di rumah",
        "masih urus orang tua di kampung {sapa}, belum bisa kerja",
        "kaki patah kak, belum bisa kerja berat",
        "lagi fokus pengobatan {sapa}, nanti kalau sehat baru cari kerja",
    ],
    "studi": [
        "lanjut kuliah di {kampus} {sapa} {emo}",
        "sekarang kuliah di {kampus}",
        "sy lagi ikut {latih}",
        "ikut {latih} lagi {sapa}",
        "alhamdulillah lulus masuk {kampus} tahun ini",
        "masih kuliah semester 3 di {kampus}",
        "lanjut sekolah dulu {sapa}",
        "ambil paket C dulu biar bisa daftar kerja",
        "lagi mondok di pesantren {sapa}",
        "sementara ikut {latih} di {kota}",
        "kuliah mi sa di {kampus} {sapa}",
        "daftar kuliah dan sudah diterima di {kampus}",
        "lanjut S1 di {kampus} jurusan teknik",
        "lagi persiapan berangkat magang Jepang, ikut {latih}",
        "masih belajar di LPK, pelatihan bahasa Jepang {emo}",
        "kuliah sore di {kampus}, pagi bantu orang tua",
        "fokus kuliah dulu {sapa}, nanti kerja setelah wisuda",
        "ikut pelatihan lanjutan kejuruan las 3G di {kota}",
        "sekolah lagi kak di {kampus} {emo}",
        "ambil D3 di {kampus}",
        "lagi pendidikan kak, ikut {latih}",
        "lanjut studi di {kampus}, doakan lancar ya",
        "masih kuliah {sapa}, ada info beasiswa?",
        "lagi kursus stir mobil sama bahasa Inggris dulu {sapa}",
    ],
    "menolak": [
        "maaf {sapa}, saya tidak mau isi survei",
        "tidak usah didata {sapa}",
        "mohon maaf, saya tidak bersedia memberi informasi",
        "jangan hubungi saya lagi soal survei",
        "tolong hapus nomor saya dari daftar survei",
        "itu urusan pribadi {sapa}, tidak mau kasih tau",
        "sy tidak mau ikut survei {emo}",
        "stop kirim pesan survei ke saya",
        "maaf tidak bisa jawab {sapa}",
        "nda usah mi {sapa}, sa tidak mau isi",
        "saya keberatan data saya dipakai",
        "skip dulu kak surveinya",
    ],
    "obrolan": [
        "selamat pagi semua {emo}",
        "terima kasih infonya {sapa} {emo}",
        "mantap {emo}",
        "aamiin {emo}",
        "siap {sapa}",
        "ok {sapa}",
        "wkwkwk",
        "hadir {sapa}",
        "izin gabung {sapa}",
        "salam kenal semua, saya alumni angkatan 2",
        "selamat buat teman-teman yang sudah kerja {emo}",
        "semoga yang masih cari kerja cepat dapat ya {emo}",
        "mantap bro yang sudah diterima di {pt} {emo}",
        "wah keren, sudah kerja di {pt} ya? sukses terus",
        "semangat kerja semua {emo}",
        "selamat bekerja teman-teman",
        "kangen suasana pelatihan {emo}",
        "sehat selalu untuk instruktur kami {emo}",
        "assalamualaikum",
        "waalaikumsalam {sapa}",
        "hahaha iya betul",
        "{emo}{emo}",
        "iye {sapa}",
        "baik {sapa}, terima kasih",
        "selamat malam semua",
        "makasih banyak BPVP, ilmunya bermanfaat {emo}",
        "sukses selalu buat BPVP Kendari",
        "siap laksanakan {sapa}",
        "alhamdulillah {emo}",
        "mantap kak, semoga berkah usahanya {emo}",
        "yang sudah kerja traktir dong wkwk",
        "buat yang sudah kerja semoga betah ya",
        "semangat yang lagi cari kerja, pasti ada jalan",
        "sudah sy isi formnya {sapa} {emo}",
        "link nya sudah saya buka {sapa}",
        "oke siap, nanti malam sy isi",
        "turut berduka cita {sapa} {emo}",
        "selamat hari raya idul fitri, mohon maaf lahir batin",
        "ada yang dari {kota} juga kah? salam kenal",
        "cuaca panas sekali hari ini di {kota}",
        "minggu depan kumpul alumni jadi kah?",
        "foto-foto pas pelatihan masih ada?",
        "hehe",
        "good job {sapa} {emo}",
    ],
    "pertanyaan": [
        "ada yang tau lowongan di {pt}?",
        "kak yang kerja di {pt} gajinya berapa?",
        "kapan ada pelatihan lagi {sapa}?",
        "sertifikat pelatihan kapan bisa diambil {sapa}?",
        "pak, cara daftar kerja di {pt} bagaimana?",
        "info loker {posisi} di {kota} ada?",
        "siapa yang sudah kerja di {pt}? mau tanya-tanya",
        "apakah masih ada kuota pelatihan {posisi}?",
        "linknya mana {sapa}?",
        "ini survei untuk apa {sapa}?",
        "formnya diisi sampai kapan {sapa}?",
        "gimana caranya dapat kerja di tambang?",
        "yang kerja di {kota} tinggal di mana ya?",
        "ada info magang ke Jepang {sapa}?",
        "boleh minta nomor admin {sapa}?",
        "apa syarat masuk {pt}?",
        "teman-teman ada yang butuh {posisi} kah?",
        "pelatihan bulan depan kejuruan apa saja {sapa}?",
        "yg sudah kerja di {pt}, itu lewat jalur apa?",
        "kalau mau buka {usaha} modalnya berapa kira2?",
        "pak, uang saku pelatihan kapan cair?",
        "ada lowongan untuk lulusan SMA di {kota}?",
    ],
    "lowongan": [
        "DIBUTUHKAN SEGERA {posisi} untuk {pt}, penempatan {kota}. Kirim CV ke email hrd",
        "Info loker: {pt} membuka lowongan {posisi}, syarat pria max 30 tahun",
        "[LOKER {kota}] dicari {posisi} berpengalaman, hub 0812xxxx",
        "Lowongan kerja {posisi} di {kota}, gaji UMR + uang makan. Minat japri",
        "*LOWONGAN KERJA* {pt} butuh {posisi} 10 orang. Berkas dibawa langsung ke kantor",
        "Diteruskan: lowongan {posisi} penempatan {kota}, pendaftaran sampai akhir bulan",
        "WE ARE HIRING! {posisi} - {pt}. Apply via link di bio",
        "Info kerja: {usaha} di {kota} cari karyawan 2 orang, bisa {posisi}",
        "OPEN RECRUITMENT {pt} posisi {posisi}, pendidikan min SMA/SMK",
        "Dicari tukang las dan helper untuk proyek di {kota}, kontrak 6 bulan",
        "Loker! {pt} butuh {posisi} shift, mess disediakan. Yg minat kirim lamaran",
        "Lowongan pekerjaan: admin toko, penempatan {kota}, lamaran via WA",
    ],
    "pengumuman": [
        "Assalamualaikum rekan alumni, mohon mengisi survei kebekerjaan melalui link berikut",
        "Pengumuman: pendaftaran pelatihan gelombang 3 BPVP Kendari dibuka sampai tanggal 20",
        "Kepada seluruh alumni, mohon kabari status pekerjaan saat ini: sudah bekerja, wirausaha, atau masih mencari",
        "Yth. alumni kejuruan {posisi}, sertifikat dapat diambil di kantor BPVP mulai senin",
        "Info dari BPVP: job fair di {kota} hari sabtu, silakan datang membawa CV",
        "Bagi yang belum mengisi survei, mohon segera diisi ya teman-teman",
        "Reminder: survei kebekerjaan ditutup akhir bulan ini. Terima kasih yang sudah mengisi",
        "Mohon maaf, grup ini khusus informasi alumni. Dilarang promosi",
        "Rekan-rekan yang sudah bekerja atau berwirausaha mohon isi nama tempat kerjanya di form",
        "Selamat kepada alumni yang sudah diterima bekerja di {pt}. Semoga sukses",
    ],
}


# More families per label, so that a held-out family has relatives in training.
MORE_SEEDS: dict[str, list[str]] = {
    "bekerja": [
        "alhamdulillah sudah dapat kerja {sapa}, di {pt} {kota}",
        "kerja jadi {posisi} {sapa}, lumayan buat bantu orang tua {emo}",
        "sy sdh jadi pegawai di {pt} {waktu}",
        "sekarang ngantor di {pt} {emo}",
        "lagi kerja di luar daerah {sapa}, di {kota} ikut {pt}",
        "sudah kerja kak, cuma kontraknya 6 bulan di {pt}",
        "jadi {posisi} di kapal {sapa}",
        "bekerja sebagai {posisi} {sapa} {emo}",
        "alhamdulillah sudah diangkat jadi {posisi} tetap",
        "sa kerja di bengkel om sa ji {sapa}, digaji",
        "bantu di kantor desa jadi staf honorer {sapa}",
        "dapat kerjaan di {pt} lewat info loker grup ini, makasih {sapa} {emo}",
        "sdh kerja {sapa}, nanti sy isi link survei nya",
        "sy sdh kerja pak, di {pt}. tp gaji blm cair hehe",
        "Kerja di {pt} {sapa}. Sudah {waktu}",
        "mulai kerja {hari} {sapa}, sudah dapat SK dari {pt}",
    ],
    "wirausaha": [
        "buka usaha sendiri {sapa}, {usaha} di depan rumah {emo}",
        "sekarang punya lapak {jual} di pasar sentral",
        "usaha {usaha} kecil2an {sapa}, alhamdulillah ada pelanggan",
        "jualan {jual} {sapa}, kalau ada yang mau order japri ya {emo}",
        "mandiri {sapa}, buka {usaha} sendiri",
        "sy buat {jual} dan jual di marketplace",
        "terima panggilan {usaha} di {kota} {sapa}",
        "jadi pengusaha kecil mi {sapa}, {usaha}",
        "kelola {usaha} milik sendiri {waktu}",
        "Alhamdulillah sudah bisa buka {usaha} dari ilmu pelatihan {emo}",
        "jual {jual} lewat status WA {sapa} hehe",
        "buka {usaha}, sudah ada 1 karyawan bantu",
    ],
    "mencari": [
        "belum ada kerja {sapa}, masih cari {emo}",
        "masih mencari pekerjaan {sapa}, doakan ya",
        "blm dpt kerjaan kak, kalau ada info tolong kabari",
        "sy msh menganggur pak {emo}",
        "belum kerja mi, lagi tunggu panggilan dari {pt}",
        "masih nyari kerjaan di {kota} {sapa}",
        "sudah kirim lamaran tapi belum ada balasan {emo}",
        "habis kontrak {waktu}, sekarang nganggur lagi",
        "tidak ada kerjaan {sapa}, masih cari",
        "sudah berhenti kerja dari {pt}, sekarang lagi melamar di tempat lain",
        "masih di kampung {sapa}, belum dapat kerja",
        "belum {sapa}, masih cari-cari",
    ],
    "belum_memungkinkan": [
        "belum kerja dulu {sapa}, karena {sebab}",
        "sementara belum cari kerja, lagi {sebab}",
        "istirahat dulu {sapa}, {sebab}",
        "masih {sebab} {sapa}, jadi belum bisa kerja {emo}",
        "tidak bisa kerja dulu {sapa}, dokter suruh istirahat",
        "urus rumah tangga dulu {sapa} {emo}",
        "jaga anak di rumah {sapa}, suami yang kerja",
        "sementara tidak kerja {sapa}, {sebab}",
    ],
    "studi": [
        "sy kuliah {sapa}, di {kampus} {emo}",
        "lagi kuliah kak",
        "mahasiswa baru di {kampus} {sapa}",
        "lanjut pendidikan di {kampus} {sapa}",
        "sekarang ikut {latih} {waktu}",
        "sedang pelatihan lagi di {kota}, {latih}",
        "masih sekolah {sapa}, kelas 12",
        "lagi ambil sertifikasi di {latih} {sapa}",
        "kursus dulu {sapa}, {latih}",
        "kuliah jurusan teknik mesin di {kampus} {emo}",
    ],
    "menolak": [
        "tidak perlu ditanya-tanya {sapa}",
        "sy tidak mau jawab {sapa} {emo}",
        "maaf rahasia {sapa}",
        "tolong jangan chat pribadi saya lagi soal survei",
        "sy tdk bersedia ikut survei ini",
        "nda mau ka isi {sapa}",
        "keluarkan saja saya dari grup {sapa}",
    ],
    "obrolan": [
        "mantap kak {emo}",
        "selamat ya {sapa}, semoga lancar kerjanya",
        "keren, sukses terus usahanya {emo}",
        "semoga cepat dapat kerja ya bro",
        "semoga sehat selalu {sapa} {emo}",
        "ikut senang dengarnya {emo}",
        "hebat, lanjutkan {emo}",
        "salam dari {kota} {sapa}",
        "selamat siang {sapa}",
        "semoga ilmunya bermanfaat buat kita semua",
        "wah mantap, ajak-ajak dong kalau ada lowongan di sana",
        "ingat waktu praktek las dulu hahaha",
        "baik {sapa}, siap {emo}",
        "nanti sy isi {sapa}",
        "ok siap, terima kasih infonya",
        "sy sudah isi survei ya {sapa}",
        "ada yang ikut job fair kemarin?",
        "sudah lama tidak ketemu teman-teman angkatan {emo}",
        "mudah-mudahan semua dapat rezeki {emo}",
        "Thanks min {emo}",
        "buka puasa bersama alumni jadi kah {sapa}?",
        "sudah dibuka link nya {sapa}, nanti diisi",
        "yang kerja di {kota} jaga kesehatan ya, cuaca lagi tidak menentu",
        "wih yang sudah punya usaha sendiri, sukses terus {emo}",
        "doakan teman-teman yang lagi tes di {pt} lulus semua {emo}",
        "selamat atas wisudanya {sapa} {emo}",
        "rindu masa-masa praktek di bengkel BPVP {emo}",
    ],
    "pertanyaan": [
        "kalau mau kerja di {pt} harus punya sertifikat apa {sapa}?",
        "ada lowongan {posisi} kah {sapa}?",
        "kak, {pt} masih terima karyawan?",
        "bagaimana cara daftar pelatihan lagi {sapa}?",
        "pak ini surveinya wajib kah?",
        "mau tanya, gaji {posisi} di {kota} berapa?",
        "ada info kerja di {kota} tidak {sapa}?",
        "siapa yg tau bengkel di {kota} yang cari montir?",
        "pak kalau sudah kerja, isi di bagian mana?",
        "apa masih bisa ambil sertifikat di BPVP {sapa}?",
        "kapan pengumuman pelatihan gelombang berikutnya?",
        "kalau mau buka usaha {usaha}, ada bantuan modal dari dinas kah {sapa}?",
        "yang sudah kerja di {pt} itu shift berapa jam ya?",
        "teman-teman yang kuliah di {kampus} ambil jurusan apa?",
        "kapan buka pendaftaran pelatihan {sapa}?",
    ],
    "lowongan": [
        "Dibutuhkan {posisi} untuk {usaha} di {kota}, hubungi WA di bawah",
        "INFO LOKER {kota}: {pt} membutuhkan {posisi}, usia max 35",
        "Lowongan: {pt} cari {posisi}, lamaran ditutup tanggal 30",
        "[Diteruskan] Loker {posisi} {pt}. Syarat: SIM B1, sehat jasmani",
        "Urgent! butuh {posisi} 3 orang di {kota}, gaji mingguan",
        "Ada lowongan di {pt} bagian {posisi}, yang minat bisa lamar lewat link",
        "Rekrutmen tenaga kerja {pt} penempatan {kota}, info lengkap di flyer",
    ],
    "pengumuman": [
        "Assalamualaikum, diinformasikan kepada alumni bahwa pelatihan kejuruan {posisi} akan dibuka bulan depan",
        "Mohon bantuan rekan-rekan alumni mengisi survei kebekerjaan, cukup 5 menit. Terima kasih",
        "Perhatian: jadwal pengambilan sertifikat diundur ke hari kamis",
        "Info: BPVP Kendari membuka pendaftaran pelatihan berbasis kompetensi, kuota terbatas",
        "Teman-teman alumni, grup ini akan dipakai untuk berbagi info lowongan. Mohon tidak mengirim stiker berlebihan",
        "Silakan isi form survei di link ini bagi yang belum, sebutkan status kerja saat ini",
    ],
}
for _label, _more in MORE_SEEDS.items():
    SEEDS[_label] = SEEDS[_label] + _more

# Issue 15: kinds of wording the first corpus lacked: English, the status word first,
# a past and a present state in one reply, all caps, a bare negation before "still
# looking", occupations and businesses named without a verb, someone else's status.
WORDING_SEEDS: dict[str, list[str]] = {
    "bekerja": [
        "I'm working at {pt} as {posisi} now {emo}",
        "currently employed, {posisi} at {pt} {sapa}",
        "Yes {sapa}, I got a job at {pt} last month",
        "working {sapa}. {posisi}, {pt}, {kota}",
        "BEKERJA {sapa}. {posisi} di {pt}",
        "Status: bekerja. Tempat: {pt}, bagian {posisi}",
        "Kerja {sapa}, {posisi} di {pt} {waktu}",
        "SUDAH KERJA DI {pt} {sapa} {emo}",
        "dulu nganggur, sekarang sdh kerja di {pt} jadi {posisi}",
        "dulu sempat jualan, tp skrg sy {posisi} di {pt}",
        "sy sdh tdk di {pt} lagi, skrg pindah ke {pt} sebagai {posisi}",
        "sempat kuliah 1 semester, sekarang kerja di {pt}",
        "{posisi} di {pt} {sapa} {emo}",
        "sy skrg {posisi} {pt} {kota} {sapa}",
        "alhamdulillah lulus PPPK {sapa}, penempatan di dinas {kota}",
        "sdh jadi PNS {sapa}, guru di SMK {kota}",
        "honorer di kantor kecamatan {kota} {sapa}",
        "guru honor di SD {kota} {sapa} {emo}",
        "TKI di Malaysia {sapa}, kerja di pabrik",
        "kerja di kapal {sapa}, jadi ABK {waktu}",
        "sy masuk polri {sapa}, baru selesai pendidikan",
        "alhamdulillah skrg jadi satpam di {pt}",
        "kerja serabutan di proyek {kota}, digaji harian {sapa}",
        "bekrja di {pt} {sapa}, udh {waktu}",
        "sdh krja kak, d {pt} bgian {posisi}",
        "Sy Rahmat alumni las, skrg welder di {pt} {emo}",
        "masih kerja di tempat yg lama {sapa}, {pt}",
        "saya dan adik saya sudah kerja di {pt} {sapa}",
        "Suami sy masih cari kerja, kalau sy sendiri sdh jadi {posisi} di {pt}",
        "anak sy masih kecil2 tp sy tetap kerja {sapa}, {posisi} di {pt}",
        "ALHAMDULILLAH SDH DITERIMA KERJA DI {pt}",
        "sudah kerja {sapa}. mau tanya, sertifikat bisa diambil kapan?",
        "Kerja kontrak {sapa}, 6 bulan di {pt}",
    ],
    "wirausaha": [
        "I run a small {usaha} in {kota} now {emo}",
        "self employed {sapa}, {usaha} at home",
        "I sell {jual} online {sapa}",
        "Wirausaha {sapa}. {usaha} di rumah",
        "STATUS: WIRAUSAHA, {usaha}",
        "WIRASWASTA {sapa}, JUAL {jual}",
        "wirasuaha {sapa}, {usaha} kecil2an",
        "usha sendiri {sapa}, {usaha}",
        "dulu kerja di {pt}, sekarang buka {usaha} sendiri",
        "sempat jadi {posisi} di {pt}, skrg usaha {usaha} di rumah",
        "petani {sapa}, garap kebun cengkeh di kampung",
        "garap sawah orang tua di {kota} {sapa}",
        "nelayan {sapa}, melaut tiap hari {emo}",
        "ternak sapi sama kambing di kampung {sapa}",
        "budidaya rumput laut di {kota} {sapa}",
        "tanam sayur di lahan sendiri {sapa}, dijual ke pasar",
        "ngojol {sapa}, pagi sampai malam {emo}",
        "driver grab {sapa} di {kota}",
        "ojek online sy {sapa}",
        "terima jahitan di rumah {sapa}, baju dan kebaya",
        "jahit baju di rumah {sapa}, pesanan tetangga",
        "buat {jual} sendiri terus dijual di pasar {sapa}",
        "jasa servis HP panggilan {sapa}, kalau ada yg perlu hubungi sy",
        "freelance desain grafis {sapa}, klien sendiri",
        "reseller {jual} lewat WA {sapa}",
        "buka lapak {jual} di pasar {kota} {sapa}",
        "Sy tdk ikut org {sapa}, usaha {usaha} sendiri",
        "Istri sy kerja di {pt}, sy sendiri buka {usaha}",
    ],
    "mencari": [
        "Not yet {sapa}, still looking {emo}",
        "still looking for a job {sapa}",
        "I'm unemployed right now, looking for work in {kota}",
        "no job yet, still sending applications {emo}",
        "blm {sapa}, msh nyari {emo}",
        "belum {sapa}, masih cari2",
        "blm kerja, lg cari {sapa}",
        "ga ada kerjaan {sapa}, msh cari",
        "Mencari kerja {sapa}. Siap ditempatkan di mana saja",
        "Status: mencari kerja {sapa}",
        "MASIH NGANGGUR {sapa}, ADA LOKER KAH?",
        "SAYA BELUM KERJA {sapa}. ADA INFO LOWONGAN {posisi}?",
        "PAK ADA LOWONGAN {posisi}? SAYA MASIH CARI KERJA",
        "KALAU ADA LOKER DI {kota} TOLONG INFO, SAYA BELUM DAPAT KERJA",
        "dulu kerja di {pt}, tp kontrak habis. skrg cari kerja lagi",
        "sempat jadi {posisi} di {pt}, sekarang resign dan lagi cari yg baru",
        "sdh melamar di {pt}, tunggu panggilan {sapa}",
        "sdh kirim CV ke bbrp perusahaan, blm ada kabar {emo}",
        "masih nyari krja {sapa}, doakan {emo}",
        "msih mncari pekerjaan {sapa}",
        "menganggur {sapa}, kalau ada info kerja tolong kabari",
        "adik sy sdh kuliah, sy sendiri masih cari kerja {sapa}",
        "Belum dapat kerja {sapa}, tiap hari cek loker",
    ],
    "belum_memungkinkan": [
        "Not working for now, I'm taking care of my baby {emo}",
        "I'm pregnant so not working yet {sapa}",
        "Belum memungkinkan bekerja {sapa}, masih {sebab}",
        "Status: belum memungkinkan bekerja, {sebab}",
        "IBU RUMAH TANGGA {sapa}",
        "irt {sapa}, urus anak di rumah {emo}",
        "dulu kerja di {pt}, tp skrg berhenti krn {sebab}",
        "resign dari {pt} krn hamil {sapa}, skrg di rumah",
        "sakit {sapa}, belum bisa kerja {emo}",
        "masih pemulihan habis kecelakaan, nanti kalau sembuh baru cari kerja",
        "tdk cari kerja dulu {sapa}, urus orang tua yg sakit",
        "fokus urus keluarga dulu {sapa}, blm kepikiran kerja",
        "Saya ibu rumah tangga sekarang. Suami saya yg kerja {sapa}",
    ],
    "studi": [
        "I'm studying at {kampus} now {sapa}",
        "in college now, {kampus} {emo}",
        "Kuliah {sapa}, di {kampus}",
        "Status: studi, kuliah di {kampus}",
        "KULIAH {sapa}. {kampus} SEMESTER 3",
        "Studi {sapa}. lanjut S1 di {kampus}",
        "mahasiswa {kampus} {sapa} {emo}",
        "dulu kerja di {pt}, sekarang berhenti krn lanjut kuliah di {kampus}",
        "sempat nganggur, skrg kuliah di {kampus}",
        "kulia {sapa}, smt 5 di {kampus}",
        "lg kuliah {sapa}, blm kerja dulu",
        "masih sekolah {sapa}, kls 12 SMK",
        "Kakak sy sdh kerja, sy sendiri lanjut kuliah di {kampus}",
    ],
    "menolak": [
        "I don't want to take part in this survey {sapa}",
        "please remove my number {sapa}",
        "TIDAK BERSEDIA {sapa}",
        "tdk usah tanya2 sy lg {sapa}",
        "sy keberatan data sy dipakai {sapa}",
        "tolong jgn chat sy lagi soal survei",
    ],
    "obrolan": [
        "thank you {sapa} {emo}",
        "good morning everyone {emo}",
        "ok noted {sapa}",
        "congrats bro {emo}",
        "TERIMA KASIH {sapa} {emo}",
        "selamat ya yg sudah diterima kerja {emo}",
        "semangat buat teman2 yg masih nyari kerja {emo}",
        "Maaf salah kirim {sapa}",
        "siap {sapa}, nanti sy sampaikan ke teman2",
        "<Media tidak disertakan>",
        "[stiker]",
    ],
    "pertanyaan": [
        "is this survey from the ministry {sapa}?",
        "how do I get my certificate {sapa}?",
        "Bu, orang yg kerja harian masuknya bekerja atau wirausaha?",
        "ADA PELATIHAN LAGI KAH {sapa}?",
        "Min, lowongan di {pt} masih buka kah?",
        "kalau sudah kerja isi formnya bagaimana {sapa}?",
    ],
    "lowongan": [
        "We are hiring: {posisi} for {pt}, send your CV",
        "Vacancy: {posisi} in {kota}, DM if interested",
        "DICARI {posisi} UNTUK {usaha} DI {kota}. HUB 0812xxxx",
        "Bantu share: {usaha} di {kota} butuh {posisi} 2 orang",
    ],
    "pengumuman": [
        "Reminder: please fill in the tracer study form {sapa}",
        "Undangan: pertemuan alumni hari sabtu di aula BPVP",
        "Hati-hati penipuan mengatasnamakan BPVP, kami tidak memungut biaya",
    ],
    "orang_lain": [
        "Adik saya sudah kerja di {pt} {sapa}",
        "adik sy msh cari kerja {sapa}, kalau ada loker kabari ya",
        "Suami saya yg alumni {sapa}, skrg dia kerja di {pt}",
        "Anak saya sekarang kuliah di {kampus} {sapa}",
        "istri sy lagi hamil {sapa}, jadi dia belum bisa kerja",
        "teman saya buka {usaha} di {kota} {sapa}",
        "My brother works at {pt} now {sapa}",
        "my wife is the alumni, she is a housewife now",
        "Dia sudah kerja di {pt} {sapa}, sy temannya",
        "Kakak sy yg ikut pelatihan itu skrg jadi {posisi} di {pt}",
        "Ponakan sy sudah diterima di {pt} {emo}",
        "Teman sekelas sy si Andi skrg ngojol di {kota}",
    ],
}
for _label, _more in WORDING_SEEDS.items():
    SEEDS[_label] = SEEDS.get(_label, []) + _more


def _fill(template: str, rng: random.Random) -> str:
    def repl(m):
        return rng.choice(SLOTS[m.group(1)])

    text = re.sub(r"\{(\w+)\}", repl, template)
    return re.sub(r"\s+([,.?!])", r"\1", " ".join(text.split()))


# Ways of writing on a phone: word -> spellings seen in groups.
SPELLINGS = {
    "sudah": ["sdh", "udh", "udah", "sudh", "dah", "sudah"],
    "belum": ["blm", "blum", "belom", "belum"],
    "kerja": ["krja", "kerja", "kerj", "krj"],
    "sekarang": ["skrg", "skrng", "skg", "sekarang"],
    "saya": ["sy", "sa", "aku", "saya"],
    "yang": ["yg", "yang"],
    "tidak": ["tdk", "gak", "nda", "ndak", "tida", "ga"],
    "terima kasih": ["makasih", "trims", "tq", "terimakasih", "trimakasih"],
    "dengan": ["dgn", "dengan"],
    "lagi": ["lg", "lagi"],
    "masih": ["msh", "masih"],
    "kuliah": ["kuliah", "kulia"],
    "alhamdulillah": ["alhamdulilah", "alhamdulillah", "Alhamdulillah", "hamdalah"],
    "pak": ["pa", "pak", "bapak"],
    "kak": ["ka", "kk", "kak"],
}
PARTICLES = ["mi", "ji", "pi", "ki", "kodong", "toh", "dih"]


def _perturb(text: str, rng: random.Random) -> str:
    if rng.random() < 0.5:
        for word, ways in SPELLINGS.items():
            if word in text.lower() and rng.random() < 0.6:
                text = re.sub(rf"\b{word}\b", rng.choice(ways), text, count=1, flags=re.I)
    if rng.random() < 0.35:
        text = text.lower()
    elif rng.random() < 0.08:
        text = text.upper()  # caps lock, as some alumni write
    if rng.random() < 0.25:
        words = text.split()
        i = rng.randrange(len(words))
        w = words[i]
        if len(w) > 4 and w.isalpha():
            j = rng.randrange(1, len(w) - 1)
            kind = rng.random()
            if kind < 0.4:
                w = w[:j] + w[j + 1:]  # a dropped letter
            elif kind < 0.7:
                w = w[:j] + w[j + 1] + w[j] + w[j + 2:]  # two letters swapped
            else:
                w = w + w[-1] * rng.randint(1, 3)  # a drawn-out ending
            words[i] = w
            text = " ".join(words)
    if rng.random() < 0.15:
        text = text.rstrip(".!?") + " " + rng.choice(PARTICLES)
    if rng.random() < 0.15:
        text = text.rstrip() + rng.choice(["..", "!!", "...", " 🙏", " 😊", " hehe"])
    if rng.random() < 0.1:
        text = text.replace(",", "")
    return " ".join(text.split())


def _family_id(label: str, template: str) -> str:
    return f"{label}-{hashlib.sha1(template.encode()).hexdigest()[:8]}"


def build() -> list[dict]:
    rows: list[dict] = []
    seen: set[str] = set()
    for label, templates in SEEDS.items():
        rng = random.Random(f"{SEED}-split-{label}")
        families = [_family_id(label, t) for t in templates]
        order = sorted(families)
        rng.shuffle(order)
        test = set(order[: max(1, round(len(order) * TEST_SHARE))])
        for template, fam in zip(templates, families):
            frng = random.Random(f"{SEED}-{fam}")
            n_slots = len(re.findall(r"\{\w+\}", template))
            wanted = VARIANTS if n_slots else 4
            made = 0
            for attempt in range(wanted * 6):
                if made >= wanted:
                    break
                text = _fill(template, frng)
                if attempt:  # the first reply of a family is the seed as written
                    text = _perturb(text, frng)
                key = text.casefold()
                if not text or key in seen:
                    continue
                seen.add(key)
                rows.append({"text": text, "label": label, "family": fam,
                             "split": "uji" if fam in test else "latih"})
                made += 1
    return rows


def main() -> None:
    rows = build()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with open(OUT, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=["text", "label", "family", "split"],
                                lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    test = sum(r["split"] == "uji" for r in rows)
    print(f"ditulis: {OUT.relative_to(ROOT)} ({len(rows)} pesan, {test} uji, "
          f"{len({r['family'] for r in rows})} keluarga pola)")


if __name__ == "__main__":
    main()
