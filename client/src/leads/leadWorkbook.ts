import type { LeadExportTable } from '@makeplus/shared';

/**
 * The Excel file of the device's leads, the same table the server exports (shared/leads/leadExport.ts),
 * built in the browser so it works offline. ExcelJS is large: loaded only when someone exports.
 */
export async function leadWorkbookBlob(table: LeadExportTable): Promise<Blob> {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  wb.creator = 'MakePlus';
  wb.created = new Date();
  const sheet = wb.addWorksheet('Leads');
  sheet.addRow(table.header);
  sheet.getRow(1).font = { bold: true };
  for (const row of table.rows) sheet.addRow(row);
  sheet.columns.forEach((c, i) => {
    c.width = Math.min(60, Math.max(12, ...[table.header, ...table.rows].map((r) => String(r[i] ?? '').length + 2)));
  });
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  const buffer = await wb.xlsx.writeBuffer();
  return new Blob([buffer], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
}
