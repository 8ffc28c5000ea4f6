// One uploaded file per multipart request, held in memory up to a size limit; multer's own errors
// become ours: too big is 413, anything else malformed is 400.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import multer from 'multer';
import { BadRequestError, PayloadTooLargeError, type FieldProblem } from '../errors.ts';
import { verifyCsrfField } from './csrf.ts';

/** An import form (models from .xlsx) sent without its file. */
export const noFileProblem: FieldProblem = { field: 'file', reason: 'file_missing', key: 'import.noFile' };
/** A form that attaches a file (a dossier document) sent without it: "đính kèm", not "nhập". */
export const noAttachmentProblem: FieldProblem = { field: 'file', reason: 'file_missing', key: 'upload.noAttachment' };
/** A form that uploads a file to keep (a certificate emblem) sent without it. */
export const noUploadProblem: FieldProblem = { field: 'file', reason: 'file_missing', key: 'upload.noFile' };

/** The pages' upload routes (method and path pattern): the only ones whose CSRF check waits for the body. */
const uploadRoutes: { method: string; pattern: RegExp }[] = [];

/**
 * Declares a page route that receives a multipart upload with receiveFile, so its form can send the
 * CSRF token as a field instead of in the action URL (where it showed as ?_csrf= in the address bar).
 */
export function uploadRoute(path: string, method = 'POST'): string {
  const pattern = new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:\w+/g, '[^/]+')}$`);
  uploadRoutes.push({ method, pattern });
  return path;
}

export function isUploadRoute(method: string, path: string): boolean {
  return uploadRoutes.some((route) => route.method === method && route.pattern.test(path));
}

export function receiveFile(maxBytes: number, field = 'file'): RequestHandler {
  const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: maxBytes, files: 1, fields: 10 } }).single(field);
  return (req: Request, res: Response, next: NextFunction) => {
    upload(req, res, (error: unknown) => {
      if (!error) {
        try {
          verifyCsrfField(req, res);
        } catch (csrfError) {
          return next(csrfError);
        }
        return next();
      }
      const code = (error as { code?: string }).code;
      next(code === 'LIMIT_FILE_SIZE' ? new PayloadTooLargeError() : new BadRequestError());
    });
  };
}

/** Browsers send the file name's UTF-8 bytes, which multer reads as Latin-1. */
export function uploadedFileName(file: Express.Multer.File): string {
  return Buffer.from(file.originalname, 'latin1').toString('utf8');
}

/** A stored upload sent back as a download: never rendered by the browser, never cached. */
export function sendStoredFile(res: Response, file: { fileName: string; contentType: string; content: Buffer }): void {
  res.set({
    'Content-Type': file.contentType,
    'Content-Length': String(file.content.length),
    'Content-Disposition': `attachment; filename="${asciiName(file.fileName)}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "default-src 'none'; sandbox",
    'Cache-Control': 'private, no-store',
  });
  res.end(file.content);
}

function asciiName(name: string): string {
  return name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[đĐ]/g, (c) => (c === 'đ' ? 'd' : 'D')).replace(/[^\x20-\x7e]|["\\]/g, '_');
}
