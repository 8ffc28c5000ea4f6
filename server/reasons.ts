// Every rule that can refuse a request, by its stable `reason` (API.md, Errors). A client branches
// on these words, so they never change once published; the message beside them is for people.
// The README's table of reasons is this list (test/web/reasons.test.ts keeps the two equal), and
// the type below makes an error with an unlisted reason a compile error.

/** Reasons given on a 422's fields (`details[].reason`), the rule each field broke. */
export const FIELD_REASONS = {
  required: 'a required field is missing or empty',
  invalid: 'the value is not of the expected kind',
  invalid_format: 'the text does not have the expected form (a code, a register number, a colour)',
  invalid_characters: 'the text holds control characters or other characters a record may not hold',
  invalid_date: 'not a date (dd/mm/yyyy or yyyy-mm-dd)',
  date_out_of_range: 'a date outside the accepted years',
  date_order: 'an end date before its start date',
  too_short: 'the text is shorter than the rule allows',
  too_long: 'the text or the list is longer than the rule allows',
  not_a_number: 'not a number',
  not_an_integer: 'a number with decimals where a whole number is needed',
  too_small: 'a number below the rule',
  too_large: 'a number above the rule',
  not_allowed_value: 'a value outside the listed choices',
  unknown_field: 'a field the request does not take',
  not_an_object: 'the body is not a JSON object',
  invalid_cursor: 'a list cursor this server did not give',
  unknown_reference: 'a unit, field, block or record that does not exist or is outside your units',
  ambiguous_reference: 'a unit typed by name into a page form that matches several units: choose one',
  unit_ended: 'a new record for a unit that has ended (the 2025 mergers): the message names its successor',
  password_weak: 'a password holding the username or the name, or easy to guess',
  not_in_round: 'a nomination of another round named in a decision',
  file_missing: 'the form was sent without its file',
  file_type: 'a dossier file that is not a PDF or a Word document',
  file_too_large: 'a dossier file over the size limit',
  unsupported_type: 'an import that is neither .xlsx nor .csv',
  unreadable: 'an import file that cannot be read',
  empty: 'an import file with no data rows',
  missing_columns: 'an import file without a required column',
  too_many_rows: 'an import file over the row limit',
  uncompressed_too_large: 'an .xlsx that unpacks to more than the limit',
  invalid_value: 'an import row whose cell breaks a field rule',
  unknown_value: 'an import row naming a unit, field or block that is not known',
} as const;

/** Reasons given on a refusal as a whole (`error.reason`): 400, 401, 403, 409, 429 and 503. */
export const REFUSAL_REASONS = {
  bad_request: '400: a request this server cannot read',
  too_deep: '400: a JSON body nested deeper than the limit',
  login_failed: '401: the username or the password is wrong, or the account is disabled',
  forbidden: '403: the role may not do this',
  secretary_only: '403: only the committee secretariat (or an administrator) does this',
  agency_only: '403: only a unit\'s staff (or an administrator) nominates',
  members_only: '403: only committee members vote',
  not_on_committee: '403: the member is not on this round\'s committee',
  own_unit_vote: '403: a member does not vote on a nomination from the member\'s own unit',
  not_your_unit: '403: the nomination belongs to a unit outside yours',
  printers_only: '403: only printing staff, the secretariat or an administrator prints',
  revoke_secretary_only: '403: only the secretariat or an administrator revokes a certificate',
  committee_only: '403: only the committee recognises or refuses a model',
  conflict: '409: two people changed the same thing at the same moment; try again',
  illegal_transition: '409: the record\'s status does not allow this move',
  model_recognized: '409: a recognised model is frozen',
  duplicate_nominee: '409: the nominee is already in this round',
  round_closed: '409: the round is closed',
  round_past_closing: '409: the round\'s closing day has passed',
  round_not_closed: '409: the round must be closed first',
  no_public_comment: '409: the round has no public comment period to publish',
  already_published: '409: the list is already published',
  not_editable: '409: the nomination is no longer a draft or returned',
  not_submitted: '409: the nomination is not submitted',
  not_approved: '409: a decision names a nomination that is not approved or already decided',
  decision_number_taken: '409: the decision number is already used by the issuing body',
  too_many_files: '409: the nomination already holds the most dossier files allowed',
  unit_code_taken: '409: another unit has this code',
  unit_cycle: '409: a unit would end up under itself',
  username_taken: '409: another account has this username',
  model_not_recognized: '409: a certificate for a model the committee has not recognised',
  certificate_revoked: '409: the certificate is revoked',
  all_revoked: '409: every certificate of the decision is revoked',
  revoked_not_printed: '409: a revoked certificate is not printed',
  job_not_done: '409: the print job has not finished',
  rate_limited: '429: too many requests from this address or account; wait',
  login_throttled: '429: too many failed logins; wait the minutes the message gives',
  import_busy: '429: the most imports at once are running; try again shortly',
  print_queue_full: '429: the print queue is full; try again shortly',
  renderer_busy: '503: the PDF renderer is full; try again shortly',
  no_browser: '503: no Chromium to print with (see the README, PDFs)',
} as const;

export type FieldReason = keyof typeof FIELD_REASONS;
export type RefusalReason = keyof typeof REFUSAL_REASONS;
export type Reason = FieldReason | RefusalReason;

export const REASONS: Readonly<Record<Reason, string>> = { ...FIELD_REASONS, ...REFUSAL_REASONS };
