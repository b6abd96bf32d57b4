"""Issue 15, third round: whose status a clause gives (wa_subject.subject_of), and the words
the model reads marked by clause (Reading.marked)."""

from __future__ import annotations

import pytest

from kebekerjaan.steps.answers.model import word_text
from kebekerjaan.steps.answers.wa_rules import read


def statuses(text):
    r = read(text)
    return sorted({h.rule.status for h in r.hits}), sorted({h.rule.status for h in r.others})


@pytest.mark.parametrize("text, want", [
    # The sender bringing someone's news: that person's status, not the sender's.
    ("Saya mau kabarkan teman saya Rudi sudah kerja di bengkel Honda", ([], ["bekerja"])),
    ("Saya sampaikan bahwa anak saya sudah bekerja di PT Antam", ([], ["bekerja"])),
    ("saya punya adik sudah kerja di Morosi", ([], ["bekerja"])),
    # ... but the sender's own news stays theirs.
    ("Saya sampaikan, saya sudah kerja di hotel", (["bekerja"], [])),
    # A relative after "mengurus", "dengan": the object, not who works.
    ("sambil mengurus anak saya terima jahitan di rumah", (["belum_memungkinkan", "wirausaha"], [])),
    ("buka warung makan dengan suami saya", (["wirausaha"], [])),
    # English: "studying" without "I" is not the sender's.
    ("My son is studying in Makassar now", ([], [])),
    # Someone told by a given name opening the clause, after a title, "itu", "si".
    ("Info saja pak, Dedi alumni TIK sudah diterima honorer di Bappeda", ([], ["bekerja"])),
    ("Pak, itu Dimas masih cari kerja", ([], ["mencari"])),
    ("La Ode Hamid yg dari otomotif sdh buka bengkel sendiri", ([], ["wirausaha"])),
    ("Saya titip kabar: Andi teman sekamar dulu sdh lulus PPPK", ([], ["bekerja"])),
    # ... but a name then a vocation, or a filled-in form, is the sender answering a roll call.
    ("Asrul otomotif 2023 blm kerja bu msh cari2", (["mencari"], [])),
    ("Nama: Wa Ode Nurhayati Status: Wirausaha, jual kue", (["wirausaha"], [])),
    # A name said to someone (with a comma) is no subject.
    ("Siap Pak Andi, sudah kerja di Morosi", (["bekerja"], [])),
    # A name alone before "skrg/sekarang" (which opens a new clause) is the subject of it.
    ("Hendra skrg jualan bakso keliling di Baruga", ([], ["wirausaha"])),
    # The people of "teman satu kos saya", "kakak ipar", "-nya", "yang ... itu", "yang paling".
    ("Teman satu kos saya sudah kerja di PT Antam", ([], ["bekerja"])),
    ("Kakak ipar skrg honorer di kantor camat", ([], ["bekerja"])),
    ("Bapaknya anak2 sudah kerja di kapal", ([], ["bekerja"])),
    ("Yang paling pendiam di kelas las sudah kerja di Morowali", ([], ["bekerja"])),
    ("Ibu yang jualan di kantin BPVP sudah buka warung sendiri", ([], ["wirausaha"])),
    # The sender telling what they heard or saw of someone.
    ("Kemarin sy ketemu Pak Rudi alumni TIK, katanya sudah kerja di bank", ([], ["bekerja"])),
    ("sy dengar dia sudah kuliah di Makassar", ([], ["studi"])),
    # A name not on the list, after a title or before "yang".
    ("Katanya Sampara skrg kerja di kapal tanker", ([], ["bekerja"])),
    ("Bang Iccang sekarang buka kios bensin di kampung", ([], ["wirausaha"])),
    ("Sinarti yg dari kelas garmen sudah buka jahitan sendiri", ([], ["wirausaha"])),
    ("Ternyata Pak Sampara sudah kerja di PT Antam", ([], ["bekerja"])),
    ("tadi sy telp Wa Ramla, katanya sudah kerja di hotel", ([], ["bekerja"])),
    ("Kak, Sinarti yg ikut kursus sama saya sudah kerja di bank", ([], ["bekerja"])),
    # ... not a word the rules know, nor a name said to someone, nor capitals.
    ("SAYA PUNYA SIM B1, MSH MENGANGGUR, ADA LOKER?", (["mencari"], [])),
    ("Sampara sama saya sama2 sudah kerja di Morosi pak", (["bekerja"], [])),
    ("Bu Alhamdulillah sudah kerja di PT Antam", (["bekerja"], [])),
    ("Kak Sampara, sy sudah kerja di PT Antam", (["bekerja"], [])),
    # ... but the sender's own status stays theirs: after "dan", "untuk saya", a relative
    # spoken to ("cerita ke bapak"), and "bareng saya" only after someone named.
    ("Belum dulu pak, istri lagi sakit dan saya yang jaga anak", (["belum_memungkinkan"], [])),
    ("Adik saya sudah kerja di PLN. Untuk saya sendiri masih mencari kerja", (["mencari"], ["bekerja"])),
    ("Dulu sy cerita ke bapak masih kuliah, skrg sdh kerja di bank", (["bekerja"], [])),
    ("Tetangga sy yang ikut pelatihan bareng saya sekarang kerja di PLN", ([], ["bekerja", "studi"])),
    # A class officer is someone else; the same words as one's own job are not.
    ("Sekretaris kelas las angkatan 3 sudah kerja di Morowali", ([], ["bekerja"])),
    ("Bendahara kelas kami sudah buka warung makan", ([], ["wirausaha"])),
    ("Kepala toko di Alfamart sekarang pak, sudah 2 tahun kerja di sana", (["bekerja"], [])),
    # Sixth round: a capitalised word after news brought and a comma is the one it is of;
    # after a plain comma it may be a place, still the sender's.
    ("Kata mamanya, Selvi lagi kuliah keperawatan di Poltekkes Kendari", ([], ["studi"])),
    ("Info dari grup angkatan: Cenning sudah lulus PPPK di Pemkab Konsel", ([], ["bekerja"])),
    ("Iya pak, Morosi sudah 2 tahun kerja di smelter", (["bekerja"], [])),
    # ... "cewek sy", "putri saya": relatives too.
    ("Cewek sy alumni kecantikan kak, skrg kerja di salon Mandonga", ([], ["bekerja"])),
    # A roll call with dashes or slashes is the sender's; someone worked for, after
    # "ikut/bantu", is no subject.
    ("Irfan - Otomotif - NGANGGUR BU, tolong infokan kalau ada lowongan", (["mencari"], [])),
    ("Iwan - blm bisa kerja dulu pak, tangan kanan patah", (["belum_memungkinkan"], [])),
    ("Rahmat di sini pak, alumni Las angkatan 3, sdh diterima di VDNI", (["bekerja"], [])),
    ("Agus Salim / Otomotif / Wiraswasta / bengkel sendiri di Unaaha", (["wirausaha"], [])),
    ("Bantu Pak Lurah di kantor kelurahan, sbg tenaga honor", (["bekerja"], [])),
    # A capitalised word opening the reply that is no word the training replies write
    # in lower case, before "lagi/sudah/jadi/baru ...", is someone named ...
    ("Selvi lagi kuliah di UHO kak, ambil jurusan akuntansi", ([], ["studi"])),
    ("Becce jadi asisten koki di resto seafood Kendari", ([], ["bekerja"])),
    # ... not a word they do write so, nor a verb before "di".
    ("Jujur masih cari kerja kak", (["mencari"], [])),
    ("Ngejahit di rumah kak terima orderan gamis", (["wirausaha"], [])),
    # Seventh round. A common given name in lower case opening the reply is someone
    # named too ...
    ("dewi sdh kerja di apotek Kimia Farma", ([], ["bekerja"])),
    ("yusuf skrg operator loader di Pomalaa", ([], ["bekerja"])),
    ("hamzah buka bengkel las di Tinanggea", ([], ["wirausaha"])),
    # ... unless it answers a roll call.
    ("yusuf hadir bu, msh cari kerja", (["mencari"], [])),
    # ... and the sender beside them keeps their own.
    ("dewi sdh kerja di apotek, sy masih cari kak", (["mencari"], ["bekerja"])),
    # News heard is someone else's: "setahu saya", "infonya", "dengar2", "I heard".
    ("Setahu saya Hamzah sudah buka bengkel di Ranomeeto", ([], ["wirausaha"])),
    ("setau sy dia masih kuliah", ([], ["studi"])),
    ("infonya Marni lagi kuliah di Unsultra", ([], ["studi"])),
    ("I heard Anton is working at a nickel mine now", ([], ["bekerja"])),
    # ... but "setahu saya" about the sender's own case stays theirs.
    ("Setau saya belum ada panggilan kak, masih nunggu", (["mencari"], [])),
    # A village or religious role opening the reply is someone else.
    ("pak kades kami buka usaha ternak ayam", ([], ["wirausaha"])),
])
def test_whose_status_a_reply_gives(text, want):
    """Each status the rules find, the sender's own and someone else's."""
    assert statuses(text) == want


def test_the_model_reads_earlier_states_and_others_news_as_other_words():
    assert word_text("dulu kerja di pabrik, sekarang buka warung").split()[:3] == [
        "p_dulu", "p_kerja", "p_di"]
    assert all(w.startswith("o_") for w in word_text("adik saya sudah kerja di PT Maju").split())
    # Nothing marked when the reply is the sender's present only.
    assert word_text("sudah kerja di PT Maju") == "sudah kerja di pt maju"


@pytest.mark.parametrize("text, aside", [
    # Work spoken of in general, or a case supposed and asked about: no status told.
    ("Kerja di tambang memang enak gajinya tapi jauh dari keluarga", True),
    ("lamar kerja itu kayak cari jodoh", True),
    ("Kerja di kapal itu enak gajinya tapi jauh dari keluarga", True),
    ("Kerja keras bagai kuda tiap hari", True),
    ("Kalau saya kerja di luar daerah, tetap bisa isi survei kah?", True),
    # A message that is one question, even with its question word gone with the
    # particles ("kah") or after "kalau"; and advice on which answer to pick.
    ("Ojol di Kendari rame kah orderannya?", True),
    ("Gaji operator di smelter Morosi brp ya sebulan kalau baru masuk?", True),
    ("Pilih 'belum memungkinkan bekerja' bu 🙏", True),
    # ... while the sender's statement, or a supposed case that is no question, counts.
    ("Masih kerja seperti biasa di bengkel pak", False),
    ("Kerja di tambang itu sudah 2 tahun pak", False),
    ("kerja di PT itu pak, bagian gudang", False),
    ("Kalau saya sekarang sudah kerja di PT Antam pak", False),
    ("Masih cari kerja kak, ada info?", False),
])
def test_work_in_general_and_supposed_cases_are_set_aside(text, aside):
    r = read(text)
    assert r.set_aside == aside
    if not aside:
        assert r.hits
