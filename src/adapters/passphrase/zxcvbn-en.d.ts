// Node's ESM loader needs the file extension of this deep import; its types sit beside it unsuffixed.
declare module '@zxcvbn-ts/language-en/dist/translations.mjs' {
  const translations: typeof import('@zxcvbn-ts/language-en/dist/translations').default;
  export default translations;
}
