import * as asn1js from 'asn1js';
import { describe, expect, it } from 'vitest';
import { isStrictDer } from './der';

const hex = (text: string) =>
  Uint8Array.from(text.match(/[0-9a-f]{2}/gi) ?? [], (b) => Number.parseInt(b, 16));

describe('isStrictDer', () => {
  it('accepts what asn1js encodes as DER, nested and with long lengths', () => {
    const der = new asn1js.Sequence({
      value: [
        new asn1js.Integer({ value: 1 }),
        new asn1js.Set({ value: [new asn1js.Utf8String({ value: 'x'.repeat(300) })] }),
        new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 0 }, value: [new asn1js.Null()] }),
        new asn1js.BitString({ valueHex: new Uint8Array(200) }),
      ],
    }).toBER(false);
    expect(isStrictDer(new Uint8Array(der))).toBe(true);
  });

  it('accepts a long-form tag only for numbers above 30', () => {
    expect(isStrictDer(hex('9f1f 00'))).toBe(true);
    expect(isStrictDer(hex('9f1e 00'))).toBe(false);
    expect(isStrictDer(hex('9f801f 00'))).toBe(false); // leading zero group
  });

  it.each([
    ['a length in long form that fits the short form', '30 8103 020101'],
    ['a long length with a leading zero byte', `04 820080${'00'.repeat(128)}`],
    ['an indefinite length', '30 80 020101 0000'],
    ['trailing bytes after the element', '30 03 020101 00'],
    ['a length running past the end', '30 05 020101'],
    ['children that do not fill their SEQUENCE', '30 04 020101 05'],
    ['a constructed BIT STRING (BER only)', '23 04 0302 0000'],
    ['a constructed OCTET STRING (BER only)', '24 03 040100'],
    ['a primitive SEQUENCE', '10 00'],
    ['the end-of-contents marker', '00 00'],
    ['nothing at all', ''],
  ])('refuses %s', (_what, bytes) => {
    expect(isStrictDer(hex(bytes))).toBe(false);
  });

  it('refuses nesting deeper than any certificate request, without recursing through it', () => {
    const nested = (levels: number) => {
      let bytes = hex('0500');
      for (let i = 0; i < levels; i++) bytes = Uint8Array.from([0x30, bytes.length, ...bytes]);
      return bytes; // two bytes a level: every length stays in the short form
    };
    expect(isStrictDer(nested(20))).toBe(true);
    expect(isStrictDer(nested(40))).toBe(false);
  });
});
