import { AlignmentType, Document, Footer, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import { itemFacts } from './minutes-pdf.js';
import type { MinutesView } from './minutes-view.js';

const MARKING = 'OFFICIAL-SENSITIVE: victim-list meeting minutes';

const p = (text: string) => new Paragraph({ children: [new TextRun(text)] });
const h = (text: string, heading: (typeof HeadingLevel)[keyof typeof HeadingLevel] = HeadingLevel.HEADING_2) => new Paragraph({ text, heading });
const cell = (text: string, bold = false) => new TableCell({ children: [new Paragraph({ children: [new TextRun({ text, bold })] })] });

/** The minutes as a Word document (docx), with the same content as the PDF and the marking in every page's footer. */
export function minutesDocx(view: MinutesView): Promise<Buffer> {
  const children: (Paragraph | Table)[] = [
    h('Victim-list meeting: minutes', HeadingLevel.TITLE),
    p(`${view.meetingDate} · ${view.meetingId} · agenda from run ${view.runId}`),
    p(`Status: ${view.status}. Chair: ${view.chair ?? 'not recorded'}.`),
    h('Confidentiality'),
    p(view.confidentiality),
    h('Attendance'),
    ...(view.attendeesByAgency.length ? view.attendeesByAgency.map((a) => p(`${a.agency}: ${a.names.join('; ')}`)) : [p('Present: nobody recorded as present.')]),
    p(`Apologies: ${view.apologies.length ? view.apologies.join('; ') : 'none'}`),
    ...(view.notRecorded.length ? [p(`In the meeting's chat, attendance not recorded: ${view.notRecorded.join('; ')}`)] : []),
    h('Children discussed'),
    p(`${view.items.length} children on the agenda. ${view.decisionSupport}`),
  ];
  for (const item of view.items) {
    children.push(h(`${item.number}. ${item.personId}: ${item.section} (band ${item.band})`, HeadingLevel.HEADING_3), ...itemFacts(item).map(p));
    if (item.actions.length) {
      children.push(
        new Table({
          width: { size: 100, type: WidthType.PERCENTAGE },
          rows: [new TableRow({ tableHeader: true, children: ['Action', 'Owner', 'Due', 'Status'].map((t) => cell(t, true)) }), ...item.actions.map((a) => new TableRow({ children: [a.description, a.owner, a.due, a.status].map((t) => cell(t)) }))],
        }),
      );
    }
  }
  children.push(p(`Produced ${view.producedAt} UTC for ${view.producedBy}; opening these minutes was written to the access audit.`));
  const doc = new Document({
    title: `Minutes: victim-list meeting ${view.meetingDate}`,
    description: MARKING,
    sections: [{ footers: { default: new Footer({ children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ text: MARKING, size: 16 })] })] }) }, children }],
  });
  return Packer.toBuffer(doc);
}
