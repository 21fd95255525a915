import type { PdfPrinter } from '../app/ports.js';
import { createChromiumPrinter } from './chromium-printer.js';

/** The printer for the Chromium the configuration found, or none (the pack then says it has no PDF). */
export const printerFor = (chromiumPath: string | null): PdfPrinter | null => (chromiumPath ? createChromiumPrinter({ executablePath: chromiumPath }) : null);
