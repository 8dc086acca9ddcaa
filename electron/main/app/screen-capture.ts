import { desktopCapturer, screen } from 'electron';
import type { ScreenSource } from '../../../shared/domain';
import { LatchkeyError } from '../../../shared/errors';
import type { ScreenCapturePort } from '../ipc';

const THUMBNAIL = { width: 320, height: 200 };

/** Screens and windows through desktopCapturer. The image lives in memory only, as a data URL. */
export const electronScreenCapture: ScreenCapturePort = {
  async sources(): Promise<ScreenSource[]> {
    const sources = await desktopCapturer.getSources({ types: ['screen', 'window'], thumbnailSize: THUMBNAIL, fetchWindowIcons: false });
    return sources.map((source) => ({ id: source.id, name: source.name, thumbnail: source.thumbnail.toDataURL() }));
  },
  async capture(sourceId: string): Promise<string> {
    const { width, height } = largestDisplaySize();
    const sources = await desktopCapturer.getSources({ types: ['screen', 'window'], thumbnailSize: { width, height }, fetchWindowIcons: false });
    const source = sources.find((candidate) => candidate.id === sourceId);
    if (!source || source.thumbnail.isEmpty()) throw new LatchkeyError('INVALID_INPUT', 'That screen or window is no longer there.');
    return source.thumbnail.toDataURL();
  },
};

function largestDisplaySize(): { width: number; height: number } {
  const sizes = screen.getAllDisplays().map((display) => ({
    width: Math.round(display.size.width * display.scaleFactor),
    height: Math.round(display.size.height * display.scaleFactor),
  }));
  return sizes.reduce((largest, size) => (size.width * size.height > largest.width * largest.height ? size : largest), { width: 1920, height: 1080 });
}
