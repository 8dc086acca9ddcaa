import { describe, expect, it } from 'vitest';
import { MAX_PICTURES, PICTURES_FORMAT, type PictureInput, parseQrPictures, readImportSources } from '../../../electron/main/importers';
import { encodeBase32, encodeMigrationUris, parseOtpauthUri } from '../../../electron/main/otp';
import { jpegOf } from '../../support/qr-corpus';
import { drawQrCodes, greyscalePng } from '../../support/qr-images';
import { seededRandom } from '../../support/seeded-random';

function png(texts: string[], scale = 3): Uint8Array {
  const width = 20 + texts.length * 420;
  return greyscalePng(width, 440, drawQrCodes(width, 440, texts.map((text, index) => ({ text, x: 10 + index * 420, y: 10, scale }))));
}

describe('the QR pictures importer', () => {
  const random = seededRandom('qr pictures importer');
  const link = (issuer: string) => `otpauth://totp/${issuer}:me?secret=${encodeBase32(random.bytes(20))}&issuer=${issuer}`;

  it('gives the same parsed links as the link-list importer, a code seen in two pictures once', async () => {
    const [one, two] = [link('One'), link('Two')];
    const accounts = await parseQrPictures([
      { name: 'a.png', bytes: png([one as string, two as string]) },
      { name: 'b.png', bytes: png([one as string]) },
    ]);
    expect(accounts).toEqual(expect.arrayContaining([parseOtpauthUri(one as string), parseOtpauthUri(two as string)]));
    expect(accounts).toHaveLength(2);
  });

  it('assembles a Google export from parts in different pictures, and says which part is missing', async () => {
    const exported = Array.from({ length: 23 }, (_, index) => ({ type: 'totp' as const, secret: encodeBase32(random.bytes(16)), issuer: `S${index}`, label: 'me', algorithm: 'SHA1' as const, digits: 6, period: 30, counter: 0 }));
    const parts = encodeMigrationUris(exported, 10, 77);
    expect(parts).toHaveLength(3);
    const [first, second, third] = parts.map((part, index) => ({ name: `part${index + 1}.png`, bytes: png([part]) })) as [PictureInput, PictureInput, PictureInput];
    const accounts = await parseQrPictures([third, first, second]);
    expect(accounts.map((account) => account.issuer)).toEqual(exported.map((account) => account.issuer));
    await expect(parseQrPictures([first, third])).rejects.toMatchObject({
      code: 'INVALID_IMPORT_FILE',
      message: expect.stringContaining('part 2 of 3 missing'),
    });
  });

  it('names the picture that holds no code, or is not a picture Latchkey reads', async () => {
    await expect(parseQrPictures([{ name: 'ok.png', bytes: png([link('Ok')]) }, { name: 'empty.jpg', bytes: jpegOf(200, 100, drawQrCodes(200, 100, []), 80) }])).rejects.toMatchObject({
      code: 'NO_QR_CODE',
      message: expect.stringContaining('empty.jpg holds none'),
    });
    const damaged = Buffer.from(png([link('Cut')]));
    damaged.writeUInt32BE(50_000, 16);
    damaged.writeUInt32BE(50_000, 20);
    await expect(parseQrPictures([{ name: 'huge.png', bytes: damaged }])).rejects.toMatchObject({ code: 'INVALID_PICTURE', message: expect.stringMatching(/^The picture could not be read\. huge\.png: The picture is 50000x50000 pixels/) });
  });

  it('refuses more pictures than it reads in one import, before decoding any', async () => {
    const tooMany = Array.from({ length: MAX_PICTURES + 1 }, (_, index) => ({ name: `${index}.png`, bytes: new Uint8Array(8) }));
    await expect(parseQrPictures(tooMany)).rejects.toMatchObject({ code: 'INVALID_IMPORT_FILE', message: expect.stringContaining(`at most ${MAX_PICTURES}`) });
    await expect(parseQrPictures([])).rejects.toMatchObject({ code: 'INVALID_IMPORT_FILE' });
  });

  it('reads link lists and pictures given together, the pictures as one source, through the path the CLI and the window take', async () => {
    const [fromText, fromPicture, fromOther] = [link('Text'), link('Picture'), link('Other')];
    const results = await readImportSources(
      [
        { name: 'shot.png', bytes: png([fromPicture as string]) },
        { name: 'links.txt', bytes: new TextEncoder().encode(`# mine\n${fromText}\n`) },
        { name: 'more.png', bytes: png([fromOther as string, fromPicture as string]) },
      ],
      { password: null },
    );
    expect(results.map((result) => [result.fileName, result.format])).toEqual([
      ['links.txt', 'uris'],
      ['2 pictures', PICTURES_FORMAT.id],
    ]);
    const issuers = results.map((result) => result.items.map((item) => (item.kind === 'entry' ? item.entry.issuer : item.reason)));
    expect(issuers).toEqual([['Text'], ['Picture', 'Other']]);
  });

  it('names the file that fails when several are read together', async () => {
    await expect(
      readImportSources(
        [
          { name: 'links.txt', bytes: new TextEncoder().encode(`${link('Fine')}\n`) },
          { name: 'broken.txt', bytes: new TextEncoder().encode(`${link('Fine')}\nnot a link\n`) },
        ],
        { password: null },
      ),
    ).rejects.toMatchObject({ code: 'INVALID_IMPORT_FILE', message: expect.stringContaining('broken.txt: Line 2') });
  });
});
