import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from '../../support/chromium';
import { KioskPage } from './kiosk-page';

/**
 * A Chromium whose fake camera plays the still picture written to `file` (chosen at launch), with
 * the temporary folder it lives in. `kiosk` opens the kiosk in a fresh context allowed the camera.
 */
export class FakeCamera {
  private constructor(
    private readonly browser: Browser,
    private readonly dir: string,
  ) {}

  /** `write` puts the fake camera's picture at the path it is given (an .mjpeg file). */
  static async launch(name: string, write: (file: string) => Promise<void>): Promise<FakeCamera> {
    const dir = mkdtempSync(join(tmpdir(), `sertel-${name}-`));
    const file = join(dir, `${name}.mjpeg`);
    try {
      await write(file);
      const executablePath = findChromium();
      if (!executablePath) throw new Error('no Chromium');
      const browser = await chromium.launch({
        executablePath,
        args: [
          ...CHROMIUM_ARGS,
          '--use-fake-ui-for-media-stream',
          '--use-fake-device-for-media-stream',
          `--use-file-for-fake-video-capture=${file}`,
        ],
      });
      return new FakeCamera(browser, dir);
    } catch (err) {
      rmSync(dir, { recursive: true, force: true });
      throw err;
    }
  }

  /** The kiosk, opened in a new context with the camera allowed; close it with `kiosk.page.context()`. */
  async kiosk(baseURL: string | undefined): Promise<KioskPage> {
    const context = await this.browser.newContext({ baseURL, permissions: ['camera'] });
    const kiosk = new KioskPage(await context.newPage());
    await kiosk.open();
    return kiosk;
  }

  async close(): Promise<void> {
    await this.browser.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
