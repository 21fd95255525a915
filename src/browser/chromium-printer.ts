/**
 * The PdfPrinter port on headless Chromium: the system's own Chromium (Debian's `chromium` package, or any build at
 * CHROMIUM_PATH), driven by playwright-core, which ships no browser and downloads none. The page must load without a
 * single request beyond its own file; the PDF comes back from Chromium as a stream (DevTools `Page.printToPDF`
 * with `ReturnAsStream`, read with `IO.read`) straight to disk, never whole in memory.
 */
import { open } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import type { PdfPrinter } from '../app/ports.js';

/** How patchwarden runs Chromium: headless, no sandbox (containers), no GPU, nothing in the background. */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run', '--disable-dev-shm-usage'];

export interface ChromiumOptions {
  readonly executablePath: string;
  /** For launching, loading and printing each. */
  readonly timeoutMs?: number;
}

const FOOTER = '<div style="font-size:7px;width:100%;padding:0 12mm;color:#52606d;display:flex;justify-content:space-between"><span class="title"></span><span><span class="pageNumber"></span> / <span class="totalPages"></span></span></div>';

export async function launchChromium({ executablePath, timeoutMs = 120_000 }: ChromiumOptions) {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS, timeout: timeoutMs });
}

export function createChromiumPrinter(options: ChromiumOptions): PdfPrinter {
  const timeout = options.timeoutMs ?? 120_000;
  return {
    async print(htmlPath, pdfPath) {
      const browser = await launchChromium(options);
      try {
        const page = await browser.newPage();
        const url = pathToFileURL(htmlPath).href;
        const outside: string[] = [];
        page.on('request', (r) => {
          if (r.url() !== url) outside.push(r.url());
        });
        await page.goto(url, { waitUntil: 'load', timeout });
        if (outside.length > 0) throw new Error(`the page asked for ${outside[0]}, and may ask for nothing`);
        const cdp = await page.context().newCDPSession(page);
        const printed = await cdp.send('Page.printToPDF', {
          transferMode: 'ReturnAsStream', printBackground: true, preferCSSPageSize: true, displayHeaderFooter: true, headerTemplate: '<span></span>', footerTemplate: FOOTER,
          // Untagged: a tagged PDF of a year's pack is ten times the size and takes Chromium twice as long; the page
          // itself (index.html) is the accessible copy.
          generateTaggedPDF: false,
        });
        if (!printed.stream) throw new Error('Chromium gave no PDF stream');
        const file = await open(pdfPath, 'w');
        try {
          for (;;) {
            const chunk = await cdp.send('IO.read', { handle: printed.stream, size: 1 << 20 });
            await file.write(Buffer.from(chunk.data, chunk.base64Encoded ? 'base64' : 'utf8'));
            if (chunk.eof) break;
          }
        } finally {
          await file.close();
          await cdp.send('IO.close', { handle: printed.stream }).catch(() => undefined);
        }
      } finally {
        await browser.close();
      }
    },
  };
}
