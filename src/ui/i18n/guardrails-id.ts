/** Guardrails in the field (issue 8): why the kiosk takes no new application (part of `id.ts`, under `guardrails`). */
export const guardrailsId = {
  heading: 'Kios berhenti menerima permohonan baru',
  intro:
    'Permohonan yang sudah tersimpan tetap aman dan tetap dikirim ke server. Permohonan baru dapat diterima lagi dengan sendirinya setelah hal berikut diselesaikan:',
  reasons: {
    'too-many-unsynced':
      '{{ unsynced }} permohonan belum terkirim ke server (batas {{ max }}). Sambungkan kios ke jaringan dan tekan "Sinkronkan sekarang" di Antrean Sinkronisasi. Permohonan yang menunggu petugas harus diputuskan dulu di mode petugas.',
    'oldest-too-old':
      'Permohonan tertua sudah {{ days }} hari belum terkirim ke server (batas {{ maxDays }} hari). Sambungkan kios ke jaringan dan tekan "Sinkronkan sekarang" di Antrean Sinkronisasi. Permohonan yang menunggu petugas harus diputuskan dulu di mode petugas.',
    'storage-nearly-full':
      'Ruang penyimpanan kios hampir habis: permohonan baru bisa gagal disimpan. Sinkronkan antrean bila daring, lalu minta petugas TI mengosongkan ruang di perangkat ini.',
    'software-outdated':
      'Aplikasi kios ini versi {{ kioskVersion }}, sedangkan server hanya menerima versi {{ minimumVersion }} atau lebih baru. Sambungkan kios ke jaringan, tekan "Periksa versi baru", lalu "Perbarui sekarang" saat pemberitahuan versi baru muncul. Bila tidak muncul, hubungi petugas TI.',
    'no-archive-key':
      'Kios belum pernah tersambung ke server, sehingga belum memiliki kunci arsip RA untuk mengenkripsi data pemohon. Sambungkan kios ke jaringan sekali; permohonan baru dapat diterima setelah kunci diterima. Bila tetap muncul, hubungi petugas TI.',
  },
  openOutbox: 'Buka Antrean Sinkronisasi',
  checkUpdate: 'Periksa versi baru',
  checkingUpdate: 'Memeriksa versi baru…',
  finishCurrent:
    'Permohonan yang sedang diisi tetap dapat diselesaikan dan disimpan. Setelah itu kios tidak menerima permohonan baru sampai masalah di Antrean Sinkronisasi selesai.',
  outboxHeading: 'Permohonan baru sedang dihentikan',
};
