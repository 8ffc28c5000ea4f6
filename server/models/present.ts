// How a model and a progress report look in the JSON API and on the pages.
import type { Language } from '../web/i18n/index.ts';
import type { Model } from './repository.ts';

type ModelRow = Omit<Model, 'replicates_code' | 'replicates_title'> & Partial<Pick<Model, 'replicates_code' | 'replicates_title'>>;

export function modelJson(model: ModelRow, language: Language = 'vi') {
  return {
    id: model.id,
    code: model.code,
    title: model.title,
    unitId: model.unit_id,
    unitName: model.unit_name,
    year: model.year,
    fieldCode: model.field_code,
    fieldName: language === 'en' ? model.field_name_en : model.field_name,
    blockCode: model.block_code,
    blockName: language === 'en' ? model.block_name_en : model.block_name,
    kind: model.kind,
    summary: model.summary,
    goals: model.goals,
    startedOn: model.started_on,
    participants: model.participants,
    contact: model.contact,
    replicatesModelId: model.replicates_model_id,
    status: model.status,
    createdAt: model.created_at.toISOString(),
    updatedAt: model.updated_at.toISOString(),
  };
}

export interface ReportRow {
  id: number;
  from_status: string;
  to_status: string;
  reported_on: string;
  note: string;
  people_reached: number | null;
  funds_vnd: number | null;
  workdays: number | null;
  created_at: Date;
}

export function reportJson(report: ReportRow) {
  return {
    id: report.id,
    fromStatus: report.from_status,
    status: report.to_status,
    reportedOn: report.reported_on,
    note: report.note,
    peopleReached: report.people_reached,
    fundsVnd: report.funds_vnd,
    workdays: report.workdays,
    createdAt: report.created_at.toISOString(),
  };
}

export function modelFileJson(file: { id: number; file_name: string; content_type: string; size_bytes: number; sha256: string; uploaded_at: Date }) {
  return { id: file.id, fileName: file.file_name, contentType: file.content_type, sizeBytes: file.size_bytes, sha256: file.sha256, uploadedAt: file.uploaded_at.toISOString() };
}
