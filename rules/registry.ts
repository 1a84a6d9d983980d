import type { AnyKind } from './kind.js';
import { bodyFields } from './kinds/body-fields.js';
import { bookingStatus } from './kinds/booking-status.js';
import { contentType } from './kinds/content-type.js';
import { currency } from './kinds/currency.js';
import { dateRange } from './kinds/date-range.js';
import { enumeration } from './kinds/enum.js';
import { errorResponse } from './kinds/error-response.js';
import { links } from './kinds/links.js';
import { linksOrigin } from './kinds/links-origin.js';
import { linksResolve } from './kinds/links-resolve.js';
import { masking } from './kinds/masking.js';
import { maxLength } from './kinds/max-length.js';
import { minorUnits } from './kinds/minor-units.js';
import { pagination } from './kinds/pagination.js';
import { certificateRejection, signatureAccepted, signatureRejection } from './kinds/rejection.js';
import { required } from './kinds/required.js';
import { schema } from './kinds/schema.js';
import { status } from './kinds/status.js';
import { transport } from './kinds/transport.js';
import { undeclared } from './kinds/undeclared.js';
import { xRequestId } from './kinds/x-request-id.js';
import { negative } from './kinds/negative.js';
import { consentStatus } from './kinds/consent-lifecycle.js';

/**
 * Every rule kind, one line each. The generator asks them in this order at each place of the spec, so
 * the order is the catalogue's (and the report's): a new kind goes at the end unless its rules belong
 * beside another's. Rule ids do not depend on it.
 */
export const REGISTERED: readonly AnyKind[] = [
  status,
  contentType,
  xRequestId, // operation
  schema, // response
  required,
  minorUnits,
  currency,
  enumeration,
  maxLength,
  masking,
  links, // node
  bodyFields,
  undeclared, // response:exit
  errorResponse, // operation:exit
  bookingStatus,
  dateRange,
  pagination,
  transport,
  linksResolve,
  linksOrigin,
  signatureAccepted,
  signatureRejection,
  certificateRejection, // spec
  negative,
  consentStatus, // spec: after the run's own requests
];

/** Every kind by name. A rule names its kind; the judge looks it up here. */
export const KINDS: Readonly<Record<string, AnyKind>> = Object.fromEntries(REGISTERED.map((k) => [k.kind, k]));
