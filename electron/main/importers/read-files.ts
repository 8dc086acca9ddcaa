import { ERROR_SENTENCES, LatchkeyError } from '../../../shared/errors';
import { toItem } from './entry';
import { isPicture, type PictureInput, parseQrPictures } from './qr-pictures';
import { type ImportFileResult, readExportFile } from './registry';

export const PICTURES_FORMAT = { id: 'qr-pictures', title: 'Pictures of QR codes' } as const;

/**
 * The files of one import, read: pictures of QR codes all together (a Google export's parts may be
 * in different pictures), every other file by its format. Any file that cannot be read fails the
 * whole import, named when there are several. The CLI and the window both read through here.
 */
export async function readImportSources(files: readonly PictureInput[], options: { format?: string; password: string | null }): Promise<ImportFileResult[]> {
  const pictures = options.format === undefined || options.format === PICTURES_FORMAT.id ? files.filter((file) => isPicture(file.bytes)) : [];
  const others = files.filter((file) => !pictures.includes(file));
  const results: ImportFileResult[] = [];
  for (const file of others) {
    try {
      results.push(await readExportFile(file.bytes, { fileName: file.name, format: options.format, password: options.password }));
    } catch (error) {
      if (!(error instanceof LatchkeyError) || files.length === 1) throw error;
      const detail = error.message.slice(ERROR_SENTENCES[error.code].length).trim();
      throw new LatchkeyError(error.code, `${file.name.slice(0, 200)}: ${detail}`, { cause: error });
    }
  }
  if (pictures.length > 0) results.push(await readPictures(pictures));
  return results;
}

async function readPictures(pictures: readonly PictureInput[]): Promise<ImportFileResult> {
  const accounts = await parseQrPictures(pictures);
  const fileName = pictures.length === 1 ? (pictures[0] as PictureInput).name : `${pictures.length} pictures`;
  return { fileName, format: PICTURES_FORMAT.id, formatTitle: PICTURES_FORMAT.title, items: accounts.map((account) => toItem(account)) };
}
