/** The official e-mail proven at the counter, Pasal 10 (part of `id.ts`, under `email`). */
export const emailId = {
  heading: 'Konfirmasi alamat e-mail',
  intro:
    'Kami mengirim kode 6 angka ke e-mail dinas Anda untuk memastikan alamat itu milik Anda (Pasal 10). Permohonan baru diteruskan ke BSrE setelah e-mail terkonfirmasi.',
  send: 'Kirim kode',
  resend: 'Kirim ulang kode',
  resendIn: 'Kode baru dapat dikirim dalam {{ seconds }} detik.',
  sending: 'Mengirim kode ke e-mail Anda…',
  sent: 'Kode sudah dikirim ke {{ email }}. Buka e-mail tersebut, lalu ketik kode 6 angka di bawah. Kode berlaku sampai pukul {{ time }}.',
  codeLabel: 'Kode dari e-mail (6 angka)',
  confirm: 'Konfirmasi kode',
  checking: 'Memeriksa kode…',
  confirmed: 'E-mail terkonfirmasi',
  confirmedNote: 'Alamat {{ email }} terbukti milik Anda.',
  later:
    'Tidak dapat membuka e-mail sekarang? Lanjutkan saja: setelah permohonan sampai di server, tautan konfirmasi dikirim ke e-mail ini.',
  offline:
    'Kios sedang luring. Lanjutkan saja: setelah permohonan sampai di server, tautan konfirmasi dikirim ke e-mail dinas Anda.',
  needEmail: 'Isi e-mail dinas dengan benar untuk menerima kode.',
  problems: {
    'invalid-email': 'Isi e-mail dinas dengan benar terlebih dahulu.',
    'not-official': 'Server tidak mengirim kode ke alamat ini: gunakan e-mail dinas dengan domain resmi.',
    offline:
      'Server tidak dapat dihubungi. Lanjutkan saja: tautan konfirmasi dikirim setelah permohonan sampai di server.',
    'not-enrolled':
      'Kios belum terdaftar di server, jadi kode belum dapat dikirim. Lanjutkan saja: tautan konfirmasi dikirim setelah permohonan sampai di server.',
    'kiosk-refused': 'Server menolak kios ini. Hubungi petugas; permohonan tetap dapat disimpan.',
    'mail-failed': 'E-mail tidak dapat dikirim saat ini. Coba lagi sebentar lagi, atau lanjutkan saja.',
    unsupported:
      'Server belum mendukung konfirmasi di loket. Lanjutkan saja: e-mail dikonfirmasi lewat tautan dalam e-mail.',
    'server-error': 'Server sedang bermasalah. Coba lagi, atau lanjutkan saja.',
    'code-format': 'Kode terdiri dari 6 angka.',
    'wrong-code': 'Kode salah. Sisa percobaan: {{ count }}.',
    locked: 'Kode ini tidak berlaku lagi karena salah terlalu sering. Kirim kode baru.',
    expired: 'Kode sudah kedaluwarsa. Kirim kode baru.',
    'no-code':
      'Kode ini tidak berlaku (ada kiriman yang lebih baru). Ketik kode dari e-mail terakhir, atau kirim kode baru.',
    'too-soon': 'Kode baru dapat dikirim pukul {{ time }}.',
    'limit-reached':
      'Batas pengiriman kode untuk permohonan ini tercapai. Lanjutkan saja: tautan konfirmasi dikirim setelah permohonan sampai di server.',
  },
  status: {
    label: 'E-mail dinas',
    'confirmed-at-counter': 'Terkonfirmasi di loket',
    confirmed: 'Terkonfirmasi',
    waiting: 'Menunggu konfirmasi e-mail',
    waitingNext:
      'Buka e-mail dinas Anda dan klik tautan konfirmasi dari Diskominfo. Permohonan diteruskan ke BSrE setelah e-mail terkonfirmasi.',
  },
  receipt: {
    label: 'E-mail dinas',
    confirmedAtCounter: 'Terkonfirmasi di loket',
  },
};
