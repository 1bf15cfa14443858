import PDFDocument from 'pdfkit';
import type { MinutesView } from './minutes-view.js';

const MARKING = 'OFFICIAL-SENSITIVE: victim-list meeting minutes';

/**
 * A table row never breaks across pages in pdfkit, so a cell longer than a
 * page would be cut without a word. Past this many characters the cell is cut
 * here and says so; the CSV keeps the whole text.
 */
export const PDF_CELL_CHARS = 1500;
export const cellText = (t: string) => (t.length <= PDF_CELL_CHARS ? t : `${t.slice(0, PDF_CELL_CHARS)}… [clipped here: ${(t.length - PDF_CELL_CHARS).toLocaleString('en-GB')} more characters are in minutes.csv]`);

/** The item's recorded facts as one line each, leaving out what was not recorded. */
export function itemFacts(item: MinutesView['items'][number]): string[] {
  return [
    `RAG: ${item.rag ? item.rag.toUpperCase() : 'not recorded'}`,
    `Decision: ${item.decision ?? 'no decision recorded'}`,
    ...(item.outcome ? [`Outcome: ${item.outcome}`] : []),
    ...(item.leadAgency ? [`Lead agency: ${item.leadAgency}`] : []),
    ...(item.nextReview ? [`Next review: ${item.nextReview}`] : []),
    ...(item.notes ? [`Notes: ${item.notes}`] : []),
    ...(item.recordedBy ? [`Recorded by ${item.recordedBy} at ${item.recordedAt} UTC`] : []),
  ];
}

/** The minutes as a PDF (pdfkit, its built-in Helvetica), marked OFFICIAL-SENSITIVE on every page. */
export function minutesPdf(view: MinutesView): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 56, info: { Title: `Minutes: victim-list meeting ${view.meetingDate}`, Subject: MARKING }, bufferPages: true });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const heading = (text: string, size = 13) => doc.moveDown(0.6).font('Helvetica-Bold').fontSize(size).text(text).font('Helvetica').fontSize(10);
  const para = (text: string) => doc.font('Helvetica').fontSize(10).text(text, { paragraphGap: 2 });

  doc.font('Helvetica-Bold').fontSize(18).text(`Victim-list meeting: minutes`);
  doc.font('Helvetica').fontSize(11).text(`${view.meetingDate} · ${view.meetingId} · agenda from run ${view.runId}`);
  para(`Status: ${view.status}. Chair: ${view.chair ?? 'not recorded'}.`);
  heading('Confidentiality');
  para(view.confidentiality);
  heading('Attendance');
  if (view.attendeesByAgency.length === 0) para('Present: nobody recorded as present.');
  for (const a of view.attendeesByAgency) para(`${a.agency}: ${a.names.join('; ')}`);
  para(`Apologies: ${view.apologies.length ? view.apologies.join('; ') : 'none'}`);
  if (view.notRecorded.length) para(`In the meeting's chat, attendance not recorded: ${view.notRecorded.join('; ')}`);
  heading('Children discussed');
  para(`${view.items.length} children on the agenda. ${view.decisionSupport}`);
  for (const item of view.items) {
    heading(`${item.number}. ${item.personId}: ${item.section} (band ${item.band})`, 11);
    for (const line of itemFacts(item)) para(line);
    if (item.actions.length) {
      doc.moveDown(0.3).fontSize(9);
      const th = (text: string) => ({ text, type: 'TH' as const, font: { src: 'Helvetica-Bold' } });
      doc.table({
        columnStyles: ['*', 120, 70, 60],
        defaultStyle: { padding: 3 },
        data: [[th('Action'), th('Owner'), th('Due'), th('Status')], ...item.actions.map((a) => [cellText(a.description), cellText(a.owner), a.due, a.status])],
      });
      doc.font('Helvetica').fontSize(10);
    }
  }
  doc.moveDown(1);
  para(`Produced ${view.producedAt} UTC for ${view.producedBy}; opening these minutes was written to the access audit.`);
  // Every page carries the marking and its number.
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.font('Helvetica').fontSize(8).fillColor('#444444').text(`${MARKING} · page ${i + 1} of ${range.count}`, 56, doc.page.height - 36, { width: doc.page.width - 112, align: 'center' });
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return done;
}
