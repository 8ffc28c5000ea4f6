// The certificates pages: a certificate with its print log, printing from the browser, print jobs,
// reissue and revoke, the print layouts (administrators), and the public verification page and API
// (one rate limit for both).
import { Router, type Request, type Response } from 'express';
import type { Database } from '../db/database.ts';
import { requireLogin, requireRole } from '../auth/guards.ts';
import { actsFor } from '../awards/viewer.ts';
import { canCorrect, canPrintFor, PRINTING_ROLES } from './policy.ts';
import { NotFoundError, RateLimitedError, ValidationError } from '../errors.ts';
import { submitForm } from '../web/forms.ts';
import { formatDate, formatDateTime, formatNumber, translate, type Language } from '../web/i18n/index.ts';
import { bodyName } from '../units/names.ts';
import { callerOf, languageOf, takeFlash } from '../web/request.ts';
import { printModelCertificate } from './model-certificates.ts';
import { idParams, validate } from '../web/validate.ts';
import * as service from './service.ts';
import * as repository from './repository.ts';
import { verifyCertificate } from './verification.ts';
import { PREPRINTED_LINES, TEMPLATE_NAMES, type PrintMode, type TemplateName } from './rendering/templates.ts';
import { annexModel } from '../awards/queries.ts';
import { viewToPdf } from './rendering/view-pdf.ts';
import { qrCode } from './rendering/sheets.ts';
import { codeParam, correctionSchema, layoutParams, layoutSchema, modeQuery, PAPER_SIZES, printJobListSchema, printJobSchema, printLogSchema, reasonSchema, revokeFormSchema, templateParams } from './schemas.ts';
import { MAX_EMBLEM_BYTES } from './emblems.ts';
import { blankSerialCount } from './serials.ts';
import { noUploadProblem, receiveFile, uploadRoute, uploadedFileName } from '../web/upload.ts';
import { translateProblems } from '../web/errors.ts';
import { committee, fileNameOf, pdfDownloads, printDeps, printers, queueOf, sendPdf, type CertificateDeps } from './http.ts';

/** A small in-process limiter for the public verification: enough against enumeration, per address. */
export function verificationLimiter(perMinute: number) {
  const hits = new Map<string, { count: number; resetAt: number }>();
  return (req: Request, _res: Response, next: (error?: unknown) => void) => {
    const now = Date.now();
    const key = req.ip ?? 'unknown';
    let entry = hits.get(key);
    if (!entry || entry.resetAt <= now) {
      if (hits.size > 10_000) hits.clear(); // bounded memory under a flood of addresses
      entry = { count: 0, resetAt: now + 60_000 };
      hits.set(key, entry);
    }
    entry.count += 1;
    if (entry.count > perMinute) return next(new RateLimitedError('rate_limited', 'error.rate_limited', {}, Math.ceil((entry.resetAt - now) / 1000)));
    next();
  };
}

/** The public verification answer: no login, rate-limited, the same for the page and the JSON. */
export function verificationRoutes(deps: CertificateDeps): { api: Router; pages: Router } {
  const limiter = verificationLimiter(30);
  const api = Router();
  api.get('/verify/:code', limiter, async (req, res) => {
    const { code } = validate(codeParam, req.params, { labels: 'certificate' });
    res.json(await verifyCertificate(deps.db, code));
  });
  const pages = Router();
  pages.get('/verify/:code', limiter, async (req, res) => {
    const language = languageOf(req);
    let result;
    try {
      const { code } = validate(codeParam, req.params, { labels: 'certificate' });
      result = await verifyCertificate(deps.db, code);
    } catch (error) {
      if (!(error instanceof NotFoundError) && !(error instanceof ValidationError)) throw error;
      res.status(404).render('certificates/verify', { title: translate(language, 'verify.title'), found: false });
      return;
    }
    const credentialPath = `/api/v1/verify/${req.params.code}/credential`;
    const qr = qrCode(`${deps.publicUrl.replace(/\/$/, '')}${credentialPath}`); // a quiet zone of 2 modules around it
    res.render('certificates/verify', {
      title: translate(language, 'verify.title'),
      found: true,
      // The certificate's digital twin (server/credentials): a download, and a QR code a wallet scans.
      credential: { href: credentialPath, fileName: `chung-nhan-so-${req.params.code}.jwt`, qr, box: qr.size + 4 },
      result: { ...result, decisionDate: formatDate(result.decisionDate) },
      replacedBy: result.replacedBy ? { href: result.replacedBy.verifyUrl, text: translate(language, 'verify.replacedBy', { code: result.replacedBy.verificationCode }) } : null,
      corrects: result.corrects ? { href: result.corrects.verifyUrl, text: translate(language, 'verify.correctionOf', { code: result.corrects.verificationCode }) } : null,
    });
  });
  return { api, pages };
}

/** Print jobs a page of the history shows. */
const PRINT_JOBS_PAGE = 25;

export function certificatePages(deps: CertificateDeps): Router {
  const router = Router();
  const { db } = deps;
  const downloads = pdfDownloads(deps);

  async function certificatePage(req: Request, id: number) {
    const viewer = await callerOf(req, db);
    const [record] = await repository.listVisibleCertificates(db, viewer, { id });
    if (!record) throw new NotFoundError();
    const log = await repository.listLatestPrints(db, id);
    const reissues = await repository.listReissues(db, id);
    const language = languageOf(req);
    const { correctionOf, replacedBy } = await repository.correctionLinks(db, id);
    const acting = actsFor(viewer, record.issuing_unit_id);
    return {
      title: translate(languageOf(req), 'certificates.title', { number: record.register_number, year: record.year }),
      certificate: { ...record, awardName: language === 'en' ? (record.award_name_en ?? record.award_name) : record.award_name, issuerTitle: bodyName(record.issuer_name, record.issuer_kind), signedOnText: formatDate(record.signed_on), verifyUrl: `/verify/${record.verification_code}` },
      // A revoked certificate says when, by whom and why, where the office will look for it.
      revocation: record.status === 'revoked'
        ? translate(languageOf(req), 'certificates.revokedBy', { date: record.revoked_at ? formatDateTime(record.revoked_at) : '', name: record.revoked_by_name ?? '—', reason: record.revoke_reason ?? '' })
        : null,
      log: log.map((entry) => ({ ...entry, when: formatDateTime(entry.printed_at) })),
      reissues: reissues.map((r) => ({ ...r, when: formatDateTime(r.created_at) })),
      canPrint: canPrintFor(viewer, record.issuing_unit_id).allowed,
      // A printing role that does not act for this body is told why there is nothing to press.
      otherBody: PRINTING_ROLES.includes(viewer.user.role) && !actsFor(viewer, record.issuing_unit_id) ? translate(languageOf(req), 'certificates.otherBody', { issuer: bodyName(record.issuer_name, record.issuer_kind) }) : undefined,
      canRevoke: (viewer.user.role === 'secretary' || viewer.user.role === 'admin') && acting && record.status === 'valid',
      canReissue: canPrintFor(viewer, record.issuing_unit_id).allowed && record.status === 'valid',
      // Đính chính: the secretariat of the issuing body, on the current (valid) certificate.
      canCorrect: canCorrect(viewer).allowed && acting && record.status === 'valid',
      individual: record.recipient_kind === 'individual',
      printed: { recipientName: record.recipient_name, position: record.position ?? '', unitName: record.nominee_unit_name, achievement: record.achievement },
      correctionOf: correctionOf
        ? { href: `/certificates/${correctionOf.id}`, text: translate(language, 'certificates.correctionOf', { code: correctionOf.verification_code }), reason: correctionOf.correction_reason ? translate(language, 'certificates.correctionReason', { reason: correctionOf.correction_reason }) : null }
        : null,
      replacedBy: replacedBy ? { href: `/certificates/${replacedBy.id}`, text: translate(language, 'certificates.replacedBy', { code: replacedBy.verification_code }) } : null,
    };
  }

  router.get('/certificates/:id.pdf', printers, async (req, res) => {
    const viewer = await callerOf(req, db);
    const { id } = validate(idParams, req.params);
    const { mode, download } = validate(modeQuery, req.query);
    const { pdf, record } = await service.printCertificate(printDeps(deps), viewer, id, mode);
    sendPdf(res, pdf, `bang-khen-${record.register_number}-${record.year}${mode === 'overlay' ? '-in-len-phoi' : ''}.pdf`, download === '1');
  });

  router.get('/models/:id/certificate.pdf', printers, async (req, res) => {
    const { id } = validate(idParams, req.params);
    const { mode, download } = validate(modeQuery, req.query);
    const { pdf } = await printModelCertificate(printDeps(deps), await callerOf(req, db), id, mode);
    sendPdf(res, pdf, `chung-nhan-mo-hinh-${id}.pdf`, download === '1');
  });

  router.get('/certificates/:id', printers, async (req, res) => {
    const { id } = validate(idParams, req.params);
    const flash = takeFlash(req);
    res.render('certificates/show', { ...(await certificatePage(req, id)), flash });
  });

  for (const action of ['reissue', 'revoke'] as const) {
    router.post(`/certificates/:id/${action}`, action === 'revoke' ? committee : printers, async (req, res) => {
      const viewer = await callerOf(req, db);
      const { id } = validate(idParams, req.params);
      await submitForm<{ reason: string }>({
        // Revoking is final: the page asks for the confirmation box, as closing a round does (the API keeps {reason}).
        req, res, schema: action === 'revoke' ? revokeFormSchema : reasonSchema, view: 'certificates/show', labels: 'certificate',
        viewModel: async () => ({ ...(await certificatePage(req, id)), failedAction: action }),
        action: async ({ reason }) => {
          if (action === 'reissue') await service.reissueCertificate(db, viewer, id, reason);
          else await service.revokeCertificate(db, viewer, id, reason);
          return { redirectTo: `/certificates/${id}`, flash: translate(languageOf(req), action === 'reissue' ? 'certificates.reissued' : 'certificates.revokedFlash') };
        },
      });
    });
  }

  router.post('/certificates/:id/correct', committee, async (req, res) => {
    const viewer = await callerOf(req, db);
    const { id } = validate(idParams, req.params);
    await submitForm({
      req, res, schema: correctionSchema, view: 'certificates/show', labels: 'certificate',
      viewModel: async () => ({ ...(await certificatePage(req, id)), failedAction: 'correct' }),
      action: async (input) => {
        const corrected = await service.correctCertificate(db, viewer, id, input);
        return { redirectTo: `/certificates/${corrected.id}`, flash: translate(languageOf(req), 'certificates.correctedFlash') };
      },
    });
  });

  router.post('/certificates/:id/print-log', printers, async (req, res) => {
    const viewer = await callerOf(req, db);
    const { id } = validate(idParams, req.params);
    await submitForm({
      req, res, schema: printLogSchema, view: 'certificates/show', labels: 'certificate',
      viewModel: async () => ({ ...(await certificatePage(req, id)), failedAction: 'print-log' }),
      action: async ({ mode }) => {
        await service.recordPrint(db, viewer, id, mode);
        return { redirectTo: `/certificates/${id}`, flash: translate(languageOf(req), 'certificates.printRecorded') };
      },
    });
  });

  router.get('/decisions/:id/certificates.pdf', printers, downloads.decision);
  // The decision page's one print form: its "Tải tất cả" button posts here and goes on to the download
  // in the mode chosen (a POST, so the form's CSRF token stays out of the URL).
  router.post('/decisions/:id/certificates.pdf', printers, async (req, res) => {
    const { id } = validate(idParams, req.params);
    // The same form as the print job's: the serials of blank forms are for a job, and a download ignores them.
    const { mode } = validate(printJobSchema, req.body ?? {}, { form: true, labels: 'printJob' });
    const decision = await service.decisionToPrint(db, await callerOf(req, db), id);
    res.redirect(303, `/decisions/${decision.id}/certificates.pdf?mode=${mode}`);
  });

  // The decision form's "Xem trước bằng khen" button posts the form here (its CSRF token stays out of URLs).
  router.post('/awards/:id/preview.pdf', committee, downloads.preview);

  router.get('/decisions/:id/annex.pdf', requireLogin, async (req, res) => {
    const viewer = await callerOf(req, db);
    const { id } = validate(idParams, req.params);
    const annex = await annexModel(db, viewer, id, languageOf(req));
    const pdf = await viewToPdf(res, printDeps(deps).renderer, 'awards/annex', { ...annex, bare: true, pdf: true }, 'annex.css', { widthMm: 210, heightMm: 297 });
    sendPdf(res, pdf, `danh-sach-kem-theo-${fileNameOf(annex.decision.number_text)}.pdf`, false);
  });

  router.post('/decisions/:id/print-jobs', printers, async (req, res) => {
    const viewer = await callerOf(req, db);
    const { id } = validate(idParams, req.params);
    // A refused serial comes back on the decision page, the fields marked and what was typed kept.
    await submitForm({
      req, res, schema: printJobSchema, view: 'awards/decision', labels: 'printJob',
      viewModel: async () => annexModel(db, viewer, id, languageOf(req)),
      action: async ({ mode, ...serials }) => ({ redirectTo: `/print-jobs/${(await service.enqueuePrintJob(db, queueOf(deps), viewer, id, mode, serials)).id}` }),
    });
  });

  router.get('/print-jobs', printers, async (req, res) => {
    const viewer = await callerOf(req, db);
    const language = languageOf(req);
    const { cursor } = validate(printJobListSchema, req.query);
    const { items, nextCursor } = await service.listPrintJobs(db, viewer, { limit: PRINT_JOBS_PAGE, cursor });
    res.render('certificates/print-jobs', {
      title: translate(language, 'printJobs.history'),
      jobs: items.map((job) => ({ ...job, count: formatNumber(job.total), when: formatDateTime(job.created_at), whenIso: job.created_at.toISOString(), serials: serialsText(language, job) })),
      firstPage: cursor ? '/print-jobs' : null,
      nextPage: nextCursor ? `/print-jobs?cursor=${nextCursor}` : null,
    });
  });

  router.get('/print-jobs/:id', printers, async (req, res) => {
    const viewer = await callerOf(req, db);
    const { id } = validate(idParams, req.params);
    const job = await service.getPrintJob(db, viewer, id);
    const percent = job.total === 0 ? 100 : Math.floor((job.done / job.total) * 100);
    res.render('certificates/print-job', {
      title: translate(languageOf(req), 'printJobs.title', { id: job.id }),
      job: {
        ...job,
        percent,
        progressText: translate(languageOf(req), 'printJobs.progress', { done: formatNumber(job.done), total: formatNumber(job.total), percent }),
        leftOutText: job.leftOut > 0 ? translate(languageOf(req), 'printJobs.leftOut', { count: formatNumber(job.leftOut) }) : undefined,
        serialsText: serialsText(languageOf(req), job),
      },
      // The page refreshes itself while the job runs: no script needed.
      refresh: job.status === 'queued' || job.status === 'running',
    });
  });

  router.get('/print-jobs/:id/file', printers, downloads.jobFile);

  const admin = requireRole('admin');
  const layoutsPage = async (req: Request, failed?: { template: TemplateName; mode?: PrintMode; values?: Record<string, unknown>; emblemError?: string }) => {
    const language = languageOf(req);
    // The summary's links point at the refused form's inputs: field-<template>-<mode>-<field>, or field-<template>-emblem.
    const summaryPrefix = failed ? `field-${failed.template}-${failed.mode ? `${failed.mode}-` : ''}` : undefined;
    return { title: translate(language, 'layouts.title'), templates: await layoutTemplates(db, language, failed), summaryPrefix };
  };

  router.get('/admin/print-layouts', admin, async (req, res) => {
    const flash = takeFlash(req);
    res.render('certificates/layouts', { ...(await layoutsPage(req)), flash });
  });

  // Before /:template/:mode, which would take "emblem" for a mode.
  // The emblem: uploaded as a multipart form (the CSRF token in the query), shown on the page, removed.
  // The guard runs before the upload is read; past 1 MB the upload is refused with 413.
  router.post(uploadRoute('/admin/print-layouts/:template/emblem'), admin, receiveFile(MAX_EMBLEM_BYTES, 'emblem'), async (req, res) => {
    const language = languageOf(req);
    const { template } = validate(templateParams, req.params);
    try {
      if (!req.file) throw new ValidationError([{ ...noUploadProblem, field: 'emblem' }]);
      await service.uploadEmblem(db, await callerOf(req, db), template, { fileName: uploadedFileName(req.file), content: req.file.buffer });
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const details = translateProblems(language, error.details);
      res.status(422).render('certificates/layouts', { ...(await layoutsPage(req, { template, emblemError: details[0]?.message })), errorList: details.map((d) => ({ ...d, field: 'emblem' })) });
      return;
    }
    req.session.flash = translate(language, 'layouts.emblem.uploaded');
    res.redirect(303, `/admin/print-layouts#emblem-${template}`);
  });

  router.post('/admin/print-layouts/:template/:mode', admin, async (req, res) => {
    const language = languageOf(req);
    const { template, mode } = validate(layoutParams, req.params);
    await submitForm({
      req, res, schema: layoutSchema, view: 'certificates/layouts', labels: 'layout',
      // The refused form shows what was typed, not the stored values, with its errors beside it.
      viewModel: async () => layoutsPage(req, { template, mode, values: (req.body ?? {}) as Record<string, unknown> }),
      action: async (input) => {
        const viewer = await callerOf(req, db);
        await service.updateLayout(db, viewer, template, mode, input);
        return { redirectTo: '/admin/print-layouts', flash: translate(language, 'layouts.saved') };
      },
    });
  });

  router.get('/admin/print-layouts/:template/:mode/test.pdf', admin, async (req, res) => {
    const { template, mode } = validate(layoutParams, req.params);
    const pdf = await service.printCalibration(printDeps(deps), template, mode);
    sendPdf(res, pdf, `can-chinh-${template}-${mode}.pdf`, false);
  });

  router.post('/admin/print-layouts/:template/emblem/delete', admin, async (req, res) => {
    const { template } = validate(templateParams, req.params);
    await service.removeEmblem(db, await callerOf(req, db), template);
    req.session.flash = translate(languageOf(req), 'layouts.emblem.removed');
    res.redirect(303, `/admin/print-layouts#emblem-${template}`);
  });

  router.get('/admin/print-layouts/:template/emblem', admin, async (req, res) => {
    const { template } = validate(templateParams, req.params);
    const emblem = await repository.findEmblem(db, template);
    if (!emblem) throw new NotFoundError();
    // Shown in an <img> on the page; opened directly, an SVG still runs nothing (sandboxed, no script source).
    res.set({
      'Content-Type': emblem.content_type, 'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; sandbox", 'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'private, no-store', 'Content-Disposition': 'inline',
    });
    res.end(Buffer.from(emblem.content));
  });

  return router;
}

/** "Phôi số AG-000123 đến AG-000130 (8 tờ)", or null for a job without serials. */
function serialsText(language: Language, job: { blank_serial_from: string | null; blank_serial_to: string | null }): string | null {
  if (!job.blank_serial_from || !job.blank_serial_to) return null;
  return translate(language, 'printJobs.serials.value', { from: job.blank_serial_from, to: job.blank_serial_to, count: formatNumber(blankSerialCount(job.blank_serial_from, job.blank_serial_to)) });
}

/** The print-layouts page by template: its emblem, then a form per print mode (a refused one with what was typed). */
async function layoutTemplates(db: Database, language: Language, failed?: { template: TemplateName; mode?: PrintMode; values?: Record<string, unknown>; emblemError?: string }) {
  const [rows, emblems] = await Promise.all([repository.listPrintLayouts(db), repository.listEmblemInfo(db)]);
  return TEMPLATE_NAMES.map((template) => {
    const emblem = emblems.find((e) => e.template === template);
    const label = translate(language, `layouts.template.${template}`);
    return {
      template,
      label,
      emblem: {
        current: emblem ? translate(language, 'layouts.emblem.current', { name: emblem.file_name, size: formatNumber(Math.max(1, Math.round(Number(emblem.size) / 1024))) }) : null,
        imageUrl: emblem ? `/admin/print-layouts/${template}/emblem?v=${emblem.sha256.slice(0, 16)}` : null,
        alt: translate(language, 'layouts.emblem.alt', { template: label }),
        error: failed?.template === template ? failed.emblemError : undefined,
      },
      layouts: rows.filter((row) => row.template === template).map((row) => {
        const editing = failed?.template === template && failed.mode === row.mode && failed.values !== undefined;
        const values = editing ? typedLayout(failed!.values!) : storedLayout(row);
        return {
          template, mode: row.mode, editing, values,
          label: `${label} · ${translate(language, `layouts.mode.${row.mode as PrintMode}`)}`,
          overlay: row.mode === 'overlay',
          sizes: (['a4', 'a3', 'custom'] as const).map((size) => ({ value: size, label: translate(language, `layouts.paper.${size}`), checked: values.paperSize === size })),
          lines: PREPRINTED_LINES.map((line) => ({ value: line, label: translate(language, `layouts.line.${line}`), checked: values.preprinted.includes(line) })),
        };
      }),
    };
  });
}

type LayoutValues = Record<'paperWidthMm' | 'paperHeightMm' | 'offsetXMm' | 'offsetYMm', string> & { paperSize: string; preprinted: string[] };

/** A stored layout as its form shows it: a named size when the paper is one, millimetres the Vietnamese way ("2,5"). */
function storedLayout(row: { paper_width_mm: string; paper_height_mm: string; offset_x_mm: string; offset_y_mm: string; preprinted: string[] }): LayoutValues {
  const [width, height] = [Number(row.paper_width_mm), Number(row.paper_height_mm)];
  const named = (Object.entries(PAPER_SIZES) as [keyof typeof PAPER_SIZES, { widthMm: number; heightMm: number }][]).find(([, size]) => size.widthMm === width && size.heightMm === height)?.[0];
  return { paperSize: named ?? 'custom', paperWidthMm: formatNumber(width), paperHeightMm: formatNumber(height), offsetXMm: formatNumber(Number(row.offset_x_mm)), offsetYMm: formatNumber(Number(row.offset_y_mm)), preprinted: row.preprinted };
}

/** The layout fields as the user typed them, for a form shown again after a refusal. */
function typedLayout(typed: Record<string, unknown>): LayoutValues {
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  const list = Array.isArray(typed.preprinted) ? typed.preprinted.map(text) : [text(typed.preprinted)];
  return { paperSize: text(typed.paperSize) || 'custom', paperWidthMm: text(typed.paperWidthMm), paperHeightMm: text(typed.paperHeightMm), offsetXMm: text(typed.offsetXMm), offsetYMm: text(typed.offsetYMm), preprinted: list };
}
