import { startsWithAscii } from './source';

/** Kinds of files people pick by mistake, recognised by their first bytes, with what to say about them. */
const KINDS: { name: string; matches: (bytes: Uint8Array) => boolean; advice: string }[] = [
  { name: 'a KeePass database (.kdbx)', matches: (b) => hasBytes(b, [0x03, 0xd9, 0xa2, 0x9a]), advice: 'Latchkey does not read KeePass databases; export the entries with their otpauth:// links (KeePassXC: "Export to CSV") and import that file.' },
  { name: 'a PDF document', matches: (b) => startsWithAscii(b, '%PDF-'), advice: 'Latchkey does not read PDF files; import the app\'s export file, or a picture of each QR code.' },
  { name: 'a zip archive', matches: (b) => startsWithAscii(b, 'PK\u0003\u0004'), advice: 'Latchkey reads zip archives only from Authenticator Plus; unpack it and import the export file inside.' },
  { name: 'a 7-Zip archive', matches: (b) => hasBytes(b, [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]), advice: 'Unpack it and import the export file inside.' },
  { name: 'a gzip archive', matches: (b) => hasBytes(b, [0x1f, 0x8b]), advice: 'Unpack it and import the export file inside.' },
  { name: 'an SQLite database', matches: (b) => startsWithAscii(b, 'SQLite format 3\u0000'), advice: 'Latchkey reads the databases of Google Authenticator, Microsoft Authenticator and Authenticator Pro/Stratum; this one is none of them.' },
  { name: 'a Word or Excel document', matches: (b) => hasBytes(b, [0xd0, 0xcf, 0x11, 0xe0]), advice: 'Save the accounts as a CSV file with an otpauth column and import that.' },
  { name: 'a program', matches: (b) => startsWithAscii(b, '\u007fELF') || startsWithAscii(b, 'MZ'), advice: 'Choose the export file of your authenticator app.' },
];

const PICTURES: { name: string; matches: (bytes: Uint8Array) => boolean }[] = [
  { name: 'a PNG picture', matches: (b) => hasBytes(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) },
  { name: 'a JPEG picture', matches: (b) => hasBytes(b, [0xff, 0xd8, 0xff]) },
  { name: 'a GIF picture', matches: (b) => startsWithAscii(b, 'GIF87a') || startsWithAscii(b, 'GIF89a') },
  { name: 'a WebP picture', matches: (b) => startsWithAscii(b, 'RIFF') && b.length >= 12 && startsWithAscii(b.subarray(8), 'WEBP') },
  { name: 'a BMP picture', matches: (b) => startsWithAscii(b, 'BM') && b.length > 26 },
];

function hasBytes(bytes: Uint8Array, prefix: number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((value, index) => bytes[index] === value);
}

/** "a PNG picture" etc. when the bytes are a picture (the QR importer reads these), else null. */
export function pictureKind(bytes: Uint8Array): string | null {
  return PICTURES.find((kind) => kind.matches(bytes))?.name ?? null;
}

/** What an unreadable file looks like, in a sentence, or null when it looks like nothing known. */
export function describeOtherKind(bytes: Uint8Array): string | null {
  const picture = pictureKind(bytes);
  if (picture) return `It looks like ${picture}; Latchkey reads QR codes in pictures through its picture import, which is not available here.`;
  const kind = KINDS.find((candidate) => candidate.matches(bytes));
  return kind ? `It looks like ${kind.name}. ${kind.advice}` : null;
}
