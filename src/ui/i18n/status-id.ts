/** The applicant's status page (part of `id.ts`, under `status`). */
export const statusId = {
  heading: 'Status permohonan',
  intro: 'Ketik nomor permohonan yang tertera pada tanda terima, lalu tekan "Lihat status".',
  number: 'Nomor permohonan',
  numberHint: 'Tertera pada tanda terima, mis. SK-7F3A-92KD-X4M. Huruf besar atau kecil sama saja.',
  lookUp: 'Lihat status',
  looking: 'Mencari permohonan…',
  done: 'Selesai',
  notFound:
    'Tidak ada permohonan bernomor {{ number }} di kios ini. Periksa kembali nomor pada tanda terima, atau tanyakan kepada petugas.',
  failed: 'Status tidak dapat dibaca saat ini. Coba lagi, atau tanyakan kepada petugas.',
  problems: {
    empty: 'Ketik nomor permohonan dari tanda terima.',
    'wrong-length':
      'Nomor permohonan terdiri dari SK lalu 11 huruf dan angka (SK-XXXX-XXXX-XXX). Periksa apakah ada yang terlewat atau berlebih.',
    'bad-character':
      'Nomor permohonan memuat huruf atau tanda yang tidak dipakai. Periksa kembali nomor pada tanda terima.',
    'wrong-check':
      'Nomor ini tidak cocok dengan huruf pemeriksanya (huruf terakhir): kemungkinan ada yang salah ketik. Periksa kembali nomor pada tanda terima.',
  },
  view: {
    heading: 'Permohonan {{ number }}',
    number: 'Nomor permohonan',
    type: 'Jenis sertifikat',
    perangkatDaerah: 'Perangkat Daerah',
    nama: 'Nama',
    submittedAt: 'Diajukan',
    handedOverAt: 'Diserahkan',
    stage: 'Status',
    next: 'Langkah berikutnya',
    reasonsHeading: 'Alasan penolakan oleh petugas',
    noteHeading: 'Catatan petugas',
    caReason: 'Alasan BSrE: {{ reason }}',
  },
  stages: {
    held: {
      label: 'Menunggu pemeriksaan petugas',
      next: 'Petugas Diskominfo memeriksa data dan berkas Anda di loket. Tunggu sampai dipanggil.',
    },
    approved: {
      label: 'Disetujui petugas',
      next: 'Permohonan dikirim ke server lalu diteruskan ke BSrE. Anda tidak perlu melakukan apa pun sekarang.',
    },
    rejected: {
      label: 'Ditolak petugas',
      next: 'Baca alasan penolakan di bawah. Lengkapi atau perbaiki data dan berkas, lalu ajukan permohonan baru.',
    },
    'no-decision': {
      label: 'Menunggu keputusan petugas',
      next: 'Permohonan sudah dikirim tetapi belum diputuskan petugas. Tanyakan kepada petugas di loket.',
    },
    'refused-by-server': {
      label: 'Tidak dapat diproses server',
      next: 'Tanyakan kepada petugas di loket; permohonan mungkin perlu diajukan ulang.',
    },
    'sent-to-ca': {
      label: 'Sedang diproses BSrE',
      next: 'Tunggu sampai sertifikat terbit. Lihat kembali status ini nanti.',
    },
    issued: {
      label: 'Sertifikat sudah terbit',
      next: 'Datang ke loket dengan e-KTP dan tanda terima. Anda akan mengetik frasa sandi Anda sendiri saat penyerahan.',
    },
    'ca-rejected': {
      label: 'Ditolak BSrE',
      next: 'Baca alasan di bawah, lalu tanyakan kepada petugas langkah selanjutnya.',
    },
    'handed-over': {
      label: 'Sertifikat sudah diserahkan',
      next: 'Tidak ada langkah lagi. Jaga kerahasiaan frasa sandi dan kunci privat Anda (Pasal 16-17).',
    },
  },
};
