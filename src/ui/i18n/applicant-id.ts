/**
 * The applicant's steps at the counter (category, mobile number, papers, signature specimen,
 * obligations and agreement, what is still missing, the receipt), mounted under `applicant`.
 * The obligations and the agreement follow Peraturan Walikota Madiun Nomor 30 Tahun 2019.
 */
export const applicantId = {
  category: {
    legend: 'Kategori pemohon (Pasal 10 ayat 2)',
    hint: 'Walikota dan Wakil Walikota, atau ASN yang bertugas di Lingkungan Pemerintah Kota Madiun.',
    options: {
      pns: 'PNS',
      pppk: 'PPPK',
      pejabat: 'Pejabat: Walikota / Wakil Walikota',
    },
    details: {
      pns: 'Pegawai Negeri Sipil; NIP wajib diisi.',
      pppk: 'Pegawai Pemerintah dengan Perjanjian Kerja; NIP wajib diisi.',
      pejabat: 'Walikota atau Wakil Walikota; NIP tidak wajib.',
    },
  },
  mobile: {
    label: 'Nomor ponsel',
    hint: 'Nomor ponsel aktif milik pemohon, mis. 0812-3456-7890.',
  },
  papers: {
    heading: 'Dokumen persyaratan (Pasal 10 ayat 3 dan 4)',
    intro:
      'Foto setiap surat dengan kamera kios, atau pilih berkas hasil pindaian: PDF, JPEG atau PNG, paling besar {{ max }} per dokumen. Surat yang terdiri atas beberapa halaman: foto setiap halamannya; semua halaman digabung menjadi satu PDF di kios ini.',
    kinds: {
      'surat-pengantar': 'Surat pengantar dari Pimpinan Perangkat Daerah',
      'surat-rekomendasi': 'Surat rekomendasi permohonan dari atasan',
      'sk-pengangkatan': 'SK pengangkatan dalam jabatan terakhir',
      'surat-penunjukan-wewenang': 'Surat penunjukan wewenang',
    },
    basis: {
      'surat-pengantar': 'Pasal 10 ayat (3) huruf a',
      'surat-rekomendasi': 'Pasal 10 ayat (3) huruf b',
      'sk-pengangkatan': 'Pasal 10 ayat (4) huruf c',
      'surat-penunjukan-wewenang': 'Pasal 10 ayat (4) huruf c',
    },
    camera: 'Foto dengan kamera',
    cameraLabel: 'Foto dengan kamera: {{ name }}',
    chooseFile: 'Pilih berkas',
    chooseFileLabel: 'Pilih berkas: {{ name }}',
    addPage: 'Tambah halaman',
    addPageLabel: 'Tambah halaman: {{ name }}',
    replace: 'Ganti berkas',
    replaceLabel: 'Ganti berkas: {{ name }}',
    removeAll: 'Hapus dokumen',
    removeAllLabel: 'Hapus dokumen: {{ name }}',
    removePage: 'Hapus',
    removePageLabel: 'Hapus halaman {{ page }} dari {{ name }}',
    pageThumbnail: 'Halaman {{ page }} dari {{ name }}',
    pdfPart: 'PDF, {{ count }} halaman',
    attached: 'Terlampir: {{ pages }} halaman, {{ size }}',
    notAttached: 'Belum dilampirkan.',
    preparing: 'Menyiapkan halaman…',
    combining: 'Menggabungkan {{ pages }} halaman menjadi satu PDF…',
    problems: {
      'unsupported-type': '{{ file }}: format tidak didukung. Gunakan PDF, JPEG atau PNG.',
      empty: '{{ file }}: berkas kosong.',
      unreadable: '{{ file }}: berkas rusak atau tidak dapat dibaca.',
      'pdf-locked':
        '{{ file }}: PDF ini dikunci dengan kata sandi sehingga tidak dapat digabung dengan halaman lain. Pindai ulang tanpa kata sandi.',
      'too-large':
        'Dokumen ini {{ size }}, melebihi batas {{ max }}. Hapus halaman yang tidak perlu, atau foto ulang dengan kertas memenuhi bingkai.',
      'combine-failed':
        'Halaman-halaman tidak dapat digabung menjadi satu PDF. Hapus dokumen lalu coba lagi.',
    },
    totalTooLarge: 'Semua berkas permohonan bersama {{ size }}, melebihi batas {{ max }}.',
  },
  paperCamera: {
    heading: 'Kamera dokumen',
    guide: 'Letakkan satu halaman surat di dalam bingkai, mendatar, terang dan tidak terlipat.',
    starting: 'Menyalakan kamera…',
    tooDark: 'Terlalu gelap: tambah cahaya.',
    tooBright: 'Terlalu terang atau memantul: ubah sedikit sudut kertasnya.',
    blurred: 'Gambar buram: tahan kamera dan kertas tetap diam.',
    good: 'Gambar bagus, silakan ambil foto.',
    capture: 'Ambil foto halaman',
    taken: '{{ count }} halaman sudah difoto. Foto halaman berikutnya, atau tekan Selesai.',
    done: 'Selesai',
    denied:
      'Kamera tidak dapat dipakai (izin ditolak atau tidak ada kamera). Pilih berkas hasil pindaian sebagai gantinya.',
  },
  signature: {
    heading: 'Spesimen tanda tangan',
    intro:
      'Bubuhkan tanda tangan Anda seperti biasa, dengan jari atau stylus, di dalam kotak. Spesimen ini dikirim bersama permohonan sebagai contoh tanda tangan Anda.',
    padLabel: 'Kotak tanda tangan: gambar tanda tangan Anda dengan jari atau stylus',
    undo: 'Batalkan goresan terakhir',
    clear: 'Hapus',
    save: 'Simpan tanda tangan',
    saving: 'Menyimpan tanda tangan…',
    saved: 'Spesimen tanda tangan tersimpan.',
    redo: 'Ulangi tanda tangan',
    preview: 'Spesimen tanda tangan yang tersimpan',
    empty: 'Kotak masih kosong: bubuhkan tanda tangan Anda dahulu.',
    tooSmall: 'Tanda tangan terlalu kecil: bubuhkan tanda tangan dengan ukuran biasa di dalam kotak.',
    failed: 'Tanda tangan tidak dapat disimpan. Coba lagi.',
  },
  obligations: {
    heading: 'Kewajiban Pemilik Sertifikat Elektronik (Pasal 16 dan 17)',
    intro: 'Menurut Peraturan Walikota Madiun Nomor 30 Tahun 2019:',
    pasal16: 'Pasal 16',
    pasal16Items: {
      '1': 'Pengguna atau Pemilik Sertifikat Elektronik wajib memenuhi persyaratan dan kriteria dalam melindungi Kunci Privat serta menyetujui ketentuan penggunaan Sertifikat Elektronik sebelum Sertifikat Elektronik diterbitkan.',
      '2': 'Pengguna atau Pemilik Sertifikat Elektronik bertanggung jawab terhadap pengelolaan Pasangan Kunci Kriptografi dan telah menyetujui untuk menggunakan Kunci Kriptografi dan Sertifikat Elektronik sesuai dengan kebijakan Balai Sertifikasi Elektronik.',
    },
    pasal17: 'Pasal 17: Pengguna atau Pemilik Sertifikat Elektronik memiliki kewajiban sebagai berikut:',
    pasal17Items: {
      a: 'memastikan kebenaran semua data/informasi yang diberikan kepada Otoritas Pendaftaran;',
      b: 'melindungi Sertifikat Elektronik agar tidak digunakan oleh pihak lain;',
      c: 'tidak menyerahkan penggunaan Sertifikat Elektronik kepada pihak lain;',
      d: 'melindungi kerahasiaan Kunci Privat, passphrase atau hal lain yang digunakan untuk mengaktifkan Kunci Privat;',
      e: 'tidak mengubah, tidak mengganggu atau melakukan reverse engineering dan tidak membocorkan sistem layanan keamanan yang disediakan oleh penyelenggara Sertifikat Elektronik; dan',
      f: 'bertanggung jawab atas penggunaan, penyimpanan, pembaruan dan pemusnahan Sertifikat Elektronik dan Kunci Privat.',
    },
    accept: 'Saya telah membaca kewajiban di atas dan akan memenuhinya.',
  },
  agreement: {
    heading: 'Perjanjian Pemilik Sertifikat Elektronik (Pasal 13 ayat 5)',
    /** The version of the text below; it must equal `agreement.version` in config/kiosk.json. */
    textVersion: '2026-01',
    version: 'Versi {{ version }}',
    intro:
      'Dengan mengajukan permohonan ini, saya sebagai pemohon dan calon Pemilik Sertifikat Elektronik menyetujui ketentuan berikut:',
    clauses: {
      '1': 'Semua data dan dokumen yang saya berikan kepada Otoritas Pendaftaran, Dinas Komunikasi dan Informatika Kota Madiun, adalah benar, milik saya sendiri dan masih berlaku (Pasal 17 huruf a).',
      '2': 'Saya mengajukan permohonan ini sendiri dan tidak mewakilkannya kepada pihak lain. Pasangan kunci dibuat di kios ini di hadapan saya, dan passphrase hanya saya yang mengetahuinya (Pasal 13 ayat 4).',
      '3': 'Otoritas Pendaftaran memverifikasi permohonan dan dapat menolaknya dengan alasan bila data tidak lengkap atau tidak sesuai dengan persyaratan. Hanya permohonan yang lengkap dan terverifikasi diteruskan ke Balai Sertifikasi Elektronik (BSrE) Badan Siber dan Sandi Negara, yang menerbitkan Sertifikat Elektronik (Pasal 11, Pasal 13 ayat 1 sampai 3, Pasal 20 ayat 2).',
      '4': 'Sertifikat Elektronik saya gunakan hanya selama dan untuk tugas kedinasan di Lingkungan Pemerintah Kota Madiun: tanda tangan elektronik, perlindungan e-mail dan perlindungan dokumen elektronik, sesuai dengan kebijakan BSrE (Pasal 7 ayat 2 dan 5, Pasal 8, Pasal 16 ayat 2).',
      '5': 'Data pribadi saya, termasuk gambar e-KTP dan spesimen tanda tangan, diproses oleh Dinas Komunikasi dan Informatika untuk penerbitan Sertifikat Elektronik, diteruskan ke BSrE, dan diarsipkan secara aman (Pasal 11 ayat 4).',
      '6': 'Bila Kunci Privat dan Sertifikat Elektronik saya hilang, rusak atau tidak dapat diakses, saya segera melapor kepada Otoritas Pendaftaran dengan laporan kepada pihak yang berwenang dan surat keterangan yang saya tanda tangani dan diketahui atasan, lalu mengajukan permohonan penerbitan kembali (Pasal 15 ayat 2 dan 3).',
      '7': 'Sertifikat Elektronik dapat dicabut oleh BSrE berdasarkan evaluasi BSrE dan/atau Otoritas Pendaftaran, atau atas permintaan saya (Pasal 15 ayat 1).',
      '8': 'Sebelum masa berlaku Sertifikat Elektronik habis, saya mengajukan pembaruan kepada Otoritas Pendaftaran (Pasal 14 ayat 2).',
      '9': 'Permasalahan otentikasi, keaslian data atau penyangkalan dalam penggunaan Sertifikat Elektronik saya laporkan kepada Dinas Komunikasi dan Informatika (Pasal 22 ayat 1).',
      '10': 'Sertifikat Elektronik diserahkan kepada saya secara langsung dengan bukti tanda terima (Pasal 13 ayat 6).',
    },
    accept: 'Saya menyetujui Perjanjian Pemilik Sertifikat Elektronik versi {{ version }}.',
    mismatch:
      'Teks perjanjian di kios ini (versi {{ text }}) berbeda dengan versi yang berlaku ({{ current }}). Permohonan belum dapat diajukan; hubungi petugas TI.',
  },
  missing: {
    heading: 'Yang masih harus dilengkapi (Pasal 20 ayat 2):',
    why: 'Tombol simpan aktif setelah semua persyaratan di atas lengkap.',
    complete: 'Semua persyaratan sudah lengkap.',
    category: 'Pilih kategori pemohon (PNS, PPPK atau pejabat).',
    nip: {
      required: 'Isi NIP (wajib untuk PNS dan PPPK).',
      'wrong-kind': 'NIP ini bukan NIP {{ category }}: periksa NIP atau kategori pemohon.',
    },
    mobile: {
      required: 'Isi nomor ponsel.',
      'not-digits': 'Nomor ponsel hanya berisi angka (boleh diawali +).',
      'not-mobile': 'Isi nomor ponsel Indonesia, diawali 08 atau +628.',
      'wrong-length': 'Nomor ponsel harus 10 sampai 13 digit bila diawali 08.',
    },
    perangkatDaerah: 'Perangkat Daerah tidak ada dalam daftar: pilih dari daftar.',
    ektpScan: {
      missing: 'Unggah foto atau pindaian e-KTP.',
      empty: 'Berkas e-KTP kosong: foto atau pindai ulang.',
      'wrong-type': 'Gambar e-KTP harus JPEG, PNG atau WebP.',
      'too-large': 'Gambar e-KTP terlalu besar (maksimal {{ max }}).',
    },
    attachment: {
      missing: 'Lampirkan {{ name }}.',
      empty: '{{ name }}: berkas kosong.',
      'wrong-type': '{{ name }}: format tidak didukung (PDF, JPEG atau PNG).',
      'too-large': '{{ name }} terlalu besar (maksimal {{ max }}).',
    },
    signatureSpecimen: 'Bubuhkan dan simpan spesimen tanda tangan.',
    obligations: 'Baca kewajiban pemilik sertifikat (Pasal 16 dan 17) lalu centang pernyataannya.',
    agreement: {
      'not-accepted': 'Baca Perjanjian Pemilik Sertifikat Elektronik lalu centang persetujuannya.',
      outdated: 'Perjanjian yang disetujui sudah tidak berlaku: baca dan setujui versi {{ version }}.',
    },
    key: 'Pasangan kunci belum dibuat.',
    reading: 'Tunggu sampai e-KTP selesai dibaca.',
    preparingPapers: 'Tunggu sampai dokumen selesai disiapkan.',
    totalTooLarge: 'Semua berkas bersama terlalu besar (maksimal {{ max }}): kurangi halaman dokumen.',
  },
  receipt: {
    newApplication: 'Permohonan baru',
  },
  incomplete: 'Permohonan belum lengkap; periksa daftar persyaratan.',
};
