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
import { callerOf, languageOf, takeFlash } from '../web/request.ts';
import { printModelCertificate } from './model-certificates.ts';
import { idParams, validate } from '../web/validate.ts';
import * as service from './service.ts';
import * as repository from './repository.ts';
import { verifyCertificate } from './verification.ts';
import type { PrintMode, TemplateName } from './rendering/templates.ts';
import { annexModel } from '../awards/queries.ts';
import { viewToPdf } from './rendering/view-pdf.ts';
import { codeParam, correctionSchema, layoutParams, layoutSchema, modeQuery, printJobListSchema, printLogSchema, printModeForm, reasonSchema, revokeFormSchema, type LayoutInput } from './schemas.ts';
import { committee, fileNameOf, pdfDownloads, printDeps, printers, queueOf, sendPdf, type CertificateDeps } from './http.ts';

/** A small in-process limiter for the public verification: enough against enumeration, per address. */
function verificationLimiter(perMinute: number) {
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
    res.render('certificates/verify', {
      title: translate(language, 'verify.title'),
      found: true,
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
      certificate: { ...record, signedOnText: formatDate(record.signed_on), verifyUrl: `/verify/${record.verification_code}` },
      // A revoked certificate says when, by whom and why, where the office will look for it.
      revocation: record.status === 'revoked'
        ? translate(languageOf(req), 'certificates.revokedBy', { date: record.revoked_at ? formatDateTime(record.revoked_at) : '', name: record.revoked_by_name ?? '—', reason: record.revoke_reason ?? '' })
        : null,
      log: log.map((entry) => ({ ...entry, when: formatDateTime(entry.printed_at) })),
      reissues: reissues.map((r) => ({ ...r, when: formatDateTime(r.created_at) })),
      canPrint: canPrintFor(viewer, record.issuing_unit_id).allowed,
      // A printing role that does not act for this body is told why there is nothing to press.
      otherBody: PRINTING_ROLES.includes(viewer.user.role) && !actsFor(viewer, record.issuing_unit_id) ? translate(languageOf(req), 'certificates.otherBody', { issuer: record.issuer_name }) : undefined,
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
    const { mode } = validate(printModeForm, req.body ?? {}, { form: true });
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
    const { mode } = validate(printModeForm, req.body ?? {}, { form: true });
    const job = await service.enqueuePrintJob(db, queueOf(deps), viewer, id, mode);
    res.redirect(303, `/print-jobs/${job.id}`);
  });

  router.get('/print-jobs', printers, async (req, res) => {
    const viewer = await callerOf(req, db);
    const language = languageOf(req);
    const { cursor } = validate(printJobListSchema, req.query);
    const { items, nextCursor } = await service.listPrintJobs(db, viewer, { limit: PRINT_JOBS_PAGE, cursor });
    res.render('certificates/print-jobs', {
      title: translate(language, 'printJobs.history'),
      jobs: items.map((job) => ({ ...job, count: formatNumber(job.total), when: formatDateTime(job.created_at), whenIso: job.created_at.toISOString() })),
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
      },
      // The page refreshes itself while the job runs: no script needed.
      refresh: job.status === 'queued' || job.status === 'running',
    });
  });

  router.get('/print-jobs/:id/file', printers, downloads.jobFile);

  router.get('/admin/print-layouts', requireRole('admin'), async (req, res) => {
    const language = languageOf(req);
    const flash = takeFlash(req);
    res.render('certificates/layouts', { title: translate(language, 'layouts.title'), layouts: await layoutRows(db, language), flash });
  });

  router.post('/admin/print-layouts/:template/:mode', requireRole('admin'), async (req, res) => {
    const language = languageOf(req);
    const { template, mode } = validate(layoutParams, req.params);
    await submitForm({
      req, res, schema: layoutSchema, view: 'certificates/layouts', labels: 'layout',
      // The refused form shows what was typed, not the stored values, with its errors beside it.
      viewModel: async () => ({
        title: translate(language, 'layouts.title'),
        layouts: (await layoutRows(db, language)).map((row) => (row.template === template && row.mode === mode ? { ...row, values: typedLayout(req.body), editing: true } : row)),
      }),
      action: async (input) => {
        const viewer = await callerOf(req, db);
        await service.updateLayout(db, viewer, template, mode, input);
        return { redirectTo: '/admin/print-layouts', flash: translate(language, 'layouts.saved') };
      },
    });
  });

  router.get('/admin/print-layouts/:template/:mode/test.pdf', requireRole('admin'), async (req, res) => {
    const { template, mode } = validate(layoutParams, req.params);
    const pdf = await service.printCalibration(printDeps(deps), template, mode);
    sendPdf(res, pdf, `can-chinh-${template}-${mode}.pdf`, false);
  });

  return router;
}

async function layoutRows(db: Database, language: Language) {
  const rows = await repository.listPrintLayouts(db);
  return rows.map((row) => ({
    template: row.template,
    mode: row.mode,
    label: `${translate(language, `layouts.template.${row.template as TemplateName}`)} · ${translate(language, `layouts.mode.${row.mode as PrintMode}`)}`,
    values: { paperWidthMm: String(Number(row.paper_width_mm)), paperHeightMm: String(Number(row.paper_height_mm)), offsetXMm: String(Number(row.offset_x_mm)), offsetYMm: String(Number(row.offset_y_mm)) },
  }));
}

/** The four layout fields as the user typed them, for a form shown again after a refusal. */
function typedLayout(body: unknown): Record<keyof LayoutInput, string> {
  const typed = (body ?? {}) as Record<string, unknown>;
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  return { paperWidthMm: text(typed.paperWidthMm), paperHeightMm: text(typed.paperHeightMm), offsetXMm: text(typed.offsetXMm), offsetYMm: text(typed.offsetYMm) };
}
