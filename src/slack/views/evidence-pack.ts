/** The one message `/patch evidence` keeps in the person's DM: progress while the pack is built, then what it holds. */
import type { KnownBlock } from '@slack/types';
import type { PackPhase, PackProgress, PackResult } from '../../app/evidence/build-pack.js';
import { periodArgs, periodName, type Period } from '../../app/evidence/period.js';
import { context, fields, header, section } from './blocks.js';
import { escapeText, plural, truncate } from './format.js';

type Message = { text: string; blocks: KnownBlock[] };

const PHASES: readonly PackPhase[] = ['audit', 'evidence', 'csv', 'page', 'pdf'];
const PHASE_TEXT: Record<PackPhase, string> = {
  audit: 'Verifying the audit log',
  evidence: 'Reading the remediations and copying their evidence files',
  csv: 'Writing the CSVs',
  page: 'Writing index.html',
  pdf: 'Printing report.pdf',
  done: 'Done',
};

const n = (x: number): string => x.toLocaleString('en-US');

function progressLines(p: PackProgress | null): string {
  const at = p ? PHASES.indexOf(p.phase) : -1;
  return PHASES.map((phase, i) => {
    const icon = i < at ? ':white_check_mark:' : i === at ? ':hourglass_flowing_sand:' : ':white_small_square:';
    const count = i === at && p && p.total > 0 && p.done > 0 ? ` · ${n(p.done)} of ${n(p.total)}` : '';
    return `${icon} ${PHASE_TEXT[phase]}${count}`;
  }).join('\n');
}

export function packProgressMessage(period: Period, progress: PackProgress | null): Message {
  return {
    text: `Building the evidence pack for ${periodName(period)}…`,
    blocks: [
      header(`Evidence pack ${periodName(period)}`, 'title'),
      section(progressLines(progress), 'progress'),
      context('This message updates as the pack is built; the zip follows here when it is ready.', 'note'),
    ],
  };
}

export function packReadyMessage(period: Period, result: PackResult, fileName: string): Message {
  const m = result.manifest;
  const problems = result.problems.slice(0, 5).map((p) => `:warning: ${escapeText(truncate(p, 400))}`);
  return {
    text: `Evidence pack for ${periodName(period)} ready: sha256 ${result.sha256}`,
    blocks: [
      header(`Evidence pack ${periodName(period)}`, 'title'),
      section(`:white_check_mark: Ready: *${escapeText(fileName)}* is below in this conversation.\nSHA-256 \`${result.sha256}\``, 'ready'),
      fields([
        `*Remediations*\n${n(m.counts.remediations)}`,
        `*Evidence files*\n${n(m.counts.evidenceFiles)}${m.counts.evidenceProblems ? ` (${n(m.counts.evidenceProblems)} not matching)` : ''}`,
        `*Audit events*\n${n(m.counts.auditEvents)}`,
        `*Audit chain*\n${m.auditChain.verification.ok ? 'intact' : `BROKEN at seq ${m.auditChain.verification.badSeq}`}`,
      ], 'counts'),
      ...(problems.length > 0 ? [section(problems.join('\n'), 'problems')] : []),
      context(`${plural(m.files.length, 'file')}, ${(result.size / 1_048_576).toFixed(1)} MB. Anyone can check it: \`patchwarden evidence verify ${escapeText(fileName)}\`.`, 'verify'),
    ],
  };
}

export function packFailedMessage(period: Period, reason: string): Message {
  return {
    text: `The evidence pack for ${periodName(period)} could not be made: ${reason}`,
    blocks: [
      header(`Evidence pack ${periodName(period)}`, 'title'),
      section(`:x: It could not be made: ${escapeText(truncate(reason, 500))}\nNothing was changed. Try again, or run \`patchwarden evidence ${periodArgs(period)}\` on the server.`, 'failed'),
    ],
  };
}
