/** The end-of-day release's messages in Bahasa Indonesia (part of `id.ts`, under `release`). */
export const releaseId = {
  heading: 'Rilis akhir hari',
  intro:
    'Petugas kedua memeriksa permohonan yang sudah disetujui, lalu merilisnya ke CA. Permohonan yang Anda setujui sendiri harus dirilis oleh petugas lain (aturan dua orang).',
  ruleOff: 'Aturan dua orang tidak berlaku di kios ini: petugas yang menyetujui boleh merilis sendiri.',
  loading: 'Memuat permohonan yang disetujui…',
  empty: 'Tidak ada permohonan disetujui yang menunggu rilis.',
  today: 'Hari ini, {{ date }}',
  dayCount: '{{ count }} permohonan',
  selectAll: 'Pilih semua',
  selectNone: 'Kosongkan pilihan',
  selected: '{{ count }} dipilih dari {{ total }} yang dapat dirilis',
  submit: 'Rilis ke CA ({{ count }})',
  decided: 'Disetujui {{ time }}',
  decidedBy: 'Disetujui oleh {{ nama }}, {{ time }}',
  blocked: {
    'self-release':
      'Anda sendiri yang menyetujui permohonan ini. Rilis harus dilakukan oleh petugas kedua (aturan dua orang).',
    'not-synced': 'Belum tersinkron ke server. Sinkronkan dahulu, baru dapat dirilis.',
  },
  syncNow: 'Sinkronkan sekarang',
  syncing: 'Menyinkronkan permohonan ke server…',
  syncFailed: 'Sinkronisasi belum berhasil. Periksa jaringan atau antrean sinkronisasi, lalu coba lagi.',
  offline: 'Kios sedang luring. Rilis ke CA memerlukan koneksi ke server; coba lagi saat daring.',
  working: 'Menandatangani dan mengirim rilis ke server… Mohon tunggu.',
  resultsHeading: 'Hasil rilis',
  resultsSummary: '{{ released }} dirilis, {{ other }} tidak dirilis.',
  outcomes: {
    released: 'Dirilis ke CA.',
    refused: {
      'self-release': 'Ditolak: Anda sendiri yang menyetujui permohonan ini (aturan dua orang).',
      'not-approved': 'Ditolak: permohonan ini tidak berstatus disetujui.',
      'unknown-application': 'Ditolak: server belum mengenal permohonan ini. Sinkronkan dahulu.',
      'already-released': 'Sudah dirilis sebelumnya.',
      other: 'Ditolak server ({{ code }}).',
    },
    'not-sent': {
      offline: 'Belum terkirim: koneksi ke server terputus. Coba lagi saat daring.',
      'not-enrolled': 'Belum terkirim: server tidak mengenali kios ini.',
      server: 'Belum terkirim: server sedang bermasalah. Coba lagi sebentar lagi.',
    },
  },
  problems: {
    offline: 'Server tidak dapat dihubungi. Rilis ke CA memerlukan koneksi; tidak ada yang dirilis.',
    'not-enrolled':
      'Server tidak mengenali kios ini, atau kunci petugas dibuat sebelum kios didaftarkan ulang. Daftarkan ulang kios atau petugas.',
    server: 'Server sedang bermasalah; tidak ada yang dirilis. Coba lagi sebentar lagi.{{ suffix }}',
    'nothing-to-release': 'Pilih minimal satu permohonan untuk dirilis.',
    unexpected: 'Terjadi kesalahan tak terduga; rilis belum tentu terkirim. Muat ulang daftar dan coba lagi.',
  },
};
