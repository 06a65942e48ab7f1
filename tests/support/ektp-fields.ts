import type { EktpFields } from '../../src/core/ocr/types';

/** A man born 17 January 1975, NIK registered in Kartoharjo, Kota Madiun: the tests' clean card. */
export const BUDI_FIELDS: EktpFields = {
  provinsi: 'JAWA TIMUR',
  kota: 'KOTA MADIUN',
  nik: '3577011701750001',
  nama: 'BUDI SANTOSO',
  tempatLahir: 'MADIUN',
  tanggalLahir: '1975-01-17',
  jenisKelamin: 'LAKI-LAKI',
  golDarah: 'O',
  alamat: 'JL. PAHLAWAN NO. 37',
  rtRw: '003/012',
  kelDesa: 'KARTOHARJO',
  kecamatan: 'KARTOHARJO',
  agama: 'ISLAM',
  statusPerkawinan: 'KAWIN',
  pekerjaan: 'PEGAWAI NEGERI SIPIL',
  kewarganegaraan: 'WNI',
  berlakuHingga: 'SEUMUR HIDUP',
};
